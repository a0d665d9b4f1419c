"""cosine_annealing, warmup_cosine and lr_at_step against closed forms, tables and optax."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from support import (
    TRANSFORMS,
    assert_close,
    assert_traced_sweep,
    cosine_ref,
    on_grid,
    warmup_cosine_ref,
)

import optax_sched
from optax_sched import Phase

# The checks every factory shares (closed form eager and under jit, vmap over steps, no
# retrace) run over these factories in test_common_behaviour.py.


def assert_3_sig_figs(got, table):
    """``got`` rounds to the 3-significant-figure ``table`` entry (half a unit either way).

    A sliver of slack keeps values that sit exactly on a rounding edge in exact
    arithmetic (2.505e-4 printed as 2.51e-4) from failing on float32 noise.
    """
    got = float(got)
    if table == 0.0:
        assert got == pytest.approx(0.0, abs=1e-12)
        return
    half_unit = 0.5 * 10.0 ** (math.floor(math.log10(abs(table))) - 2)
    assert abs(got - table) <= half_unit * (1 + 1e-3), (got, table)


def _enable_x64():
    if hasattr(jax, "enable_x64"):
        return jax.enable_x64(True)
    try:
        from jax.experimental import enable_x64
    except ImportError:  # pragma: no cover - depends on the JAX version
        pytest.skip("this JAX has no enable_x64 context manager")
    return enable_x64()


# ---------------------------------------------------------------------------------------
# cosine_annealing
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_cosine_annealing_seed_table_without_floor(transform):
    schedule = transform(optax_sched.cosine_annealing(5e-4, t_max=1000))
    table = {0: 5.00e-4, 500: 2.50e-4, 900: 1.22e-5, 1000: 0.0}
    for step, expected in table.items():
        got = schedule(step)
        assert_3_sig_figs(got, expected)
        assert_close(got, cosine_ref(step, 5e-4, 1000, 0.0), 5e-4)


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_cosine_annealing_seed_table_with_floor(transform):
    schedule = transform(optax_sched.cosine_annealing(5e-4, t_max=1000, eta_min=1e-6))
    table = {0: 5.00e-4, 500: 2.51e-4, 900: 1.32e-5, 950: 4.07e-6, 990: 1.12e-6, 1000: 1.00e-6}
    for step, expected in table.items():
        got = schedule(step)
        assert_3_sig_figs(got, expected)
        assert_close(got, cosine_ref(step, 5e-4, 1000, 1e-6), 5e-4)


def test_cosine_annealing_holds_floor_after_t_max_and_never_rises():
    schedule = optax_sched.cosine_annealing(5e-4, t_max=1000, eta_min=1e-6)
    floor = np.float32(1e-6)
    for step in (1000, 1001, 1500, 10**6, 2**40):
        assert float(schedule(step)) == pytest.approx(floor, rel=1e-6)
    # Unlike PyTorch's curve, which climbs back after t_max, the value never goes up.
    grid = on_grid(schedule, np.arange(0, 3001))
    assert np.all(np.diff(grid) <= 0.0)
    np.testing.assert_allclose(grid[1000:], floor, rtol=1e-6)


@pytest.mark.parametrize(
    ("base", "t_max", "eta_min"), [(5e-4, 1000, 0.0), (5e-4, 1000, 1e-6), (1.0, 37, 0.25)]
)
def test_cosine_annealing_matches_optax_cosine_decay(base, t_max, eta_min):
    schedule = optax_sched.cosine_annealing(base, t_max=t_max, eta_min=eta_min)
    reference = optax.cosine_decay_schedule(base, decay_steps=t_max, alpha=eta_min / base)
    steps = np.arange(0, 2 * t_max + 5)
    assert_close(on_grid(schedule, steps), on_grid(reference, steps), base)


def test_cosine_annealing_negative_and_float_steps():
    schedule = optax_sched.cosine_annealing(2.0, t_max=100, eta_min=0.5)
    assert_close(schedule(-1), 2.0, 2.0)
    assert_close(schedule(-1000), 2.0, 2.0)
    assert_close(schedule(jnp.int32(-3)), 2.0, 2.0)
    for step in (0.5, 12.7, 99.9):
        assert_close(schedule(step), cosine_ref(step, 2.0, 100, 0.5), 2.0)


def test_cosine_annealing_properties(subtests):
    base, floor, t_max = 5e-4, 1e-6, 1000
    values = on_grid(optax_sched.cosine_annealing(base, t_max, floor), np.arange(0, 1200))
    with subtests.test(msg="decay decreases"):
        assert np.all(np.diff(values) <= 0.0)
    with subtests.test(msg="values within [eta_min, base_lr]"):
        assert np.all(values >= np.float32(floor) * (1 - 1e-6))
        assert np.all(values <= np.float32(base) * (1 + 1e-6))


def test_cosine_annealing_metadata():
    schedule = optax_sched.cosine_annealing(5e-4, t_max=1000, eta_min=1e-6)
    assert schedule.end_step == 1000
    assert schedule.phases == (Phase("decay", 0, 1000),)


def test_cosine_annealing_traced_base_lr():
    lrs = jnp.asarray([1e-4, 5e-4, 2e-3])
    assert_traced_sweep(
        lambda lr: optax_sched.cosine_annealing(lr, t_max=1000), lrs, [0, 640, 1000, 4000], 2e-3
    )


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        pytest.param({"base_lr": -5e-4}, r"base_lr must be >= 0.*base_lr=-0\.0005", id="negative"),
        pytest.param({"base_lr": math.nan}, r"base_lr must be finite.*base_lr=nan", id="nan"),
        pytest.param({"base_lr": math.inf}, r"base_lr must be finite.*base_lr=inf", id="inf"),
        pytest.param(
            {"eta_min": -1e-6},
            r"eta_min must be >= 0.*eta_min=-1e-06.*non-negative",
            id="neg-floor",
        ),
        pytest.param(
            {"eta_min": 1e-3},
            r"eta_min must not exceed base_lr.*eta_min=0\.001.*base_lr=0\.0005.*lower eta_min",
            id="floor-above-base",
        ),
        pytest.param({"t_max": 0}, r"t_max must be >= 1.*t_max=0", id="t_max-zero"),
        pytest.param({"t_max": -10}, r"t_max must be >= 1.*t_max=-10", id="t_max-negative"),
        pytest.param(
            {"t_max": 1000.5}, r"t_max must be an int.*t_max=1000\.5.*int\(\)", id="t_max-float"
        ),
        pytest.param({"t_max": True}, r"t_max must be a Python int.*t_max=True", id="t_max-bool"),
    ],
)
def test_cosine_annealing_rejects_bad_arguments(kwargs, pattern):
    arguments = {"base_lr": 5e-4, "t_max": 1000, "eta_min": 0.0, **kwargs}
    with pytest.raises(ValueError, match=r"cosine_annealing: .*" + pattern):
        optax_sched.cosine_annealing(**arguments)


# ---------------------------------------------------------------------------------------
# warmup_cosine
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_warmup_cosine_landmarks(transform):
    peak, total, warmup, init, floor = 2e-4, 10_000, 300, 1e-6, 2e-5
    schedule = transform(
        optax_sched.warmup_cosine(
            peak, total_steps=total, warmup_steps=warmup, init_lr=init, min_lr=floor
        )
    )
    assert_close(schedule(0), init, peak)
    assert_close(schedule(warmup), peak, peak)
    assert_close(schedule(total), floor, peak)
    for after in (total + 1, 2 * total, 10**6):
        assert_close(schedule(after), floor, peak)
    # Continuous at the junction: the ramp's left limit meets the decay's first value.
    delta = 1e-2
    left = float(schedule(warmup - delta))
    assert abs(float(schedule(warmup)) - left - (peak - init) * delta / warmup) <= 1e-6 * peak
    assert_close(schedule(warmup - 1), init + (peak - init) * (warmup - 1) / warmup, peak)
    assert_close(
        schedule(warmup + 1), warmup_cosine_ref(warmup + 1, peak, total, warmup, init, floor), peak
    )


@pytest.mark.parametrize(
    ("ratio", "total", "expected_warmup"),
    [(0.03, 10_000, 300), (0.03, 1001, 31), (0.1, 100, 10), (0.001, 999, 1), (0.0, 500, 0)],
)
def test_warmup_cosine_ratio_rounds_up(ratio, total, expected_warmup):
    schedule = optax_sched.warmup_cosine(1.0, total_steps=total, warmup_steps=ratio)
    assert expected_warmup == math.ceil(ratio * total)
    if expected_warmup:
        assert schedule.phases == (
            Phase("warmup", 0, expected_warmup),
            Phase("decay", expected_warmup, total),
        )
    else:
        assert schedule.phases == (Phase("decay", 0, total),)
    assert schedule.end_step == total
    steps = np.arange(0, total + 3)
    want = warmup_cosine_ref(steps, 1.0, total, expected_warmup, 0, 0)
    assert_close(on_grid(schedule, steps), want, 1.0)


@pytest.mark.parametrize(
    ("peak", "total", "warmup", "init", "floor"),
    [
        (2e-4, 10_000, 300, 1e-6, 2e-5),
        (1e-3, 1000, 100, 0.0, 0.0),
        (1.0, 500, 0, 0.0, 0.1),
        (3e-4, 1001, 31, 3e-5, 3e-6),
        (0.5, 10, 9, 0.0, 0.0),
    ],
)
def test_warmup_cosine_equals_optax_on_dense_grid(peak, total, warmup, init, floor):
    schedule = optax_sched.warmup_cosine(
        peak, total_steps=total, warmup_steps=warmup, init_lr=init, min_lr=floor
    )
    reference = optax.warmup_cosine_decay_schedule(
        init_value=init, peak_value=peak, warmup_steps=warmup, decay_steps=total, end_value=floor
    )
    steps = np.arange(0, total + 200, dtype=np.int32)
    got = on_grid(schedule, steps)
    assert_close(got, on_grid(reference, steps), peak)
    assert_close(got, warmup_cosine_ref(steps, peak, total, warmup, init, floor), peak)


def test_warmup_cosine_negative_steps_give_step_zero_value():
    schedule = optax_sched.warmup_cosine(1e-3, total_steps=1000, warmup_steps=100, init_lr=1e-5)
    start = float(schedule(0))
    assert start == pytest.approx(1e-5, rel=1e-6)
    for step in (-1, -0.5, -100, -(2**40), jnp.int32(-(2**31))):
        assert float(schedule(step)) == pytest.approx(start, rel=1e-6)
    no_warmup = optax_sched.warmup_cosine(1e-3, total_steps=1000)
    assert float(no_warmup(-5)) == pytest.approx(1e-3, rel=1e-6)


def test_warmup_cosine_float_steps_interpolate():
    peak, total, warmup, init, floor = 1e-3, 1000, 100, 1e-5, 1e-4
    schedule = optax_sched.warmup_cosine(
        peak, total_steps=total, warmup_steps=warmup, init_lr=init, min_lr=floor
    )
    assert_close(schedule(12.7), init + (peak - init) * 12.7 / warmup, peak)
    for step in (0.25, 99.5, 100.5, 412.3, 999.9, 1000.1):
        assert_close(
            schedule(step), warmup_cosine_ref(step, peak, total, warmup, init, floor), peak
        )
    # Strictly between the neighbouring integer steps on the ramp.
    assert float(schedule(12)) < float(schedule(12.7)) < float(schedule(13))


@pytest.mark.parametrize(
    "how",
    [
        "python-int-eager",
        "python-int-inside-jit",
        "int32-max-jit",
        "int32-max-eager",
        "numpy-int64-scalar",
        "numpy-int64-array",
    ],
)
def test_with_giant_int_steps(how):
    floor = 2e-5
    schedule = optax_sched.warmup_cosine(
        2e-4, total_steps=10_000, warmup_steps=300, init_lr=1e-6, min_lr=floor
    )
    if how == "python-int-eager":
        got = schedule(2**40)
    elif how == "python-int-inside-jit":
        got = jax.jit(lambda: schedule(2**40))()
    elif how == "int32-max-jit":
        got = jax.jit(schedule)(jnp.int32(2**31 - 1))
    elif how == "int32-max-eager":
        got = schedule(jnp.int32(2**31 - 1))
    elif how == "numpy-int64-scalar":
        got = schedule(np.int64(2**40))
    else:
        got = schedule(np.asarray([2**40, 2**33, 10_000], np.int64))
    np.testing.assert_allclose(np.asarray(got), floor, rtol=1e-6)


@pytest.mark.parametrize(
    "how", ["jnp-int64-eager", "jnp-int64-jit", "python-int-eager", "python-int-inside-jit"]
)
def test_with_giant_int_steps_under_x64(how):
    floor = 2e-5
    with _enable_x64():
        schedule = optax_sched.warmup_cosine(
            2e-4, total_steps=10_000, warmup_steps=300, init_lr=1e-6, min_lr=floor
        )
        if how == "jnp-int64-eager":
            got = schedule(jnp.int64(2**40))
        elif how == "jnp-int64-jit":
            got = jax.jit(schedule)(jnp.int64(2**40))
        elif how == "python-int-eager":
            got = schedule(2**40)
        else:
            got = jax.jit(lambda: schedule(2**40))()
        got = float(got)
    assert got == pytest.approx(floor, rel=1e-9)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "uint32", "int32"])
def test_step_value_does_not_depend_on_integer_dtype(dtype, transform):
    # Steps that every integer dtype here can hold, on a schedule whose phase starts
    # (40_000, 100_000) do not fit the narrow ones: the step's dtype must not matter.
    peak, total, warmup = 1.0, 100_000, 40_000
    schedule = transform(optax_sched.warmup_cosine(peak, total_steps=total, warmup_steps=warmup))
    steps = [0, 5, 64, 100, 127]
    got = [float(schedule(jnp.asarray(k, dtype))) for k in steps]
    assert_close(got, warmup_cosine_ref(steps, peak, total, warmup, 0.0, 0.0), peak)


def test_warmup_cosine_properties(subtests):
    peak, total, warmup, init, floor = 2e-4, 2000, 150, 1e-6, 2e-5
    schedule = optax_sched.warmup_cosine(
        peak, total_steps=total, warmup_steps=warmup, init_lr=init, min_lr=floor
    )
    values = on_grid(schedule, np.arange(0, total + 500))
    with subtests.test(msg="warmup increases"):
        assert np.all(np.diff(values[: warmup + 1]) >= 0.0)
        assert values[0] < values[warmup]
    with subtests.test(msg="decay decreases"):
        assert np.all(np.diff(values[warmup:]) <= 0.0)
    with subtests.test(msg="values within [min_lr, peak_lr] after warmup"):
        after = values[warmup:]
        assert np.all(after >= np.float32(floor) * (1 - 1e-6))
        assert np.all(after <= np.float32(peak) * (1 + 1e-6))


def test_warmup_cosine_traced_peak_lr():
    lrs = jnp.asarray([1e-4, 3e-4, 1e-3, 0.0])
    got = jax.vmap(lambda lr: optax_sched.warmup_cosine(lr, total_steps=1000)(640))(lrs)
    want = [float(optax_sched.warmup_cosine(float(lr), total_steps=1000)(640)) for lr in lrs]
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6, atol=1e-12)
    assert_traced_sweep(
        lambda lr: optax_sched.warmup_cosine(lr, total_steps=1000, warmup_steps=0.1),
        lrs,
        [0, 50, 100, 640, 1000, 5000],
        1e-3,
    )
    # With a warmup and floor too, under jit.
    fn = jax.jit(
        jax.vmap(
            lambda lr: optax_sched.warmup_cosine(
                lr, total_steps=1000, warmup_steps=100, min_lr=1e-5
            )(jnp.arange(0, 1100, 7))
        )
    )
    got = np.asarray(fn(lrs[:3]))
    for row, lr in zip(got, lrs[:3], strict=True):
        want = warmup_cosine_ref(np.arange(0, 1100, 7), float(lr), 1000, 100, 0.0, 1e-5)
        assert_close(row, want, float(lr))


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        pytest.param(
            {"peak_lr": -1e-3}, r"peak_lr must be >= 0.*peak_lr=-0\.001.*non-negative", id="neg"
        ),
        pytest.param({"peak_lr": math.nan}, r"peak_lr must be finite.*peak_lr=nan", id="nan"),
        pytest.param({"peak_lr": math.inf}, r"peak_lr must be finite.*peak_lr=inf", id="inf"),
        pytest.param({"init_lr": -1e-6}, r"init_lr must be >= 0.*init_lr=-1e-06", id="neg-init"),
        pytest.param({"min_lr": math.nan}, r"min_lr must be finite.*min_lr=nan", id="nan-min"),
        pytest.param(
            {"min_lr": 2e-3},
            r"min_lr must not exceed peak_lr.*min_lr=0\.002 > peak_lr=0\.001.*lower min_lr",
            id="min-above-peak",
        ),
        pytest.param(
            {"init_lr": 2e-3},
            r"init_lr must not exceed peak_lr.*init_lr=0\.002 > peak_lr=0\.001.*lower init_lr",
            id="init-above-peak",
        ),
        pytest.param(
            {"total_steps": 0, "warmup_steps": 0},
            r"total_steps must be >= 1.*total_steps=0",
            id="t0",
        ),
        pytest.param(
            {"total_steps": -100, "warmup_steps": 0},
            r"total_steps must be >= 1.*total_steps=-100",
            id="t-neg",
        ),
        pytest.param(
            {"total_steps": 1000.5},
            r"total_steps must be an int.*total_steps=1000\.5.*round with int\(\) or ceil\(\)",
            id="t-float",
        ),
        pytest.param(
            {"total_steps": True},
            r"total_steps must be a Python int.*total_steps=True",
            id="t-bool",
        ),
        pytest.param(
            {"warmup_steps": 1500},
            r"warmup_steps must be < total_steps.*warmup_steps=1500 with total_steps=1000"
            r".*shorten the warmup or raise total_steps",
            id="warmup-above-total",
        ),
        pytest.param(
            {"warmup_steps": 1000},
            r"warmup_steps must be < total_steps.*warmup_steps=1000 with total_steps=1000",
            id="warmup-equals-total",
        ),
        pytest.param(
            {"total_steps": 10, "warmup_steps": 0.99},
            r"warmup_steps must be < total_steps.*warmup_steps=0\.99 \(= 10 steps\)"
            r" with total_steps=10",
            id="ratio-rounds-to-total",
        ),
        pytest.param(
            {"warmup_steps": 1.5},
            r"warmup_steps as a float is a fraction.*\[0, 1\).*warmup_steps=1\.5.*"
            r"For 1 step pass the int warmup_steps=1;.*0\.015 for 1\.5%",
            id="ratio-1.5",
        ),
        pytest.param(
            {"warmup_steps": -0.1},
            r"warmup_steps as a float is a fraction.*warmup_steps=-0\.1",
            id="ratio-negative",
        ),
        pytest.param(
            {"warmup_steps": 1.0}, r"must be in \[0, 1\).*warmup_steps=1\.0", id="ratio-one"
        ),
        pytest.param(
            {"warmup_steps": 100.0},
            r"warmup_steps as a float is a fraction.*warmup_steps=100\.0.*"
            r"For 100 steps pass the int warmup_steps=100;",
            id="float-step-count",
        ),
        pytest.param({"warmup_steps": math.nan}, r"fraction.*warmup_steps=nan", id="ratio-nan"),
        pytest.param(
            {"warmup_steps": -5}, r"warmup_steps must be >= 0.*warmup_steps=-5", id="warmup-neg"
        ),
        pytest.param(
            {"warmup_steps": True}, r"warmup_steps must be a Python int.*warmup_steps=True", id="wb"
        ),
    ],
)
def test_warmup_cosine_rejects_bad_arguments(kwargs, pattern):
    arguments = {"peak_lr": 1e-3, "total_steps": 1000, "warmup_steps": 100, **kwargs}
    with pytest.raises(ValueError, match=r"warmup_cosine: .*" + pattern):
        optax_sched.warmup_cosine(**arguments)


def test_warmup_cosine_accepts_boundary_arguments():
    # One decay step left is enough; min_lr == peak_lr is a flat line.
    schedule = optax_sched.warmup_cosine(1.0, total_steps=10, warmup_steps=9)
    assert_close(
        on_grid(schedule, np.arange(12)), warmup_cosine_ref(np.arange(12), 1, 10, 9, 0, 0), 1
    )
    flat = optax_sched.warmup_cosine(1e-3, total_steps=100, min_lr=1e-3)
    assert_close(on_grid(flat, np.arange(0, 150)), 1e-3, 1e-3)


# ---------------------------------------------------------------------------------------
# lr_at_step: the literal optax recipe, quirks included
# ---------------------------------------------------------------------------------------


def optax_recipe(step, peak, warmup, total):
    """The exercise's construction, written out with optax."""
    w, t = int(warmup), int(total)
    schedule = optax.warmup_cosine_decay_schedule(0.0, peak, w, t - w, 0.0)
    return float(schedule(int(step)))


LR_AT_STEP_INPUTS = [
    (0, 1e-3, 10, 100),
    (5, 1e-3, 10, 100),
    (10.0, 1e-3, 10.0, 100.0),
    (12.7, 1e-3, 10.0, 100.0),
    (12.0, 1e-3, 10.0, 100.0),
    (45.5, 1e-3, 10.0, 100.0),
    (89.99, 1e-3, 10.0, 100.0),
    (90.0, 1e-3, 10.0, 100.0),
    (99.0, 1e-3, 10.0, 100.0),
    (100.0, 1e-3, 10.0, 100.0),
    (250.0, 1e-3, 10.0, 100.0),
    (-3.5, 1e-3, 10.0, 100.0),
    (3, 2e-4, 0, 50),
    (49, 2e-4, 0, 50),
    (7.9, 5e-4, 10.9, 100.9),
    (1234.5, 3e-4, 100.7, 5000.2),
    (4899, 3e-4, 100, 5000),
    (2500, 3e-4, 100, 5000),
    (12, 1.0, 49, 100),
    (50, 1.0, 49.9, 100.9),
    (0, 0.0, 10, 100),
]


def test_lr_at_step_returns_float32_vector():
    got = optax_sched.lr_at_step(12.7, 1e-3, 10.0, 100.0)
    assert isinstance(got, jax.Array)
    assert got.shape == (1,)
    assert got.dtype == jnp.float32


@pytest.mark.parametrize(("step", "peak", "warmup", "total"), LR_AT_STEP_INPUTS)
def test_lr_at_step_equals_literal_optax_recipe(step, peak, warmup, total):
    got = optax_sched.lr_at_step(step, peak, warmup, total)
    want = optax_recipe(step, peak, warmup, total)
    np.testing.assert_allclose(np.asarray(got), [want], rtol=1e-6, atol=1e-12)


def test_lr_at_step_truncates_float_step():
    # int(12.7) == 12: the value is the one at step 12, not an interpolation.
    assert float(optax_sched.lr_at_step(12.7, 1e-3, 10.0, 100.0)[0]) == pytest.approx(
        float(optax_sched.lr_at_step(12, 1e-3, 10, 100)[0]), rel=1e-7
    )
    expected = 1e-3 * 0.5 * (1 + math.cos(math.pi * (12 - 10) / (100 - 2 * 10)))
    assert float(optax_sched.lr_at_step(12.7, 1e-3, 10.0, 100.0)[0]) == pytest.approx(
        expected, rel=1e-6
    )


def test_lr_at_step_reaches_zero_at_total_minus_warmup():
    # Passing ``total - warmup`` as optax's decay_steps (which already counts the warmup)
    # squeezes the cosine into total - 2 * warmup steps: it hits 0 at total - warmup,
    # ``warmup`` steps before total_steps, and stays there.
    peak, warmup, total = 1e-3, 10, 100
    values = np.asarray(
        [float(optax_sched.lr_at_step(k, peak, warmup, total)[0]) for k in range(120)]
    )
    steps = np.arange(120, dtype=np.float64)
    p = np.clip((steps - warmup) / (total - 2 * warmup), 0.0, 1.0)
    closed = np.where(steps < warmup, peak * steps / warmup, peak * 0.5 * (1.0 + np.cos(np.pi * p)))
    assert_close(values, closed, peak)
    assert values[total - warmup - 1] > 0.0
    assert np.all(values[total - warmup :] == 0.0)
    assert values[warmup] == pytest.approx(peak, rel=1e-6)


@pytest.mark.parametrize(
    ("warmup", "total"), [(50, 100), (60, 100), (50.9, 100.5), (10, 20), (0, 0), (5, -3)]
)
def test_lr_at_step_rejects_warmup_leaving_no_cosine(warmup, total):
    pattern = (
        rf"lr_at_step: needs 2 \* int\(warmup_steps\) < int\(total_steps\); got "
        rf"warmup_steps={warmup!r}, total_steps={total!r}.*Raise total_steps or shorten"
    )
    with pytest.raises(ValueError, match=pattern):
        optax_sched.lr_at_step(5, 1e-3, warmup, total)


def test_lr_at_step_accepts_largest_valid_warmup():
    # 2 * 49 = 98 < 100.
    got = optax_sched.lr_at_step(60, 1.0, 49.9, 100.9)
    assert float(got[0]) == pytest.approx(optax_recipe(60, 1.0, 49, 100), rel=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"warmup_steps": -5}, r"int\(warmup_steps\) must be >= 0.*warmup_steps=-5"),
        ({"peak_lr": -1e-3}, r"peak_lr must be >= 0.*peak_lr=-0\.001"),
        ({"peak_lr": math.nan}, r"peak_lr must be finite.*peak_lr=nan"),
        ({"peak_lr": math.inf}, r"peak_lr must be finite.*peak_lr=inf"),
    ],
)
def test_lr_at_step_rejects_bad_arguments(kwargs, pattern):
    arguments = {"step": 5, "peak_lr": 1e-3, "warmup_steps": 10, "total_steps": 100, **kwargs}
    with pytest.raises(ValueError, match=r"lr_at_step: .*" + pattern):
        optax_sched.lr_at_step(**arguments)


def test_lr_at_step_many_steps_against_closed_form():
    peak, warmup, total = 3e-4, 100.7, 5000.2
    w, t = 100, 5000
    steps = [0, 1, 50, 99, 100, 101, 1000, 2550, 4899, 4900, 4901, 5000, 7000]
    got = np.asarray([float(optax_sched.lr_at_step(k, peak, warmup, total)[0]) for k in steps])
    s = np.asarray(steps, np.float64)
    p = np.clip((s - w) / (t - 2 * w), 0.0, 1.0)
    want = np.where(s < w, peak * s / w, peak * 0.5 * (1.0 + np.cos(np.pi * p)))
    assert_close(got, want, peak)
