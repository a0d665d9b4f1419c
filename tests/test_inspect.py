"""The inspection API against closed forms written out here."""

from __future__ import annotations

import math

import jax
import numpy as np
import pytest

import optax_sched
from optax_sched import inspect


def cosine_with_floor(k: int, peak: float, warmup: int, total: int, floor: float) -> float:
    if k < warmup:
        return peak * k / warmup
    if k >= total:
        return floor
    p = (k - warmup) / (total - warmup)
    return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * p))


def test_sample_is_the_schedule_at_every_step():
    s = optax_sched.warmup_cosine(2e-4, total_steps=500, warmup_steps=20, min_lr=2e-5)
    steps, values = inspect.sample(s)
    assert steps.tolist() == list(range(501))  # the horizon is where it settles
    expected = [cosine_with_floor(k, 2e-4, 20, 500, 2e-5) for k in range(501)]
    np.testing.assert_allclose(values, expected, rtol=2e-6, atol=1e-12)


def test_sample_compiles_once_for_all_steps():
    traces = []

    def schedule(step):
        traces.append(step.shape)
        return step * 0.5

    _, values = inspect.sample(schedule, 9)
    assert traces == [(10,)]  # one trace of the whole vector, not one call per step
    assert values.tolist() == [k * 0.5 for k in range(10)]


def test_sample_grids_explicit_steps_and_huge_steps():
    s = optax_sched.constant(0.1)
    steps, _ = inspect.sample(s, 1000, num=5)
    assert steps.tolist() == [0, 250, 500, 750, 1000]
    _, values = inspect.sample(s, steps=[0, 2**40])  # beyond int32: evaluated as floats
    np.testing.assert_allclose(values, [0.1, 0.1], rtol=1e-7)
    with pytest.raises(ValueError, match="stop=3 is before start=5"):
        inspect.sample(s, 3, start=5)


def test_summary_of_warmup_cosine_with_a_floor():
    peak, warmup, total, floor = 2e-4, 30, 1000, 2e-5
    s = optax_sched.warmup_cosine(peak, total, warmup, min_lr=floor)
    r = inspect.summarise(s, at=[0, 30, 500, 1000])
    budget = sum(cosine_with_floor(k, peak, warmup, total, floor) for k in range(total + 1))
    assert (r.start, r.stop) == (0, total)
    assert r.peak == pytest.approx(peak, rel=1e-6) and r.peak_step == warmup
    assert r.warmup_end == warmup
    assert r.floor_step == total and r.final == pytest.approx(floor, rel=1e-6)
    assert r.lowest == 0.0 and r.lowest_step == 0
    assert r.area_exact and r.area == pytest.approx(budget, rel=1e-5)
    assert r.mean == pytest.approx(budget / (total + 1), rel=1e-5)
    assert r.at[500] == pytest.approx(cosine_with_floor(500, peak, warmup, total, floor), 1e-5)


def test_summary_floor_of_a_schedule_without_end_step_and_of_one_still_moving():
    steps_then_hold = optax_sched.piecewise_constant([1.0, 0.5, 0.25], [100, 200])
    assert inspect.summarise(steps_then_hold, 400).floor_step == 200
    exponential = optax_sched.warmup_exponential(1.0, 0.5, 100)  # never settles
    assert inspect.summarise(exponential, 300).floor_step is None
    assert inspect.summarise(optax_sched.constant(0.1), 50).floor_step == 0


def test_summary_of_a_long_range_integrates_a_grid():
    s = optax_sched.warmup_linear(1.0, total_steps=10_000_000)
    r = inspect.summarise(s)
    assert not r.area_exact
    assert r.area == pytest.approx(5_000_000, rel=1e-4)  # the triangle under 1 -> 0


def test_summary_reports_a_non_finite_step():
    with pytest.raises(ValueError, match="not finite at step 3"):
        inspect.summarise(lambda k: jax.numpy.where(k == 3, jax.numpy.nan, 1.0), 5)


@pytest.mark.parametrize(
    ("factor", "cycle_3", "cycle_5"),
    [
        (1.0, 5e-5, 5e-5),
        (0.95, 4.5125e-5, 4.0725e-5),
        (0.85, 3.6125e-5, 2.61e-5),
        (0.7, 2.45e-5, 1.2005e-5),
    ],
)
def test_cycle_table_of_per_cycle_decay(factor, cycle_3, cycle_5):
    s = optax_sched.cycle_decay(5e-5, steps_per_cycle=100, decay_factor=factor)
    rows = inspect.cycle_table(s, stop=499)
    assert [(c.number, c.start, c.end) for c in rows] == [
        (i + 1, 100 * i, 100 * (i + 1)) for i in range(5)
    ]
    assert rows[2].first == pytest.approx(cycle_3, rel=1e-4)
    assert rows[4].first == pytest.approx(cycle_5, rel=1e-4)
    for row in rows:
        assert row.first == pytest.approx(5e-5 * factor ** (row.number - 1), rel=1e-6)
        assert row.peak == row.lowest == row.first


def test_cycle_starts_found_from_restarts():
    sgdr = optax_sched.cosine_restarts(1.0, period=100, t_mult=2.0, warmup_steps=10)
    assert inspect.cycle_starts(sgdr, 800) == [0, 110, 310, 710]
    hf = optax_sched.from_hf("cosine_with_restarts", 1.0, 10, 1000, num_cycles=3)
    assert inspect.cycle_starts(hf, 1000) == [0, 340, 670]  # 10 + k * 990 / 3
    torch = optax_sched.from_torch("CosineAnnealingWarmRestarts", 0.1, T_0=10, T_mult=2)
    assert inspect.cycle_starts(torch, 69) == [0, 10, 30]


def test_cycle_starts_of_cyclic_and_stages():
    tri = optax_sched.cyclic(0.1, 1.0, step_size_up=50, step_size_down=30)
    assert inspect.cycle_starts(tri, 300) == [0, 80, 160, 240]
    staged = optax_sched.multi_stage(
        [optax_sched.warmup_cosine(1e-4, 1000, 50), optax_sched.warmup_cosine(5e-5, 500, 20)]
    )
    rows = inspect.cycle_table(staged)
    assert [(r.start, r.end) for r in rows] == [(0, 1000), (1000, 1501)]
    assert rows[1].peak == pytest.approx(5e-5, rel=1e-6)


def test_a_schedule_without_restarts_is_one_cycle():
    s = optax_sched.warmup_cosine(1.0, 100, 10)
    assert [(r.start, r.end) for r in inspect.cycle_table(s)] == [(0, 101)]


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (optax_sched.warmup_cosine(1.0, 777, 7), 777),
        (optax_sched.cycle_decay(1.0, 100, decay_factor=0.9), 499),  # five whole cycles
        (optax_sched.cyclic(0.1, 1.0, 50), 499),
        (optax_sched.step_decay(1.0, 30), 149),
        (optax_sched.cosine_restarts(1.0, 100, t_mult=2.0), 699),  # cycles of 100, 200, 400
        (optax_sched.inverse_sqrt(1.0, 100), 500),
        (optax_sched.constant(1.0), 1000),
    ],
)
def test_horizon(schedule, expected):
    assert inspect.horizon(schedule) == expected
