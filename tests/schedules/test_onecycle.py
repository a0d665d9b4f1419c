"""Tests for one_cycle (Smith's one-cycle policy with PyTorch OneCycleLR's arguments)."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
import support
from support import TIGHT_ATOL, TRANSFORMS, on_grid_vmap

from optax_sched import one_cycle

# vmap over steps and no retrace under jit are checked in test_common_behaviour.py.

# Absolute tolerance: a small multiple of float32's resolution near cos(pi) (see support).
assert_close = functools.partial(support.assert_close, atol=TIGHT_ATOL)


def anneal(strategy, a, b, p):
    if strategy == "cos":
        return b + (a - b) * 0.5 * (1.0 + math.cos(math.pi * p))
    return a + (b - a) * p


def reference(t, max_lr, total, pct, div, final_div, strategy="cos", three_phase=False):
    """The one-cycle policy written out by hand, with U = ceil(pct * total) rising steps."""
    up = math.ceil(pct * total)
    start = max_lr / div
    end = start / final_div
    if t >= total:
        return end
    if t < up:
        return anneal(strategy, start, max_lr, t / up)
    if not three_phase:
        return anneal(strategy, max_lr, end, (t - up) / (total - up))
    if t < 2 * up:
        return anneal(strategy, max_lr, start, (t - up) / up)
    return anneal(strategy, start, end, (t - 2 * up) / (total - 2 * up))


CASES = [
    # max_lr, total, pct_start, div_factor, final_div_factor
    (1e-3, 100, 0.25, 10.0, 100.0),
    (3e-2, 1000, 0.3, 25.0, 1e4),
    (1.0, 45, 0.3, 5.0, 10.0),  # 13.5 rising steps round up to 14
]


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("three_phase", [False, True], ids=["two", "three"])
@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("case", CASES, ids=["T100", "T1000", "T45"])
def test_matches_the_formula(case, strategy, three_phase, transform):
    max_lr, total, pct, div, final_div = case
    s = one_cycle(max_lr, total, pct, div, final_div, strategy, three_phase)
    up = math.ceil(pct * total)
    # At most 512 steps: a stride through the run plus every phase boundary's neighbours.
    stride = -(-(total + 30) // 450)
    edges = [b + d for b in (0, up, 2 * up, total) for d in (-1, 0, 1)]
    steps = np.unique(np.clip(np.r_[np.arange(0, total + 30, stride), edges], 0, None))
    want = [reference(t, max_lr, total, pct, div, final_div, strategy, three_phase) for t in steps]
    assert_close(on_grid_vmap(s, steps, transform), want, max_lr)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize(
    ("total", "pct", "up"), [(100, 0.25, 25), (45, 0.3, 14), (10, 0.01, 1), (7, 0.5, 4)]
)
def test_landmarks(total, pct, up, strategy, transform):
    max_lr, div, final_div = 2e-3, 20.0, 50.0
    s = one_cycle(max_lr, total, pct, div, final_div, strategy)
    f = transform(s)
    start, end = max_lr / div, max_lr / div / final_div
    assert_close(f(0), start, max_lr)
    if up > 1:
        assert float(f(up - 1)) < np.float32(max_lr)
    assert float(f(up)) == np.float32(max_lr)
    assert float(f(up + 1)) < np.float32(max_lr)
    assert float(f(total - 1)) > np.float32(end)
    # The end value is reached at total_steps and held (PyTorch would raise instead).
    for t in (total, total + 1, 100 * total, 10**6, 2**31 - 1):
        assert_close(f(t), end, max_lr)
    assert s.end_step == total
    assert [(p.start, p.end) for p in s.phases] == [(0, up), (up, total)]


@pytest.mark.parametrize("three_phase", [False, True], ids=["two", "three"])
@pytest.mark.parametrize("strategy", ["cos", "linear"])
def test_end_value_is_reached_exactly(strategy, three_phase):
    # The end value max_lr / div / final_div is tiny next to max_lr; it is the rate for the
    # whole tail of the run, so it should be the documented value itself, not max_lr plus a
    # rounding error.
    max_lr, div, final_div, total = 1e-3, 25.0, 1e4, 100
    s = one_cycle(max_lr, total, 0.3, div, final_div, strategy, three_phase)
    end = max_lr / div / final_div
    got = on_grid_vmap(s, [total, total + 1, 10 * total, 10**6])
    assert_close(got, np.full(4, end), end)


def test_docstring_example_values():
    s = one_cycle(1.0, total_steps=100, pct_start=0.25, div_factor=10, final_div_factor=100)
    assert_close(on_grid_vmap(s, [0, 25, 100]), [0.1, 1.0, 0.001], 1.0)


@pytest.mark.parametrize("total", [100, 200, 1000])
def test_cos_matches_optax_cosine_onecycle(total):
    # optax places the peak at int(pct_start * total); with a whole number of rising steps
    # the two conventions agree.
    max_lr, pct, div, final_div = 1e-3, 0.25, 25.0, 1e4
    expected = optax.cosine_onecycle_schedule(total, max_lr, pct, div, final_div)
    s = one_cycle(max_lr, total, pct, div, final_div, "cos")
    steps = np.arange(0, total + 20)
    assert_close(on_grid_vmap(s, steps), on_grid_vmap(expected, steps), max_lr)


@pytest.mark.parametrize("total", [100, 400])
def test_linear_three_phase_matches_optax_linear_onecycle(total):
    # optax's linear one-cycle goes back to the start at pct_final; with pct_final equal to
    # 2 * pct_start it is the three-phase shape.
    max_lr, pct, div, final_div = 5e-2, 0.25, 10.0, 100.0
    expected = optax.linear_onecycle_schedule(total, max_lr, pct, 2 * pct, div, final_div)
    s = one_cycle(max_lr, total, pct, div, final_div, "linear", three_phase=True)
    steps = np.arange(0, total + 20)
    assert_close(on_grid_vmap(s, steps), on_grid_vmap(expected, steps), max_lr)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("strategy", ["cos", "linear"])
def test_three_phase_shape(strategy, transform):
    max_lr, total, pct, div, final_div = 1e-2, 100, 0.3, 10.0, 1e3
    s = one_cycle(max_lr, total, pct, div, final_div, strategy, three_phase=True)
    f = transform(s)
    up, start, end = 30, max_lr / div, max_lr / div / final_div
    assert float(f(up)) == np.float32(max_lr)
    assert_close(f(2 * up), start, max_lr)
    assert_close(f(up + up // 2), 0.5 * (max_lr + start), max_lr)
    assert_close(f(2 * up + 20), 0.5 * (start + end), max_lr)
    assert_close(f(total), end, max_lr)
    assert_close(f(total + 50), end, max_lr)
    assert [p.name for p in s.phases] == ["warmup", "decay", "annihilation"]
    assert [(p.start, p.end) for p in s.phases] == [(0, 30), (30, 60), (60, 100)]
    # Rising, falling, then falling further, never below the end value.
    got = on_grid_vmap(s, np.arange(0, total + 1))
    assert np.all(np.diff(got[: up + 1]) > 0)
    assert np.all(np.diff(got[up:]) < 0)


def test_traced_max_lr_under_vmap():
    peaks = jnp.array([1e-3, 2e-3, 4e-3])
    got = jax.jit(jax.vmap(lambda lr: one_cycle(lr, 100, 0.25)(25)))(peaks)
    assert_close(got, np.asarray(peaks), 4e-3)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (dict(pct_start=0), r"pct_start.*0"),
        (dict(pct_start=0.0), r"pct_start.*0"),
        (dict(pct_start=1), r"pct_start.*1"),
        (dict(pct_start=1.2), r"pct_start.*1\.2"),
        (dict(pct_start=-0.1), r"pct_start.*-0\.1"),
        (dict(div_factor=0.5), r"div_factor.*0\.5"),
        (dict(final_div_factor=0.1), r"final_div_factor.*0\.1"),
        (dict(total_steps=1), r"total_steps.*1"),
        (dict(total_steps=0), r"total_steps.*0"),
        (dict(three_phase=True, pct_start=0.5), r"pct_start.*0\.5"),
        (dict(three_phase=True, pct_start=0.7), r"pct_start.*0\.7"),
        (dict(anneal_strategy="cosine"), r"anneal_strategy.*cosine"),
        (dict(anneal_strategy="exp"), r"anneal_strategy.*exp"),
        (dict(max_lr=-1.0), r"max_lr.*-1"),
    ],
)
def test_validation_errors(kwargs, pattern):
    args = dict(max_lr=1.0, total_steps=100)
    args.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        one_cycle(**args)


def test_bad_anneal_strategy_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"anneal_strategy") as info:
        one_cycle(1.0, 100, anneal_strategy="exp")
    assert "'cos'" in str(info.value)
    assert "'linear'" in str(info.value)


def test_three_phase_needs_room_for_the_last_phase():
    # 2 * ceil(0.49 * 100) = 98 < 100: fine; pct_start 0.5 leaves nothing.
    one_cycle(1.0, 100, 0.49, three_phase=True)
    with pytest.raises(ValueError, match=r"pct_start.*total_steps"):
        one_cycle(1.0, 100, 0.5, three_phase=True)
    # Two phases: 0.99 of 100 leaves one decay step.
    s = one_cycle(1.0, 100, 0.99)
    assert float(s(99)) == 1.0
