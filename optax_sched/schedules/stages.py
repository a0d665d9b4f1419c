"""Multi-stage runs and resuming a schedule part-way."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import jax
import jax.numpy as jnp

from optax_sched import _core, _validate
from optax_sched._core import Phase, Schedule, ScheduleFn


def _stage(where: str, i: int, stage: object, last: bool) -> tuple[int | None, ScheduleFn]:
    """``(steps, schedule)`` for one stage; only the last stage may leave ``steps`` open."""
    if isinstance(stage, tuple | list) and len(stage) == 2:
        steps, schedule = stage
        steps = _validate.check_steps(where, f"stages[{i}] steps", steps)
    elif isinstance(stage, Schedule):
        schedule, steps = stage, stage.end_step or None
        if steps is None and not last:
            raise ValueError(
                f"{where}: stages[{i}]={stage!r} has no length of its own (it never settles, "
                "or is flat from the start), so the next stage cannot know where to begin. "
                "Pass the pair (steps, schedule) to say how long the stage lasts."
            )
    else:
        raise ValueError(
            f"{where}: stages[{i}] must be a Schedule with a known length or a pair (steps, "
            f"schedule); got {stage!r}."
        )
    if not callable(schedule):
        raise ValueError(f"{where}: stages[{i}] schedule must be callable; got {schedule!r}.")
    end = getattr(schedule, "end_step", None)
    if steps is not None and end is not None and end > steps:
        raise ValueError(
            f"{where}: stages[{i}] lasts {steps} steps but its schedule {schedule!r} only "
            f"settles at step {end}, so the stage would be cut off mid-decay. Build the "
            f"schedule for {steps} steps (e.g. total_steps={steps}) or lengthen the stage."
        )
    return steps, schedule


def multi_stage(stages: Sequence[Schedule | tuple[int, ScheduleFn]]) -> Schedule:
    r"""Consecutive training stages, each with its own schedule, peak and floor.

    Stage :math:`j` starts at :math:`B_j = \sum_{i<j} n_i` and its schedule sees its
    local step:

    .. math::

      \eta(t) = s_j(t - B_j) \quad\text{for}\quad B_j \le t < B_{j+1}

    The last stage keeps running its own schedule after its length (a floor is held).
    This is the stage 1 -> 2 -> 3 recipe (align, then fine-tune more modules, ...):
    give every stage a non-zero floor so that no stage ends, or a resumed stage starts,
    at a learning rate of 0.

    Args:
      stages: each either a :class:`~optax_sched.Schedule` with a known length (its
        ``end_step``, e.g. ``warmup_cosine(..., total_steps=1000)`` lasts 1000 steps) or
        a pair ``(steps, schedule)`` for any callable. The last stage needs no length (it
        runs on). A schedule that settles after its stage ends is rejected (it would be
        cut off mid-decay).

    Returns:
      A :class:`~optax_sched.Schedule` with one phase per stage. When every stage is a
      piecewise schedule the stages are merged into one table, so hundreds of stages
      compile as fast as one.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.multi_stage([
      ...     optax_sched.warmup_cosine(1e-4, total_steps=1000, warmup_steps=50, min_lr=1e-6),
      ...     optax_sched.warmup_cosine(5e-4, total_steps=1000, warmup_steps=50,
      ...                               init_lr=1e-6, min_lr=5e-6),
      ... ])
      >>> [f"{float(s(k)):.1e}" for k in (999, 1000, 1050, 2000, 5000)]
      ['1.0e-06', '1.0e-06', '5.0e-04', '5.0e-06', '5.0e-06']
    """
    where = "multi_stage"
    stages = list(stages)
    if not stages:
        raise ValueError(f"{where}: needs at least one stage; got stages=[].")
    resolved = [_stage(where, i, st, i == len(stages) - 1) for i, st in enumerate(stages)]
    starts = [0]
    for steps, _ in resolved[:-1]:
        starts.append(starts[-1] + steps)
    last_end = getattr(resolved[-1][1], "end_step", None)
    end_step = None if last_end is None else starts[-1] + last_end
    phases = tuple(
        Phase(f"stage {i + 1}", start, None if steps is None else start + steps)
        for i, (start, (steps, _)) in enumerate(zip(starts, resolved, strict=True))
    )
    params = {"stages": stages}
    schedules = [s for _, s in resolved]
    if all(isinstance(s, Schedule) and s.pieces for s in schedules):
        pieces = []
        for i, (start, (steps, s)) in enumerate(zip(starts, resolved, strict=True)):
            is_last = i == len(resolved) - 1
            for piece in s.pieces:
                if is_last or piece.start < steps:
                    label = f"stage {i + 1} {piece.label}".strip()
                    pieces.append(
                        dataclasses.replace(piece, start=start + piece.start, label=label)
                    )
        return Schedule(_core.piecewise(pieces), where, params, phases, end_step, tuple(pieces))
    return Schedule(_core.sequence(schedules, starts[1:]), where, params, phases, end_step)


def resume_at(schedule: ScheduleFn, step: int) -> Schedule:
    r"""The same curve for an optimizer whose step counter restarts at 0 at global ``step``.

    .. math::

      s'(t) = s(t + k)

    Restoring the whole optimizer state (whose counter already holds ``k``) needs none
    of this; use it when only the parameters were restored and a fresh optimizer starts
    counting from 0, so that the warmup is not repeated and the decay continues where it
    stopped.

    Args:
      schedule: any schedule.
      step: :math:`k`, the global step the run resumes at, an int ``>= 0``.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_cosine(1.0, total_steps=100, warmup_steps=10)
      >>> r = optax_sched.resume_at(s, 60)
      >>> bool(r(0) == s(60)) and bool(r(40) == s(100))
      True
    """
    where = "resume_at"
    if not callable(schedule):
        raise ValueError(f"{where}: schedule must be callable; got {schedule!r}.")
    k = _validate.check_steps(where, "step", step, minimum=0)
    end = getattr(schedule, "end_step", None)

    def shifted(t: jax.typing.ArrayLike) -> jax.Array:
        # Negative steps evaluate as step 0, here the resume point, as everywhere else.
        return schedule(jnp.maximum(_core.as_step(t), 0) + k)

    phases = tuple(
        Phase(p.name, max(p.start - k, 0), None if p.end is None else p.end - k)
        for p in getattr(schedule, "phases", ())
        if p.end is None or p.end > k
    )
    params = {"schedule": schedule, "step": k}
    return Schedule(shifted, where, params, phases, None if end is None else max(end - k, 0))
