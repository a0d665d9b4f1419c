"""warmup_linear and warmup_polynomial against closed forms and optax's own schedules."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from support import (
    POLYNOMIAL_CASES,
    assert_close,
    assert_traced_sweep,
    build_polynomial,
    on_grid,
)

import optax_sched
from optax_sched import Phase

# The checks every factory shares (closed form eager and under jit, vmap over steps, no
# retrace) run over POLYNOMIAL_CASES in test_common_behaviour.py.

CASE_IDS = list(POLYNOMIAL_CASES)


def optax_reference(peak, total, warmup, power, init, floor):
    """The same curve assembled from optax parts."""
    decay = optax.polynomial_schedule(
        init_value=peak, end_value=floor, power=power, transition_steps=total - warmup
    )
    if warmup == 0:
        return decay
    ramp = optax.linear_schedule(init, peak, transition_steps=warmup)
    return optax.join_schedules([ramp, decay], boundaries=[warmup])


@pytest.mark.parametrize("case", CASE_IDS)
def test_equals_optax_on_dense_grid(case):
    name, peak, total, warmup, power, init, floor = POLYNOMIAL_CASES[case]
    schedule = build_polynomial(name, peak, total, warmup, power, init, floor)
    reference = optax_reference(peak, total, warmup, power, init, floor)
    # optax's polynomial under jit can turn 0 ** power into NaN once the decay is over
    # (XLA rewrites ``count / steps`` so ``1 - count / steps`` dips just below 0), so
    # compare the decay itself here; the held floor is checked against the formula.
    steps = np.arange(0, total)
    assert_close(on_grid(schedule, steps), on_grid(reference, steps), peak)
    after = np.arange(total, total + 100)
    assert_close(on_grid(schedule, after), floor, peak)


@pytest.mark.parametrize("case", CASE_IDS)
def test_landmarks_and_giant_steps(case):
    name, peak, total, warmup, power, init, floor = POLYNOMIAL_CASES[case]
    schedule = build_polynomial(name, peak, total, warmup, power, init, floor)
    assert_close(schedule(0), init if warmup else peak, peak)
    assert_close(schedule(-100), init if warmup else peak, peak)
    assert_close(schedule(warmup), peak, peak)
    assert_close(schedule(total), floor, peak)
    for after in (total + 1, 10 * total, 2**40):
        assert_close(schedule(after), floor, peak)
    assert_close(jax.jit(schedule)(jnp.int32(2**31 - 1)), floor, peak)
    assert_close(jax.jit(lambda: schedule(2**40))(), floor, peak)
    assert schedule.end_step == total


@pytest.mark.parametrize("case", CASE_IDS)
def test_properties(case, subtests):
    name, peak, total, warmup, power, init, floor = POLYNOMIAL_CASES[case]
    schedule = build_polynomial(name, peak, total, warmup, power, init, floor)
    values = on_grid(schedule, np.arange(total + 300))
    with subtests.test(msg="warmup increases"):
        assert np.all(np.diff(values[: warmup + 1]) >= 0.0)
    with subtests.test(msg="decay decreases"):
        assert np.all(np.diff(values[warmup:]) <= 0.0)
    with subtests.test(msg="values within [min_lr, peak_lr] after warmup"):
        assert np.all(values[warmup:] >= np.float32(floor) * (1 - 1e-6))
        assert np.all(values[warmup:] <= np.float32(peak) * (1 + 1e-6))


# ---------------------------------------------------------------------------------------
# Specific shapes and conventions
# ---------------------------------------------------------------------------------------


def test_warmup_linear_hits_half_peak_midway_through_decay():
    schedule = optax_sched.warmup_linear(1.0, total_steps=100, warmup_steps=0.1)
    got = [float(schedule(k)) for k in (0, 5, 10, 55, 100, 200)]
    np.testing.assert_allclose(got, [0.0, 0.5, 1.0, 0.5, 0.0, 0.0], atol=1e-6)


def test_warmup_polynomial_power_two_quarter_at_midpoint():
    # (1 - 1/2) ** 2 = 1/4 of the way from floor to peak.
    schedule = optax_sched.warmup_polynomial(1.0, total_steps=110, warmup_steps=10, power=2.0)
    got = [float(schedule(k)) for k in (0, 10, 60, 110)]
    np.testing.assert_allclose(got, [0.0, 1.0, 0.25, 0.0], atol=1e-6)


def test_warmup_polynomial_power_one_equals_warmup_linear():
    steps = np.arange(-3, 1300)
    args = {"total_steps": 1200, "warmup_steps": 0.05, "init_lr": 1e-6, "min_lr": 1e-5}
    linear = on_grid(optax_sched.warmup_linear(1e-3, **args), steps)
    poly = on_grid(optax_sched.warmup_polynomial(1e-3, power=1.0, **args), steps)
    assert_close(poly, linear, 1e-3)


@pytest.mark.parametrize(
    ("ratio", "total", "expected_warmup"), [(0.03, 10_000, 300), (0.03, 1001, 31), (0.0, 100, 0)]
)
@pytest.mark.parametrize("name", ["warmup_linear", "warmup_polynomial"])
def test_warmup_ratio_rounds_up(name, ratio, total, expected_warmup):
    schedule = getattr(optax_sched, name)(1.0, total_steps=total, warmup_steps=ratio)
    assert expected_warmup == math.ceil(ratio * total)
    if expected_warmup:
        assert schedule.phases == (
            Phase("warmup", 0, expected_warmup),
            Phase("decay", expected_warmup, total),
        )
        assert float(schedule(expected_warmup - 1)) < 1.0
    else:
        assert schedule.phases == (Phase("decay", 0, total),)
    assert float(schedule(expected_warmup)) == pytest.approx(1.0, rel=1e-6)


def test_float_steps_interpolate():
    schedule = optax_sched.warmup_polynomial(
        1e-3, total_steps=1000, warmup_steps=100, power=2.0, init_lr=1e-5
    )
    assert float(schedule(12.7)) == pytest.approx(1e-5 + (1e-3 - 1e-5) * 0.127, rel=1e-6)
    progress = (412.3 - 100) / 900
    assert float(schedule(412.3)) == pytest.approx(1e-3 * (1 - progress) ** 2, rel=1e-5)
    assert float(schedule(-0.5)) == pytest.approx(1e-5, rel=1e-6)


@pytest.mark.parametrize("name", ["warmup_linear", "warmup_polynomial"])
def test_traced_peak_lr(name):
    factory = getattr(optax_sched, name)
    lrs = jnp.asarray([0.0, 1e-4, 3e-4, 1.0])
    assert_traced_sweep(
        lambda lr: factory(lr, total_steps=1000, warmup_steps=100),
        lrs,
        [0, 50, 640, 1000, 5000],
        1.0,
    )


COMMON_BAD = [
    pytest.param(
        {"peak_lr": -1e-3}, r"peak_lr must be >= 0.*peak_lr=-0\.001.*non-negative", id="neg-peak"
    ),
    pytest.param({"peak_lr": math.nan}, r"peak_lr must be finite.*peak_lr=nan", id="nan-peak"),
    pytest.param({"peak_lr": math.inf}, r"peak_lr must be finite.*peak_lr=inf", id="inf-peak"),
    pytest.param({"min_lr": -1e-5}, r"min_lr must be >= 0.*min_lr=-1e-05", id="neg-min"),
    pytest.param({"init_lr": math.inf}, r"init_lr must be finite.*init_lr=inf", id="inf-init"),
    pytest.param(
        {"min_lr": 2e-3},
        r"min_lr must not exceed peak_lr.*min_lr=0\.002 > peak_lr=0\.001.*lower min_lr",
        id="min-above-peak",
    ),
    pytest.param(
        {"init_lr": 2e-3},
        r"init_lr must not exceed peak_lr.*init_lr=0\.002 > peak_lr=0\.001.*raise peak_lr",
        id="init-above-peak",
    ),
    pytest.param(
        {"total_steps": 0, "warmup_steps": 0}, r"total_steps must be >= 1.*total_steps=0", id="t0"
    ),
    pytest.param(
        {"total_steps": -5, "warmup_steps": 0},
        r"total_steps must be >= 1.*total_steps=-5",
        id="t-neg",
    ),
    pytest.param(
        {"total_steps": 1000.5},
        r"total_steps must be an int.*total_steps=1000\.5.*int\(\)",
        id="t-float",
    ),
    pytest.param(
        {"total_steps": False}, r"total_steps must be a Python int.*total_steps=False", id="t-bool"
    ),
    pytest.param(
        {"warmup_steps": 2000},
        r"warmup_steps must be < total_steps.*warmup_steps=2000 with total_steps=1000"
        r".*shorten the warmup or raise total_steps",
        id="warmup-above-total",
    ),
    pytest.param(
        {"warmup_steps": 1000},
        r"warmup_steps must be < total_steps.*warmup_steps=1000 with total_steps=1000",
        id="warmup-equals-total",
    ),
    pytest.param(
        {"warmup_steps": 1.5},
        r"warmup_steps as a float is a fraction.*\[0, 1\).*warmup_steps=1\.5",
        id="ratio-1.5",
    ),
    pytest.param(
        {"warmup_steps": -0.1}, r"must be in \[0, 1\).*warmup_steps=-0\.1", id="ratio-negative"
    ),
    pytest.param(
        {"warmup_steps": 100.0},
        r"fraction.*warmup_steps=100\.0.*pass the int warmup_steps=100;",
        id="float-step-count",
    ),
    pytest.param({"warmup_steps": -1}, r"warmup_steps must be >= 0.*warmup_steps=-1", id="w-neg"),
]


@pytest.mark.parametrize(("kwargs", "pattern"), COMMON_BAD)
@pytest.mark.parametrize("name", ["warmup_linear", "warmup_polynomial"])
def test_rejects_bad_arguments(name, kwargs, pattern):
    arguments = {"peak_lr": 1e-3, "total_steps": 1000, "warmup_steps": 100, **kwargs}
    with pytest.raises(ValueError, match=rf"{name}: .*" + pattern):
        getattr(optax_sched, name)(**arguments)


@pytest.mark.parametrize(
    ("power", "pattern"),
    [
        pytest.param(0.0, r"power must be in \(0, inf\]; got power=0\.0", id="zero"),
        pytest.param(-1.0, r"power must be in \(0, inf\]; got power=-1\.0", id="negative"),
        pytest.param(math.nan, r"power must be .*got power=nan", id="nan"),
        pytest.param(math.inf, r"power must be .*got power=inf", id="inf"),
        pytest.param("2", r"power must be a number; got power='2'", id="string"),
    ],
)
def test_warmup_polynomial_rejects_bad_power(power, pattern):
    with pytest.raises(ValueError, match=r"warmup_polynomial: " + pattern):
        optax_sched.warmup_polynomial(1e-3, total_steps=1000, power=power)
