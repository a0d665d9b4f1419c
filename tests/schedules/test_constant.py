"""constant and warmup_constant against their closed forms, a seed table and optax."""

import math

import jax.numpy as jnp
import numpy as np
import optax
import pytest
from support import TRANSFORMS, assert_close, assert_traced_sweep, on_grid, warmup_constant_ref

import optax_sched
from optax_sched import Phase

# The checks every factory shares (closed form eager and under jit, vmap over steps, no
# retrace, giant and negative steps) run over these factories in test_common_behaviour.py.


# ---------------------------------------------------------------------------------------
# constant
# ---------------------------------------------------------------------------------------


def test_constant_is_flat_everywhere():
    schedule = optax_sched.constant(3e-4)
    steps = np.arange(-10, 5000)
    np.testing.assert_allclose(on_grid(schedule, steps), np.float32(3e-4), rtol=0, atol=0)
    assert float(schedule(12.7)) == pytest.approx(3e-4, rel=1e-6)
    assert schedule.end_step == 0
    assert schedule.phases == (Phase("constant", 0, None),)  # held for ever, not empty
    assert float(optax_sched.constant(0.0)(100)) == 0.0


def test_constant_equals_optax_constant_schedule():
    steps = np.arange(0, 300)
    got = on_grid(optax_sched.constant(7e-3), steps)
    assert_close(got, on_grid(optax.constant_schedule(7e-3), steps), 7e-3)


def test_constant_traced_lr():
    lrs = jnp.asarray([0.0, 1e-4, 3e-4, 1.0])
    assert_traced_sweep(optax_sched.constant, lrs, [0, 1234], 1.0)


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        pytest.param(-3e-4, r"lr must be >= 0.*lr=-0\.0003.*non-negative", id="negative"),
        pytest.param(math.nan, r"lr must be finite.*lr=nan", id="nan"),
        pytest.param(math.inf, r"lr must be finite.*lr=inf", id="inf"),
        pytest.param(-math.inf, r"lr must be finite.*lr=-inf", id="-inf"),
        pytest.param("3e-4", r"lr must be a number.*lr='3e-4'", id="string"),
        pytest.param(True, r"lr must be a number.*lr=True", id="bool"),
    ],
)
def test_constant_rejects_bad_lr(value, pattern):
    with pytest.raises(ValueError, match=r"constant: .*" + pattern):
        optax_sched.constant(value)


# ---------------------------------------------------------------------------------------
# warmup_constant
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_warmup_constant_seed_table(transform):
    schedule = transform(optax_sched.warmup_constant(1e-4, warmup_steps=2000))
    table = {0: 0.0, 500: 2.5e-5, 1000: 5e-5, 2000: 1e-4}
    for step, expected in table.items():
        assert float(schedule(step)) == pytest.approx(expected, rel=1e-6, abs=1e-12)
    for step in (2001, 10_000, 10**6):
        assert float(schedule(step)) == pytest.approx(1e-4, rel=1e-6)


@pytest.mark.parametrize(
    ("peak", "warmup", "init"), [(1e-4, 2000, 0.0), (3e-4, 100, 1e-5), (1.0, 1, 0.5), (0.1, 0, 0.0)]
)
def test_warmup_constant_equals_optax_linear_schedule(peak, warmup, init):
    schedule = optax_sched.warmup_constant(peak, warmup_steps=warmup, init_lr=init)
    reference = optax.linear_schedule(init, peak, transition_steps=warmup)
    steps = np.arange(0, warmup + 300)
    got = on_grid(schedule, steps)
    if warmup:
        assert_close(got, on_grid(reference, steps), peak)
    assert_close(got, warmup_constant_ref(steps, peak, warmup, init), peak)


def test_warmup_constant_negative_and_float_steps():
    schedule = optax_sched.warmup_constant(1e-3, warmup_steps=100, init_lr=1e-5)
    for step in (-1, -0.5, -(10**9), jnp.int32(-(2**31))):
        assert float(schedule(step)) == pytest.approx(1e-5, rel=1e-6)
    assert float(schedule(12.7)) == pytest.approx(1e-5 + (1e-3 - 1e-5) * 0.127, rel=1e-6)
    assert float(schedule(12)) < float(schedule(12.7)) < float(schedule(13))
    assert float(schedule(150.5)) == pytest.approx(1e-3, rel=1e-6)


def test_warmup_constant_properties(subtests):
    peak, warmup, init = 1e-4, 2000, 1e-6
    values = on_grid(
        optax_sched.warmup_constant(peak, warmup_steps=warmup, init_lr=init), np.arange(3000)
    )
    with subtests.test(msg="warmup increases"):
        assert np.all(np.diff(values[: warmup + 1]) >= 0.0)
        assert values[0] < values[warmup]
    with subtests.test(msg="decay decreases"):
        # Nothing decays: the rate stays at peak_lr after warmup.
        assert np.all(np.diff(values[warmup:]) <= 0.0)
    with subtests.test(msg="values within [peak_lr, peak_lr] after warmup"):
        np.testing.assert_allclose(values[warmup:], peak, rtol=1e-6)


def test_warmup_constant_metadata():
    schedule = optax_sched.warmup_constant(1e-4, warmup_steps=2000)
    assert schedule.end_step == 2000
    assert schedule.phases == (Phase("warmup", 0, 2000), Phase("constant", 2000, None))
    no_warmup = optax_sched.warmup_constant(1e-4, warmup_steps=0)
    assert no_warmup.end_step == 0
    assert [p.name for p in no_warmup.phases] == ["constant"]


def test_warmup_constant_traced_peak_lr():
    lrs = jnp.asarray([0.0, 1e-4, 3e-4])
    assert_traced_sweep(
        lambda lr: optax_sched.warmup_constant(lr, 2000), lrs, [0, 500, 2000, 9000], 3e-4
    )


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        pytest.param(
            {"peak_lr": -1e-4}, r"peak_lr must be >= 0.*peak_lr=-0\.0001.*non-negative", id="neg"
        ),
        pytest.param({"peak_lr": math.nan}, r"peak_lr must be finite.*peak_lr=nan", id="nan"),
        pytest.param({"peak_lr": math.inf}, r"peak_lr must be finite.*peak_lr=inf", id="inf"),
        pytest.param({"init_lr": -1e-6}, r"init_lr must be >= 0.*init_lr=-1e-06", id="neg-init"),
        pytest.param({"init_lr": math.nan}, r"init_lr must be finite.*init_lr=nan", id="nan-init"),
        pytest.param(
            {"init_lr": 1e-3},
            r"init_lr must not exceed peak_lr.*init_lr=0\.001 > peak_lr=0\.0001.*lower init_lr",
            id="init-above-peak",
        ),
        pytest.param(
            {"warmup_steps": -5}, r"warmup_steps must be >= 0.*warmup_steps=-5", id="neg-warmup"
        ),
        pytest.param(
            {"warmup_steps": 0.1},
            r"warmup_steps=0\.1 is a fraction, but this schedule has no total_steps",
            id="ratio-without-total",
        ),
        pytest.param(
            {"warmup_steps": 100.0},
            r"warmup_steps as a float .*\[0, 1\).*warmup_steps=100\.0.*"
            r"pass the int warmup_steps=100;",
            id="float-step-count",
        ),
        pytest.param(
            {"warmup_steps": 1.5}, r"must be in \[0, 1\).*warmup_steps=1\.5", id="ratio-1.5"
        ),
        pytest.param(
            {"warmup_steps": True},
            r"warmup_steps must be a Python int.*warmup_steps=True",
            id="bool-warmup",
        ),
        pytest.param(
            {"warmup_steps": "100"}, r"warmup_steps must be an int.*warmup_steps='100'", id="str"
        ),
    ],
)
def test_warmup_constant_rejects_bad_arguments(kwargs, pattern):
    arguments = {"peak_lr": 1e-4, "warmup_steps": 2000, **kwargs}
    with pytest.raises(ValueError, match=r"warmup_constant: .*" + pattern):
        optax_sched.warmup_constant(**arguments)
