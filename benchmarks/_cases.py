"""The schedules the benchmarks measure, each with its optax counterpart and references.

A :class:`Case` builds one of our schedules for a run of ``n`` steps (warmup 1% of the
run, decays that end at ``n``, periods of ``n / 10``), so that evaluating it over
``arange(n)`` passes through every phase. Where optax has the same curve, ``optax``
builds it with arguments mapped to give the same numbers (the throughput benchmark
checks that on the measured steps before timing anything). ``floor`` names the
cheapest elementwise operation the curve cannot do without, the compute floor it is
timed against. ``closed_form`` is a float64 NumPy reference written from the formula in
the factory's docstring, for the main types; the others are checked against the same
schedule evaluated with ``JAX_ENABLE_X64=1`` (see ``_x64.py``).

This module must import without side effects: the x64 worker process imports it too.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
import optax

import optax_sched

PEAK = 1e-3
FLOOR_LR = 1e-5

ScheduleFn = Callable[..., object]


@dataclasses.dataclass(frozen=True)
class Case:
    """One schedule type as measured by the benchmarks (see the module docstring)."""

    name: str
    build: Callable[[int], ScheduleFn]
    floor: str
    optax: Callable[[int], ScheduleFn] | None = None
    optax_label: str = ""
    # optax's one-cycle schedules only accept a scalar step; the array form is their vmap.
    optax_vmap: bool = False
    closed_form: Callable[[np.ndarray, int], np.ndarray] | None = None


def warmup(n: int) -> int:
    """The warmup length every case uses: 1% of the run."""
    return max(n // 100, 1)


def period(n: int) -> int:
    """The cycle or decay period of the periodic cases: a tenth of the run."""
    return max(n // 10, 1)


# -- float64 closed forms (the docstrings' formulas, written out independently) -----------------
def _ramp(t: np.ndarray, w: int, init: float, peak: float) -> np.ndarray:
    return init + (peak - init) * t / w


def _cosine(p: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.cos(np.pi * np.clip(p, 0.0, 1.0)))


def ref_warmup_cosine(t: np.ndarray, n: int) -> np.ndarray:
    w = warmup(n)
    decay = FLOOR_LR + (PEAK - FLOOR_LR) * _cosine((t - w) / (n - w))
    return np.where(t < w, _ramp(t, w, 0.0, PEAK), np.where(t >= n, FLOOR_LR, decay))


def ref_warmup_linear(t: np.ndarray, n: int) -> np.ndarray:
    w = warmup(n)
    p = np.clip((t - w) / (n - w), 0.0, 1.0)
    return np.where(t < w, _ramp(t, w, 0.0, PEAK), PEAK + (FLOOR_LR - PEAK) * p)


def ref_warmup_polynomial(t: np.ndarray, n: int, power: float = 2.0) -> np.ndarray:
    w = warmup(n)
    p = np.clip((t - w) / (n - w), 0.0, 1.0)
    return np.where(t < w, _ramp(t, w, 0.0, PEAK), FLOOR_LR + (PEAK - FLOOR_LR) * (1 - p) ** power)


def ref_warmup_exponential(t: np.ndarray, n: int) -> np.ndarray:
    w, d = warmup(n), period(n)
    decay = np.maximum(1e-6, PEAK * 0.5 ** ((t - w) / d))
    return np.where(t < w, _ramp(t, w, 0.0, PEAK), decay)


def ref_inverse_sqrt(t: np.ndarray, n: int) -> np.ndarray:
    w = warmup(n)
    tau = w
    return np.where(
        t < w, _ramp(t, w, 0.0, PEAK), PEAK * np.sqrt(tau / (np.maximum(t - w, 0) + tau))
    )


def ref_warmup_stable_decay(t: np.ndarray, n: int) -> np.ndarray:
    w = warmup(n)
    d = math.ceil(0.2 * n)
    start = n - d
    p = np.clip((t - start) / d, 0.0, 1.0)
    cooldown = FLOOR_LR + (PEAK - FLOOR_LR) * (1.0 - np.sqrt(p))
    return np.where(t < w, _ramp(t, w, 0.0, PEAK), np.where(t < start, PEAK, cooldown))


def ref_one_cycle(t: np.ndarray, n: int) -> np.ndarray:
    up = math.ceil(0.3 * n)
    start = PEAK / 25.0
    end = start / 1e4
    rise = PEAK + (start - PEAK) * _cosine(t / up)
    fall = end + (PEAK - end) * _cosine((t - up) / (n - up))
    return np.where(t < up, rise, fall)


def ref_cosine_restarts(t: np.ndarray, n: int) -> np.ndarray:
    p = period(n)
    local = np.mod(np.maximum(t, 0), p)
    return PEAK * _cosine(local / p)


# -- the cases -----------------------------------------------------------------------------------
def _optax_warmup_then(n: int, decay: ScheduleFn) -> ScheduleFn:
    """optax's linear warmup over 1% of the run, joined to ``decay``."""
    w = warmup(n)
    return optax.join_schedules([optax.linear_schedule(0.0, PEAK, w), decay], [w])


def _restarts_kwargs(n: int) -> list[dict[str, float]]:
    p = period(n)
    cycles = math.ceil(n / p)
    return [
        {"init_value": PEAK, "peak_value": PEAK, "decay_steps": p, "warmup_steps": 0,
         "end_value": 0.0}
        for _ in range(cycles)
    ]  # fmt: skip


def _values(n: int) -> tuple[list[float], list[int]]:
    """A four-entry table of rates over the run, for piecewise_constant."""
    bounds = [3 * n // 10, 6 * n // 10, 9 * n // 10]
    return [PEAK, 5e-4, 2e-4, 1e-4], bounds


def _multi_stage(n: int) -> ScheduleFn:
    half = n // 2
    return optax_sched.multi_stage(
        [
            optax_sched.warmup_cosine(PEAK, half, warmup(half), min_lr=FLOOR_LR),
            optax_sched.warmup_cosine(
                5e-4, n - half, warmup(n - half), init_lr=FLOOR_LR, min_lr=FLOOR_LR
            ),
        ]
    )


def _optax_multi_stage(n: int) -> ScheduleFn:
    half = n // 2
    return optax.join_schedules(
        [
            optax.warmup_cosine_decay_schedule(0.0, PEAK, warmup(half), half, FLOOR_LR),
            optax.warmup_cosine_decay_schedule(
                FLOOR_LR, 5e-4, warmup(n - half), n - half, FLOOR_LR
            ),
        ],
        [half],
    )


CASES: tuple[Case, ...] = (
    Case(
        "constant",
        lambda n: optax_sched.constant(PEAK),
        "mul",
        lambda n: optax.constant_schedule(PEAK),
        "constant_schedule (broadcast)",
    ),
    Case(
        "warmup_constant",
        lambda n: optax_sched.warmup_constant(PEAK, warmup(n)),
        "mul",
        lambda n: _optax_warmup_then(n, optax.constant_schedule(PEAK)),
        "join(linear, constant)",
    ),
    Case(
        "warmup_cosine",
        lambda n: optax_sched.warmup_cosine(PEAK, n, warmup(n), min_lr=FLOOR_LR),
        "cos",
        lambda n: optax.warmup_cosine_decay_schedule(0.0, PEAK, warmup(n), n, FLOOR_LR),
        "warmup_cosine_decay_schedule",
        closed_form=ref_warmup_cosine,
    ),
    Case(
        "warmup_linear",
        lambda n: optax_sched.warmup_linear(PEAK, n, warmup(n), min_lr=FLOOR_LR),
        "mul",
        lambda n: _optax_warmup_then(n, optax.linear_schedule(PEAK, FLOOR_LR, n - warmup(n))),
        "join(linear, linear)",
        closed_form=ref_warmup_linear,
    ),
    Case(
        "warmup_polynomial",
        lambda n: optax_sched.warmup_polynomial(PEAK, n, warmup(n), 2.0, min_lr=FLOOR_LR),
        "pow",
        lambda n: _optax_warmup_then(
            n, optax.polynomial_schedule(PEAK, FLOOR_LR, 2.0, n - warmup(n))
        ),
        "join(linear, polynomial)",
        closed_form=ref_warmup_polynomial,
    ),
    Case(
        "warmup_exponential",
        lambda n: optax_sched.warmup_exponential(PEAK, 0.5, period(n), warmup(n), min_lr=1e-6),
        "exp",
        lambda n: optax.warmup_exponential_decay_schedule(
            0.0, PEAK, warmup(n), period(n), 0.5, end_value=1e-6
        ),
        "warmup_exponential_decay_schedule",
        closed_form=ref_warmup_exponential,
    ),
    Case(
        "step_decay",
        lambda n: optax_sched.step_decay(PEAK, period(n), 0.5),
        "exp",
        lambda n: optax.exponential_decay(PEAK, period(n), 0.5, staircase=True),
        "exponential_decay(staircase)",
    ),
    Case(
        "multi_step_decay",
        lambda n: optax_sched.multi_step_decay(PEAK, [3 * n // 10, 6 * n // 10, 9 * n // 10]),
        "mul",
        lambda n: optax.piecewise_constant_schedule(
            PEAK, {3 * n // 10: 0.1, 6 * n // 10: 0.1, 9 * n // 10: 0.1}
        ),
        "piecewise_constant_schedule",
    ),
    Case(
        "piecewise_constant",
        lambda n: optax_sched.piecewise_constant(*_values(n)),
        "mul",
        lambda n: optax.piecewise_constant_schedule(
            PEAK, dict(zip(_values(n)[1], (0.5, 0.4, 0.5), strict=True))
        ),
        "piecewise_constant_schedule",
    ),
    Case(
        "cosine_annealing",
        lambda n: optax_sched.cosine_annealing(PEAK, n, FLOOR_LR),
        "cos",
        lambda n: optax.cosine_decay_schedule(PEAK, n, alpha=FLOOR_LR / PEAK),
        "cosine_decay_schedule",
    ),
    Case(
        "cosine_restarts",
        lambda n: optax_sched.cosine_restarts(PEAK, period(n)),
        "cos",
        lambda n: optax.sgdr_schedule(_restarts_kwargs(n)),
        "sgdr_schedule (10 cycles)",
        closed_form=ref_cosine_restarts,
    ),
    Case(
        "cycle_decay",
        lambda n: optax_sched.cycle_decay(PEAK, period(n), 0.85),
        "exp",
        lambda n: optax.exponential_decay(PEAK, period(n), 0.85, staircase=True),
        "exponential_decay(staircase)",
    ),
    Case("cyclic", lambda n: optax_sched.cyclic(1e-4, PEAK, max(n // 20, 1)), "mul"),
    Case(
        "inverse_sqrt",
        lambda n: optax_sched.inverse_sqrt(PEAK, warmup(n)),
        "sqrt",
        closed_form=ref_inverse_sqrt,
    ),
    Case(
        "one_cycle",
        lambda n: optax_sched.one_cycle(PEAK, n),
        "cos",
        lambda n: optax.cosine_onecycle_schedule(n, PEAK),
        "cosine_onecycle_schedule (vmap)",
        optax_vmap=True,
        closed_form=ref_one_cycle,
    ),
    Case(
        "one_cycle(linear, 3 phases)",
        lambda n: optax_sched.one_cycle(PEAK, n, anneal_strategy="linear", three_phase=True),
        "mul",
        lambda n: optax.linear_onecycle_schedule(n, PEAK, pct_final=0.6),
        "linear_onecycle_schedule (vmap)",
        optax_vmap=True,
    ),
    Case(
        "warmup_stable_decay",
        lambda n: optax_sched.warmup_stable_decay(PEAK, n, warmup(n), min_lr=FLOOR_LR),
        "sqrt",
        closed_form=ref_warmup_stable_decay,
    ),
    Case(
        "multi_stage(2 x warmup_cosine)",
        _multi_stage,
        "cos",
        _optax_multi_stage,
        "join(2 x warmup_cosine_decay)",
    ),
    Case(
        "from_hf('cosine')",
        lambda n: optax_sched.from_hf("cosine", PEAK, warmup(n), n),
        "cos",
        lambda n: optax.warmup_cosine_decay_schedule(0.0, PEAK, warmup(n), n, 0.0),
        "warmup_cosine_decay_schedule",
    ),
    Case(
        "from_hf('linear')",
        lambda n: optax_sched.from_hf("linear", PEAK, warmup(n), n),
        "mul",
        lambda n: _optax_warmup_then(n, optax.linear_schedule(PEAK, 0.0, n - warmup(n))),
        "join(linear, linear)",
    ),
    Case(
        "from_torch('OneCycleLR')",
        lambda n: optax_sched.from_torch("OneCycleLR", max_lr=PEAK, total_steps=n),
        "cos",
    ),
    Case(
        "from_torch('CosineAnnealingWarmRestarts')",
        lambda n: optax_sched.from_torch(
            "CosineAnnealingWarmRestarts", base_lr=PEAK, T_0=period(n)
        ),
        "cos",
    ),
)

BY_NAME = {case.name: case for case in CASES}
