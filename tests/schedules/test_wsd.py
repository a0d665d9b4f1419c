"""Tests for warmup_stable_decay (warmup, a flat stretch at the peak, then a cooldown)."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import support
from support import TIGHT_ATOL, TRANSFORMS, on_grid_vmap

from optax_sched import Phase, warmup_stable_decay

# vmap over steps and no retrace under jit are checked in test_common_behaviour.py.

# Absolute tolerance: a small multiple of float32's resolution near cos(pi) (see support).
assert_close = functools.partial(support.assert_close, atol=TIGHT_ATOL)

COOLDOWNS = {
    "linear": lambda p: 1.0 - p,
    "cosine": lambda p: 0.5 * (1.0 + math.cos(math.pi * p)),
    "1-sqrt": lambda p: 1.0 - math.sqrt(p),
}


def reference(t, peak, total, warmup, decay, init=0.0, min_lr=0.0, shape="1-sqrt", ramp="linear"):
    """The trapezoid written out by hand."""
    if t < warmup:
        x = t / warmup
        if ramp == "linear":
            return init + (peak - init) * x
        return init + (peak - init) * 0.5 * (1.0 - math.cos(math.pi * x))
    if t < total - decay:
        return peak
    if t >= total:
        return min_lr
    p = (t - (total - decay)) / decay
    return min_lr + (peak - min_lr) * COOLDOWNS[shape](p)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("shape", ["linear", "cosine", "1-sqrt"])
def test_cooldown_shapes_match_the_formula(shape, transform):
    peak, init, min_lr, total, warmup, decay = 3e-4, 1e-5, 1e-6, 200, 20, 40
    s = warmup_stable_decay(
        peak,
        total,
        warmup_steps=warmup,
        decay_steps=decay,
        init_lr=init,
        min_lr=min_lr,
        decay_shape=shape,
    )
    steps = np.arange(0, total + 60)
    want = [reference(t, peak, total, warmup, decay, init, min_lr, shape) for t in steps]
    assert_close(on_grid_vmap(s, steps, transform), want, peak)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("shape", ["linear", "cosine", "1-sqrt"])
def test_phase_boundaries(shape, transform):
    peak, min_lr, total, warmup, decay = 1e-3, 1e-5, 100, 10, 20
    s = warmup_stable_decay(
        peak, total, warmup_steps=warmup, decay_steps=decay, min_lr=min_lr, decay_shape=shape
    )
    f = transform(s)
    peak32, floor32 = np.float32(peak), np.float32(min_lr)
    assert float(f(0)) == 0.0
    assert float(f(warmup - 1)) < peak32
    # The stable phase holds the peak exactly, from the end of the warmup to the cooldown.
    for t in (warmup, warmup + 1, 50, total - decay - 1, total - decay):
        assert float(f(t)) == peak32, t
    assert float(f(total - decay + 1)) < peak32
    assert float(f(total - 1)) > floor32
    for t in (total, total + 1, 10 * total, 10**6, 2**31 - 1):
        assert_close(f(t), min_lr, peak)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("shape", ["linear", "cosine", "1-sqrt"])
def test_floor_is_reached_exactly_and_held(shape, transform):
    peak, min_lr, total = 1e-3, 1e-5, 100
    s = warmup_stable_decay(
        peak, total, warmup_steps=10, decay_steps=20, min_lr=min_lr, decay_shape=shape
    )
    f = transform(s)
    floor32 = np.float32(min_lr)
    held = {t: float(f(t)) for t in (total, total + 1, 10 * total, 10**6, 2**31 - 1)}
    held["int32 max"] = float(jax.jit(s)(jnp.int32(2**31 - 1)))
    assert all(v == floor32 for v in held.values()), f"min_lr={min_lr}, got {held}"


def test_phases_and_end_step():
    s = warmup_stable_decay(1.0, 100, warmup_steps=10, decay_steps=20)
    assert s.end_step == 100
    assert s.phases == (
        Phase("warmup", 0, 10),
        Phase("stable", 10, 80),
        Phase("decay", 80, 100),
    )
    assert [p.name for p in warmup_stable_decay(1.0, 100, decay_steps=20).phases] == [
        "stable",
        "decay",
    ]


def test_docstring_example_values():
    s = warmup_stable_decay(1.0, 100, warmup_steps=10, decay_steps=20, decay_shape="linear")
    assert_close(on_grid_vmap(s, [0, 10, 79, 80, 90, 100]), [0.0, 1.0, 1.0, 1.0, 0.5, 0.0], 1.0)


def test_no_stable_phase_when_warmup_and_decay_fill_the_run():
    peak, total, warmup, decay = 2.0, 50, 20, 30
    s = warmup_stable_decay(peak, total, warmup_steps=warmup, decay_steps=decay)
    assert [p.name for p in s.phases] == ["warmup", "decay"]
    steps = np.arange(0, 60)
    want = [reference(t, peak, total, warmup, decay) for t in steps]
    assert_close(on_grid_vmap(s, steps), want, peak)
    assert float(s(warmup)) == np.float32(peak)


def test_without_warmup_starts_at_the_peak():
    s = warmup_stable_decay(5e-4, 1000, decay_steps=100, init_lr=1e-6)
    assert float(s(0)) == np.float32(5e-4)
    assert float(s(899)) == np.float32(5e-4)


@pytest.mark.parametrize(
    ("total", "warmup_ratio", "decay_ratio"),
    [(1001, 0.05, 0.15), (1000, 0.03, 0.2), (37, 0.1, 0.25), (999, 0.0, 0.1)],
)
def test_ratios_round_up(total, warmup_ratio, decay_ratio):
    peak, min_lr = 1e-3, 1e-5
    warmup = math.ceil(warmup_ratio * total)
    decay = math.ceil(decay_ratio * total)
    s = warmup_stable_decay(
        peak,
        total,
        warmup_steps=warmup_ratio,
        decay_steps=decay_ratio,
        min_lr=min_lr,
        decay_shape="linear",
    )
    steps = np.arange(0, total + 5)
    want = [reference(t, peak, total, warmup, decay, 0.0, min_lr, "linear") for t in steps]
    assert_close(on_grid_vmap(s, steps), want, peak)
    assert s.phases[-1] == Phase("decay", total - decay, total)
    if warmup:
        assert s.phases[0] == Phase("warmup", 0, warmup)


def test_ratio_examples_spelled_out():
    # ceil(0.05 * 1001) = 51 warmup steps, ceil(0.15 * 1001) = 151 cooldown steps.
    s = warmup_stable_decay(1.0, 1001, warmup_steps=0.05, decay_steps=0.15)
    assert s.phases[0] == Phase("warmup", 0, 51)
    assert s.phases[-1] == Phase("decay", 850, 1001)
    assert float(s(50)) < 1.0
    assert float(s(51)) == 1.0
    assert float(s(850)) == 1.0
    assert float(s(851)) < 1.0


def test_default_cooldown_is_one_fifth_with_1_sqrt():
    peak, total = 1.0, 1000
    s = warmup_stable_decay(peak, total)
    steps = np.arange(0, total + 2)
    want = [reference(t, peak, total, 0, 200, shape="1-sqrt") for t in steps]
    assert_close(on_grid_vmap(s, steps), want, peak)


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_cosine_warmup(transform):
    peak, init, warmup, total = 4e-4, 2e-5, 30, 120
    s = warmup_stable_decay(
        peak, total, warmup_steps=warmup, decay_steps=30, init_lr=init, warmup_shape="cosine"
    )
    steps = np.arange(0, warmup + 5)
    want = init + (peak - init) * 0.5 * (1 - np.cos(np.pi * np.minimum(steps, warmup) / warmup))
    assert_close(on_grid_vmap(s, steps, transform), want, peak)
    assert_close(transform(s)(15), init + (peak - init) * 0.5, peak)


def test_float_and_negative_steps():
    s = warmup_stable_decay(1.0, 100, warmup_steps=10, decay_steps=20, decay_shape="linear")
    assert_close(s(2.5), 0.25, 1.0)
    assert_close(s(85.0), 0.75, 1.0)
    assert float(s(-3)) == 0.0


def test_traced_peak_under_vmap():
    peaks = jnp.array([1e-4, 3e-4, 1e-3])

    def value(peak):
        return warmup_stable_decay(peak, 100, warmup_steps=10, decay_steps=20)(5)

    assert_close(jax.jit(jax.vmap(value))(peaks), np.asarray(peaks) * 0.5, 1e-3)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (dict(warmup_steps=50, decay_steps=60), r"warmup_steps.*decay_steps.*total_steps=100"),
        (dict(warmup_steps=0.5, decay_steps=0.6), r"warmup_steps.*decay_steps.*total_steps"),
        (dict(warmup_steps=100, decay_steps=1), r"warmup_steps.*100"),
        (dict(decay_steps=101), r"decay_steps.*total_steps"),
        (dict(decay_steps=0), r"decay_steps.*0"),
        (dict(decay_steps=0.0), r"decay_steps.*0"),
        (dict(decay_steps=-5), r"decay_steps.*-5"),
        (dict(decay_steps=1.0), r"decay_steps.*1\.0"),
        (dict(warmup_steps=1.5), r"warmup_steps.*1\.5"),
        (dict(warmup_steps=-1), r"warmup_steps.*-1"),
        (dict(total_steps=0), r"total_steps.*0"),
        (dict(total_steps=100.0), r"total_steps.*100\.0"),
        (dict(min_lr=2.0), r"min_lr.*2\.0.*peak_lr"),
        (dict(init_lr=2.0), r"init_lr.*2\.0.*peak_lr"),
        (dict(peak_lr=-1e-3), r"peak_lr.*-0\.001"),
        (dict(peak_lr=float("inf")), r"peak_lr.*inf"),
    ],
)
def test_validation_errors(kwargs, pattern):
    args = dict(peak_lr=1.0, total_steps=100)
    args.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        warmup_stable_decay(**args)


def test_bad_shape_names_list_the_valid_ones():
    with pytest.raises(ValueError, match=r"decay_shape") as info:
        warmup_stable_decay(1.0, 100, decay_shape="exponential")
    message = str(info.value)
    assert "exponential" in message
    for name in ("linear", "cosine", "1-sqrt"):
        assert name in message
    with pytest.raises(ValueError, match=r"warmup_shape") as info:
        warmup_stable_decay(1.0, 100, warmup_steps=5, warmup_shape="1-sqrt")
    message = str(info.value)
    assert "1-sqrt" in message
    for name in ("linear", "cosine"):
        assert name in message
