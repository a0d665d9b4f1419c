"""Behaviour every schedule factory shares, over one table of cases from the family files.

For each case: scalar float32 values equal to its closed form, eager and under jit;
``jax.vmap`` over steps equals a Python loop; one jitted function serves new step values
without retracing; giant and negative steps; a dense grid against the closed form. A case
takes part in the checks it has data for. Multi-stage schedules and cycle_decay run the
same vmap and retrace checks from their own files (support.assert_vmap_matches_loop and
support.assert_no_retrace), since their schedules are built from fixtures there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from support import (
    ATOL,
    EXPONENTIAL_CASES,
    INVERSE_SQRT_CASES,
    POLYNOMIAL_CASES,
    TIGHT_ATOL,
    TRANSFORMS,
    assert_close,
    assert_no_retrace,
    assert_vmap_matches_loop,
    build_inverse_sqrt,
    build_polynomial,
    cosine_ref,
    multi_step_ref,
    on_grid,
    step_lr_ref,
    table_ref,
    transformers_lr,
    warmup_constant_ref,
    warmup_cosine_ref,
)

import optax_sched


@dataclasses.dataclass(frozen=True)
class Case:
    """One factory configuration and the steps each generic check uses on it."""

    name: str
    build: Callable[[], Any]
    scale: float  # the learning-rate scale the absolute tolerance is a fraction of
    atol: float = ATOL
    ref: Callable[[np.ndarray], np.ndarray] | None = None  # float64 closed form
    steps: Sequence[int] = ()  # integer steps: closed form (with ref) and vmap-vs-loop
    vmap_steps: Sequence[int] | None = None  # integer steps for vmap-vs-loop, if not steps
    float_steps: Sequence[float] = ()  # fractional steps for vmap-vs-loop
    probes: dict[int, float | None] = dataclasses.field(default_factory=dict)  # no-retrace
    far: int | None = None  # giant steps: a step by which the reference has settled
    dense_steps: np.ndarray | None = None  # a dense grid against the reference


# Each family's cases share the steps they are checked at; these come from its own file.

# ---------------------------------------------------------------------------------------
# constant, warmup_constant
# ---------------------------------------------------------------------------------------

CONSTANT_CHECKS = {
    "steps": [-50, -1, 0, 1, 250, 499, 500, 1000, 1999, 2000, 2001, 10_000, 2**31 - 1],
    "float_steps": [0.5, 12.7, 1999.5, 4000.25],
    "probes": {3: None, 1999: None, 10**6: None},
    "far": 10**12,
}

CONSTANT = [
    Case(
        "constant",
        lambda: optax_sched.constant(3e-4),
        3e-4,
        ref=lambda t: np.full(np.shape(t), 3e-4),
        **CONSTANT_CHECKS,
    ),
    Case(
        "warmup_constant",
        lambda: optax_sched.warmup_constant(1e-4, warmup_steps=2000, init_lr=1e-6),
        1e-4,
        ref=lambda t: warmup_constant_ref(t, 1e-4, 2000, 1e-6),
        **CONSTANT_CHECKS,
    ),
    Case(
        "warmup_constant_no_warmup",
        lambda: optax_sched.warmup_constant(2.0, warmup_steps=0),
        2.0,
        ref=lambda t: warmup_constant_ref(t, 2.0, 0, 0.0),
        **CONSTANT_CHECKS,
    ),
]

# ---------------------------------------------------------------------------------------
# cosine_annealing, warmup_cosine
# ---------------------------------------------------------------------------------------

# Integer steps covering every regime: negative, warmup, the junction, decay, end, after.
COSINE_STEPS = [-7, -1, 0, 1, 37, 99, 100, 101, 250, 500, 777, 999, 1000, 1001, 1500, 10**6]
COSINE_CHECKS = {
    "steps": COSINE_STEPS,
    "vmap_steps": COSINE_STEPS[:-1],
    "float_steps": [0.5, 12.7, 100.25, 640.5],
    "probes": {3: None, 777: None, 10**6: None},
}

COSINE = [
    Case(
        "cosine_annealing",
        lambda: optax_sched.cosine_annealing(5e-4, t_max=1000, eta_min=1e-6),
        5e-4,
        ref=lambda t: cosine_ref(t, 5e-4, 1000, 1e-6),
        **COSINE_CHECKS,
    ),
    Case(
        "cosine_annealing_no_floor",
        lambda: optax_sched.cosine_annealing(3.0, t_max=1000),
        3.0,
        ref=lambda t: cosine_ref(t, 3.0, 1000, 0.0),
        **COSINE_CHECKS,
    ),
    Case(
        "warmup_cosine",
        lambda: optax_sched.warmup_cosine(
            2e-4, total_steps=1000, warmup_steps=100, init_lr=1e-6, min_lr=2e-5
        ),
        2e-4,
        ref=lambda t: warmup_cosine_ref(t, 2e-4, 1000, 100, 1e-6, 2e-5),
        **COSINE_CHECKS,
    ),
    Case(
        "warmup_cosine_no_warmup",
        lambda: optax_sched.warmup_cosine(1.0, total_steps=1000),
        1.0,
        ref=lambda t: warmup_cosine_ref(t, 1.0, 1000, 0, 0.0, 0.0),
        **COSINE_CHECKS,
    ),
]

# ---------------------------------------------------------------------------------------
# warmup_linear, warmup_polynomial (support.POLYNOMIAL_CASES)
# ---------------------------------------------------------------------------------------


def poly_ref(t, peak, total, warmup, power, init, floor):
    """Linear ramp, then ``floor + (peak - floor) * (1 - progress) ** power`` (float64)."""
    t = np.maximum(np.asarray(t, np.float64), 0.0)
    ramp = init + (peak - init) * t / max(warmup, 1)
    p = np.clip((t - warmup) / (total - warmup), 0.0, 1.0)
    decay = floor + (peak - floor) * (1.0 - p) ** power
    return np.where(t < warmup, ramp, decay)


POLYNOMIAL_CHECKS = {
    "steps": [-9, -1, 0, 1, 50, 99, 100, 101, 333, 550, 999, 1000, 1001, 4000, 2**31 - 1],
    "float_steps": [0.5, 12.7, 100.5, 640.25],
    "probes": {3: None, 777: None, 10**6: None},
}

POLYNOMIAL = [
    Case(
        f"{args[0]}/{key}",
        lambda args=args: build_polynomial(*args),
        args[1],
        ref=lambda t, args=args: poly_ref(t, *args[1:]),
        **POLYNOMIAL_CHECKS,
    )
    for key, args in POLYNOMIAL_CASES.items()
]

# ---------------------------------------------------------------------------------------
# warmup_exponential (support.EXPONENTIAL_CASES), step_decay, multi_step_decay,
# piecewise_constant
# ---------------------------------------------------------------------------------------


def exp_ref(t, peak, rate, period, warmup, init, floor, staircase):
    """Linear ramp, then ``max(floor, peak * rate ** ((t - W) / D))`` (float64)."""
    t = np.maximum(np.asarray(t, np.float64), 0.0)
    ramp = init + (peak - init) * t / max(warmup, 1)
    periods = np.maximum(t - warmup, 0.0) / period
    if staircase:
        periods = np.floor(periods)
    decay = np.maximum(floor, peak * rate**periods)
    return np.where(t < warmup, ramp, decay)


EXPONENTIAL_CHECKS = {
    "steps": [-20, -1, 0, 1, 9, 10, 11, 29, 30, 79, 80, 109, 110, 310, 333, 999, 5000],
    "float_steps": [0.5, 12.7, 29.5, 109.9, 640.25],
    "probes": {3: None, 777: None, 10**6: None},
    "far": 10**7,  # every schedule here has settled by then
    "dense_steps": np.arange(-5, 1500),
}

EXPONENTIAL = [
    *[
        Case(
            f"warmup_exponential/{key}",
            lambda args=args: optax_sched.warmup_exponential(
                args[0],
                decay_rate=args[1],
                decay_steps=args[2],
                warmup_steps=args[3],
                init_lr=args[4],
                min_lr=args[5],
                staircase=args[6],
            ),
            args[0],
            ref=lambda t, args=args: exp_ref(t, *args),
            **EXPONENTIAL_CHECKS,
        )
        for key, args in EXPONENTIAL_CASES.items()
    ],
    Case(
        "step_decay",
        lambda: optax_sched.step_decay(1.0, step_size=30, gamma=0.1),
        1.0,
        ref=lambda t: step_lr_ref(t, 1.0, 30, 0.1),
        **EXPONENTIAL_CHECKS,
    ),
    Case(
        "multi_step_decay",
        lambda: optax_sched.multi_step_decay(0.1, milestones=[30, 80, 310], gamma=0.5),
        0.1,
        ref=lambda t: multi_step_ref(t, 0.1, [30, 80, 310], 0.5),
        **EXPONENTIAL_CHECKS,
    ),
    Case(
        "piecewise_constant",
        lambda: optax_sched.piecewise_constant([1e-3, 5e-4, 2e-3, 0.0], boundaries=[10, 110, 333]),
        2e-3,
        ref=lambda t: table_ref(np.maximum(t, 0), [1e-3, 5e-4, 2e-3, 0.0], [10, 110, 333]),
        **EXPONENTIAL_CHECKS,
    ),
]

# ---------------------------------------------------------------------------------------
# inverse_sqrt (support.INVERSE_SQRT_CASES) against transformers' formula
# ---------------------------------------------------------------------------------------


def inverse_sqrt_ref(steps, *args):
    return np.asarray([transformers_lr(float(k), *args) for k in np.ravel(steps)])


INVERSE_SQRT_CHECKS = {
    "steps": [-10, -1, 0, 1, 50, 99, 100, 101, 400, 499, 500, 4000, 12_345, 10**6, 2**31 - 1],
    "float_steps": [0.5, 12.7, 99.5, 640.25, 1e6 + 0.5],
    "probes": {3: None, 777: None, 10**6: None},
    "dense_steps": np.arange(0, 20_000, 3),
}

INVERSE_SQRT = [
    Case(
        f"inverse_sqrt/{key}",
        lambda args=args: build_inverse_sqrt(*args),
        args[0],
        ref=lambda t, args=args: inverse_sqrt_ref(t, *args),
        **INVERSE_SQRT_CHECKS,
    )
    for key, args in INVERSE_SQRT_CASES.items()
]

# ---------------------------------------------------------------------------------------
# warmup_stable_decay, one_cycle, cosine_restarts: float32-tight absolute tolerance, and
# one configuration for vmap and another for the retrace check, as in their files
# ---------------------------------------------------------------------------------------

TIGHT = [
    Case(
        "warmup_stable_decay/min_lr",
        lambda: optax_sched.warmup_stable_decay(
            3e-4, 200, warmup_steps=20, decay_steps=50, min_lr=3e-6
        ),
        3e-4,
        atol=TIGHT_ATOL,
        steps=[0, 1, 7, 19, 20, 21, 100, 149, 150, 151, 170, 199, 200, 201, 5000],
    ),
    Case(
        "warmup_stable_decay",
        lambda: optax_sched.warmup_stable_decay(3e-4, 200, warmup_steps=20, decay_steps=50),
        3e-4,
        atol=TIGHT_ATOL,
        probes={5: 3e-4 * 5 / 20, 100: 3e-4, 199: None},
    ),
    Case(
        "one_cycle/three_phase",
        lambda: optax_sched.one_cycle(1e-3, 100, 0.25, three_phase=True),
        1e-3,
        atol=TIGHT_ATOL,
        steps=[0, 1, 12, 24, 25, 26, 49, 50, 51, 75, 99, 100, 101, 3000],
    ),
    Case(
        "one_cycle",
        lambda: optax_sched.one_cycle(1e-3, 100, 0.25),
        1e-3,
        atol=TIGHT_ATOL,
        probes={0: 1e-3 / 25, 25: 1e-3, 90: None},
    ),
    *[
        Case(
            f"cosine_restarts/decay-warmup{warmup}",
            lambda warmup=warmup: optax_sched.cosine_restarts(
                1e-3, period=10, t_mult=2, min_lr=1e-5, decay=0.9, warmup_steps=warmup
            ),
            1e-3,
            atol=TIGHT_ATOL,
            steps=[0, 1, 5, 9, 10, 11, 12, 29, 30, 31, 57, 70, 82, 149, 150, 151, 400],
        )
        for warmup in (0, 12)
    ],
    *[
        Case(
            f"cosine_restarts/limit-warmup{warmup}",
            lambda warmup=warmup: optax_sched.cosine_restarts(
                1e-3, period=10, t_mult=2, warmup_steps=warmup, cycle_limit=5
            ),
            1e-3,
            atol=TIGHT_ATOL,
            probes={3: None, 75: None, 1000: None},
        )
        for warmup in (0, 12)
    ],
]

CASES = [*CONSTANT, *COSINE, *POLYNOMIAL, *EXPONENTIAL, *INVERSE_SQRT, *TIGHT]


def cases_where(keep):
    """The cases ``keep`` selects, as pytest params named after the case."""
    return [pytest.param(case, id=case.name) for case in CASES if keep(case)]


# ---------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("case", cases_where(lambda case: case.ref is not None))
def test_matches_closed_form_eager_and_jit(case, transform):
    schedule = transform(case.build())
    got = [schedule(k) for k in case.steps]
    for value in got:
        assert value.shape == ()
        assert value.dtype == jnp.float32
    assert_close(np.asarray(got), case.ref(np.asarray(case.steps)), case.scale, atol=case.atol)


@pytest.mark.parametrize("case", cases_where(lambda case: len(case.steps) > 0))
def test_vmap_over_steps_equals_python_loop(case):
    schedule = case.build()
    steps = case.steps if case.vmap_steps is None else case.vmap_steps
    assert_vmap_matches_loop(schedule, steps, case.scale, atol=case.atol, ref=case.ref)
    if case.float_steps:
        assert_vmap_matches_loop(
            schedule, case.float_steps, case.scale, atol=case.atol, ref=case.ref
        )


@pytest.mark.parametrize("case", cases_where(lambda case: len(case.probes) > 0))
def test_no_retrace_for_new_step_values(case):
    assert_no_retrace(case.build(), case.probes, case.scale, atol=case.atol)


@pytest.mark.parametrize("case", cases_where(lambda case: case.far is not None))
def test_giant_and_negative_steps(case):
    schedule = case.build()
    far = case.ref(np.asarray([case.far]))[0]
    assert_close(schedule(2**40), far, case.scale, atol=case.atol)
    assert_close(jax.jit(lambda: schedule(2**40))(), far, case.scale, atol=case.atol)
    assert_close(jax.jit(schedule)(jnp.int32(2**31 - 1)), far, case.scale, atol=case.atol)
    start = float(schedule(0))
    for step in (-1, -0.5, -(10**9), jnp.int32(-(2**31))):
        assert float(schedule(step)) == pytest.approx(start, rel=1e-6)


@pytest.mark.parametrize("case", cases_where(lambda case: case.dense_steps is not None))
def test_dense_grid_matches_closed_form(case):
    got = on_grid(case.build(), case.dense_steps)
    assert_close(got, case.ref(case.dense_steps), case.scale, atol=case.atol)
