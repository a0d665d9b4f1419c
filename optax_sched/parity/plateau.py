"""Metric-driven learning rates as optax transformations: PyTorch's ReduceLROnPlateau and
transformers' GreedyLR, with their argument names and their exact update rules.

Unlike a schedule, these rates follow a metric (usually the loss), so they live in the
optimizer state. Each transformation scales the updates by the rate in effect, like
``optax.scale_by_learning_rate``, then moves the rate with the metric given to
``update(..., value=metric)``: the order of a PyTorch loop (``optimizer.step()``, then
``scheduler.step(metric)``). Chain it after a rate-free optimizer::

    tx = optax.chain(optax.scale_by_adam(), reduce_lr_on_plateau(1e-3, patience=5))
    updates, state = tx.update(grads, state, params, value=loss)
    lr = state[-1].lr  # the rate the next update will use
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from optax_sched import _validate


class PlateauState(NamedTuple):
    """State of :func:`reduce_lr_on_plateau` and :func:`greedy_lr`.

    ``lr`` is the rate the next update uses (log it); the rest mirrors PyTorch's
    scheduler attributes (``best``, ``num_bad_epochs``, counters) and GreedyLR's rolling
    window for smoothing.
    """

    lr: jax.Array
    best: jax.Array
    num_bad: jax.Array
    num_good: jax.Array
    cooldown: jax.Array
    warmup: jax.Array
    reset_left: jax.Array
    window: jax.Array
    seen: jax.Array


def _is_better(current: jax.Array, best: jax.Array, mode: str, threshold: float, rel: bool):
    """PyTorch's (and GreedyLR's) improvement test, identical in both."""
    if mode == "min":
        return current < (best * (1.0 - threshold) if rel else best - threshold)
    return current > (best * (1.0 + threshold) if rel else best + threshold)


def _reduced(lr: jax.Array, factor: float, min_lr: float, eps: float) -> jax.Array:
    """``max(lr * factor, min_lr)``, applied only when it lowers the rate by more than eps."""
    new = jnp.maximum(lr * factor, min_lr)
    return jnp.where(lr - new > eps, new, lr)


def _check(where: str, mode: str, factor: float, patience: int, threshold_mode: str) -> None:
    _validate.check_choice(where, "mode", mode, ["min", "max"])
    _validate.check_choice(where, "threshold_mode", threshold_mode, ["rel", "abs"])
    _validate.check_range(
        where,
        "factor",
        factor,
        high=1.0,
        high_inclusive=False,
        hint="The rate is multiplied by factor on a plateau (PyTorch: 'Factor should be < 1.0').",
    )
    _validate.check_steps(where, "patience", patience, minimum=0)


def _scale(updates: Any, lr: jax.Array) -> Any:
    return jax.tree.map(lambda u: -lr.astype(u.dtype) * u, updates)


def _init_state(learning_rate: Any, mode: str, window_size: int = 1) -> PlateauState:
    worst = jnp.inf if mode == "min" else -jnp.inf
    zero = jnp.zeros([], jnp.int32)
    return PlateauState(
        lr=jnp.asarray(learning_rate, jnp.float32),
        best=jnp.asarray(worst, jnp.float32),
        num_bad=zero,
        num_good=zero,
        cooldown=zero,
        warmup=zero,
        reset_left=zero,
        window=jnp.zeros([window_size], jnp.float32),
        seen=zero,
    )


def reduce_lr_on_plateau(
    learning_rate: jax.typing.ArrayLike,
    mode: str = "min",
    factor: float = 0.1,
    patience: int = 10,
    threshold: float = 1e-4,
    threshold_mode: str = "rel",
    cooldown: int = 0,
    min_lr: float = 0.0,
    eps: float = 1e-8,
) -> optax.GradientTransformationExtraArgs:
    r"""PyTorch's ``ReduceLROnPlateau`` (transformers' ``reduce_lr_on_plateau``) for optax.

    After each update, with metric :math:`m` and best value :math:`b` so far, ``m``
    improves on ``b`` when :math:`m < b(1 - \theta)` (``mode="min"``, ``"rel"``),
    :math:`m < b - \theta` (``"abs"``), or the mirror images for ``mode="max"``. More
    than ``patience`` updates in a row without improvement (not counting ``cooldown``
    updates after a reduction) multiply the rate by ``factor``:

    .. math::

      \eta \leftarrow \max(\eta \cdot \text{factor}, \eta_{min})
      \quad\text{if the drop exceeds eps}

    As in PyTorch, ``"rel"`` with a negative metric (e.g. a log-likelihood) compares
    against :math:`b(1 - \theta)`, which lies *above* a negative :math:`b`: use
    ``threshold_mode="abs"`` for metrics that can be negative.

    Args:
      learning_rate: the initial rate.
      mode: ``"min"`` (a loss) or ``"max"`` (an accuracy).
      factor: the multiplier on a plateau, in ``(0, 1)``.
      patience: updates without improvement tolerated before reducing.
      threshold: the improvement margin :math:`\theta`.
      threshold_mode: ``"rel"`` or ``"abs"``.
      cooldown: updates after a reduction during which bad updates are not counted.
      min_lr: the floor.
      eps: smaller reductions than this are skipped.

    Returns:
      An ``optax.GradientTransformationExtraArgs`` whose ``update`` takes
      ``value=metric``; its state is a :class:`PlateauState` (``state.lr`` is the rate).

    Examples:
      >>> import jax.numpy as jnp, optax
      >>> from optax_sched.parity.plateau import reduce_lr_on_plateau
      >>> tx = reduce_lr_on_plateau(1.0, factor=0.5, patience=1)
      >>> state = tx.init({"w": jnp.zeros(1)})
      >>> rates = []
      >>> for loss in [3.0, 2.0, 2.0, 2.0, 2.0, 2.0]:
      ...     rates.append(float(state.lr))
      ...     _, state = tx.update({"w": jnp.ones(1)}, state, value=loss)
      >>> rates
      [1.0, 1.0, 1.0, 1.0, 0.5, 0.5]
    """
    where = "reduce_lr_on_plateau"
    _validate.check_lr(where, "learning_rate", learning_rate)
    _check(where, mode, factor, patience, threshold_mode)
    cooldown = _validate.check_steps(where, "cooldown", cooldown, minimum=0)
    _validate.check_lr(where, "min_lr", min_lr)
    rel = threshold_mode == "rel"

    def init(params: Any) -> PlateauState:
        del params
        return _init_state(learning_rate, mode)

    def update(updates: Any, state: PlateauState, params: Any = None, *, value: Any, **extra):
        del params, extra
        used = state.lr  # this update runs at the current rate; the metric moves the next
        current = jnp.asarray(value, jnp.float32)
        better = _is_better(current, state.best, mode, threshold, rel)
        best = jnp.where(better, current, state.best)
        bad = jnp.where(better, 0, state.num_bad + 1)
        cooling = state.cooldown > 0
        left = jnp.where(cooling, state.cooldown - 1, state.cooldown)
        bad = jnp.where(cooling, 0, bad)
        reduce = bad > patience
        lr = jnp.where(reduce, _reduced(state.lr, factor, min_lr, eps), state.lr)
        state = state._replace(
            lr=lr,
            best=best,
            num_bad=jnp.where(reduce, 0, bad),
            cooldown=jnp.where(reduce, cooldown, left),
        )
        return _scale(updates, used), state

    return optax.GradientTransformationExtraArgs(init, update)


def greedy_lr(
    learning_rate: jax.typing.ArrayLike,
    mode: str = "min",
    factor: float = 0.95,
    patience: int = 10,
    threshold: float = 1e-6,
    threshold_mode: str = "abs",
    cooldown: int = 0,
    warmup: int = 0,
    min_lr: float = 1e-3,
    max_lr: float = 1.0,
    eps: float = 1e-8,
    smooth: bool = False,
    window_size: int = 50,
    reset_start: int = 500,
) -> optax.GradientTransformationExtraArgs:
    r"""transformers' ``GreedyLR`` (``lr_scheduler_type="greedy"``) for optax.

    Like :func:`reduce_lr_on_plateau`, but it also *raises* the rate: more than
    ``patience`` improvements in a row divide it by ``factor`` (capped at ``max_lr``,
    then ``warmup`` quiet updates), more than ``patience`` non-improvements multiply it
    by ``factor`` (floored at ``min_lr``, then ``cooldown`` quiet updates):

    .. math::

      \eta \leftarrow \min(\eta / 	ext{factor}, \eta_{max}) \ 	ext{(improving)},\qquad
      \eta \leftarrow \max(\eta \cdot 	ext{factor}, \eta_{min}) \ 	ext{(stalling)}

    With ``smooth=True`` the metric is first averaged over the last ``window_size``
    values. After ``reset_start`` reductions that leave the rate at ``min_lr`` (without
    an increase in between) everything resets to the initial rate. Note the defaults:
    ``min_lr=1e-3`` lies above typical fine-tuning rates, so a smaller ``learning_rate``
    is *raised* to ``min_lr`` at the first reduction, exactly as transformers does.

    Args:
      learning_rate: the initial rate.
      mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps: as in
        :func:`reduce_lr_on_plateau` (GreedyLR's defaults differ).
      warmup: quiet updates after an increase.
      max_lr: the ceiling for increases.
      smooth: average the metric over a rolling window first.
      window_size: the window length for ``smooth``.
      reset_start: reductions at the floor tolerated before a full reset.

    Returns:
      An ``optax.GradientTransformationExtraArgs`` whose ``update`` takes
      ``value=metric``; its state is a :class:`PlateauState`.

    Examples:
      >>> import jax.numpy as jnp
      >>> from optax_sched.parity.plateau import greedy_lr
      >>> tx = greedy_lr(0.1, factor=0.5, patience=1, min_lr=0.01)
      >>> state = tx.init({"w": jnp.zeros(1)})
      >>> rates = []
      >>> for loss in [5.0, 4.0, 3.0, 2.0, 2.0, 2.0]:
      ...     rates.append(round(float(state.lr), 4))
      ...     _, state = tx.update({"w": jnp.ones(1)}, state, value=loss)
      >>> rates
      [0.1, 0.1, 0.2, 0.2, 0.4, 0.4]
    """
    where = "greedy_lr"
    _validate.check_lr(where, "learning_rate", learning_rate)
    _check(where, mode, factor, patience, threshold_mode)
    cooldown = _validate.check_steps(where, "cooldown", cooldown, minimum=0)
    warmup = _validate.check_steps(where, "warmup", warmup, minimum=0)
    _validate.check_lr(where, "min_lr", min_lr)
    _validate.check_lr(where, "max_lr", max_lr)
    _validate.check_not_above(where, "min_lr", min_lr, "max_lr", max_lr)
    window_size = _validate.check_steps(where, "window_size", window_size)
    reset_start = _validate.check_steps(where, "reset_start", reset_start)
    rel = threshold_mode == "rel"

    def init(params: Any) -> PlateauState:
        del params
        state = _init_state(learning_rate, mode, window_size if smooth else 1)
        return state._replace(reset_left=jnp.asarray(reset_start, jnp.int32))

    def update(updates: Any, state: PlateauState, params: Any = None, *, value: Any, **extra):
        del params, extra
        used = state.lr
        current = jnp.asarray(value, jnp.float32)
        window, seen = state.window, state.seen
        if smooth:
            window = window.at[seen % window_size].set(current)
            seen = seen + 1
            count = jnp.minimum(seen, window_size)
            current = jnp.sum(window) / count
        quiet = (state.cooldown > 0) | (state.warmup > 0)
        better = _is_better(current, state.best, mode, threshold, rel)
        best = jnp.where(quiet | ~better, state.best, current)
        good = jnp.where(quiet | ~better, 0, state.num_good + 1)
        bad = jnp.where(quiet | better, 0, state.num_bad + 1)
        increase = ~quiet & (good > patience)
        reduce = ~quiet & ~increase & (bad > patience)
        raised = jnp.minimum(state.lr / factor, max_lr)
        raised = jnp.where(raised - state.lr > eps, raised, state.lr)
        lowered = _reduced(state.lr, factor, min_lr, eps)
        lr = jnp.where(increase, raised, jnp.where(reduce, lowered, state.lr))
        # A reduction that leaves the rate at the floor counts towards a full reset; an
        # increase starts the count again.
        at_floor = reduce & ~(lr > min_lr)
        reset_left = jnp.where(increase, reset_start, state.reset_left - at_floor)
        cooldown_left = jnp.where(
            state.cooldown > 0, state.cooldown - 1, jnp.where(reduce, cooldown, 0)
        )
        warmup_left = jnp.where(
            state.cooldown > 0,
            state.warmup,
            jnp.where(state.warmup > 0, state.warmup - 1, jnp.where(increase, warmup, 0)),
        )
        stepped = PlateauState(
            lr=lr,
            best=best,
            num_bad=jnp.where(reduce, 0, bad),
            num_good=jnp.where(increase, 0, good),
            cooldown=cooldown_left,
            warmup=warmup_left,
            reset_left=reset_left,
            window=window,
            seen=seen,
        )
        # A reset happens inside a reduction, after which GreedyLR still starts a cooldown.
        fresh = init(None)._replace(cooldown=jnp.asarray(cooldown, jnp.int32))
        reset = reset_left <= 0
        state = jax.tree.map(lambda a, b: jnp.where(reset, a, b), fresh, stepped)
        return _scale(updates, used), state

    return optax.GradientTransformationExtraArgs(init, update)
