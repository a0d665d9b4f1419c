"""Shared pytest setup: names that docstring examples may use without importing."""

import jax
import jax.numpy as jnp
import optax
import pytest

import optax_sched


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace.update(jax=jax, jnp=jnp, optax=optax, optax_sched=optax_sched)
