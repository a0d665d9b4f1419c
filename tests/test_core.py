"""The core: curve shapes against their formulas, and the two piecewise combinators."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from optax_sched import _core
from optax_sched._core import Piece

T = np.arange(0, 41, dtype=np.float32)
L, A, B = 20.0, 2.0, 0.5


def _p(t):
    return np.minimum(t / L, 1.0)


FORMULAS = {
    "constant": lambda t: np.full_like(t, A),
    "linear": lambda t: A + (B - A) * _p(t),
    "cosine": lambda t: B + (A - B) * 0.5 * (1 + np.cos(np.pi * _p(t))),
    "polynomial": lambda t: B + (A - B) * (1 - _p(t)) ** 3.0,
    "one_minus_sqrt": lambda t: B + (A - B) * (1 - np.sqrt(_p(t))),
    "exponential": lambda t: np.maximum(B, A * 0.8 ** (t / L)),
    "staircase": lambda t: np.maximum(B, A * 0.8 ** np.floor(t / L)),
    "rsqrt": lambda t: A * np.sqrt(L / (t + L)),
    # transformers' cosine with 1.5 cycles: the progress is not clipped, so it rises again.
    "cosine_wave": lambda t: B + (A - B) * 0.5 * (1 + np.cos(2 * np.pi * 1.5 * t / L)),
    # transformers' hard restarts with 1.5 cycles, and 0 weight on a from t >= L.
    "hard_restarts": lambda t: (
        B + (A - B) * np.where(t / L >= 1, 0.0, 0.5 * (1 + np.cos(np.pi * ((1.5 * t / L) % 1.0))))
    ),
    # transformers' "1-sqrt" warmup: a + (b - a) * (1 - sqrt(1 - p)).
    "sqrt_warmup": lambda t: A + (B - A) * (1 - np.sqrt(1 - _p(t))),
}
PARAM_C = {
    "polynomial": 3.0,
    "exponential": 0.8,
    "staircase": 0.8,
    "cosine_wave": 1.5,
    "hard_restarts": 1.5,
}


@pytest.mark.parametrize("kind", _core.KINDS)
def test_shape_matches_formula(kind):
    got = _core.shape(kind, jnp.asarray(T), L, A, B, PARAM_C.get(kind, 1.0))
    np.testing.assert_allclose(got, FORMULAS[kind](T.astype(np.float64)), rtol=2e-6)


def test_every_kind_has_a_formula_test():
    assert set(FORMULAS) == set(_core.KINDS)


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="unknown curve kind 'cosin'"):
        _core.shape("cosin", jnp.zeros(1), 1, 1, 0)


def test_piecewise_local_steps_and_held_tail():
    fn = _core.piecewise(
        [
            Piece(0, "linear", 10, 0.0, 1.0),
            Piece(10, "constant", 1, 1.0),
            Piece(30, "cosine", 20, 1.0, 0.1),
        ]
    )
    steps = np.array([-5, 0, 5, 10, 29, 30, 40, 50, 10**6])
    expected = [0.0, 0.0, 0.5, 1.0, 1.0, 1.0, 0.1 + 0.9 * 0.5, 0.1, 0.1]
    np.testing.assert_allclose(fn(steps), expected, rtol=1e-6)
    np.testing.assert_allclose(jax.jit(fn)(steps), expected, rtol=1e-6)


def test_piecewise_thousand_pieces_is_a_lookup():
    starts = np.arange(0, 10_000, 10)
    values = np.linspace(1.0, 0.0, len(starts)).astype(np.float32)
    fn = _core.piecewise(
        [Piece(int(s), "constant", 1, float(v)) for s, v in zip(starts, values, strict=True)]
    )
    steps = np.array([0, 9, 10, 4995, 9990, 20_000])
    expected = values[np.minimum(steps // 10, len(values) - 1)]
    np.testing.assert_allclose(jax.jit(fn)(steps), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("pieces", "message"),
    [
        ([], "at least one piece"),
        ([Piece(5, "constant", 1, 1.0)], "must start at step 0"),
        ([Piece(0, "constant", 1, 1.0), Piece(0, "constant", 1, 2.0)], "strictly increasing"),
    ],
)
def test_piecewise_rejects_bad_tables(pieces, message):
    with pytest.raises(ValueError, match=message):
        _core.piecewise(pieces)


def test_sequence_gives_each_piece_its_local_step():
    fn = _core.sequence([lambda t: t * 1.0, lambda t: 100.0 + t], [10])
    np.testing.assert_allclose([float(fn(k)) for k in (0, 9, 10, 15)], [0, 9, 100, 105])
    np.testing.assert_allclose(jax.vmap(fn)(jnp.array([0, 9, 10, 15])), [0, 9, 100, 105])
    np.testing.assert_allclose(jax.jit(fn)(15), 105)


def test_sequence_checks_lengths():
    with pytest.raises(ValueError, match="one more function than boundaries"):
        _core.sequence([lambda t: t], [10])


def test_as_step_does_not_overflow_python_ints():
    assert float(_core.as_step(2**40)) == pytest.approx(2.0**40)
    assert _core.as_step(5).dtype == jnp.int32


def test_int32_step_limit_is_exact_under_jit():
    fn = _core.piecewise([Piece(0, "linear", 2**30, 0.0, 1.0)])
    got = jax.jit(fn)(jnp.int32(2**31 - 1))
    assert math.isfinite(float(got)) and float(got) == 1.0


def test_schedule_repr_shows_arguments():
    s = _core.make(
        "demo", {"peak_lr": 1e-3, "total_steps": 100}, [Piece(0, "constant", 1, 1.0)], end_step=0
    )
    assert repr(s) == "demo(peak_lr=0.001, total_steps=100)"


def test_numpy_int64_steps_beyond_int32_do_not_wrap():
    # Regression: np.int64(2**40) used to wrap to step 0 in jnp.asarray without x64.
    fn = _core.piecewise([Piece(0, "linear", 100, 0.0, 1.0), Piece(100, "constant", 1, 0.5)])
    assert float(fn(np.int64(2**40))) == 0.5
    np.testing.assert_allclose(fn(np.array([0, 2**40], dtype=np.int64)), [0.0, 0.5])


def test_int64_steps_with_x64_are_searched_without_narrowing():
    # Regression: searchsorted cast an int64 step to the int32 table and wrapped it.
    fn = _core.piecewise([Piece(0, "linear", 100, 0.0, 1.0), Piece(100, "constant", 1, 0.5)])
    with jax.enable_x64(True):
        assert float(fn(jnp.asarray(2**40, dtype=jnp.int64))) == 0.5
        assert float(fn(2**40)) == 0.5
        seq = _core.sequence([lambda t: 0.0 * t, lambda t: 1.0 + 0.0 * t], [10])
        assert float(seq(jnp.asarray(2**40, dtype=jnp.int64))) == 1.0


@pytest.mark.parametrize("dtype", [jnp.int8, jnp.uint8, jnp.int16, jnp.uint16, jnp.float16])
def test_narrow_step_dtypes_are_widened_before_the_search(dtype):
    # Regression: casting the start table to int8 wrapped 300 to 44 and broke the search.
    fn = _core.piecewise([Piece(0, "constant", 1, 1.0), Piece(300, "constant", 1, 0.5)])
    assert float(fn(jnp.asarray(100, dtype))) == 1.0
    assert float(jax.jit(fn)(jnp.asarray(100, dtype))) == 1.0


def test_whole_periods_is_exact_at_multiples():
    # Regression: float32 division gave 121 / 121 = 0.99999994 on CPU, so step_decay
    # dropped one step late at about 12% of periods.
    lengths = np.arange(1, 3000, dtype=np.float32)
    for multiple in (1, 2, 7):
        t = jnp.asarray(lengths * multiple)
        np.testing.assert_array_equal(_core.whole_periods(t, jnp.asarray(lengths)), multiple)
        np.testing.assert_array_equal(
            _core.whole_periods(t - 1, jnp.asarray(lengths)), multiple - 1
        )


def test_piece_shift_moves_the_local_step():
    fn = _core.piecewise([Piece(0, "linear", 4, 0.0, 1.0, shift=1), Piece(4, "constant", 1, 2.0)])
    np.testing.assert_allclose(fn(np.arange(6)), [0.25, 0.5, 0.75, 1.0, 2.0, 2.0])


def _exact_staircases():
    import optax_sched

    period = 10**7  # period boundaries far beyond float32's exact integers (2**24)
    return [
        ("step_decay", optax_sched.step_decay(1.0, period, 0.5), 0),
        ("cycle_decay", optax_sched.cycle_decay(1.0, period, 0.5), 0),
        (
            "warmup_exponential",
            optax_sched.warmup_exponential(1.0, 0.5, period, warmup_steps=1000, staircase=True),
            1000,
        ),
    ]


@pytest.mark.parametrize(("name", "schedule", "offset"), _exact_staircases())
def test_staircases_drop_exactly_on_their_boundary_beyond_float32(name, schedule, offset):
    """2 * 10**7 - 1 is not a float32 number: counted as a float it rounds up to
    2 * 10**7 and the rate would halve one step early (optax's staircase does)."""
    period = 10**7
    for call in (schedule, jax.jit(schedule)):
        for k in (1, 2, 100):
            boundary = offset + k * period
            assert float(call(jnp.int32(boundary - 1))) == 0.5 ** (k - 1), (name, k)
            assert float(call(jnp.int32(boundary))) == 0.5**k, (name, k)
    steps = np.array([offset + 2 * period - 1, offset + 2 * period], dtype=np.int32)
    np.testing.assert_array_equal(jax.jit(schedule)(steps), [0.5, 0.25])


def test_cyclic_position_is_exact_beyond_float32():
    import optax_sched

    s = optax_sched.cyclic(0.0, 1.0, step_size_up=5 * 10**6)  # period 10**7
    # 10**8 - 3 is 3 steps before a cycle ends: height 3 / 5e6 on the way down, to
    # float32's resolution of the peak (counted as a float it came out as 0.0)
    eps = float(np.finfo(np.float32).eps)
    for call in (s, jax.jit(s)):
        assert float(call(jnp.int32(10**8 - 3))) == pytest.approx(6e-7, abs=eps)
        assert float(call(jnp.int32(10**8 + 5 * 10**6))) == 1.0  # a peak, exactly


@pytest.mark.parametrize(
    "starts",
    [
        [0, 3, 10, 11, 50],  # a select chain on constants
        list(range(0, 12 * 7, 7)),  # evenly spaced beyond the chain: found by division
        [0, *np.cumsum(np.arange(1, 40)).tolist()],  # compare_all, then a binary search
        [0, *np.cumsum(np.arange(1, 1000) % 17 + 1).tolist()],
    ],
    ids=["chain", "even", "uneven-40", "uneven-1000"],
)
def test_every_way_of_finding_the_piece_agrees_with_numpy(starts):
    """Each piece is linear from its index i to i + 0.5 over its length; the reference
    finds the piece with numpy's searchsorted."""
    starts = np.asarray(starts)
    pieces = [Piece(int(s), "linear", 4, float(i), float(i) + 0.5) for i, s in enumerate(starts)]
    fn = _core.piecewise(pieces)
    steps = np.arange(-3, int(starts[-1]) + 20)
    index = np.searchsorted(starts, np.maximum(steps, 0), side="right") - 1
    local = np.maximum(steps, 0) - starts[index]
    want = index + 0.5 * np.minimum(local / 4, 1)
    for dtype in (np.int32, np.float32):
        np.testing.assert_allclose(jax.jit(fn)(steps.astype(dtype)), want, rtol=1e-6, atol=1e-6)
    for step in (0, int(starts[-1]), int(starts[len(starts) // 2]) - 1):
        assert float(fn(step)) == pytest.approx(want[step + 3], abs=1e-6)


def test_traced_piece_values_still_vmap():
    """Parameters may be traced (a vmapped peak): they are selected, never folded."""

    def build(peak):
        return _core.piecewise([Piece(0, "linear", 10, 0.0, peak), Piece(10, "constant", 1, peak)])

    peaks = jnp.array([1.0, 2.0, 4.0])
    got = jax.vmap(lambda p: build(p)(jnp.array([5, 10, 50])))(peaks)
    np.testing.assert_allclose(got, np.outer([1.0, 2.0, 4.0], [0.5, 1.0, 1.0]), rtol=1e-6)
