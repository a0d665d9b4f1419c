"""Helpers shared by the schedule tests.

``tests/`` is on pytest's ``pythonpath`` (see pyproject.toml), so a test module imports this
as ``import support`` or ``from support import ...``. It holds:

* float32-aware comparisons and ways to evaluate a schedule over many steps at once;
* the generic checks (vmap over steps equals a Python loop, no retrace under jit) that
  tests/schedules/test_common_behaviour.py runs over its table of factories, and that the
  files whose schedules come from file-local fixtures (stages, cycles) call directly;
* the float64 closed-form references and parameter tables that a family's own test file
  and test_common_behaviour.py both use.
"""

from __future__ import annotations

import bisect
import math

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import optax_sched

TRANSFORMS = [pytest.param(lambda f: f, id="eager"), pytest.param(jax.jit, id="jit")]

# ---------------------------------------------------------------------------------------
# Tolerances and comparisons
# ---------------------------------------------------------------------------------------

RTOL = 1e-6
# Absolute tolerances are a fraction of the learning-rate scale given to assert_close.
ATOL = 1e-6
# float32 resolves 1 + cos(x) near x = pi only to about 6e-8 (and sqrt similarly), so the
# warmup-stable-decay, one-cycle, restarts, cycles and stages tests use a small multiple
# of that instead.
TIGHT_ATOL = 1e-7


def assert_close(got, want, scale, rtol=RTOL, atol=ATOL):
    """float32 agreement: relative ``rtol``, absolute ``atol`` of the learning-rate scale."""
    np.testing.assert_allclose(
        np.asarray(got, np.float64), np.asarray(want, np.float64), rtol=rtol, atol=atol * scale
    )


# ---------------------------------------------------------------------------------------
# Evaluating a schedule over many steps
# ---------------------------------------------------------------------------------------


def on_grid(fn, steps):
    """``fn`` over an array of steps in one compiled call (eager ops compile one by one)."""
    return np.asarray(jax.jit(fn)(jnp.asarray(steps)))


def on_grid_vmap(schedule, steps, transform=jax.jit):
    """``schedule`` vmapped over many steps in one call, under ``transform``.

    The grid is padded to a multiple of 512 so that eager evaluation reuses the same
    compiled primitives from test to test.
    """
    steps = np.asarray(steps)
    padded = np.resize(steps, -(-len(steps) // 512) * 512)
    return np.asarray(transform(jax.vmap(schedule))(jnp.asarray(padded)))[: len(steps)]


# ---------------------------------------------------------------------------------------
# Generic checks
# ---------------------------------------------------------------------------------------


def assert_traced_sweep(build, hypers, steps, scale):
    """A jitted vmap over one hyperparameter equals one concrete schedule per value."""
    steps = jnp.asarray(steps)
    got = jax.jit(jax.vmap(lambda h: build(h)(steps)))(jnp.asarray(hypers))
    want = [[float(build(float(h))(int(s))) for s in steps] for h in hypers]
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6, atol=1e-6 * scale)


def assert_vmap_matches_loop(schedule, steps, scale, *, atol=ATOL, ref=None):
    """``jax.vmap`` over ``steps``, eager and jitted, equals a Python loop of scalar calls.

    Integer steps are passed as int32 and fractional ones as float32. With ``ref`` (a
    float64 closed form) the looped and the batched values must also match the reference.
    """
    steps = np.asarray(steps)
    steps = steps.astype(np.float32 if steps.dtype.kind == "f" else np.int32)
    looped = np.asarray([float(schedule(k)) for k in steps.tolist()])
    batched = [on_grid_vmap(schedule, steps, transform) for transform in (lambda f: f, jax.jit)]
    for got in batched:
        assert_close(got, looped, scale, atol=atol)
    if ref is not None:
        want = ref(steps.astype(np.float64))
        for got in (looped, *batched):
            assert_close(got, want, scale, atol=atol)


def assert_no_retrace(schedule, probes, scale, *, atol=ATOL):
    """One jitted function serves every probe step: traced once, same values as eager.

    ``probes`` maps each step to its expected value, or to None where only the eager value
    is checked. The steps go in once as strongly typed ``jnp.int32`` scalars and once as
    weakly typed ``jnp.asarray`` ones, each run with its own jitted function.
    """
    for make_step in (jnp.int32, jnp.asarray):
        chex.clear_trace_counter()

        @jax.jit
        @chex.assert_max_traces(n=1)
        def evaluate(step):
            return schedule(step)

        for step, want in probes.items():
            got = evaluate(make_step(step))
            assert_close(got, schedule(step), scale, atol=atol)
            if want is not None:
                assert_close(got, want, scale, atol=atol)


# ---------------------------------------------------------------------------------------
# Float64 closed-form references
# ---------------------------------------------------------------------------------------


def warmup_constant_ref(t, peak, warmup, init):
    """Linear ramp from ``init`` to ``peak`` over ``warmup`` steps, then flat (float64)."""
    t = np.maximum(np.asarray(t, np.float64), 0.0)
    if warmup == 0:
        return np.full_like(t, peak)
    return np.where(t < warmup, init + (peak - init) * t / warmup, peak)


def cosine_ref(t, base, t_max, eta_min):
    """Cosine annealing with the floor held after t_max (float64)."""
    t = np.clip(np.asarray(t, np.float64), 0.0, t_max)
    return eta_min + (base - eta_min) * 0.5 * (1.0 + np.cos(np.pi * t / t_max))


def warmup_cosine_ref(t, peak, total, warmup, init, floor):
    """Linear ramp over ``warmup`` steps, then cosine down to ``floor`` at ``total`` (float64).

    The floor is held after ``total``, and negative steps give the step-0 value.
    """
    t = np.maximum(np.asarray(t, np.float64), 0.0)
    ramp = init + (peak - init) * t / max(warmup, 1)
    p = np.clip((t - warmup) / (total - warmup), 0.0, 1.0)
    decay = floor + (peak - floor) * 0.5 * (1.0 + np.cos(np.pi * p))
    return np.where(t < warmup, ramp, decay)


def step_lr_ref(t, base, step_size, gamma):
    """PyTorch StepLR: ``base * gamma ** (t // step_size)``."""
    t = np.maximum(np.asarray(t), 0)
    return base * gamma ** (t // step_size).astype(np.float64)


def multi_step_ref(t, base, milestones, gamma):
    """PyTorch MultiStepLR: one factor of ``gamma`` per milestone reached."""
    count = [bisect.bisect_right(milestones, k) for k in np.asarray(t).ravel()]
    return base * gamma ** np.asarray(count, np.float64)


def table_ref(t, values, boundaries):
    """``values[i]`` between ``boundaries[i-1]`` and ``boundaries[i]``."""
    index = np.searchsorted(np.asarray(boundaries), np.asarray(t), side="right")
    return np.asarray(values, np.float64)[index]


def transformers_lr(step, peak, warmup, timescale=None, init=0.0):
    """transformers' inverse_sqrt multiplier times ``peak`` (plus an optional ramp start)."""
    if timescale is None:
        timescale = warmup or 10_000
    step = max(step, 0)
    if step < warmup:
        return init + (peak - init) * step / max(1, warmup)
    shift = timescale - warmup
    return peak / math.sqrt((step + shift) / timescale)


# ---------------------------------------------------------------------------------------
# Parameter tables used by a family's test file and by test_common_behaviour.py
# ---------------------------------------------------------------------------------------

# warmup_linear / warmup_polynomial: id -> (factory name, peak, total, warmup, power, init,
# floor)
POLYNOMIAL_CASES = {
    "linear": ("warmup_linear", 3e-4, 1000, 100, 1.0, 1e-6, 3e-5),
    "linear_d2z": ("warmup_linear", 1.0, 1000, 0, 1.0, 0.0, 0.0),
    "poly2": ("warmup_polynomial", 1e-3, 1000, 100, 2.0, 0.0, 1e-5),
    "poly_half": ("warmup_polynomial", 2.0, 1000, 100, 0.5, 0.1, 0.0),
    "poly3_no_warmup": ("warmup_polynomial", 5e-4, 1000, 0, 3.0, 0.0, 5e-6),
}


def build_polynomial(name, peak, total, warmup, power, init, floor):
    if name == "warmup_linear":
        assert power == 1.0
        return optax_sched.warmup_linear(
            peak, total_steps=total, warmup_steps=warmup, init_lr=init, min_lr=floor
        )
    return optax_sched.warmup_polynomial(
        peak, total_steps=total, warmup_steps=warmup, power=power, init_lr=init, min_lr=floor
    )


# warmup_exponential: id -> (peak, rate, period, warmup, init, floor, staircase)
EXPONENTIAL_CASES = {
    "continuous": (1e-3, 0.5, 100, 50, 1e-5, 1e-5, False),
    "staircase": (1.0, 0.5, 100, 10, 0.0, 0.2, True),
    "no_floor": (1e-3, 0.9, 10, 0, 0.0, 0.0, False),
    "staircase_no_warmup": (2e-4, 0.1, 30, 0, 0.0, 0.0, True),
}

# inverse_sqrt: id -> (peak, warmup, timescale, init)
INVERSE_SQRT_CASES = {
    "warmup_default_timescale": (1.0, 100, None, 0.0),
    "transformer_base": (7e-4, 4000, None, 0.0),
    "no_warmup": (1e-3, 0, None, 0.0),
    "explicit_timescale": (1e-3, 500, 2000, 0.0),
    "init_lr": (5e-4, 100, 300, 1e-5),
}


def build_inverse_sqrt(peak, warmup, timescale, init):
    return optax_sched.inverse_sqrt(peak, warmup_steps=warmup, timescale=timescale, init_lr=init)
