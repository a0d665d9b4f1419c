"""warmup_exponential, step_decay, multi_step_decay and piecewise_constant.

References: the closed forms written out with numpy (PyTorch's StepLR and MultiStepLR
formulas for the step decays) and optax's exponential_decay, linear_schedule and
piecewise_constant_schedule where they describe the same curve.
"""

import math

import jax.numpy as jnp
import numpy as np
import optax
import pytest
from support import (
    EXPONENTIAL_CASES,
    assert_close,
    assert_traced_sweep,
    multi_step_ref,
    on_grid,
    step_lr_ref,
    table_ref,
)

import optax_sched
from optax_sched import Phase

# The checks every factory shares (closed form eager and under jit, a dense grid against
# it, vmap over steps, no retrace, giant and negative steps) run over these factories in
# test_common_behaviour.py.


def exp_optax(peak, rate, period, warmup, init, floor, staircase):
    """The same curve from optax: its ramp, then exponential_decay starting at the warmup."""
    ramp = optax.linear_schedule(init, peak, transition_steps=max(warmup, 1))
    decay = optax.exponential_decay(
        peak,
        transition_steps=period,
        decay_rate=rate,
        transition_begin=warmup,
        staircase=staircase,
        end_value=floor,
    )
    return lambda t: jnp.where(t < warmup, ramp(t), decay(t))


# ---------------------------------------------------------------------------------------
# warmup_exponential
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(EXPONENTIAL_CASES))
def test_warmup_exponential_equals_optax(key):
    peak, rate, period, warmup, init, floor, staircase = EXPONENTIAL_CASES[key]
    schedule = optax_sched.warmup_exponential(
        peak, rate, period, warmup, init_lr=init, min_lr=floor, staircase=staircase
    )
    reference = exp_optax(peak, rate, period, warmup, init, floor, staircase)
    steps = np.arange(0, 2000)
    assert_close(on_grid(schedule, steps), on_grid(reference, steps), peak)


def test_warmup_exponential_docstring_values():
    schedule = optax_sched.warmup_exponential(
        1.0, decay_rate=0.5, decay_steps=100, warmup_steps=10, min_lr=0.2
    )
    got = [float(schedule(k)) for k in (0, 10, 110, 210, 410)]
    np.testing.assert_allclose(got, [0.0, 1.0, 0.5, 0.25, 0.2], rtol=1e-6)


@pytest.mark.parametrize("key", list(EXPONENTIAL_CASES))
def test_warmup_exponential_properties(key, subtests):
    peak, rate, period, warmup, init, floor, staircase = EXPONENTIAL_CASES[key]
    schedule = optax_sched.warmup_exponential(
        peak, rate, period, warmup, init_lr=init, min_lr=floor, staircase=staircase
    )
    values = on_grid(schedule, np.arange(3000))
    with subtests.test(msg="warmup increases"):
        assert np.all(np.diff(values[: warmup + 1]) >= 0.0)
    with subtests.test(msg="decay decreases"):
        assert np.all(np.diff(values[warmup:]) <= 0.0)
    with subtests.test(msg="values within [min_lr, peak_lr] after warmup"):
        assert np.all(values[warmup:] >= np.float32(floor))
        assert np.all(values[warmup:] <= np.float32(peak) * (1 + 1e-6))
    with subtests.test(msg="floor holds"):
        assert np.all(values >= np.float32(min(floor, init)))


def first_floor_step(peak, rate, period, floor, staircase):
    """The first local step where ``peak * rate ** (t / period) <= floor``, from logs."""
    periods_needed = math.log(floor / peak) / math.log(rate)
    if staircase:
        return period * math.ceil(periods_needed)
    return math.ceil(period * periods_needed)


@pytest.mark.parametrize(
    ("peak", "rate", "period", "warmup", "floor", "staircase", "expected_local"),
    [
        # log(1e-2) / log(0.5) = 6.64 periods of 100 steps -> step 665 after the warmup.
        (1e-3, 0.5, 100, 50, 1e-5, False, 665),
        # 2.32 halvings needed; the staircase only drops at whole periods -> 3 * 100.
        (1.0, 0.5, 100, 10, 0.2, True, 300),
        # 0.9 ** n <= 0.3 from n = 11.43 periods of 7 steps: 79.99 -> 80; staircase 12 * 7.
        (2.0, 0.9, 7, 0, 0.6, False, 80),
        (2.0, 0.9, 7, 0, 0.6, True, 84),
    ],
)
def test_warmup_exponential_end_step_is_first_floor_step(
    peak, rate, period, warmup, floor, staircase, expected_local
):
    assert first_floor_step(peak, rate, period, floor, staircase) == expected_local
    schedule = optax_sched.warmup_exponential(
        peak, rate, period, warmup, min_lr=floor, staircase=staircase
    )
    end = warmup + expected_local
    assert schedule.end_step == end
    values = on_grid(schedule, np.arange(end - 3, end + 50))
    before, at, after = values[2], values[3], values[4:]
    assert before > np.float32(floor)
    assert at == np.float32(floor)
    assert np.all(after == np.float32(floor))


def test_warmup_exponential_end_step_conventions():
    # No floor: decays for ever.
    assert optax_sched.warmup_exponential(1.0, 0.5, 10, warmup_steps=5).end_step is None
    # A rate of 1 is flat from the end of the warmup on.
    flat = optax_sched.warmup_exponential(1.0, 1.0, 10, warmup_steps=5, min_lr=0.1)
    assert flat.end_step == 5
    np.testing.assert_allclose(on_grid(flat, np.arange(5, 500)), 1.0, rtol=0)
    # Floor equal to the peak: settled as soon as the warmup ends.
    assert optax_sched.warmup_exponential(1.0, 0.5, 10, warmup_steps=5, min_lr=1.0).end_step == 5
    # Halving every 100 steps reaches 0.2 after 100 * log2(5) = 232.2 steps -> 233.
    schedule = optax_sched.warmup_exponential(1.0, 0.5, 100, warmup_steps=10, min_lr=0.2)
    assert schedule.phases == (Phase("warmup", 0, 10), Phase("decay", 10, 243))
    stairs = optax_sched.warmup_exponential(
        1.0, 0.5, 100, warmup_steps=10, min_lr=0.2, staircase=True
    )
    assert stairs.phases == (Phase("warmup", 0, 10), Phase("decay", 10, 310))


def test_warmup_exponential_staircase_drops_only_at_period_multiples():
    peak, rate, period, warmup, floor = 1e-3, 0.7, 25, 40, 1e-5
    schedule = optax_sched.warmup_exponential(
        peak, rate, period, warmup, min_lr=floor, staircase=True
    )
    values = on_grid(schedule, np.arange(0, 1200))
    changes = np.flatnonzero(np.diff(values[warmup:])) + 1  # local steps where it moves
    assert changes.size > 0
    assert np.all(changes % period == 0)
    # ...and it does drop at every multiple until the floor is reached.
    settle = first_floor_step(peak, rate, period, floor, True)
    assert list(changes) == list(range(period, settle + 1, period))
    # A float step inside a period rounds down to the period's start.
    assert float(schedule(warmup + period - 0.5)) == pytest.approx(peak, rel=1e-6)
    assert float(schedule(warmup + period + 0.5)) == pytest.approx(peak * rate, rel=1e-6)


def test_warmup_exponential_continuous_form_exp_minus_kt():
    peak = 3e-4
    for k in (0.05, 1e-4):
        schedule = optax_sched.warmup_exponential(peak, decay_rate=math.exp(-k), decay_steps=1)
        steps = np.arange(0, 20_000, 7)
        want = peak * np.exp(-k * steps)
        # decay_rate is held in float32, so its rounding (half an ulp, 2**-24 relative)
        # compounds once per step: allow that on top of the usual tolerance.
        rtol = 1e-6 + steps * 2.0**-24
        got = on_grid(schedule, steps)
        assert np.all(np.abs(got - want) <= rtol * want + 1e-6 * peak)
    # Fractional steps follow the same curve.
    schedule = optax_sched.warmup_exponential(peak, decay_rate=math.exp(-0.05), decay_steps=1)
    assert float(schedule(12.7)) == pytest.approx(peak * math.exp(-0.05 * 12.7), rel=2e-6)


def test_warmup_exponential_traced_peak_lr():
    lrs = jnp.asarray([0.0, 1e-4, 3e-4, 1.0])

    def build(lr):
        return optax_sched.warmup_exponential(lr, decay_rate=0.5, decay_steps=100, warmup_steps=10)

    assert_traced_sweep(build, lrs, [0, 5, 10, 123, 999], 1.0)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        pytest.param({"peak_lr": -1e-3}, r"peak_lr must be >= 0.*peak_lr=-0\.001", id="neg"),
        pytest.param({"peak_lr": math.nan}, r"peak_lr must be finite.*peak_lr=nan", id="nan"),
        pytest.param({"peak_lr": math.inf}, r"peak_lr must be finite.*peak_lr=inf", id="inf"),
        pytest.param({"min_lr": -1.0}, r"min_lr must be >= 0.*min_lr=-1\.0", id="neg-min"),
        pytest.param(
            {"min_lr": 1e-2},
            r"min_lr must not exceed peak_lr.*min_lr=0\.01 > peak_lr=0\.001.*lower min_lr",
            id="min-above-peak",
        ),
        pytest.param(
            {"init_lr": 1e-2},
            r"init_lr must not exceed peak_lr.*init_lr=0\.01 > peak_lr=0\.001",
            id="init-above-peak",
        ),
        pytest.param(
            {"decay_rate": 0.0},
            r"decay_rate must be in \(0, 1\]; got decay_rate=0\.0\..*halve",
            id="rate-zero",
        ),
        pytest.param(
            {"decay_rate": -0.5}, r"decay_rate must be in \(0, 1\]; got decay_rate=-0\.5", id="neg"
        ),
        pytest.param(
            {"decay_rate": 1.5},
            r"decay_rate must be in \(0, 1\]; got decay_rate=1\.5\..*grow it without bound",
            id="rate-above-one",
        ),
        pytest.param({"decay_rate": math.nan}, r"decay_rate.*got decay_rate=nan", id="rate-nan"),
        pytest.param(
            {"decay_steps": 0}, r"decay_steps must be >= 1; got decay_steps=0", id="period-0"
        ),
        pytest.param(
            {"decay_steps": -3}, r"decay_steps must be >= 1; got decay_steps=-3", id="period-neg"
        ),
        pytest.param(
            {"decay_steps": 2.5},
            r"decay_steps must be an int.*decay_steps=2\.5.*int\(\)",
            id="period-float",
        ),
        pytest.param(
            {"warmup_steps": -1}, r"warmup_steps must be >= 0.*warmup_steps=-1", id="warmup-neg"
        ),
        pytest.param(
            {"warmup_steps": 0.1},
            r"warmup_steps=0\.1 is a fraction, but this schedule has no total_steps",
            id="ratio-without-total",
        ),
        pytest.param(
            {"warmup_steps": 100.0},
            r"\[0, 1\).*warmup_steps=100\.0.*pass the int warmup_steps=100;",
            id="float",
        ),
    ],
)
def test_warmup_exponential_rejects_bad_arguments(kwargs, pattern):
    arguments = {"peak_lr": 1e-3, "decay_rate": 0.5, "decay_steps": 100, **kwargs}
    with pytest.raises(ValueError, match=r"warmup_exponential: .*" + pattern):
        optax_sched.warmup_exponential(**arguments)


# ---------------------------------------------------------------------------------------
# step_decay and multi_step_decay (PyTorch StepLR / MultiStepLR)
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "step_size", "gamma"), [(1.0, 30, 0.1), (3e-4, 7, 0.5), (0.1, 1, 0.99), (2.0, 5, 1.0)]
)
def test_step_decay_matches_steplr_formula(base, step_size, gamma):
    schedule = optax_sched.step_decay(base, step_size=step_size, gamma=gamma)
    steps = np.arange(0, 1000)
    assert_close(on_grid(schedule, steps), step_lr_ref(steps, base, step_size, gamma), base)
    assert schedule.end_step is None
    # Float steps round down to the period they are in.
    assert float(schedule(step_size - 0.5)) == pytest.approx(base, rel=1e-6)
    assert float(schedule(step_size + 0.5)) == pytest.approx(base * gamma, rel=1e-6)


def test_step_decay_matches_optax_staircase():
    schedule = optax_sched.step_decay(1.0, step_size=30, gamma=0.1)
    reference = optax.exponential_decay(1.0, transition_steps=30, decay_rate=0.1, staircase=True)
    steps = np.arange(0, 400)
    assert_close(on_grid(schedule, steps), on_grid(reference, steps), 1.0)


def test_step_decay_properties(subtests):
    values = on_grid(optax_sched.step_decay(1e-3, 25, 0.5), np.arange(0, 600))
    with subtests.test(msg="decay decreases"):
        assert np.all(np.diff(values) <= 0.0)
    with subtests.test(msg="values within [0, base_lr]"):
        assert np.all((values >= 0.0) & (values <= np.float32(1e-3)))
    with subtests.test(msg="drops only at multiples of step_size"):
        assert np.all((np.flatnonzero(np.diff(values)) + 1) % 25 == 0)


@pytest.mark.parametrize("hyper", ["base_lr", "gamma"])
def test_step_decay_traced_hyperparameters(hyper):
    if hyper == "base_lr":
        grid = jnp.asarray([0.0, 1e-4, 1.0])

        def build(x):
            return optax_sched.step_decay(x, step_size=30, gamma=0.1)
    else:
        grid = jnp.asarray([0.1, 0.5, 1.0])

        def build(x):
            return optax_sched.step_decay(1e-3, step_size=30, gamma=x)

    assert_traced_sweep(build, grid, [0, 29, 30, 95], 1.0)


@pytest.mark.parametrize(
    ("base", "milestones", "gamma"),
    [(1.0, [30, 80], 0.1), (3e-4, [1, 2, 3, 500], 0.5), (0.1, [100], 1.0), (2e-3, [], 0.1)],
)
def test_multi_step_decay_matches_multisteplr_formula(base, milestones, gamma):
    schedule = optax_sched.multi_step_decay(base, milestones=milestones, gamma=gamma)
    steps = np.arange(0, 800)
    want = multi_step_ref(steps, base, milestones, gamma)
    assert_close(on_grid(schedule, steps), want, base)
    assert schedule.end_step == (milestones[-1] if milestones else 0)
    if milestones:
        reference = optax.piecewise_constant_schedule(base, {m: gamma for m in milestones})
        assert_close(on_grid(schedule, steps), on_grid(reference, steps), base)


def test_multi_step_decay_docstring_values_and_float_steps():
    schedule = optax_sched.multi_step_decay(1.0, milestones=[30, 80], gamma=0.1)
    got = [float(schedule(k)) for k in (0, 29.9, 30, 79, 79.5, 80, 10**6)]
    np.testing.assert_allclose(got, [1.0, 1.0, 0.1, 0.1, 0.1, 0.01, 0.01], rtol=1e-6)
    assert [p.start for p in schedule.phases] == [0, 30, 80]


def test_multi_step_decay_traced_base_lr():
    lrs = jnp.asarray([0.0, 1e-4, 1.0])
    assert_traced_sweep(
        lambda lr: optax_sched.multi_step_decay(lr, [30, 80]), lrs, [0, 30, 85], 1.0
    )


GAMMA_BAD = [
    pytest.param(0.0, r"gamma must be in \(0, 1\]; got gamma=0\.0\..*halve", id="gamma-zero"),
    pytest.param(-0.1, r"gamma must be in \(0, 1\]; got gamma=-0\.1", id="gamma-negative"),
    pytest.param(1.5, r"gamma must be in \(0, 1\]; got gamma=1\.5\..*without bound", id="gt-one"),
    pytest.param(math.nan, r"gamma must be in \(0, 1\]; got gamma=nan", id="gamma-nan"),
    pytest.param(math.inf, r"gamma must be in \(0, 1\]; got gamma=inf", id="gamma-inf"),
]


@pytest.mark.parametrize(("gamma", "pattern"), GAMMA_BAD)
@pytest.mark.parametrize("name", ["step_decay", "multi_step_decay"])
def test_step_decays_reject_bad_gamma(name, gamma, pattern):
    with pytest.raises(ValueError, match=rf"{name}: .*" + pattern):
        if name == "step_decay":
            optax_sched.step_decay(1.0, step_size=30, gamma=gamma)
        else:
            optax_sched.multi_step_decay(1.0, milestones=[30], gamma=gamma)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        pytest.param({"base_lr": -1.0}, r"base_lr must be >= 0.*base_lr=-1\.0", id="neg"),
        pytest.param({"base_lr": math.nan}, r"base_lr must be finite.*base_lr=nan", id="nan"),
        pytest.param({"step_size": 0}, r"step_size must be >= 1; got step_size=0", id="size-0"),
        pytest.param({"step_size": -4}, r"step_size must be >= 1; got step_size=-4", id="neg"),
        pytest.param(
            {"step_size": 2.5}, r"step_size must be an int.*step_size=2\.5", id="size-float"
        ),
        pytest.param(
            {"step_size": True}, r"step_size must be a Python int.*step_size=True", id="bool"
        ),
    ],
)
def test_step_decay_rejects_bad_arguments(kwargs, pattern):
    arguments = {"base_lr": 1.0, "step_size": 30, **kwargs}
    with pytest.raises(ValueError, match=r"step_decay: .*" + pattern):
        optax_sched.step_decay(**arguments)


@pytest.mark.parametrize(
    ("milestones", "pattern"),
    [
        pytest.param(
            [80, 30],
            r"milestones must be strictly increasing; got milestones=\[80, 30\] "
            r"\(milestones\[0\]=80 >= milestones\[1\]=30\)\. Sort them and drop duplicates",
            id="unsorted",
        ),
        pytest.param(
            [30, 30, 80],
            r"milestones must be strictly increasing; got milestones=\[30, 30, 80\].*drop dup",
            id="duplicate",
        ),
        pytest.param([0, 30], r"milestones\[0\] must be >= 1; got milestones\[0\]=0", id="zero"),
        pytest.param([-5], r"milestones\[0\] must be >= 1; got milestones\[0\]=-5", id="neg"),
        pytest.param(
            [30, 50.5], r"milestones\[1\] must be an int.*milestones\[1\]=50\.5", id="float"
        ),
    ],
)
def test_multi_step_decay_rejects_bad_milestones(milestones, pattern):
    with pytest.raises(ValueError, match=r"multi_step_decay: " + pattern):
        optax_sched.multi_step_decay(1.0, milestones=milestones)


def test_multi_step_decay_rejects_bad_base_lr():
    with pytest.raises(ValueError, match=r"multi_step_decay: base_lr must be >= 0.*base_lr=-1"):
        optax_sched.multi_step_decay(-1, milestones=[10])


# ---------------------------------------------------------------------------------------
# piecewise_constant
# ---------------------------------------------------------------------------------------


def test_piecewise_constant_docstring_values_and_metadata():
    schedule = optax_sched.piecewise_constant([1.0, 0.5, 0.1], boundaries=[100, 200])
    got = [float(schedule(k)) for k in (-3, 0, 99, 99.9, 100, 199, 200, 250, 10**6)]
    np.testing.assert_allclose(got, [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.1, 0.1, 0.1], rtol=1e-6)
    assert schedule.end_step == 200
    assert [(p.start, p.end) for p in schedule.phases] == [(0, 100), (100, 200), (200, None)]


def test_piecewise_constant_values_are_absolute_like_optax_scales():
    values, boundaries = [1e-3, 5e-4, 2e-3, 1e-5], [10, 110, 333]
    schedule = optax_sched.piecewise_constant(values, boundaries)
    scales = {b: values[i + 1] / values[i] for i, b in enumerate(boundaries)}
    reference = optax.piecewise_constant_schedule(values[0], scales)
    steps = np.arange(0, 600)
    assert_close(on_grid(schedule, steps), on_grid(reference, steps), 2e-3)


def test_piecewise_constant_long_table():
    # More pieces than the compare-all search handles: the scan search path.
    rng = np.random.default_rng(0)
    boundaries = np.sort(rng.choice(np.arange(1, 50_000), size=199, replace=False))
    values = rng.uniform(0.0, 1e-3, size=200)
    schedule = optax_sched.piecewise_constant(list(values), [int(b) for b in boundaries])
    steps = np.concatenate([np.arange(0, 60_000, 13), boundaries - 1, boundaries])
    assert_close(on_grid(schedule, steps), table_ref(steps, values, boundaries), 1e-3)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32"])
def test_piecewise_constant_step_dtype_does_not_matter(dtype):
    # Boundaries beyond what the step's dtype can hold must not wrap around.
    schedule = optax_sched.piecewise_constant([1.0, 0.5, 0.1], boundaries=[100, 300])
    steps = [0, 99, 100, 120, 127]
    got = [float(schedule(jnp.asarray(k, dtype))) for k in steps]
    np.testing.assert_allclose(got, [1.0, 1.0, 0.5, 0.5, 0.5], rtol=1e-6)


def test_piecewise_constant_traced_values():
    lrs = jnp.asarray([0.0, 1e-4, 1.0])
    assert_traced_sweep(
        lambda lr: optax_sched.piecewise_constant([lr, lr / 2], [50]), lrs, [0, 49, 50, 70], 1.0
    )


@pytest.mark.parametrize(
    ("values", "boundaries", "pattern"),
    [
        pytest.param(
            [1.0, 0.5],
            [10, 20],
            r"needs exactly one more value than boundaries.*got 2 values and 2 boundaries",
            id="too-few-values",
        ),
        pytest.param(
            [1.0, 0.5, 0.1, 0.01],
            [10, 20],
            r"one more value than boundaries.*got 4 values and 2 boundaries",
            id="too-many-values",
        ),
        pytest.param(
            [1.0], [10], r"one more value.*got 1 values and 1 boundaries", id="no-second-value"
        ),
        pytest.param(
            [1.0, 0.5, 0.1],
            [20, 10],
            r"boundaries must be strictly increasing; got boundaries=\[20, 10\].*Sort them",
            id="unsorted",
        ),
        pytest.param(
            [1.0, 0.5, 0.1],
            [10, 10],
            r"boundaries must be strictly increasing; got boundaries=\[10, 10\].*drop duplicates",
            id="duplicate",
        ),
        pytest.param(
            [1.0, 0.5], [0], r"boundaries\[0\] must be >= 1; got boundaries\[0\]=0", id="zero"
        ),
        pytest.param(
            [1.0, -0.5], [10], r"values\[1\] must be >= 0; got values\[1\]=-0\.5", id="negative"
        ),
        pytest.param(
            [math.nan, 0.5], [10], r"values\[0\] must be finite; got values\[0\]=nan", id="nan"
        ),
        pytest.param(
            [1.0, math.inf], [10], r"values\[1\] must be finite; got values\[1\]=inf", id="inf"
        ),
    ],
)
def test_piecewise_constant_rejects_bad_tables(values, boundaries, pattern):
    with pytest.raises(ValueError, match=r"piecewise_constant: .*" + pattern):
        optax_sched.piecewise_constant(values, boundaries)
