"""Tests for cosine_restarts (SGDR with growing periods, decaying peaks and a cycle limit)."""

from __future__ import annotations

import bisect
import functools
import math
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
import support
from support import TIGHT_ATOL, TRANSFORMS, on_grid_vmap

from optax_sched import cosine_restarts

# vmap over steps and no retrace under jit are checked in test_common_behaviour.py.

# Absolute tolerance: a small multiple of float32's resolution near cos(pi) (see support).
assert_close = functools.partial(support.assert_close, atol=TIGHT_ATOL)


@functools.cache
def cycle_starts(period, t_mult, horizon):
    """Exact cycle starts and lengths (as Fractions) up to ``horizon``, walked one by one."""
    m = Fraction(str(t_mult))
    start, length = Fraction(0), Fraction(period)
    starts, lengths = [], []
    while start <= horizon:
        starts.append(start)
        lengths.append(length)
        start += length
        length *= m
    return starts, lengths


def reference(
    t,
    peak,
    period,
    t_mult=1.0,
    min_lr=0.0,
    decay=1.0,
    warmup=0,
    init=0.0,
    limit=None,
):
    """SGDR written out by hand: linear warmup, then cycles walked from the first one."""
    if t < warmup:
        return init + (peak - init) * t / warmup
    tau = t - warmup
    if t_mult == 1.0:
        i, local, length = tau // period, tau % period, period
        if limit is not None and i >= limit:
            return min_lr
        top = max(peak * decay**i, min_lr)
        return min_lr + (top - min_lr) * 0.5 * (1.0 + math.cos(math.pi * local / length))
    starts, lengths = cycle_starts(period, t_mult, 2 ** max(tau, 1).bit_length())
    i = bisect.bisect_right(starts, Fraction(tau)) - 1
    if limit is not None and i >= limit:
        return min_lr
    local = float(Fraction(tau) - starts[i])
    top = max(peak * decay**i, min_lr)
    return min_lr + (top - min_lr) * 0.5 * (1.0 + math.cos(math.pi * local / float(lengths[i])))


def reference_grid(steps, **kwargs):
    return np.array([reference(int(t), **kwargs) for t in steps])


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_equal_cycles_closed_form(transform):
    peak, min_lr, period = 3e-4, 1e-5, 25
    s = cosine_restarts(peak, period=period, min_lr=min_lr)
    steps = np.arange(0, 8 * period + 3)
    local = steps % period
    want = min_lr + (peak - min_lr) * 0.5 * (1 + np.cos(np.pi * local / period))
    assert_close(on_grid_vmap(s, steps, transform), want, peak)
    # Every cycle is the same curve.
    got = on_grid_vmap(s, steps, transform)
    np.testing.assert_array_equal(got[:period], got[period : 2 * period])
    np.testing.assert_array_equal(got[:period], got[5 * period : 6 * period])


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_doubling_periods_restart_at_10_30_70_150(transform):
    peak = 2e-3
    s = cosine_restarts(peak, period=10, t_mult=2)
    f = transform(s)
    for restart in (0, 10, 30, 70, 150, 310):
        assert float(f(restart)) == np.float32(peak), restart
    # Just before each restart the value is near the floor, far below the peak.
    for restart in (10, 30, 70, 150):
        assert float(f(restart - 1)) < 0.03 * peak
    # Inside the cycles: lengths 10, 20, 40, 80, 160.
    steps = np.arange(0, 320)
    want = []
    for t in steps:
        start, length = 0, 10
        while t >= start + length:
            start, length = start + length, 2 * length
        want.append(peak * 0.5 * (1 + math.cos(math.pi * (t - start) / length)))
    assert_close(on_grid_vmap(s, steps, transform), want, peak)
    # Mid-points of the cycles are exactly half way.
    for mid in (5, 20, 50, 110, 230):
        assert_close(f(mid), 0.5 * peak, peak)


def torch_warm_restarts(base_lr, eta_min, t_0, t_mult, n_steps):
    """PyTorch's CosineAnnealingWarmRestarts, stepped once per update as its docs describe."""
    lrs = []
    t_cur, t_i = 0, t_0
    for _ in range(n_steps):
        lrs.append(eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)
        t_cur += 1
        if t_cur >= t_i:
            t_cur -= t_i
            t_i *= t_mult
    return np.array(lrs)


def torch_warm_restarts_at_epoch(base_lr, eta_min, t_0, t_mult, epoch):
    """PyTorch's CosineAnnealingWarmRestarts when step(epoch) is given the epoch directly."""
    if epoch >= t_0:
        n = int(math.log(epoch / t_0 * (t_mult - 1) + 1, t_mult))
        t_cur = epoch - t_0 * (t_mult**n - 1) / (t_mult - 1)
        t_i = t_0 * t_mult**n
    else:
        t_cur, t_i = epoch, t_0
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2


def test_matches_pytorch_warm_restarts_t0_10_tmult_2():
    base, eta_min = 0.1, 1e-3
    s = cosine_restarts(base, period=10, t_mult=2, min_lr=eta_min)
    steps = np.arange(0, 301)
    got = on_grid_vmap(s, steps)
    stepped = torch_warm_restarts(base, eta_min, 10, 2, 301)
    closed = [torch_warm_restarts_at_epoch(base, eta_min, 10, 2, int(t)) for t in steps]
    np.testing.assert_allclose(stepped, closed, rtol=1e-12, atol=1e-15)
    assert_close(got, stepped, base)


@pytest.mark.parametrize("decay", [1.0, 0.5])
def test_matches_optax_sgdr(decay):
    peak, min_lr = 1e-3, 2e-5
    kwargs = [
        dict(
            init_value=peak * decay**i,
            peak_value=peak * decay**i,
            warmup_steps=0,
            decay_steps=10 * 2**i,
            end_value=min_lr,
        )
        for i in range(5)
    ]
    expected = optax.sgdr_schedule(kwargs)
    s = cosine_restarts(peak, period=10, t_mult=2, min_lr=min_lr, decay=decay)
    steps = np.arange(0, 310)
    assert_close(on_grid_vmap(s, steps), on_grid_vmap(expected, steps), peak, rtol=2e-6)


@pytest.mark.parametrize(("period", "t_mult"), [(10, 1.5), (7, 1.5), (4, 1.25), (10, 2.5)])
def test_float_t_mult_walks_cycles_like_timm(period, t_mult):
    peak, min_lr = 1.0, 0.05
    s = cosine_restarts(peak, period=period, t_mult=t_mult, min_lr=min_lr)
    steps = np.arange(0, 400)
    want = reference_grid(steps, peak=peak, period=period, t_mult=t_mult, min_lr=min_lr)
    # With a fractional t_mult the cycle starts are not whole steps; in float32 a start
    # near step 300 is only known to ~3e-5 steps, hence a slightly wider absolute tolerance.
    assert_close(on_grid_vmap(s, steps), want, peak, atol=2e-6)


@pytest.mark.parametrize(
    ("period", "t_mult"), [(10, 2.0), (10, 3.0), (10, 1.5), (10, 2.5), (10, 1.1), (16, 1.5)]
)
def test_value_is_the_peak_at_every_whole_step_restart(period, t_mult):
    """Cycle i starts at P (m^i - 1)/(m - 1); where that is a whole step, the value is the peak."""
    peak = 1.0
    s = cosine_restarts(peak, period=period, t_mult=t_mult)
    starts, _ = cycle_starts(period, t_mult, 5000)
    whole = [int(x) for x in starts if x.denominator == 1]
    assert len(whole) >= 2
    got = on_grid_vmap(s, np.asarray(whole))
    bad = {step: float(v) for step, v in zip(whole, got, strict=True) if abs(v - peak) > 1e-6}
    assert not bad, f"restart steps whose value is not the peak {peak}: {bad}"


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_decay_scales_each_restart_peak(transform):
    peak, gamma, min_lr = 1e-3, 0.6, 1e-5
    s = cosine_restarts(peak, period=10, t_mult=2, decay=gamma, min_lr=min_lr)
    f = transform(s)
    for i, restart in enumerate((0, 10, 30, 70, 150)):
        assert_close(f(restart), peak * gamma**i, peak)
    steps = np.arange(0, 320)
    want = reference_grid(steps, peak=peak, period=10, t_mult=2.0, min_lr=min_lr, decay=gamma)
    assert_close(on_grid_vmap(s, steps, transform), want, peak)


def test_decayed_peak_is_clipped_to_the_floor():
    peak, gamma, min_lr = 1.0, 0.1, 0.05
    s = cosine_restarts(peak, period=10, decay=gamma, min_lr=min_lr)
    got = on_grid_vmap(s, np.arange(0, 60))
    assert_close(got[10], 0.1, peak)
    # From the third cycle on the decayed peak (0.01, ...) is below the floor: flat at min_lr.
    assert_close(got[20:], np.full(40, min_lr), peak)


@pytest.mark.parametrize("t_mult", [1.0, 2.0, 1.5])
def test_never_below_the_floor(t_mult):
    peak, min_lr = 5e-4, 5e-5
    s = cosine_restarts(peak, period=8, t_mult=t_mult, min_lr=min_lr, decay=0.8)
    got = on_grid_vmap(s, np.arange(0, 500))
    assert got.min() >= np.float32(min_lr) * (1 - 1e-6)
    assert got.max() <= np.float32(peak) * (1 + 1e-6)


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_warmup_before_the_first_cycle(transform):
    peak, init, warmup = 1e-3, 1e-5, 20
    s = cosine_restarts(peak, period=10, t_mult=2, warmup_steps=warmup, init_lr=init, min_lr=1e-6)
    steps = np.arange(0, 250)
    got = on_grid_vmap(s, steps, transform)
    want = reference_grid(
        steps, peak=peak, period=10, t_mult=2.0, min_lr=1e-6, warmup=warmup, init=init
    )
    assert_close(got, want, peak)
    assert_close(got[0], init, peak)
    assert_close(got[10], init + (peak - init) * 0.5, peak)
    assert got[warmup] == np.float32(peak)
    # The cycles start after the warmup: restarts at 20 + 10, 20 + 30, 20 + 70.
    for restart in (30, 50, 90):
        assert got[restart] == np.float32(peak)
    assert float(transform(s)(50)) == np.float32(peak)
    assert s.phases[0].name == "warmup"
    assert (s.phases[0].start, s.phases[0].end) == (0, warmup)


@pytest.mark.parametrize(
    ("t_mult", "limit", "warmup", "end"),
    [
        (1.0, 3, 0, 30),
        (1.0, 4, 5, 45),
        (2.0, 3, 0, 70),
        (2.0, 4, 7, 157),
        (1.5, 3, 0, 48),  # cycles 10 + 15 + 22.5 = 47.5 steps, settled from step 48
    ],
)
def test_cycle_limit_holds_the_floor(t_mult, limit, warmup, end):
    peak, min_lr = 1e-3, 1e-5
    s = cosine_restarts(
        peak, period=10, t_mult=t_mult, min_lr=min_lr, warmup_steps=warmup, cycle_limit=limit
    )
    assert s.end_step == end
    assert s.phases[-1].end == end
    steps = np.arange(0, end + 60)
    want = reference_grid(
        steps, peak=peak, period=10, t_mult=t_mult, min_lr=min_lr, warmup=warmup, limit=limit
    )
    got = on_grid_vmap(s, steps)
    assert_close(got, want, peak, atol=1e-6)
    # From end_step on the value is exactly the floor; the step before still moves.
    np.testing.assert_array_equal(got[end:], np.float32(min_lr))
    assert got[end - 1] > np.float32(min_lr)
    for far in (10**6, 2**31 - 1):
        assert float(s(far)) == np.float32(min_lr)
        assert float(jax.jit(s)(jnp.int32(far))) == np.float32(min_lr)


def test_no_limit_means_no_end_step():
    s = cosine_restarts(1.0, period=10)
    assert s.end_step is None
    assert s.phases[-1].end is None


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("t_mult", [1.0, 2.0, 1.5])
def test_far_out_steps_are_finite(transform, t_mult):
    peak, min_lr = 1e-3, 1e-5
    s = cosine_restarts(peak, period=10, t_mult=t_mult, min_lr=min_lr, warmup_steps=3)
    f = transform(s)
    for step in (10**6, 2**31 - 1, jnp.int32(2**31 - 1)):
        value = float(f(step))
        assert math.isfinite(value)
        assert np.float32(min_lr) * (1 - 1e-6) <= value <= np.float32(peak) * (1 + 1e-6)
    want = reference(10**6, peak=peak, period=10, t_mult=t_mult, min_lr=min_lr, warmup=3)
    assert_close(f(10**6), want, peak, atol=1e-5)


def test_far_out_equal_cycles_keep_their_phase():
    # Steps up to 2**24 are whole numbers in float32, so the position in the cycle is exact.
    peak = 1.0
    s = cosine_restarts(peak, period=7)
    for step in (10**6, 10**6 + 3, 10**7 + 5, 2**24 - 1):
        local = step % 7
        assert_close(s(step), 0.5 * (1 + math.cos(math.pi * local / 7)), peak)


def test_float_steps_are_accepted():
    s = cosine_restarts(1.0, period=10)
    assert_close(s(2.5), 0.5 * (1 + math.cos(math.pi * 0.25)), 1.0)
    assert_close(s(-4), 1.0, 1.0)


def test_traced_peak_under_vmap():
    lrs = jnp.array([1e-3, 2e-3, 5e-3])
    got = jax.jit(jax.vmap(lambda lr: cosine_restarts(lr, period=10, t_mult=2)(15)))(lrs)
    assert_close(got, np.asarray(lrs) * 0.5 * (1 + math.cos(math.pi * 5 / 20)), 5e-3)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (dict(t_mult=0.5), r"t_mult.*0\.5"),
        (dict(t_mult=-2.0), r"t_mult.*-2"),
        (dict(decay=0.0), r"decay.*0"),
        (dict(decay=1.5), r"decay.*1\.5"),
        (dict(period=0), r"period.*0"),
        (dict(period=2.5), r"period.*2\.5"),
        (dict(min_lr=2.0), r"min_lr.*2\.0.*peak_lr"),
        (dict(peak_lr=-1.0), r"peak_lr.*-1"),
        (dict(peak_lr=float("nan")), r"peak_lr.*nan"),
        (dict(init_lr=3.0, warmup_steps=5), r"init_lr.*3\.0"),
        (dict(cycle_limit=0), r"cycle_limit.*0"),
        (dict(warmup_steps=-1), r"warmup_steps.*-1"),
    ],
)
def test_validation_errors(kwargs, pattern):
    args = dict(peak_lr=1.0, period=10)
    args.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        cosine_restarts(**args)


@pytest.mark.parametrize("t_mult", [1.0001, 1.00005])
def test_slowly_growing_periods_restart_at_the_peak(t_mult):
    # Regression: these periods use the closed form (the cycle table would exceed 4096
    # entries), where exp(x) - 1 in float32 put step 10 at the end of cycle 0.
    s = cosine_restarts(1.0, period=10, t_mult=t_mult)
    start, length, starts = 0.0, 10.0, []
    while start < 5000:
        starts.append(start)
        start, length = start + length, length * t_mult
    whole = [int(x) for x in starts if abs(x - round(x)) < 1e-9]
    assert whole[:2] == [0, 10]
    np.testing.assert_allclose(s(np.asarray(whole)), 1.0, rtol=1e-6)
    inside = np.arange(0, 5000, 7)
    index = np.searchsorted(starts, inside, side="right") - 1
    lengths = 10.0 * t_mult**index
    local = inside - np.asarray(starts)[index]
    expected = 0.5 * (1 + np.cos(np.pi * local / lengths))
    np.testing.assert_allclose(s(inside), expected, atol=2e-4)
