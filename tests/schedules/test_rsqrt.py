"""inverse_sqrt against transformers' inverse-square-root formula and the Transformer's."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from support import (
    INVERSE_SQRT_CASES,
    assert_close,
    assert_traced_sweep,
    build_inverse_sqrt,
    on_grid,
    transformers_lr,
)

import optax_sched
from optax_sched import Phase

# The checks every factory shares (the transformers formula eager and under jit and on a
# dense grid, vmap over steps, no retrace) run over INVERSE_SQRT_CASES in
# test_common_behaviour.py.


def test_docstring_values():
    schedule = optax_sched.inverse_sqrt(1.0, warmup_steps=100)
    got = [float(schedule(k)) for k in (0, 50, 100, 400)]
    np.testing.assert_allclose(got, [0.0, 0.5, 1.0, 0.5], rtol=1e-6)


@pytest.mark.parametrize(
    ("warmup", "timescale", "tau"), [(100, None, 100), (0, None, 10_000), (250, 40, 40), (0, 7, 7)]
)
def test_halves_after_three_timescales(warmup, timescale, tau):
    schedule = optax_sched.inverse_sqrt(2e-4, warmup_steps=warmup, timescale=timescale)
    assert float(schedule(warmup)) == pytest.approx(2e-4, rel=1e-6)
    assert float(schedule(warmup + 3 * tau)) == pytest.approx(1e-4, rel=1e-6)
    assert float(schedule(warmup + 15 * tau)) == pytest.approx(0.5e-4, rel=1e-6)


def test_matches_transformer_paper_form_when_timescale_is_warmup():
    # lr(t) ∝ min(t ** -0.5, t * W ** -1.5); scaled so the peak sits at t = W.
    peak, warmup = 1e-3, 4000
    schedule = optax_sched.inverse_sqrt(peak, warmup_steps=warmup)
    t = np.arange(1, 50_000, 11, dtype=np.float64)
    paper = peak * math.sqrt(warmup) * np.minimum(t**-0.5, t * warmup**-1.5)
    assert_close(on_grid(schedule, t.astype(np.int32)), paper, peak)


def test_never_reaches_zero_and_giant_steps():
    peak, warmup = 1e-3, 100
    schedule = optax_sched.inverse_sqrt(peak, warmup_steps=warmup)
    for step, got in [
        (2**40, schedule(2**40)),
        (2**40, jax.jit(lambda: schedule(2**40))()),
        (2**31 - 1, jax.jit(schedule)(jnp.int32(2**31 - 1))),
        (2**31 - 1, schedule(jnp.int32(2**31 - 1))),
    ]:
        want = peak * math.sqrt(warmup / (step - warmup + warmup))
        assert float(got) > 0.0
        assert float(got) == pytest.approx(want, rel=1e-6)


def test_negative_and_float_steps():
    schedule = optax_sched.inverse_sqrt(1e-3, warmup_steps=100, init_lr=1e-5)
    for step in (-1, -0.5, -(10**9), jnp.int32(-(2**31))):
        assert float(schedule(step)) == pytest.approx(1e-5, rel=1e-6)
    assert float(schedule(12.7)) == pytest.approx(1e-5 + (1e-3 - 1e-5) * 0.127, rel=1e-6)
    assert float(schedule(250.5)) == pytest.approx(1e-3 * math.sqrt(100 / 250.5), rel=1e-6)


@pytest.mark.parametrize("case", list(INVERSE_SQRT_CASES))
def test_properties(case, subtests):
    peak, warmup, timescale, init = INVERSE_SQRT_CASES[case]
    values = on_grid(build_inverse_sqrt(peak, warmup, timescale, init), np.arange(0, warmup + 5000))
    with subtests.test(msg="warmup increases"):
        assert np.all(np.diff(values[: warmup + 1]) >= 0.0)
    with subtests.test(msg="decay decreases"):
        assert np.all(np.diff(values[warmup:]) <= 0.0)
        assert values[-1] < values[warmup]
    with subtests.test(msg="values within (0, peak_lr] after warmup"):
        assert np.all(values[warmup:] > 0.0)
        assert np.all(values[warmup:] <= np.float32(peak) * (1 + 1e-6))


def test_metadata():
    schedule = optax_sched.inverse_sqrt(1e-3, warmup_steps=100)
    assert schedule.end_step is None
    assert schedule.phases == (Phase("warmup", 0, 100), Phase("decay", 100, None))
    assert optax_sched.inverse_sqrt(1e-3).phases == (Phase("decay", 0, None),)


def test_traced_peak_lr():
    lrs = jnp.asarray([0.0, 1e-4, 3e-4, 1.0])
    steps = [0, 50, 100, 400, 10**6]
    assert_traced_sweep(lambda lr: optax_sched.inverse_sqrt(lr, 100), lrs, steps, 1.0)
    got = jax.jit(jax.vmap(lambda lr: optax_sched.inverse_sqrt(lr, 100)(jnp.asarray(steps))))(lrs)
    want = [[transformers_lr(k, float(lr), 100) for k in steps] for lr in lrs]
    assert_close(got, want, 1.0)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        pytest.param(
            {"peak_lr": -1e-3}, r"peak_lr must be >= 0.*peak_lr=-0\.001.*non-negative", id="neg"
        ),
        pytest.param({"peak_lr": math.nan}, r"peak_lr must be finite.*peak_lr=nan", id="nan"),
        pytest.param({"peak_lr": math.inf}, r"peak_lr must be finite.*peak_lr=inf", id="inf"),
        pytest.param({"init_lr": -1e-6}, r"init_lr must be >= 0.*init_lr=-1e-06", id="neg-init"),
        pytest.param(
            {"init_lr": 1e-2},
            r"init_lr must not exceed peak_lr.*init_lr=0\.01 > peak_lr=0\.001.*lower init_lr",
            id="init-above-peak",
        ),
        pytest.param({"timescale": 0}, r"timescale must be >= 1; got timescale=0", id="tau-0"),
        pytest.param({"timescale": -5}, r"timescale must be >= 1; got timescale=-5", id="tau-neg"),
        pytest.param(
            {"timescale": 2.5},
            r"timescale must be an int.*timescale=2\.5.*int\(\)",
            id="tau-float",
        ),
        pytest.param(
            {"timescale": True}, r"timescale must be a Python int.*timescale=True", id="tau-bool"
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
            id="float-step-count",
        ),
    ],
)
def test_rejects_bad_arguments(kwargs, pattern):
    arguments = {"peak_lr": 1e-3, "warmup_steps": 100, **kwargs}
    with pytest.raises(ValueError, match=r"inverse_sqrt: .*" + pattern):
        optax_sched.inverse_sqrt(**arguments)
