"""Tests for cycle_decay (one learning rate per training cycle, decayed or from a table)."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import support
from support import RTOL, TIGHT_ATOL, TRANSFORMS, on_grid_vmap, warmup_cosine_ref

from optax_sched import cycle_decay, warmup_cosine

# Absolute tolerance: a small multiple of float32's resolution near cos(pi) (see support).
assert_close = functools.partial(support.assert_close, atol=TIGHT_ATOL)

BASE = 5e-5
TABLE = [5.0e-5, 4.0e-5, 3.0e-5, 2.5e-5, 2.0e-5]


def rounds_to(value, expected, digits=2):
    """True when ``value`` rounds to ``expected`` at ``digits`` significant figures.

    Ties count (5e-5 * 0.7**2 is exactly 2.45e-5, shown as 2.5e-5), with a float32-sized
    slack so that a tie computed a hair below still counts.
    """
    exponent = math.floor(math.log10(abs(expected)))
    half_unit = 0.5 * 10 ** (exponent - digits + 1)
    return abs(value - expected) <= half_unit + RTOL * abs(expected)


# Rates at cycles 1, 3 and 5 for a base of 5e-5, to two significant figures.
SEED_TABLE = {
    1.0: (5.0e-5, 5.0e-5, 5.0e-5),
    0.95: (5.0e-5, 4.5e-5, 4.1e-5),
    0.85: (5.0e-5, 3.6e-5, 2.6e-5),
    0.70: (5.0e-5, 2.5e-5, 1.2e-5),
}


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("factor", sorted(SEED_TABLE))
def test_seed_table(factor, transform):
    n = 100
    s = cycle_decay(BASE, steps_per_cycle=n, decay_factor=factor)
    f = transform(s)
    for cycle, expected in zip((1, 3, 5), SEED_TABLE[factor], strict=True):
        for step in (n * (cycle - 1), n * (cycle - 1) + 37, n * cycle - 1):
            value = float(f(step))
            assert rounds_to(value, expected), (factor, cycle, step, value, expected)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("factor", [1.0, 0.95, 0.85, 0.7, 0.5])
@pytest.mark.parametrize("n", [1, 7, 100])
def test_decay_formula(n, factor, transform):
    s = cycle_decay(BASE, steps_per_cycle=n, decay_factor=factor)
    steps = np.arange(0, 12 * n + 3, -(-(12 * n) // 500))
    cycle = steps // n + 1
    want = BASE * factor ** (cycle - 1.0)
    assert_close(on_grid_vmap(s, steps, transform), want, BASE)


def test_doc_example_values():
    s = cycle_decay(5e-5, steps_per_cycle=100, decay_factor=0.85)
    got = on_grid_vmap(s, [0, 200, 400])
    assert [f"{v:.2e}" for v in got] == ["5.00e-05", "3.61e-05", "2.61e-05"]


def test_constant_factor_settles_immediately():
    s = cycle_decay(BASE, 50, decay_factor=1.0)
    assert s.end_step == 0
    np.testing.assert_array_equal(on_grid_vmap(s, np.arange(0, 500, 7)), np.float32(BASE))
    assert cycle_decay(BASE, 50, decay_factor=0.9).end_step is None


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("base_lr", [None, 5.0e-5], ids=["base-None", "base-equal"])
def test_manual_table(base_lr, transform):
    n = 50
    s = cycle_decay(base_lr, n, lrs=TABLE)
    steps = np.arange(0, 9 * n)
    want = [TABLE[min(t // n + 1, len(TABLE)) - 1] for t in steps]
    assert_close(on_grid_vmap(s, steps, transform), want, BASE)
    f = transform(s)
    for i, lr in enumerate(TABLE):
        assert float(f(i * n)) == np.float32(lr)
        assert float(f(i * n + n - 1)) == np.float32(lr)
    # The last entry is held after the table runs out.
    for step in (5 * n, 50 * n, 10**6, 2**31 - 1):
        assert float(f(step)) == np.float32(TABLE[-1])
    assert s.end_step == (len(TABLE) - 1) * n
    assert [p.name for p in s.phases] == [f"cycle {i}" for i in range(1, 6)]


def test_doc_table_example():
    t = cycle_decay(None, 100, lrs=[5e-5, 4e-5, 3e-5])
    assert_close(on_grid_vmap(t, [0, 150, 250, 10_000]), [5e-5, 4e-5, 3e-5, 3e-5], BASE)


def test_table_may_rise():
    s = cycle_decay(None, 10, lrs=[1e-4, 3e-4, 2e-4])
    assert_close(
        on_grid_vmap(s, [0, 9, 10, 19, 20, 100]), [1e-4, 1e-4, 3e-4, 3e-4, 2e-4, 2e-4], 3e-4
    )


def test_single_entry_table():
    s = cycle_decay(None, 10, lrs=[3e-4])
    np.testing.assert_array_equal(on_grid_vmap(s, [0, 5, 10, 1000]), np.float32(3e-4))


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_within_schedule_scaled_by_cycle_rate(transform):
    n, factor = 50, 0.85
    within = warmup_cosine(1.0, total_steps=n, warmup_steps=5, min_lr=0.1)
    s = cycle_decay(BASE, n, decay_factor=factor, within=within)
    steps = np.arange(0, 6 * n)
    want = [
        BASE * factor ** (t // n) * warmup_cosine_ref(t % n, 1.0, n, 5, 0.0, 0.1) for t in steps
    ]
    assert_close(on_grid_vmap(s, steps, transform), want, BASE)
    assert s.end_step is None


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_within_lambda_with_table(transform):
    n = 20

    def within(t):
        return 1.0 - 0.5 * t / n

    s = cycle_decay(None, n, lrs=TABLE, within=within)
    steps = np.arange(0, 8 * n)
    want = [TABLE[min(t // n, len(TABLE) - 1)] * (1.0 - 0.5 * (t % n) / n) for t in steps]
    assert_close(on_grid_vmap(s, steps, transform), want, BASE)
    assert [p.name for p in s.phases] == [f"cycle {i}" for i in range(1, 6)]


def test_within_schedule_of_exactly_one_cycle_is_accepted():
    within = warmup_cosine(1.0, total_steps=40, warmup_steps=4)
    s = cycle_decay(1e-3, 40, within=within)
    assert_close(s(2), 1e-3 * 0.5, 1e-3)
    assert_close(s(42), 1e-3 * 0.5, 1e-3)


def test_within_schedule_longer_than_a_cycle_is_rejected():
    within = warmup_cosine(1.0, total_steps=60, warmup_steps=5)
    with pytest.raises(ValueError, match=r"within.*60.*steps_per_cycle=50"):
        cycle_decay(BASE, 50, decay_factor=0.9, within=within)
    with pytest.raises(ValueError, match=r"within.*60.*steps_per_cycle=50"):
        cycle_decay(None, 50, lrs=TABLE, within=within)


def test_within_must_be_callable():
    with pytest.raises(ValueError, match=r"within.*0\.5"):
        cycle_decay(BASE, 50, within=0.5)


def test_vmap_matches_step_loop():
    n = 10
    within = warmup_cosine(1.0, total_steps=n, warmup_steps=2, min_lr=0.2)
    steps = np.array([0, 1, 2, 9, 10, 11, 25, 39, 40, 41, 77, 1000])
    for s in (
        cycle_decay(BASE, n, decay_factor=0.9),
        cycle_decay(None, n, lrs=TABLE),
        cycle_decay(BASE, n, decay_factor=0.9, within=within),
    ):
        support.assert_vmap_matches_loop(s, steps, BASE, atol=TIGHT_ATOL)


@pytest.mark.parametrize("kind", ["decay", "table", "within"])
def test_jit_does_not_retrace(kind):
    n = 10
    if kind == "decay":
        s = cycle_decay(BASE, n, decay_factor=0.8)
    elif kind == "table":
        s = cycle_decay(None, n, lrs=TABLE)
    else:
        s = cycle_decay(BASE, n, decay_factor=0.8, within=lambda t: 1.0 - 0.05 * t)
    support.assert_no_retrace(s, {0: BASE, 25: None, 1000: None}, BASE, atol=TIGHT_ATOL)


def test_float_and_negative_steps():
    s = cycle_decay(BASE, 10, decay_factor=0.5)
    # Staircases round a fractional step down.
    assert_close(s(9.9), BASE, BASE)
    assert_close(s(10.0), BASE * 0.5, BASE)
    assert_close(s(-5), BASE, BASE)


def test_traced_base_lr_under_vmap():
    bases = jnp.array([1e-5, 5e-5, 1e-4])
    got = jax.jit(jax.vmap(lambda lr: cycle_decay(lr, 10, decay_factor=0.5)(25)))(bases)
    assert_close(got, np.asarray(bases) * 0.25, 1e-4)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (dict(base_lr=4e-5, lrs=TABLE), r"base_lr.*4e-05.*lrs\[0\]"),
        (dict(base_lr=None, lrs=TABLE, decay_factor=0.9), r"lrs.*decay_factor.*0\.9"),
        (dict(base_lr=BASE, lrs=TABLE, decay_factor=0.5), r"decay_factor.*0\.5"),
        (dict(base_lr=None, lrs=[]), r"lrs.*\[\]"),
        (dict(base_lr=None), r"base_lr"),
        (dict(base_lr=None, decay_factor=0.9), r"base_lr"),
        (dict(decay_factor=0.0), r"decay_factor.*0"),
        (dict(decay_factor=1.5), r"decay_factor.*1\.5"),
        (dict(decay_factor=-0.5), r"decay_factor.*-0\.5"),
        (dict(steps_per_cycle=0), r"steps_per_cycle.*0"),
        (dict(steps_per_cycle=10.5), r"steps_per_cycle.*10\.5"),
        (dict(base_lr=-1e-5), r"base_lr.*-1e-05"),
        (dict(base_lr=None, lrs=[1e-4, -1e-4]), r"lrs\[1\].*-0\.0001"),
        (dict(base_lr=None, lrs=[1e-4, float("nan")]), r"lrs\[1\].*nan"),
    ],
)
def test_validation_errors(kwargs, pattern):
    args = dict(base_lr=BASE, steps_per_cycle=100)
    args.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        cycle_decay(**args)
