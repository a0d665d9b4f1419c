"""Look at a schedule before training: sample it, summarise it, tabulate its cycles.

Everything here evaluates the schedule itself (one jitted call over a vector of
steps), so what you inspect is exactly what the optimizer will see, including float32
rounding. Nothing re-derives a formula.

The "LR budget" (:attr:`Summary.area`) is the sum of the learning rate over the
optimizer updates of the range, :math:`\\sum_k \\eta(k)`: each update ``k`` moves
the weights with rate :math:`\\eta(k)`, so two schedules with the same budget take the
same total step length for the same update directions.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from optax_sched._core import Schedule

__all__ = [
    "Cycle",
    "Summary",
    "cycle_starts",
    "cycle_table",
    "horizon",
    "sample",
    "summarise",
]

ScheduleLike = Callable[[Any], Any]

#: Ranges up to this many steps are summed step by step; longer ones on a dense grid.
EXACT_LIMIT = 2_000_000
#: Points of the dense grid used for longer ranges.
GRID_POINTS = 200_001
#: Parameters that give the length of one repeating unit (a cycle, a decay period).
_PERIODIC = ("steps_per_cycle", "period", "step_size", "decay_steps", "T_0", "timescale")
#: Parameters that give the length of the whole run a schedule was built for.
_RUN_LENGTHS = ("total_steps", "num_training_steps", "max_steps", "T_max", "t_max", "total_iters")
#: Repeating units shown by default for a schedule that never settles.
_DEFAULT_CYCLES = 5


def horizon(schedule: ScheduleLike) -> int:
    """A step range long enough to show the whole shape of ``schedule``.

    The step from which the schedule no longer changes (``end_step``) when it has one;
    otherwise the latest of: the run length it was built for (``total_steps``,
    ``num_training_steps``, ``T_max``...), five times its last phase boundary, five
    repeating units (cycles, decay periods) after that boundary, three restart cycles
    of growing length; 1,000 steps when nothing is known. This is only a default for
    displays: every function here also takes an explicit ``stop``.
    """
    end = getattr(schedule, "end_step", None)
    if end:
        return int(end)
    bounds = [0]
    for phase in getattr(schedule, "phases", ()):
        bounds += [phase.start, phase.end or 0]
    last = max(bounds)
    params = _flat_params(schedule)
    reach = [_DEFAULT_CYCLES * last, *_lengths(params, last)]
    if getattr(schedule, "name", None) == "cyclic" or params.get("name") == "CyclicLR":
        reach.append(last + _DEFAULT_CYCLES * _cyclic_period(params) - 1)
    if params.get("name") == "SequentialLR" and params.get("milestones"):
        _, child = params["schedulers"][-1]
        reach += [params["milestones"][-1] + n for n in _lengths(child, 0)]
    return max(reach) if max(reach) > 0 else 1000


def _lengths(params: dict[str, Any], last: int) -> list[int]:
    """Step counts a schedule's parameters imply: its run length, or a few of its units."""

    def number(key: str) -> float | None:
        value = params.get(key)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if is_number and value > 0 else None

    found = [int(n) for n in map(number, _RUN_LENGTHS) if n]
    # Whole units, ending on the last step of the last one (not on the first of the next).
    found += [last + _DEFAULT_CYCLES * int(n) - 1 for n in map(number, _PERIODIC) if n]
    period = number("period") or number("T_0")
    growth = number("t_mult") or number("T_mult") or 1.0
    if period and growth > 1:
        found.append(last + math.ceil(period * (growth**3 - 1) / (growth - 1)) - 1)
    return found


def _cyclic_period(params: dict[str, Any]) -> int:
    """Steps in one up-and-down cycle of ``cyclic`` / PyTorch's ``CyclicLR``."""
    up = int(params.get("step_size_up", 2000))
    down = params.get("step_size_down")
    return up + (up if down is None else int(down))


def _flat_params(schedule: ScheduleLike) -> dict[str, Any]:
    """The schedule's parameters, looking through ``resume_at`` and nested wrappers."""
    params = dict(getattr(schedule, "params", {}) or {})
    inner = params.get("schedule")
    if isinstance(inner, Schedule):
        return {**_flat_params(inner), **params}
    return params


def _as_steps(steps: Any) -> np.ndarray:
    array = np.asarray(steps)
    if array.dtype.kind not in "iuf":
        raise ValueError(f"steps must be numbers; got {steps!r}.")
    return array


def _evaluate(schedule: ScheduleLike, steps: np.ndarray) -> np.ndarray:
    """The schedule at every step in one jitted call, as a float64 NumPy array."""
    if steps.size == 0:
        return np.zeros(0)
    if steps.dtype.kind in "iu" and steps.max() <= 2**31 - 1 and steps.min() >= -(2**31 - 1):
        x = jnp.asarray(steps, jnp.int32)
    else:
        x = jnp.asarray(steps, jnp.result_type(float))
    values = jax.jit(schedule)(x)
    return np.asarray(jnp.broadcast_to(values, x.shape), np.float64)


def sample(
    schedule: ScheduleLike,
    stop: int | None = None,
    *,
    start: int = 0,
    num: int | None = None,
    steps: Sequence[int] | np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The schedule's values over a range of steps, in one jitted, vectorised call.

    Args:
      schedule: any ``step -> value`` function (a :class:`~optax_sched.Schedule`, an
        optax schedule, a ``from_hf`` or ``from_torch`` schedule).
      stop: last step of the range, inclusive (default :func:`horizon`).
      start: first step of the range.
      num: number of evenly spaced integer steps (default: every step, up to 100,001
        points).
      steps: explicit steps instead of a range.

    Returns:
      ``(steps, values)`` as NumPy arrays (values in float64, converted from the
      schedule's own dtype).

    Examples:
      >>> import optax_sched
      >>> from optax_sched.inspect import sample
      >>> s = optax_sched.warmup_cosine(1.0, total_steps=100, warmup_steps=10)
      >>> k, v = sample(s, num=5)
      >>> k.tolist(), [round(float(x), 3) for x in v]
      ([0, 25, 50, 75, 100], [0.0, 0.933, 0.587, 0.179, 0.0])
    """
    if steps is None:
        stop = horizon(schedule) if stop is None else int(stop)
        if stop < start:
            raise ValueError(f"sample: stop={stop} is before start={start}; swap them.")
        span = stop - start + 1
        if num is None:
            num = min(span, 100_001)
        if num < 1:
            raise ValueError(f"sample: num must be >= 1; got num={num}.")
        grid = np.unique(np.linspace(start, stop, num).round().astype(np.int64))
    else:
        grid = _as_steps(steps)
    return grid, _evaluate(schedule, grid)


@dataclasses.dataclass(frozen=True)
class Summary:
    """What a schedule does over ``[start, stop]``.

    Attributes:
      start, stop: the range summarised (both inclusive).
      peak, peak_step: the largest value and the first step that reaches it.
      lowest, lowest_step: the smallest value and the first step that reaches it.
      final: the value at ``stop``.
      warmup_end: the step at which the warmup phase ends (``None``: no warmup phase).
      floor_step: the first step from which the value stays at ``final`` to the end of
        the range (``None`` when it is still changing at ``stop``).
      area: the LR budget :math:`\\sum_{k=start}^{stop} \\eta(k)`.
      area_exact: whether ``area`` summed every step (ranges up to 2,000,000 steps)
        or integrated a dense grid with the trapezoid rule.
      mean: ``area`` divided by the number of steps.
      at: the value at each requested step.
    """

    start: int
    stop: int
    peak: float
    peak_step: int
    lowest: float
    lowest_step: int
    final: float
    warmup_end: int | None
    floor_step: int | None
    area: float
    area_exact: bool
    mean: float
    at: dict[int, float]


def _warmup_end(schedule: ScheduleLike) -> int | None:
    for phase in getattr(schedule, "phases", ()):
        if "warmup" in phase.name and phase.end is not None:
            return phase.end
    return None


def summarise(
    schedule: ScheduleLike,
    stop: int | None = None,
    *,
    start: int = 0,
    at: Sequence[int] = (),
) -> Summary:
    """Peak, floor, warmup end, LR budget and chosen values of a schedule.

    Ranges up to 2,000,000 steps are evaluated at every step (one jitted call), so
    every number is exact; longer ranges use a grid of 200,001 steps (the area is then
    a trapezoid estimate and the peak and floor steps are grid steps).

    Args:
      schedule: any ``step -> value`` function.
      stop: last step of the range, inclusive (default :func:`horizon`).
      start: first step of the range.
      at: steps whose values to report.

    Returns:
      A :class:`Summary`.

    Examples:
      >>> import optax_sched
      >>> from optax_sched.inspect import summarise
      >>> s = optax_sched.warmup_cosine(2e-4, total_steps=1000, warmup_steps=30, min_lr=2e-5)
      >>> r = summarise(s, at=[500])
      >>> r.peak_step, r.warmup_end, r.floor_step, f"{r.at[500]:.3e}", f"{r.area:.4f}"
      (30, 30, 1000, '1.144e-04', '0.1097')
    """
    stop = horizon(schedule) if stop is None else int(stop)
    if stop < start:
        raise ValueError(f"summarise: stop={stop} is before start={start}; swap them.")
    span = stop - start + 1
    exact = span <= EXACT_LIMIT
    steps, values = sample(schedule, stop, start=start, num=span if exact else GRID_POINTS)
    if not np.all(np.isfinite(values)):
        bad = int(steps[np.argmin(np.isfinite(values))])
        raise ValueError(f"summarise: the schedule is not finite at step {bad}.")
    area = float(values.sum()) if exact else float(np.trapezoid(values, steps))
    final = float(values[-1])
    end = getattr(schedule, "end_step", None)
    if end is not None and start <= end <= stop:
        floor_step: int | None = max(int(end), start)  # where the schedule says it settles
    elif isinstance(schedule, Schedule):
        floor_step = None  # it never settles, or only after stop
    else:
        # Otherwise: the first step from which every value equals the last one (to a few
        # float32 roundings), unless only the last step does, i.e. it is still moving.
        tol = 4 * float(np.finfo(np.float32).eps) * max(abs(final), 1e-30)
        moving = np.nonzero(np.abs(values - final) > tol)[0]
        floor_index = 0 if moving.size == 0 else int(moving[-1]) + 1
        floor_step = int(steps[floor_index])
        if floor_index == len(steps) - 1 and moving.size:
            floor_step = None
    asked = list(at)
    _, at_values = sample(schedule, steps=np.asarray(asked, np.int64)) if asked else (None, [])
    return Summary(
        start=start,
        stop=stop,
        peak=float(values.max()),
        peak_step=int(steps[int(values.argmax())]),
        lowest=float(values.min()),
        lowest_step=int(steps[int(values.argmin())]),
        final=final,
        warmup_end=_warmup_end(schedule),
        floor_step=floor_step,
        area=area,
        area_exact=exact,
        mean=area / span,
        at={int(k): float(v) for k, v in zip(asked, at_values, strict=True)},
    )


@dataclasses.dataclass(frozen=True)
class Cycle:
    """One cycle of a cyclic schedule: steps ``[start, end)`` (``number`` from 1)."""

    number: int
    start: int
    end: int
    first: float
    peak: float
    lowest: float
    mean: float


def cycle_starts(schedule: ScheduleLike, stop: int | None = None) -> list[int]:
    """The steps at which a schedule's cycles (or stages) begin, up to ``stop``.

    Read from the schedule's own parameters where they define the cycles
    (``cycle_decay``'s ``steps_per_cycle``, ``cyclic``'s up and down steps,
    ``multi_stage``'s stages); otherwise every restart, i.e. every step whose value
    rises above the previous one after a fall or a plateau (SGDR, transformers'
    ``cosine_with_restarts``, per-cycle warmups).
    """
    stop = horizon(schedule) if stop is None else int(stop)
    params = _flat_params(schedule)
    name = getattr(schedule, "name", None)
    length = None
    if name == "cycle_decay":
        length = params["steps_per_cycle"]
    elif name == "cyclic" or params.get("name") == "CyclicLR":
        length = _cyclic_period(params)
    if length:
        return list(range(0, stop + 1, int(length)))
    if name == "multi_stage":
        return [p.start for p in schedule.phases if p.start <= stop]
    steps, values = sample(schedule, stop, num=min(stop + 1, EXACT_LIMIT))
    change = np.diff(values)
    tol = 1e-7 * np.maximum(np.abs(values[1:]), 1e-30)
    rising, falling = change > tol, change < -tol
    # A restart is the first step of a rise that comes after the value has fallen, so
    # a warmup at the start (or within the first cycle) is not a restart.
    fell_before = np.cumsum(falling) > 0
    rise_start = rising & ~np.concatenate([[False], rising[:-1]])
    starts = steps[1:][rise_start & np.concatenate([[False], fell_before[:-1]])]
    return [0, *(int(s) for s in starts)]


def cycle_table(schedule: ScheduleLike, stop: int | None = None) -> list[Cycle]:
    """One row per cycle (or stage) of a schedule, up to step ``stop`` (inclusive).

    Args:
      schedule: a cyclic schedule (``cycle_decay``, ``cosine_restarts``, ``cyclic``,
        ``multi_stage``, restarts from ``from_hf``/``from_torch``...).
      stop: last step to cover (default :func:`horizon`).

    Returns:
      A list of :class:`Cycle` rows; a schedule without restarts gives one row.

    Examples:
      >>> import optax_sched
      >>> from optax_sched.inspect import cycle_table
      >>> s = optax_sched.cycle_decay(5e-5, steps_per_cycle=100, decay_factor=0.85)
      >>> [f"{c.first:.2e}" for c in cycle_table(s, stop=499)]
      ['5.00e-05', '4.25e-05', '3.61e-05', '3.07e-05', '2.61e-05']
    """
    stop = horizon(schedule) if stop is None else int(stop)
    starts = cycle_starts(schedule, stop)
    rows = []
    for i, begin in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else stop + 1
        if end <= begin:
            continue
        count = end - begin
        _, values = sample(schedule, end - 1, start=begin, num=min(count, EXACT_LIMIT))
        rows.append(
            Cycle(
                number=len(rows) + 1,
                start=begin,
                end=end,
                first=float(values[0]),
                peak=float(values.max()),
                lowest=float(values.min()),
                mean=float(values.mean()) if math.isfinite(values.mean()) else math.nan,
            )
        )
    return rows
