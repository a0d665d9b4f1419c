"""Exponential and step decay: multiply the rate by a factor every so many steps."""

from __future__ import annotations

import math
from collections.abc import Sequence

import jax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule
from optax_sched.schedules._common import warmup_pieces


def _check_factor(where: str, name: str, value: jax.typing.ArrayLike) -> None:
    _validate.check_range(
        where,
        name,
        value,
        low=0.0,
        high=1.0,
        hint=f"{name} multiplies the rate each period: 0 would zero it after one period and "
        "a value above 1 would grow it without bound. Use e.g. 0.5 to halve it.",
    )


def _settles_at(
    peak_lr: jax.typing.ArrayLike,
    rate: jax.typing.ArrayLike,
    period: int,
    floor: jax.typing.ArrayLike,
    staircase: bool,
) -> int | None:
    """The first local step at which ``peak * rate**(t/period)`` reaches ``floor``."""
    peak, r, low = (_validate.concrete(v) for v in (peak_lr, rate, floor))
    if peak is None or r is None or low is None:
        return None
    if r == 1.0 or peak <= low:
        return 0
    if low == 0.0:
        return None
    periods = math.log(low / peak) / math.log(r)
    return math.ceil(periods) * period if staircase else math.ceil(periods * period)


def warmup_exponential(
    peak_lr: jax.typing.ArrayLike,
    decay_rate: jax.typing.ArrayLike,
    decay_steps: int,
    warmup_steps: int = 0,
    init_lr: jax.typing.ArrayLike = 0.0,
    min_lr: jax.typing.ArrayLike = 0.0,
    staircase: bool = False,
) -> Schedule:
    r"""Linear warmup, then exponential decay, with an optional floor and staircase.

    .. math::

      \eta(t) = \begin{cases}
        \eta_0 + (\eta_{peak} - \eta_0)\,\frac{t}{W} & t < W \\
        \max\left(\eta_{min},\ \eta_{peak}\, r^{(t - W)/D}\right) & t \ge W
      \end{cases}

    where :math:`r` = ``decay_rate`` and :math:`D` = ``decay_steps``; with
    ``staircase=True`` the exponent is rounded down, :math:`\lfloor (t - W)/D \rfloor`,
    so the rate drops in steps every ``D`` updates. The continuous decay
    :math:`\eta_{peak}\,e^{-k t}` is ``decay_rate=exp(-k)``, ``decay_steps=1``.

    Args:
      peak_lr: the learning rate at the end of warmup.
      decay_rate: the factor applied every ``decay_steps``, in ``(0, 1]`` (1 = constant).
      decay_steps: the period ``D`` of one factor, an int ``>= 1``.
      warmup_steps: an int number of steps (this schedule has no total to take a
        fraction of).
      init_lr: the learning rate at step 0, ``<= peak_lr``.
      min_lr: the floor, ``<= peak_lr``; the decay stops there instead of approaching 0.
      staircase: drop once per ``decay_steps`` instead of continuously.

    Returns:
      A :class:`~optax_sched.Schedule`; its ``end_step`` is where the floor is reached
      (``None`` when there is no floor).

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_exponential(1.0, decay_rate=0.5, decay_steps=100,
      ...                                    warmup_steps=10, min_lr=0.2)
      >>> [round(float(s(k)), 4) for k in (0, 10, 110, 210, 410)]
      [0.0, 1.0, 0.5, 0.25, 0.2]
    """
    where = "warmup_exponential"
    _validate.check_lr(where, "peak_lr", peak_lr)
    _validate.check_lr(where, "init_lr", init_lr)
    _validate.check_lr(where, "min_lr", min_lr)
    _validate.check_not_above(where, "init_lr", init_lr, "peak_lr", peak_lr)
    _validate.check_not_above(where, "min_lr", min_lr, "peak_lr", peak_lr)
    _check_factor(where, "decay_rate", decay_rate)
    decay_steps = _validate.check_steps(where, "decay_steps", decay_steps)
    warmup = _validate.resolve_steps(where, "warmup_steps", warmup_steps, None)
    kind = "staircase" if staircase else "exponential"
    pieces = [
        *warmup_pieces(init_lr, peak_lr, warmup),
        Piece(warmup, kind, decay_steps, peak_lr, min_lr, decay_rate, label="decay"),
    ]
    settle = _settles_at(peak_lr, decay_rate, decay_steps, min_lr, staircase)
    params = {
        "peak_lr": peak_lr,
        "decay_rate": decay_rate,
        "decay_steps": decay_steps,
        "warmup_steps": warmup_steps,
        "init_lr": init_lr,
        "min_lr": min_lr,
        "staircase": staircase,
    }
    return _core.make(where, params, pieces, end_step=None if settle is None else warmup + settle)


def step_decay(
    base_lr: jax.typing.ArrayLike, step_size: int, gamma: jax.typing.ArrayLike = 0.1
) -> Schedule:
    r"""Multiply the rate by ``gamma`` every ``step_size`` steps (PyTorch's ``StepLR``).

    .. math::

      \eta(t) = \eta_{base}\,\gamma^{\lfloor t / s \rfloor}

    where :math:`s` = ``step_size``.

    Args:
      base_lr: the learning rate for the first ``step_size`` steps.
      step_size: the period, an int ``>= 1``.
      gamma: the factor per period, in ``(0, 1]``.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.step_decay(1.0, step_size=30, gamma=0.1)
      >>> [round(float(s(k)), 6) for k in (0, 29, 30, 60)]
      [1.0, 1.0, 0.1, 0.01]
    """
    where = "step_decay"
    _validate.check_lr(where, "base_lr", base_lr)
    _check_factor(where, "gamma", gamma)
    step_size = _validate.check_steps(where, "step_size", step_size)
    pieces = [Piece(0, "staircase", step_size, base_lr, 0.0, gamma, label="decay")]
    params = {"base_lr": base_lr, "step_size": step_size, "gamma": gamma}
    return _core.make(where, params, pieces, end_step=None)


def piecewise_constant(
    values: Sequence[jax.typing.ArrayLike], boundaries: Sequence[int]
) -> Schedule:
    r"""An explicit table: ``values[i]`` from ``boundaries[i-1]`` up to ``boundaries[i]``.

    .. math::

      \eta(t) = v_i \quad\text{for}\quad b_{i-1} \le t < b_i,
      \qquad b_{-1} = 0,\ b_n = \infty

    Unlike optax's ``piecewise_constant_schedule`` the values are absolute learning
    rates (not multiplicative scales), there must be exactly one more value than
    boundaries, and the lookup is a single boundary search, so a table of thousands of
    entries compiles as fast as one of two.

    Args:
      values: ``len(boundaries) + 1`` learning rates, each ``>= 0``.
      boundaries: strictly increasing int steps ``>= 1`` where the next value starts.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.piecewise_constant([1.0, 0.5, 0.1], boundaries=[100, 200])
      >>> [float(s(k)) for k in (0, 99, 100, 250)]
      [1.0, 1.0, 0.5, 0.1]
    """
    where = "piecewise_constant"
    values, boundaries = list(values), list(boundaries)
    if len(values) != len(boundaries) + 1:
        raise ValueError(
            f"{where}: needs exactly one more value than boundaries (one value before the "
            f"first boundary and one after each); got {len(values)} values and "
            f"{len(boundaries)} boundaries."
        )
    for i, v in enumerate(values):
        _validate.check_lr(where, f"values[{i}]", v)
    bounds = _validate.check_sorted_steps(where, "boundaries", boundaries)
    starts = (0, *bounds)
    pieces = [
        Piece(s, "constant", 1, v, label=f"segment {i + 1}")
        for i, (s, v) in enumerate(zip(starts, values, strict=True))
    ]
    params = {"values": values, "boundaries": boundaries}
    return _core.make(where, params, pieces, end_step=starts[-1])


def multi_step_decay(
    base_lr: jax.typing.ArrayLike, milestones: Sequence[int], gamma: jax.typing.ArrayLike = 0.1
) -> Schedule:
    r"""Multiply the rate by ``gamma`` at each milestone (PyTorch's ``MultiStepLR``).

    .. math::

      \eta(t) = \eta_{base}\,\gamma^{\#\{m_i \le t\}}

    Args:
      base_lr: the learning rate before the first milestone.
      milestones: strictly increasing int steps ``>= 1``.
      gamma: the factor applied at each milestone, in ``(0, 1]``.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.multi_step_decay(1.0, milestones=[30, 80], gamma=0.1)
      >>> [round(float(s(k)), 6) for k in (0, 30, 79, 80)]
      [1.0, 0.1, 0.1, 0.01]
    """
    where = "multi_step_decay"
    _validate.check_lr(where, "base_lr", base_lr)
    _check_factor(where, "gamma", gamma)
    bounds = _validate.check_sorted_steps(where, "milestones", list(milestones))
    starts = (0, *bounds)
    pieces = [
        Piece(s, "constant", 1, base_lr * gamma**i, label=f"segment {i + 1}")
        for i, s in enumerate(starts)
    ]
    params = {"base_lr": base_lr, "milestones": list(milestones), "gamma": gamma}
    return _core.make(where, params, pieces, end_step=starts[-1])
