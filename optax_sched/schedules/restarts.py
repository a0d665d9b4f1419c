"""Cosine annealing with warm restarts (SGDR), periods growing by a factor."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from optax_sched import _core, _validate
from optax_sched._core import Phase, Schedule
from optax_sched.schedules._common import warmup_pieces


def cycle_position(
    t: jax.Array, period: float, t_mult: float
) -> tuple[jax.Array, jax.Array, jax.Array]:
    r"""Which restart cycle step ``t >= 0`` falls in, in closed form.

    Cycle :math:`i` (0-based) lasts :math:`L_i = P m^i` steps and starts at
    :math:`S_i = P (m^i - 1)/(m - 1)` (:math:`S_i = iP` when :math:`m = 1`), so

    .. math::

      i = \left\lfloor \log_m\!\left(1 + \frac{t (m - 1)}{P}\right) \right\rfloor

    corrected by one where floating point lands on the wrong side of a boundary.

    Returns:
      ``(i, t - S_i, L_i)`` as float arrays.
    """
    if t_mult == 1.0:
        i = jnp.floor(t / period)
        return i, t - i * period, jnp.full_like(t, period)
    log_m = math.log(t_mult)

    def start(k: jax.Array) -> jax.Array:
        return period * (jnp.exp(k * log_m) - 1.0) / (t_mult - 1.0)

    i = jnp.floor(jnp.log1p(t * (t_mult - 1.0) / period) / log_m)
    i = jnp.where(start(i) > t, i - 1.0, i)
    i = jnp.where(start(i + 1.0) <= t, i + 1.0, i)
    i = jnp.maximum(i, 0.0)
    return i, t - start(i), period * jnp.exp(i * log_m)


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
    _validate.check_positive_float(
        where,
        "t_mult",
        t_mult,
        low=1.0,
        low_inclusive=True,
        high=1e6,
        hint="Each cycle is t_mult times longer than the previous one; use 1 for equal cycles.",
    )
    t_mult = float(t_mult)
    _validate.check_positive_float(
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
        t = jnp.maximum(jnp.asarray(step, dtype), 0.0)
        i, local, length = cycle_position(t, period, t_mult)
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
