"""Cosine annealing with warm restarts (SGDR), periods growing by a factor."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from optax_sched import _core, _validate
from optax_sched._core import Phase, Schedule
from optax_sched.schedules._common import warmup_pieces

#: Most cycles kept in a lookup table; slower-growing periods use the closed form.
_MAX_TABLE = 4096


def _cycle_starts(period: int, t_mult: float) -> np.ndarray | None:
    """Cycle starts ``S_0 = 0, S_1, ...`` in float64 up to 2**53, or None if too many."""
    starts, length = [0.0], float(period)
    while starts[-1] <= 2.0**53:
        if len(starts) > _MAX_TABLE:
            return None
        starts.append(starts[-1] + length)
        length *= t_mult
    return np.asarray(starts)


def cycle_position(
    step: jax.Array, period: int, t_mult: float
) -> tuple[jax.Array, jax.Array, jax.Array]:
    r"""Which restart cycle a step falls in, and where inside it.

    Cycle :math:`i` (0-based) lasts :math:`L_i = P m^i` steps and starts at
    :math:`S_i = P (m^i - 1)/(m - 1)` (:math:`S_i = iP` when :math:`m = 1`). Integer
    steps are placed exactly: with :math:`m = 1` by integer division, otherwise by a
    search in a table of :math:`\lceil S_i \rceil` computed in float64 when the
    schedule is built (float32 evaluation of :math:`S_i` can land a restart step on
    the wrong side of its boundary). Periods growing so slowly that the table would
    exceed 4096 cycles fall back to the closed form

    .. math::

      i = \left\lfloor \log_m\!\left(1 + \frac{t (m - 1)}{P}\right) \right\rfloor

    corrected by one step either way.

    Returns:
      ``(i, t - S_i, L_i)`` as float arrays.
    """
    dtype = _core.float_dtype()
    integer = jnp.issubdtype(step.dtype, jnp.integer)
    step = jnp.maximum(step, 0)
    if t_mult == 1.0:
        i = step // period if integer else _core.whole_periods(step, period)
        local = step - i * period
        return i.astype(dtype), local.astype(dtype), jnp.full(step.shape, period, dtype)
    starts = _cycle_starts(period, t_mult)
    if starts is not None:
        lengths = period * np.power(t_mult, np.arange(len(starts)))
        if integer:
            limit = np.iinfo(step.dtype).max
            firsts = np.ceil(starts[starts <= limit])
            table = jnp.asarray(firsts.astype(step.dtype))
            i = jnp.searchsorted(table, step, side="right") - 1
            # Offset from the first whole step of the cycle back to its true start.
            behind = jnp.asarray(firsts - starts[: len(firsts)], dtype)
            local = (step - table[i]).astype(dtype) + behind[i]
        else:
            t = step.astype(dtype)
            i = jnp.searchsorted(jnp.asarray(starts, dtype), t, side="right") - 1
            local = t - jnp.asarray(starts, dtype)[i]
        return i.astype(dtype), local, jnp.asarray(lengths, dtype)[i]
    t = step.astype(dtype)
    log_m = math.log1p(t_mult - 1.0)

    def start(k: jax.Array) -> jax.Array:
        # expm1, not exp(.) - 1: with m close to 1 the difference cancels catastrophically.
        return period * jnp.expm1(k * log_m) / (t_mult - 1.0)

    # A step within a few float32 ulps of a start counts as that start (restart steps
    # are usually whole numbers that float32 can only approximate).
    slack = 4 * jnp.finfo(dtype).eps * jnp.maximum(t, 1.0)
    i = jnp.floor(jnp.log1p(t * (t_mult - 1.0) / period) / log_m)
    i = jnp.where(start(i) > t + slack, i - 1.0, i)
    i = jnp.where(start(i + 1.0) <= t + slack, i + 1.0, i)
    i = jnp.maximum(i, 0.0)
    return i, jnp.maximum(t - start(i), 0.0), period * jnp.exp(i * log_m)


def cosine_restarts(
    peak_lr: jax.typing.ArrayLike,
    period: int,
    t_mult: float = 1.0,
    min_lr: jax.typing.ArrayLike = 0.0,
    decay: jax.typing.ArrayLike = 1.0,
    warmup_steps: int = 0,
    init_lr: jax.typing.ArrayLike = 0.0,
    cycle_limit: int | None = None,
) -> Schedule:
    r"""Cosine annealing with warm restarts; periods may grow and peaks may decay.

    After an optional linear warmup of :math:`W` steps, cycle :math:`i = 0, 1, \dots`
    lasts :math:`L_i = P\,m^i` steps. At local step :math:`\tau` of cycle :math:`i`:

    .. math::

      \eta = \eta_{min} + (\eta_{peak}\,\gamma^{i} - \eta_{min})\,
        \tfrac{1}{2}\left(1 + \cos\frac{\pi \tau}{L_i}\right)

    where :math:`P` = ``period``, :math:`m` = ``t_mult``, :math:`\gamma` = ``decay``.
    With ``t_mult=1``, ``decay=1`` this is PyTorch's ``CosineAnnealingWarmRestarts``
    (which only allows integer ``t_mult``); a float ``t_mult`` and ``decay`` are timm's
    ``cycle_mul`` and ``cycle_decay``. The cycle is found in closed form, so any step,
    however far out, costs the same.

    Args:
      peak_lr: the peak of the first cycle.
      period: :math:`P`, the length of the first cycle, an int ``>= 1``.
      t_mult: :math:`m \ge 1`, the factor by which each cycle is longer than the last.
      min_lr: the floor each cycle decays to, ``<= peak_lr``.
      decay: :math:`\gamma \in (0, 1]`, the factor applied to the peak at each restart
        (the floor is not scaled; a peak below the floor is clipped to it).
      warmup_steps: an int number of warmup steps before the first cycle.
      init_lr: the learning rate at step 0 when warming up, ``<= peak_lr``.
      cycle_limit: stop restarting after this many cycles and hold ``min_lr``
        (``None``: restart for ever).

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.cosine_restarts(1.0, period=10, t_mult=2.0)
      >>> [round(float(s(k)), 4) for k in (0, 5, 10, 20, 30, 70)]
      [1.0, 0.5, 1.0, 0.5, 1.0, 1.0]

    References:
      Loshchilov & Hutter, `SGDR <https://arxiv.org/abs/1608.03983>`_, 2017.
    """
    where = "cosine_restarts"
    _validate.check_lr(where, "peak_lr", peak_lr)
    _validate.check_lr(where, "min_lr", min_lr)
    _validate.check_lr(where, "init_lr", init_lr)
    _validate.check_not_above(where, "min_lr", min_lr, "peak_lr", peak_lr)
    _validate.check_not_above(where, "init_lr", init_lr, "peak_lr", peak_lr)
    period = _validate.check_steps(where, "period", period)
    _validate.check_range(
        where,
        "t_mult",
        t_mult,
        low=1.0,
        low_inclusive=True,
        high=1e6,
        hint="Each cycle is t_mult times longer than the previous one; use 1 for equal cycles.",
    )
    t_mult = float(t_mult)
    _validate.check_range(
        where, "decay", decay, high=1.0, hint="decay scales each restart's peak; 1 keeps it."
    )
    warmup = _validate.resolve_steps(where, "warmup_steps", warmup_steps, None)
    limit = (
        None if cycle_limit is None else _validate.check_steps(where, "cycle_limit", cycle_limit)
    )
    if limit is None:
        end = None
    else:
        length = period * limit if t_mult == 1.0 else period * (t_mult**limit - 1) / (t_mult - 1)
        end = warmup + math.ceil(length)
    dtype = _core.float_dtype()

    def cycles(step: jax.Array) -> jax.Array:
        i, local, length = cycle_position(_core.as_step(step), period, t_mult)
        peak = jnp.maximum(peak_lr * jnp.power(jnp.asarray(decay, dtype), i), min_lr)
        value = _core.shape("cosine", local, length, peak, min_lr)
        if limit is not None:
            value = jnp.where(i >= limit, jnp.asarray(min_lr, dtype), value)
        return value

    if warmup:
        warm = _core.piecewise(warmup_pieces(init_lr, peak_lr, warmup))
        fn = _core.sequence([warm, cycles], [warmup])
    else:
        fn = cycles
    phases = (Phase("warmup", 0, warmup),) if warmup else ()
    phases += (Phase("restarts", warmup, end),)
    params = {
        "peak_lr": peak_lr,
        "period": period,
        "t_mult": t_mult,
        "min_lr": min_lr,
        "decay": decay,
        "warmup_steps": warmup_steps,
        "init_lr": init_lr,
        "cycle_limit": cycle_limit,
    }
    return Schedule(fn, where, params, phases, end)
