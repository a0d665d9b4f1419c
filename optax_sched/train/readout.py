"""Read the learning rate out of an optimizer state, to log it.

optax evaluates a schedule inside the update and keeps nothing of it, so the rate of
a plain ``optax.adamw(schedule)`` cannot be logged. Built with
``optax.inject_hyperparams`` instead, the optimizer stores every hyperparameter in its
state at each update::

    tx = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule, weight_decay=0.01)

and :func:`learning_rate` finds it there, wherever it sits: at the top, inside
``optax.chain``, ``optax.MultiSteps``, ``optax.multi_transform`` (one rate per group,
see :func:`learning_rates`), or in an ``nnx.Optimizer``.

What is read is the rate the most recent update used: ``inject_hyperparams`` stores
``schedule(count)`` and then advances ``count``, so after ``k`` updates it holds
``schedule(k - 1)`` (and ``schedule(0)`` before the first).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import optax

__all__ = ["learning_rate", "learning_rates"]

_INJECTED = (optax.InjectHyperparamsState, optax.InjectStatefulHyperparamsState)


def _value(leaf: Any) -> Any:
    """The array inside an nnx variable (``OptArray``), or the leaf itself."""
    if isinstance(leaf, jax.Array):
        return leaf
    get_value = getattr(leaf, "get_value", None)  # flax.nnx.Variable
    return get_value() if callable(get_value) else leaf


def _visit(node: Any, path: tuple[str, ...], name: str, found: dict[str, Any]) -> None:
    if isinstance(node, _INJECTED):
        if name in node.hyperparams:
            found["/".join(path)] = _value(node.hyperparams[name])
        _visit(node.inner_state, path, name, found)
    elif isinstance(node, tuple) and hasattr(node, "_fields"):  # optax's NamedTuple states
        for field in node._fields:
            _visit(getattr(node, field), path, name, found)
    elif isinstance(node, list | tuple):
        for item in node:
            _visit(item, path, name, found)
    elif isinstance(node, Mapping) or (hasattr(node, "items") and not isinstance(node, str)):
        for key, value in node.items():  # multi_transform groups, nnx.State
            _visit(value, (*path, str(key)), name, found)


def learning_rates(state: Any, name: str = "learning_rate") -> dict[str, jax.Array]:
    """Every learning rate stored in an optimizer state, keyed by where it sits.

    Args:
      state: an optax optimizer state, or an ``nnx.Optimizer`` (its ``opt_state``).
      name: the hyperparameter to read (``"learning_rate"``; e.g. ``"weight_decay"``).

    Returns:
      ``{path: rate}``. The path joins the mapping keys on the way down (the group
      names of ``optax.multi_transform``, e.g. ``"head"``), and is ``""`` for a rate
      at the top. Empty when the state holds no injected hyperparameter.
      Works under ``jax.jit`` (it only indexes the state).

    Examples:
      >>> import jax.numpy as jnp, optax, optax_sched
      >>> from optax_sched.train import learning_rates
      >>> head = optax_sched.warmup_cosine(1e-3, total_steps=100, warmup_steps=10)
      >>> tx = optax.multi_transform(
      ...     {"head": optax.inject_hyperparams(optax.sgd)(learning_rate=head),
      ...      "body": optax.inject_hyperparams(optax.sgd)(learning_rate=1e-5)},
      ...     {"w": "head", "b": "body"})
      >>> state = tx.init({"w": jnp.ones(2), "b": jnp.ones(2)})
      >>> {k: f"{float(v):.0e}" for k, v in learning_rates(state).items()}
      {'head': '0e+00', 'body': '1e-05'}
    """
    state = getattr(state, "opt_state", state)  # an nnx.Optimizer
    found: dict[str, Any] = {}
    _visit(state, (), name, found)
    return found


def learning_rate(state: Any, name: str = "learning_rate") -> jax.Array:
    """The learning rate the optimizer's most recent update used, to log it.

    Args:
      state: an optax optimizer state, or an ``nnx.Optimizer``, built with
        ``optax.inject_hyperparams`` (possibly inside ``optax.chain`` or
        ``optax.MultiSteps``).
      name: the hyperparameter to read.

    Returns:
      A scalar array: ``schedule(k - 1)`` after ``k`` updates (``schedule(0)`` before
      the first).

    Raises:
      ValueError: when the state holds no such hyperparameter (the message shows how
        to build the optimizer so that it does), or several (use
        :func:`learning_rates`).

    Examples:
      >>> import jax.numpy as jnp, optax, optax_sched
      >>> from optax_sched.train import learning_rate
      >>> schedule = optax_sched.warmup_cosine(1e-3, total_steps=100, warmup_steps=10)
      >>> tx = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule)
      >>> params = {"w": jnp.ones(3)}
      >>> state = tx.init(params)
      >>> for _ in range(5):
      ...     _, state = tx.update({"w": jnp.ones(3)}, state, params)
      >>> float(learning_rate(state)) == float(schedule(4))  # the 5th update used s(4)
      True
    """
    found = learning_rates(state, name)
    if len(found) == 1:
        return next(iter(found.values()))
    if not found:
        raise ValueError(
            f"learning_rate: no {name!r} in this optimizer state. optax keeps a schedule's "
            "value inside the update unless the optimizer is built with "
            f"optax.inject_hyperparams, e.g. optax.inject_hyperparams(optax.adamw)({name}="
            "schedule)."
        )
    raise ValueError(
        f"learning_rate: this optimizer state holds {len(found)} values of {name!r} (at "
        f"{', '.join(repr(k) for k in found)}); read them all with learning_rates(state)."
    )
