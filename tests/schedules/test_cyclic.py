"""cyclic against PyTorch CyclicLR's documented algorithm, written out independently."""

import math

import numpy as np
import pytest
from support import TRANSFORMS

import optax_sched


def torch_cyclic(t, base, top, up, down, mode, gamma=1.0):
    """CyclicLR.get_lr after t scheduler steps (torch/optim/lr_scheduler.py, 1-based cycles)."""
    total = up + down
    ratio = up / total
    cycle = math.floor(1 + t / total)
    x = 1.0 + t / total - cycle
    scale = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
    height = (top - base) * scale
    if mode == "triangular":
        return base + height
    if mode == "triangular2":
        return base + height / (2.0 ** (cycle - 1))
    return base + height * gamma**t


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize(
    ("mode", "up", "down", "gamma"),
    [
        ("triangular", 10, None, 1.0),
        ("triangular", 7, 3, 1.0),
        ("triangular2", 10, 5, 1.0),
        ("exp_range", 8, None, 0.995),
    ],
)
def test_matches_torch_algorithm(transform, mode, up, down, gamma):
    s = optax_sched.cyclic(1e-4, 1e-2, up, down, mode=mode, gamma=gamma)
    steps = np.arange(0, 120)
    expected = [torch_cyclic(t, 1e-4, 1e-2, up, down or up, mode, gamma) for t in steps]
    np.testing.assert_allclose(transform(s)(steps), expected, rtol=2e-5, atol=1e-9)


def test_landmarks():
    s = optax_sched.cyclic(0.1, 1.0, step_size_up=4, step_size_down=6)
    assert float(s(0)) == pytest.approx(0.1)
    assert float(s(4)) == pytest.approx(1.0)
    assert float(s(10)) == pytest.approx(0.1)
    assert float(s(14)) == pytest.approx(1.0)
    assert s.end_step is None


def test_negative_steps_are_step_zero():
    s = optax_sched.cyclic(0.1, 1.0, step_size_up=4)
    assert float(s(-7)) == pytest.approx(float(s(0)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_lr": 0.5, "max_lr": 0.1}, r"base_lr must not exceed max_lr; got base_lr=0.5"),
        ({"base_lr": -0.1}, r"base_lr must be >= 0; got base_lr=-0.1"),
        ({"step_size_up": 0}, r"step_size_up must be >= 1; got step_size_up=0"),
        ({"step_size_down": 2.5}, r"step_size_down must be an int .* got step_size_down=2.5"),
        ({"mode": "triangle"}, r"mode must be one of 'triangular', 'triangular2', 'exp_range'"),
        ({"mode": "exp_range", "gamma": 0.0}, r"gamma must be in \(0, 1\]; got gamma=0.0"),
        ({"mode": "exp_range", "gamma": 1.5}, r"gamma must be in \(0, 1\]; got gamma=1.5"),
    ],
)
def test_rejects_bad_arguments(kwargs, message):
    args = {"base_lr": 0.1, "max_lr": 1.0, "step_size_up": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        optax_sched.cyclic(**args)
