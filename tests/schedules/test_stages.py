"""Tests for multi_stage (consecutive training stages) and resume_at (shifted step counter)."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import support
from support import TIGHT_ATOL, TRANSFORMS, on_grid_vmap, warmup_cosine_ref

from optax_sched import (
    Phase,
    Schedule,
    constant,
    cosine_restarts,
    inverse_sqrt,
    multi_stage,
    resume_at,
    warmup_cosine,
    warmup_stable_decay,
)

# Absolute tolerance: a small multiple of float32's resolution near cos(pi) (see support).
assert_close = functools.partial(support.assert_close, atol=TIGHT_ATOL)


# The stage 1 -> 2 -> 3 recipe: (peak, warmup, init, floor) per 1000-step stage. Each stage
# warms up from the previous stage's floor, so no step of stages 2 and 3 runs at 0.
STAGE_LEN = 1000
RECIPE = [
    (1e-4, 50, 0.0, 1e-6),
    (5e-4, 50, 1e-6, 5e-6),
    (5e-4, 50, 5e-6, 1e-6),
]


def recipe_schedules():
    return [
        warmup_cosine(peak, STAGE_LEN, warmup_steps=warmup, init_lr=init, min_lr=floor)
        for peak, warmup, init, floor in RECIPE
    ]


def recipe_reference(t):
    j = min(t // STAGE_LEN, len(RECIPE) - 1)
    peak, warmup, init, floor = RECIPE[j]
    return warmup_cosine_ref(t - j * STAGE_LEN, peak, STAGE_LEN, warmup, init, floor)


def as_lambdas(schedules):
    """The same stages as opaque (steps, callable) pairs, which take the lax.switch path."""
    return [(s.end_step, lambda t, s=s: s(t)) for s in schedules]


# Every 8th step, plus the neighbourhood of every stage and warmup boundary (under 512 steps).
RECIPE_STEPS = np.unique(
    np.concatenate(
        [np.arange(0, 3 * STAGE_LEN + 200, 8)]
        + [np.arange(b - 3, b + 4) for b in (3, 50, 1000, 1050, 2000, 2050, 3000)]
    )
)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("path", ["table", "switch", "pairs"])
def test_three_stage_recipe(path, transform):
    schedules = recipe_schedules()
    if path == "table":
        s = multi_stage(schedules)
        assert s.pieces is not None
    elif path == "switch":
        s = multi_stage(as_lambdas(schedules))
        assert s.pieces is None
    else:
        s = multi_stage([(STAGE_LEN, x) for x in schedules])
    got = on_grid_vmap(s, RECIPE_STEPS, transform)
    want = [recipe_reference(int(t)) for t in RECIPE_STEPS]
    assert_close(got, want, 5e-4)
    # Never 0 once stage 2 has started, and never below the lowest floor.
    assert got[RECIPE_STEPS >= STAGE_LEN].min() >= np.float32(1e-6)
    # An opaque callable as the last stage has no known end.
    assert s.end_step == (None if path == "switch" else 3 * STAGE_LEN)
    assert s.phases == (
        Phase("stage 1", 0, 1000),
        Phase("stage 2", 1000, 2000),
        Phase("stage 3", 2000, 3000),
    )


@pytest.mark.parametrize("path", ["table", "switch"])
def test_three_stage_boundaries(path):
    schedules = recipe_schedules()
    s = multi_stage(schedules if path == "table" else as_lambdas(schedules))
    f = jax.jit(s)
    # Each stage sees its own local step: stage j at global step 1000 j + k is at step k.
    for j, (peak, warmup, init, floor) in enumerate(RECIPE):
        start = j * STAGE_LEN
        assert_close(f(start), init, 5e-4)
        assert_close(f(start + warmup // 2), init + (peak - init) / 2, 5e-4)
        assert float(f(start + warmup)) == np.float32(peak)
        assert_close(f(start + STAGE_LEN - 1), recipe_reference(start + STAGE_LEN - 1), 5e-4)
        assert float(f(start + STAGE_LEN - 1)) > np.float32(floor)
    assert_close(f(999), 1e-6 + (1e-4 - 1e-6) * 0.5 * (1 + math.cos(math.pi * 949 / 950)), 1e-4)
    assert_close(f(1000), 1e-6, 5e-4)
    assert_close(f(2000), 5e-6, 5e-4)
    # After the last stage its floor is held.
    for step in (3000, 3001, 10**5, 10**6, 2**31 - 1):
        assert_close(f(step), 1e-6, 5e-4)


def test_both_paths_give_the_same_numbers():
    """The merged table and the per-stage switch agree to the last float32 bit or one
    below: the table selects each stage's peak and floor at run time, where each stage
    on its own has them as compile-time constants, and XLA may fuse the two programs'
    multiply-adds differently."""
    schedules = recipe_schedules()
    table = multi_stage(schedules)
    switch = multi_stage(as_lambdas(schedules))
    assert table.pieces is not None and switch.pieces is None
    ulp = float(np.finfo(np.float32).eps)
    for transform in (lambda f: f, jax.jit):
        np.testing.assert_allclose(
            on_grid_vmap(table, RECIPE_STEPS, transform),
            on_grid_vmap(switch, RECIPE_STEPS, transform),
            rtol=ulp,
            atol=0,
        )
    probes = [0, 25, 999, 1000, 1049, 1050, 2000, 2999, 3000, 10**6]
    for step in probes:
        got, want = float(jax.jit(table)(step)), float(jax.jit(switch)(step))
        assert abs(got - want) <= ulp * abs(want), step


def test_mixed_stage_kinds():
    # A WSD stage, a plain callable, then an open-ended constant: the lax.switch path.
    wsd = warmup_stable_decay(1e-3, 100, warmup_steps=10, decay_steps=20, min_lr=1e-5)
    stages = [
        wsd,
        (50, lambda t: 2e-4 * jnp.exp(-jnp.asarray(t, jnp.float32) / 25.0)),
        constant(3e-5),
    ]
    s = multi_stage(stages)
    assert s.pieces is None
    steps = np.arange(0, 260)

    def wsd_reference(t):
        if t < 10:
            return 1e-3 * t / 10
        if t < 80:
            return 1e-3
        return 1e-5 + (1e-3 - 1e-5) * (1 - math.sqrt(min((t - 80) / 20, 1.0)))

    want = [
        wsd_reference(t) if t < 100 else 2e-4 * math.exp(-(t - 100) / 25) if t < 150 else 3e-5
        for t in steps
    ]
    assert_close(on_grid_vmap(s, steps), want, 1e-3)


def test_last_stage_keeps_running_after_its_length():
    s = multi_stage([(10, lambda t: 1.0 + 0.0 * t), (5, lambda t: 1.0 / (1.0 + t))])
    assert s.end_step is None
    assert_close(on_grid_vmap(s, [0, 9, 10, 14, 15, 30]), [1, 1, 1, 1 / 5, 1 / 6, 1 / 21], 1.0)


def test_a_stage_longer_than_its_schedule_holds_the_floor():
    first = warmup_cosine(1e-3, 100, warmup_steps=10, min_lr=1e-5)
    second = warmup_cosine(5e-4, 100, init_lr=1e-5, min_lr=1e-6)
    s = multi_stage([(150, first), second])
    assert s.pieces is not None
    assert s.end_step == 250
    got = on_grid_vmap(s, [99, 100, 149, 150, 250, 400])
    assert_close(got[1:3], [1e-5, 1e-5], 1e-3)
    assert_close(got[3:], [5e-4, 1e-6, 1e-6], 1e-3)
    same = multi_stage([(150, lambda t: first(t)), (100, lambda t: second(t))])
    steps = np.arange(0, 300)
    assert_close(on_grid_vmap(same, steps), on_grid_vmap(s, steps), 1e-3)


@pytest.mark.parametrize("path", ["table", "switch"])
def test_vmap_matches_step_loop(path):
    schedules = recipe_schedules()
    s = multi_stage(schedules if path == "table" else as_lambdas(schedules))
    steps = np.array([0, 1, 49, 50, 999, 1000, 1001, 1050, 1999, 2000, 2525, 2999, 3000, 10**5])
    support.assert_vmap_matches_loop(s, steps, 5e-4, atol=TIGHT_ATOL)


@pytest.mark.parametrize("path", ["table", "switch"])
def test_jit_does_not_retrace(path):
    schedules = recipe_schedules()
    s = multi_stage(schedules if path == "table" else as_lambdas(schedules))
    support.assert_no_retrace(s, {1000: 1e-6, 2050: 5e-4, 10: None}, 5e-4, atol=TIGHT_ATOL)


def test_many_short_stages():
    n_stages, length, warmup = 500, 10, 2
    params = [(1e-4 * (1 + i % 7), 1e-6 * (1 + i % 3)) for i in range(n_stages)]
    stages = [
        warmup_cosine(peak, length, warmup_steps=warmup, init_lr=floor, min_lr=floor)
        for peak, floor in params
    ]
    s = multi_stage(stages)
    assert len(s.phases) == n_stages
    assert s.end_step == n_stages * length

    def expected(t):
        start = 0
        for j, (peak, floor) in enumerate(params):
            if t < start + length or j == n_stages - 1:
                return warmup_cosine_ref(t - start, peak, length, warmup, floor, floor)
            start += length
        raise AssertionError

    steps = np.array([0, 1, 2, 9, 10, 11, 12, 999, 1000, 1234, 2501, 3337, 4990, 4999, 5000, 9999])
    want = [expected(int(t)) for t in steps]
    assert_close(on_grid_vmap(s, steps), want, 7e-4)
    assert_close(on_grid_vmap(s, steps, lambda f: f), want, 7e-4)
    assert_close(jax.jit(s)(2502), expected(2502), 7e-4)


def test_switch_path_with_a_few_dozen_stages():
    # Arbitrary callables cannot be merged into one table; each stage is a branch.
    n_stages, length = 24, 5
    stages = [(length, lambda t, j=j: (j + 1) * 1e-5 + 0.0 * t) for j in range(n_stages)]
    s = multi_stage(stages)
    steps = np.arange(0, n_stages * length + 10)
    want = [(min(t // length, n_stages - 1) + 1) * 1e-5 for t in steps]
    assert_close(on_grid_vmap(s, steps), want, 3e-4)


def test_stage_settling_after_it_ends_is_rejected():
    long = warmup_cosine(1e-3, 1000, warmup_steps=10)
    with pytest.raises(ValueError, match=r"stages\[0\].*500.*1000"):
        multi_stage([(500, long)])
    with pytest.raises(ValueError, match=r"stages\[1\].*500.*1000"):
        multi_stage([warmup_cosine(1e-3, 100), (500, long)])


def test_empty_stages_are_rejected():
    with pytest.raises(ValueError, match=r"stages"):
        multi_stage([])


def test_schedule_that_never_settles_needs_a_length():
    decay = inverse_sqrt(1e-3, warmup_steps=10)
    assert decay.end_step is None
    with pytest.raises(ValueError, match=r"stages\[0\].*never settles"):
        multi_stage([decay, warmup_cosine(1e-4, 50)])
    with pytest.raises(ValueError, match=r"stages\[1\].*never settles"):
        multi_stage([warmup_cosine(1e-3, 100), cosine_restarts(1e-3, period=10), constant(1e-5)])
    # With an explicit length it is accepted: 1e-3 * sqrt(10 / (t - 10 + 10)) after warmup.
    s = multi_stage([(100, decay), warmup_cosine(1e-4, 50)])
    want = [0, 5e-4, 1e-3, 5e-4, 1e-3 * math.sqrt(10 / 99), 1e-4]
    assert_close(on_grid_vmap(s, [0, 5, 10, 40, 99, 100]), want, 1e-3)


def test_open_ended_last_stage_runs_on():
    # The last stage needs no length of its own.
    s = multi_stage([warmup_cosine(1e-3, 100, min_lr=1e-5), inverse_sqrt(1e-3, timescale=50)])
    assert s.end_step is None
    assert s.phases[-1] == Phase("stage 2", 100, None)
    want = [1e-3, 1e-3 * math.sqrt(50 / 200), 1e-3 * math.sqrt(50 / (10**6 + 50))]
    assert_close(on_grid_vmap(s, [100, 250, 10**6 + 100]), want, 1e-3)


@pytest.mark.parametrize(
    ("stages", "pattern"),
    [
        ([(0, lambda t: t)], r"stages\[0\] steps.*0"),
        ([(-5, lambda t: t)], r"stages\[0\] steps.*-5"),
        ([(10.5, lambda t: t)], r"stages\[0\] steps.*10\.5"),
        ([(10, 0.001)], r"stages\[0\].*callable.*0\.001"),
        ([lambda t: t], r"stages\[0\]"),
        ([(10, lambda t: t), 3e-4], r"stages\[1\].*0\.0003"),
    ],
)
def test_bad_stage_specs(stages, pattern):
    with pytest.raises(ValueError, match=pattern):
        multi_stage(stages)


def test_docstring_example_values():
    s = multi_stage(
        [
            warmup_cosine(1e-4, total_steps=1000, warmup_steps=50, min_lr=1e-6),
            warmup_cosine(5e-4, total_steps=1000, warmup_steps=50, init_lr=1e-6, min_lr=5e-6),
        ]
    )
    got = on_grid_vmap(s, [999, 1000, 1050, 2000, 5000])
    assert [f"{v:.1e}" for v in got] == ["1.0e-06", "1.0e-06", "5.0e-04", "5.0e-06", "5.0e-06"]


# --- resume_at -------------------------------------------------------------------------


def base_schedule():
    return warmup_cosine(1e-3, 100, warmup_steps=10, init_lr=1e-5, min_lr=1e-5)


RESUME_KS = [0, 1, 5, 10, 37, 60, 99, 100, 150, 10**6]


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_resume_shifts_the_step(transform):
    s = base_schedule()
    ts = np.arange(0, 160)
    direct = transform(jax.vmap(s))
    ks = RESUME_KS if transform is jax.jit else [0, 10, 60, 150]
    for k in ks:
        got = on_grid_vmap(resume_at(s, k), ts, transform)
        np.testing.assert_array_equal(got, np.asarray(direct(jnp.asarray(ts + k))), f"k={k}")
        want = [warmup_cosine_ref(int(t) + k, 1e-3, 100, 10, 1e-5, 1e-5) for t in ts]
        assert_close(got, want, 1e-3)


def test_resume_negative_step_is_the_resume_point():
    s = base_schedule()
    r = resume_at(s, 30)
    assert float(r(-5)) == float(s(30))


def test_resume_inside_jit_with_scalar_steps():
    s = base_schedule()
    for k in (0, 7, 60):

        @jax.jit
        def shifted(t, k=k):
            return resume_at(s, k)(t)

        for t in (0, 3, 40, 200):
            assert float(shifted(t)) == float(jax.jit(s)(t + k)), (k, t)


def test_resume_does_not_repeat_the_warmup():
    s = base_schedule()
    r = resume_at(s, 60)
    got = on_grid_vmap(r, np.arange(0, 60))
    assert_close(got[0], warmup_cosine_ref(60, 1e-3, 100, 10, 1e-5, 1e-5), 1e-3)
    assert got[0] > np.float32(1e-4)  # not back at init_lr
    assert np.all(np.diff(got[:40]) < 0)  # still decaying, no ramp
    assert_close(got[40:], np.full(20, 1e-5), 1e-3)
    # Resuming inside the warmup continues the same ramp.
    mid = resume_at(s, 4)
    assert_close(mid(0), 1e-5 + (1e-3 - 1e-5) * 0.4, 1e-3)
    assert float(mid(6)) == np.float32(1e-3)


def test_resume_end_step_and_phases():
    s = base_schedule()
    r = resume_at(s, 60)
    assert r.end_step == 40
    assert r.phases == (Phase("decay", 0, 40),)
    early = resume_at(s, 4)
    assert early.phases == (Phase("warmup", 0, 6), Phase("decay", 6, 96))
    assert resume_at(s, 150).end_step == 0
    assert resume_at(lambda t: 1e-3 + 0.0 * t, 5).end_step is None


def test_resume_a_multi_stage_run_and_any_callable():
    for stages in (recipe_schedules(), as_lambdas(recipe_schedules())):
        s = multi_stage(stages)
        r = resume_at(s, 1500)
        ts = np.arange(0, 1700, 3)
        assert_close(on_grid_vmap(r, ts), [recipe_reference(int(t) + 1500) for t in ts], 5e-4)
    r = resume_at(lambda t: 1e-3 / (1.0 + t), 9)
    assert isinstance(r, Schedule)
    assert_close(on_grid_vmap(r, [0, 1, 90]), [1e-4, 1e-3 / 11, 1e-5], 1e-3)


def test_resume_vmap_and_no_retrace():
    r = resume_at(base_schedule(), 30)
    support.assert_vmap_matches_loop(r, [0, 1, 5, 69, 70, 71, 500], 1e-3, atol=TIGHT_ATOL)
    support.assert_no_retrace(r, {0: None, 55: None}, 1e-3, atol=TIGHT_ATOL)


@pytest.mark.parametrize(
    ("step", "pattern"),
    [(-1, r"step.*-1"), (-100, r"step.*-100"), (2.5, r"step.*2\.5"), (True, r"step.*True")],
)
def test_resume_rejects_bad_steps(step, pattern):
    with pytest.raises(ValueError, match=pattern):
        resume_at(base_schedule(), step)


def test_resume_rejects_non_callables():
    with pytest.raises(ValueError, match=r"schedule.*0\.001"):
        resume_at(1e-3, 10)
