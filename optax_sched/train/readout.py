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

``inject_hyperparams`` makes every update a little dearer (it turns each hyperparameter
into a state entry; ``python -m benchmarks --only overhead`` measures it). The cheap way
keeps the plain ``optax.adamw(schedule)`` and passes the schedule to the readout:
``learning_rate(state, schedule=schedule)`` finds the counter optax's
``scale_by_schedule`` keeps and evaluates ``schedule(count - 1)``, the same number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import optax

__all__ = ["learning_rate", "learning_rates"]

_INJECTED = (optax.InjectHyperparamsState, optax.InjectStatefulHyperparamsState)


def _value(leaf: Any) -> Any:
    """The array inside an nnx variable (``OptArray``), or the leaf itself."""
    if isinstance(leaf, jax.Array):
        return leaf
    get_value = getattr(leaf, "get_value", None)  # flax.nnx.Variable
    return get_value() if callable(get_value) else leaf


def _walk(node: Any, path: tuple[str, ...], take: Callable[[Any, tuple[str, ...]], bool]) -> None:
    """Walk an optimizer state (optax's NamedTuples, tuples, group mappings, nnx.State),
    joining mapping keys into ``path``; ``take(node, path)`` returns True when it has
    handled ``node`` and the walk should not go into it."""
    if take(node, path):
        return
    if isinstance(node, tuple) and hasattr(node, "_fields"):  # optax's NamedTuple states
        for field in node._fields:
            _walk(getattr(node, field), path, take)
    elif isinstance(node, list | tuple):
        for item in node:
            _walk(item, path, take)
    elif isinstance(node, Mapping) or (hasattr(node, "items") and not isinstance(node, str)):
        for key, value in node.items():  # multi_transform groups, nnx.State
            _walk(value, (*path, str(key)), take)


def _injected(name: str, found: dict[str, Any]) -> Callable[[Any, tuple[str, ...]], bool]:
    """Collects the hyperparameter ``name`` of every ``inject_hyperparams`` state."""

    def take(node: Any, path: tuple[str, ...]) -> bool:
        if not isinstance(node, _INJECTED):
            return False
        if name in node.hyperparams:
            found["/".join(path)] = _value(node.hyperparams[name])
        _walk(node.inner_state, path, take)
        return True

    return take


def _schedule_counts(found: dict[str, Any]) -> Callable[[Any, tuple[str, ...]], bool]:
    """Collects the counter of every ``optax.scale_by_schedule`` state."""

    def take(node: Any, path: tuple[str, ...]) -> bool:
        if not isinstance(node, optax.ScaleByScheduleState):
            return False
        found["/".join(path)] = _value(node.count)
        return True

    return take


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
    _walk(state, (), _injected(name, found))
    return found


def learning_rate(
    state: Any, name: str = "learning_rate", *, schedule: optax.Schedule | None = None
) -> jax.Array:
    """The learning rate the optimizer's most recent update used, to log it.

    Args:
      state: an optax optimizer state, or an ``nnx.Optimizer``, built with
        ``optax.inject_hyperparams`` (possibly inside ``optax.chain`` or
        ``optax.MultiSteps``).
      name: the hyperparameter to read.
      schedule: the optimizer's schedule, for a plain ``optax.adamw(schedule)`` (no
        ``inject_hyperparams``, so no cost per update): the rate is computed from the
        update counter of its ``scale_by_schedule``.

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
      >>> plain = optax.adamw(schedule)  # no inject_hyperparams: pass the schedule
      >>> state = plain.init(params)
      >>> for _ in range(5):
      ...     _, state = plain.update({"w": jnp.ones(3)}, state, params)
      >>> float(learning_rate(state, schedule=schedule)) == float(schedule(4))
      True
    """
    if schedule is not None:
        return _from_counter(state, name, schedule)
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


def _from_counter(state: Any, name: str, schedule: optax.Schedule) -> jax.Array:
    if name != "learning_rate":
        raise ValueError(
            f"learning_rate: schedule= computes the learning rate only; {name!r} is read "
            "from an optimizer built with optax.inject_hyperparams."
        )
    counts: dict[str, Any] = {}
    _walk(getattr(state, "opt_state", state), (), _schedule_counts(counts))
    if len(counts) != 1:
        where = f" (at {', '.join(repr(k) for k in counts)})" if counts else ""
        raise ValueError(
            f"learning_rate: schedule= needs exactly one optax.scale_by_schedule in the "
            f"state, the counter a schedule passed to an optimizer keeps; found "
            f"{len(counts)}{where}. "
            + (
                "Was the optimizer given a constant rate?"
                if not counts
                else "Build it with optax.inject_hyperparams and use learning_rates(state)."
            )
        )
    count = next(iter(counts.values()))
    return jnp.asarray(schedule(jnp.maximum(count - 1, 0)))
