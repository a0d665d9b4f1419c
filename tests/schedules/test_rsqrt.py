"""inverse_sqrt against transformers' inverse-square-root formula and the Transformer's."""

import math

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import optax_sched
from optax_sched import Phase

TRANSFORMS = [pytest.param(lambda f: f, id="eager"), pytest.param(jax.jit, id="jit")]

STEPS = [-10, -1, 0, 1, 50, 99, 100, 101, 400, 499, 500, 4000, 12_345, 10**6, 2**31 - 1]


def assert_close(got, want, scale):
    """float32 agreement: relative 1e-6, absolute 1e-6 of the learning-rate scale."""
    np.testing.assert_allclose(
        np.asarray(got, np.float64), np.asarray(want, np.float64), rtol=1e-6, atol=1e-6 * scale
    )


def on_grid(fn, steps):
    """``fn`` over an array of steps in one compiled call (eager ops compile one by one)."""
    return np.asarray(jax.jit(fn)(jnp.asarray(steps)))


def assert_traced_sweep(build, hypers, steps, scale):
    """A jitted vmap over one hyperparameter equals one concrete schedule per value."""
    steps = jnp.asarray(steps)
    got = jax.jit(jax.vmap(lambda h: build(h)(steps)))(jnp.asarray(hypers))
    want = [[float(build(float(h))(int(s))) for s in steps] for h in hypers]
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6, atol=1e-6 * scale)


def transformers_lr(step, peak, warmup, timescale=None, init=0.0):
    """transformers' inverse_sqrt multiplier times ``peak`` (plus an optional ramp start)."""
    if timescale is None:
        timescale = warmup or 10_000
    step = max(step, 0)
    if step < warmup:
        return init + (peak - init) * step / max(1, warmup)
    shift = timescale - warmup
    return peak / math.sqrt((step + shift) / timescale)


def reference(steps, *args, **kwargs):
    return np.asarray([transformers_lr(float(k), *args, **kwargs) for k in np.ravel(steps)])


# id -> (peak, warmup, timescale, init)
CASES = {
    "warmup_default_timescale": (1.0, 100, None, 0.0),
    "transformer_base": (7e-4, 4000, None, 0.0),
    "no_warmup": (1e-3, 0, None, 0.0),
    "explicit_timescale": (1e-3, 500, 2000, 0.0),
    "init_lr": (5e-4, 100, 300, 1e-5),
}
CASE_IDS = list(CASES)


def build(peak, warmup, timescale, init):
    return optax_sched.inverse_sqrt(peak, warmup_steps=warmup, timescale=timescale, init_lr=init)


def ref_for(case, steps):
    peak, warmup, timescale, init = CASES[case]
    return reference(steps, peak, warmup, timescale, init)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("case", CASE_IDS)
def test_matches_transformers_formula_eager_and_jit(case, transform):
    schedule = transform(build(*CASES[case]))
    got = [schedule(k) for k in STEPS]
    for value in got:
        assert value.shape == ()
        assert value.dtype == jnp.float32
    assert_close(np.asarray(got), ref_for(case, STEPS), CASES[case][0])


@pytest.mark.parametrize("case", CASE_IDS)
def test_dense_grid_matches_transformers_formula(case):
    steps = np.arange(0, 20_000, 3)
    assert_close(on_grid(build(*CASES[case]), steps), ref_for(case, steps), CASES[case][0])


@pytest.mark.parametrize("case", CASE_IDS)
def test_vmap_over_steps_equals_python_loop(case):
    schedule = build(*CASES[case])
    scale = CASES[case][0]
    steps = jnp.asarray(STEPS, jnp.int32)
    looped = np.asarray([float(schedule(int(k))) for k in steps])
    assert_close(jax.jit(jax.vmap(schedule))(steps), looped, scale)
    fsteps = jnp.asarray([0.5, 12.7, 99.5, 640.25, 1e6 + 0.5], jnp.float32)
    looped_f = np.asarray([float(schedule(float(k))) for k in fsteps])
    assert_close(jax.jit(jax.vmap(schedule))(fsteps), looped_f, scale)
    assert_close(looped_f, ref_for(case, np.asarray(fsteps, np.float64)), scale)


@pytest.mark.parametrize("case", CASE_IDS)
def test_no_retrace_for_new_step_values(case):
    chex.clear_trace_counter()
    schedule = build(*CASES[case])

    @jax.jit
    @chex.assert_max_traces(n=1)
    def evaluate(step):
        return schedule(step)

    evaluate(jnp.int32(3))
    evaluate(jnp.int32(777))
    evaluate(jnp.int32(10**6))


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


@pytest.mark.parametrize("case", CASE_IDS)
def test_properties(case, subtests):
    peak, warmup, timescale, init = CASES[case]
    values = on_grid(build(peak, warmup, timescale, init), np.arange(0, warmup + 5000))
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
