"""Shared pytest setup: names that docstring examples may use without importing."""

import jax
import jax.numpy as jnp
import optax
import pytest

import optax_sched

# The golden-table generator needs torch and transformers, which CI never installs; it is
# run by hand (see its docstring), so pytest must not import it for doctests.
collect_ignore = ["tests/golden/generate.py"]


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace.update(jax=jax, jnp=jnp, optax=optax, optax_sched=optax_sched)
