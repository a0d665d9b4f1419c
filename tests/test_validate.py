"""Argument checks: messages name the argument, the value, the allowed range and a fix."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from optax_sched import _validate

W = "factory"


@pytest.mark.parametrize("bad", [-1e-4, math.nan, math.inf, -math.inf])
def test_check_lr_rejects_negative_and_non_finite(bad):
    with pytest.raises(ValueError, match=r"factory: peak_lr must be .*got peak_lr="):
        _validate.check_lr(W, "peak_lr", bad)


@pytest.mark.parametrize("good", [0.0, 1e-8, 3, np.float32(1e-3), jnp.asarray(2e-4)])
def test_check_lr_accepts_non_negative_numbers(good):
    _validate.check_lr(W, "peak_lr", good)


@pytest.mark.parametrize("bad", ["1e-4", [1e-4], True, np.ones(2)])
def test_check_lr_rejects_non_numbers(bad):
    with pytest.raises(ValueError, match="peak_lr must be a number"):
        _validate.check_lr(W, "peak_lr", bad)


def test_check_lr_skips_tracers():
    def f(lr):
        _validate.check_lr(W, "peak_lr", lr)
        return lr * 2

    np.testing.assert_allclose(jax.vmap(f)(jnp.array([-1.0, 1.0])), [-2.0, 2.0])


def test_check_not_above_names_both_arguments():
    with pytest.raises(
        ValueError, match=r"min_lr must not exceed peak_lr; got min_lr=0.2 > peak_lr=0.1"
    ):
        _validate.check_not_above(W, "min_lr", 0.2, "peak_lr", 0.1)
    _validate.check_not_above(W, "min_lr", 0.1, "peak_lr", 0.1)


@pytest.mark.parametrize("bad", [0, -3, 10.5, 10.0, True, "10", None])
def test_check_steps_rejects_non_positive_and_non_int(bad):
    with pytest.raises(ValueError, match="total_steps"):
        _validate.check_steps(W, "total_steps", bad)


def test_check_steps_accepts_numpy_ints():
    assert _validate.check_steps(W, "total_steps", np.int64(7)) == 7


@pytest.mark.parametrize(
    ("value", "total", "expected"),
    [(0, 100, 0), (25, 100, 25), (0.0, 100, 0), (0.03, 10_000, 300), (0.03, 1001, 31), (0.5, 3, 2)],
)
def test_resolve_steps_int_or_ceil_of_ratio(value, total, expected):
    assert _validate.resolve_steps(W, "warmup_steps", value, total) == expected


@pytest.mark.parametrize("bad", [1.0, 1.5, -0.1, 100.0, math.nan])
def test_resolve_steps_rejects_float_outside_unit_interval(bad):
    with pytest.raises(ValueError, match=r"warmup_steps as a float is a fraction .* \[0, 1\)"):
        _validate.resolve_steps(W, "warmup_steps", bad, 100)


def test_resolve_steps_ratio_needs_a_total():
    with pytest.raises(ValueError, match="no total_steps"):
        _validate.resolve_steps(W, "warmup_steps", 0.1, None)


def test_check_choice_lists_the_options():
    with pytest.raises(ValueError, match=r"must be one of 'linear', 'cosine'; got shape='cos'"):
        _validate.check_choice(W, "shape", "cos", ["linear", "cosine"])


def test_check_sorted_steps_rejects_unsorted_and_duplicates():
    with pytest.raises(ValueError, match=r"milestones must be strictly increasing.*\[30, 10\]"):
        _validate.check_sorted_steps(W, "milestones", [30, 10])
    with pytest.raises(ValueError, match="strictly increasing"):
        _validate.check_sorted_steps(W, "milestones", [10, 10])
    with pytest.raises(ValueError, match=r"milestones\[0\]"):
        _validate.check_sorted_steps(W, "milestones", [0, 10])
    assert _validate.check_sorted_steps(W, "milestones", [10, 30]) == (10, 30)
