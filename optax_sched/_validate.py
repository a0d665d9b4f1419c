"""Argument checks shared by every schedule factory.

Each check runs in plain Python when a schedule is built, so a bad hyperparameter fails
loudly at construction instead of turning into a NaN (or a silent constant) inside jit.
Every message names the factory, the argument, the value it got, what is allowed, and
how to fix it.

Learning rates may also be traced arrays (a ``jax.vmap`` over a learning-rate sweep
builds the schedule inside the trace). Those cannot be inspected without breaking the
trace, so the value checks skip them; step counts are always concrete because they
decide the structure of the schedule.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import jax
import numpy as np

__all__ = [
    "check_choice",
    "check_lr",
    "check_not_above",
    "check_range",
    "check_sorted_steps",
    "check_steps",
    "concrete",
    "is_traced",
    "resolve_steps",
]


def is_traced(value: Any) -> bool:
    """True when ``value`` is a JAX tracer (inside jit/vmap/grad), False otherwise."""
    return isinstance(value, jax.core.Tracer)


def concrete(value: Any) -> float | None:
    """``float(value)`` for a concrete scalar, ``None`` for a tracer.

    Raises:
      TypeError: if ``value`` is not a scalar number (e.g. a string or a vector).
    """
    if is_traced(value):
        return None
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got the bool {value!r}")
    try:
        array = np.asarray(value)
    except Exception as error:  # pragma: no cover - exotic objects
        raise TypeError(f"expected a number, got {value!r}") from error
    if array.shape != () or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"expected a scalar number, got {value!r}")
    return float(array)


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _number(where: str, name: str, value: Any) -> float | None:
    """``float(value)``, ``None`` for a tracer, or a ValueError naming the argument."""
    try:
        return concrete(value)
    except TypeError as error:
        raise _fail(where, f"{name} must be a number; got {name}={value!r}.") from error


def check_lr(where: str, name: str, value: Any) -> None:
    """A learning rate (or floor): finite and ``>= 0``."""
    number = _number(where, name, value)
    if number is None:
        return
    if not math.isfinite(number):
        raise _fail(where, f"{name} must be finite; got {name}={value!r}.")
    if number < 0:
        raise _fail(
            where,
            f"{name} must be >= 0; got {name}={value!r}. Learning rates are magnitudes: "
            "pass a non-negative value (optax negates the update itself).",
        )


def check_range(
    where: str,
    name: str,
    value: Any,
    *,
    low: float = 0.0,
    high: float = math.inf,
    low_inclusive: bool = False,
    high_inclusive: bool = True,
    hint: str = "",
) -> None:
    """A finite number within ``low .. high``; by default ``(0, inf]``, i.e. positive."""
    number = _number(where, name, value)
    if number is None:
        return
    above = number >= low if low_inclusive else number > low
    below = number <= high if high_inclusive else number < high
    if not (math.isfinite(number) and above and below):
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        span = f"{left}{low:g}, {high:g}{right}"
        raise _fail(
            where, f"{name} must be in {span}; got {name}={value!r}." + (f" {hint}" if hint else "")
        )


def check_not_above(where: str, low_name: str, low: Any, high_name: str, high: Any) -> None:
    """``low <= high`` for two learning rates (a floor may not exceed its peak)."""
    a, b = concrete(low), concrete(high)
    if a is None or b is None:
        return
    if a > b:
        raise _fail(
            where,
            f"{low_name} must not exceed {high_name}; got {low_name}={low!r} > "
            f"{high_name}={high!r}. A decay cannot end above where it starts: lower "
            f"{low_name} or raise {high_name}.",
        )


def _as_int(where: str, name: str, value: Any, fix: str) -> int:
    if isinstance(value, bool) or is_traced(value):
        raise _fail(where, f"{name} must be a Python int; got {name}={value!r}. {fix}")
    if isinstance(value, numbers.Integral):
        return int(value)
    raise _fail(where, f"{name} must be an int number of steps; got {name}={value!r}. {fix}")


def check_steps(where: str, name: str, value: Any, *, minimum: int = 1) -> int:
    """A step count: an int ``>= minimum``. Returns it as a Python int."""
    steps = _as_int(
        where, name, value, "Step counts are whole optimizer updates: round with int() or ceil()."
    )
    if steps < minimum:
        raise _fail(where, f"{name} must be >= {minimum}; got {name}={value!r}.")
    return steps


def resolve_steps(where: str, name: str, value: Any, total_steps: int | None) -> int:
    """A length given as an int number of steps or a float fraction of ``total_steps``.

    Follows transformers: an int is a number of steps; a float in ``[0, 1)`` is a
    fraction of ``total_steps`` rounded *up*, ``ceil(fraction * total_steps)``, so a
    non-zero fraction never rounds to zero steps.
    """
    if isinstance(value, float | np.floating):
        fraction = float(value)
        if not (math.isfinite(fraction) and 0.0 <= fraction < 1.0):
            if math.isfinite(fraction) and fraction >= 1.0:
                n = int(fraction)
                fix = (
                    f"For {n} step{'s' if n != 1 else ''} pass the int {name}={n}; for a "
                    f"fraction pass a float below 1 (e.g. {fraction / 100:g} for {fraction:g}%)."
                )
            else:
                fix = "Pass a fraction in [0, 1) or an int number of steps >= 0."
            raise _fail(
                where,
                f"{name} as a float is a fraction of total_steps and must be in [0, 1); got "
                f"{name}={value!r}. {fix}",
            )
        if total_steps is None:
            raise _fail(
                where, f"{name}={value!r} is a fraction, but this schedule has no total_steps."
            )
        return math.ceil(fraction * total_steps)
    steps = _as_int(
        where,
        name,
        value,
        "Pass an int number of steps, or a float in [0, 1) for a fraction of total_steps.",
    )
    if steps < 0:
        raise _fail(where, f"{name} must be >= 0; got {name}={value!r}.")
    return steps


def check_choice(where: str, name: str, value: Any, choices: Sequence[str]) -> str:
    """One of a fixed set of strings."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise _fail(where, f"{name} must be one of {options}; got {name}={value!r}.")
    return value


def check_sorted_steps(where: str, name: str, values: Sequence[Any]) -> tuple[int, ...]:
    """Strictly increasing positive int steps (milestones, boundaries)."""
    steps = tuple(check_steps(where, f"{name}[{i}]", v, minimum=1) for i, v in enumerate(values))
    for i in range(1, len(steps)):
        if steps[i] <= steps[i - 1]:
            raise _fail(
                where,
                f"{name} must be strictly increasing; got {name}={list(values)!r} "
                f"({name}[{i - 1}]={steps[i - 1]} >= {name}[{i}]={steps[i]}). Sort them and "
                "drop duplicates.",
            )
    return steps
