"""Pieces and checks that several schedule families share."""

from __future__ import annotations

from typing import Any

from optax_sched import _validate
from optax_sched._core import Piece


def warmup_pieces(
    init_lr: Any, peak_lr: Any, warmup_steps: int, kind: str = "linear"
) -> list[Piece]:
    """The warmup ramp from ``init_lr`` to ``peak_lr`` over ``warmup_steps`` (none if 0).

    At step ``k < warmup_steps`` the linear ramp gives
    ``init_lr + (peak_lr - init_lr) * k / warmup_steps``; ``peak_lr`` is reached at
    ``k = warmup_steps`` (optax's convention, so the first update uses ``init_lr``).
    """
    if warmup_steps == 0:
        return []
    return [Piece(0, kind, warmup_steps, init_lr, peak_lr, label="warmup")]


def check_warmup_decay(
    where: str,
    peak_lr: Any,
    total_steps: Any,
    warmup_steps: Any,
    init_lr: Any,
    min_lr: Any,
    *,
    reserved: int = 0,
) -> tuple[int, int]:
    """Checks for "warmup, then decay to ``min_lr`` at ``total_steps``" schedules.

    Returns ``(total_steps, warmup_steps)`` as ints, the warmup resolved from a ratio
    where one was given. ``reserved`` is the number of steps after the warmup that the
    caller needs (at least one decay step is always required).
    """
    _validate.check_lr(where, "peak_lr", peak_lr)
    _validate.check_lr(where, "init_lr", init_lr)
    _validate.check_lr(where, "min_lr", min_lr)
    _validate.check_not_above(where, "init_lr", init_lr, "peak_lr", peak_lr)
    _validate.check_not_above(where, "min_lr", min_lr, "peak_lr", peak_lr)
    total = _validate.check_steps(where, "total_steps", total_steps)
    warmup = _validate.resolve_steps(where, "warmup_steps", warmup_steps, total)
    if warmup + max(reserved, 1) > total:
        shown = f"warmup_steps={warmup_steps!r}" + (
            f" (= {warmup} steps)" if warmup != warmup_steps else ""
        )
        if reserved > 1:
            problem = (
                f"warmup_steps + decay_steps must not exceed total_steps; got {shown} plus "
                f"{reserved} decay steps with total_steps={total}"
            )
        else:
            problem = (
                "warmup_steps must be < total_steps so that at least one step is left to "
                f"decay; got {shown} with total_steps={total}"
            )
        raise ValueError(
            f"{where}: {problem}. total_steps counts the whole run, warmup included: "
            "shorten the warmup or raise total_steps."
        )
    return total, warmup
