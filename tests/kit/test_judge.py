"""``judge.check_contract`` and ``judge.compare`` on values that crossed the wire."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

from optax_sched.kit import wire
from optax_sched.kit.contract import (
    DEFAULT_TOLERANCE,
    GRAD_RTOL,
    Array,
    Dict,
    Scalar,
    Tolerance,
    Tuple,
)
from optax_sched.kit.judge import check_contract, compare, leaves, resolve_dtype
from optax_sched.kit.problems import load_problem


def value(x: object) -> wire.Value:
    """``x`` as the grader sees it after the child sent it."""
    return wire.decode(wire.loads(wire.dumps({"v": wire.encode(x)}))["v"])


VECTOR = Array(shape=(1,), dtype="float")
SCALAR_ARRAY = Array(shape=(), dtype="float")
PROBLEM_TOL = Tolerance(rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------
# check_contract
# ---------------------------------------------------------------------------------------


def test_the_right_array_passes() -> None:
    assert check_contract(VECTOR, value(jnp.array([0.5])), x64=False) is None
    assert check_contract(Array(shape=None), value(jnp.ones((2, 3))), x64=False) is None
    assert check_contract(Array(dtype="any"), value(jnp.ones(2, jnp.int8)), x64=False) is None
    assert check_contract(Array(dtype="int"), value(jnp.arange(3)), x64=False) is None
    assert check_contract(Array(dtype="bool"), value(jnp.ones(2) > 0), x64=False) is None


def test_python_float_is_not_an_array() -> None:
    found = check_contract(VECTOR, value(0.5), x64=False)
    assert found.kind == "contract"
    assert found.message.startswith("expected a jax.Array, got a Python float.")
    assert "plain Python number" in found.message and "jnp.asarray" in found.message


@pytest.mark.parametrize(
    ("got", "want", "advice"),
    [
        ((), (1,), "Wrap the scalar in a list: jnp.array([value])"),
        ((1, 1), (1,), "nested twice: use jnp.array([value]), not jnp.array([[value]])"),
        ((1,), (), "Return the scalar itself (value[0] or value.squeeze())"),
        ((2,), (1,), ""),
    ],
)
def test_shape_mismatch_gives_advice(got: tuple, want: tuple, advice: str) -> None:
    found = check_contract(Array(shape=want), value(jnp.zeros(got)), x64=False)
    assert found.kind == "contract"
    assert found.message.startswith(f"expected shape {want}, got shape {got}.")
    assert advice in found.message
    if not advice:
        assert found.message == f"expected shape {want}, got shape {got}."


def test_shape_is_checked_before_dtype() -> None:
    found = check_contract(VECTOR, value(jnp.zeros((1, 1), jnp.float16)), x64=False)
    assert "shape" in found.message
    assert "dtype" not in found.message


def test_numpy_float64_against_a_jax_array() -> None:
    found = check_contract(VECTOR, value(np.array([0.5])), x64=False)
    assert (
        "expected a jax.Array, got a NumPy array of dtype float64 and shape (1,)" in found.message
    )
    assert "Compute with jax.numpy (jnp)" in found.message


def test_float64_against_float32_explains_where_float64_comes_from() -> None:
    spec = Array(shape=(1,), dtype="float", kind="array")  # NumPy arrays allowed
    found = check_contract(spec, value(np.array([0.5])), x64=False)
    assert found.message.startswith("expected dtype float32, got float64.")
    assert "made by NumPy or Python floats" in found.message
    assert check_contract(spec, value(np.array([0.5], np.float32)), x64=False) is None


@pytest.mark.parametrize(("x64", "want"), [(False, "float32"), (True, "float64")])
def test_float_means_the_default_float(x64: bool, want: str) -> None:
    assert resolve_dtype("float", x64) == want
    assert resolve_dtype("int", x64) == want.replace("float", "int")
    assert resolve_dtype("bfloat16", x64) == "bfloat16"
    wrong = np.array([0.5], np.float64 if want == "float32" else np.float32)
    found = check_contract(Array(shape=(1,), kind="array"), value(wrong), x64=x64)
    assert found.message.startswith(f"expected dtype {want}, got {wrong.dtype}.")


def test_float16_is_a_dtype_mismatch() -> None:
    found = check_contract(VECTOR, value(jnp.array([0.5], jnp.float16)), x64=False)
    assert found.message == "expected dtype float32, got float16."


def test_list_and_none_are_not_arrays() -> None:
    listed = check_contract(VECTOR, value([jnp.float32(0.5)]), x64=False)
    assert listed.message.startswith("expected a jax.Array, got a list of 1 item")
    missing = check_contract(VECTOR, value(None), x64=False)
    assert "did the function forget to `return`?" in missing.message


def test_array_without_data_cannot_be_checked() -> None:
    big = np.zeros(wire.MAX_ELEMENTS + 1, np.float32)
    found = check_contract(Array(shape=None, kind="array"), value(big), x64=False)
    assert found.message == "the array is too large to check."


@pytest.mark.parametrize("type_", ["int", "float", "bool"])
def test_scalar_spec_with_a_jax_scalar_says_convert(type_: str) -> None:
    found = check_contract(Scalar(type_), value(jnp.asarray(3)), x64=False)
    assert found.message.startswith(f"expected a Python {type_}, got a jax.Array of dtype int32")
    assert f"Convert with {type_}(...)." in found.message


def test_scalar_spec() -> None:
    assert check_contract(Scalar("int"), value(3), x64=False) is None
    assert check_contract(Scalar("float"), value(3.0), x64=False) is None
    assert check_contract(Scalar("bool"), value(True), x64=False) is None
    # A bool is not an int, and a 1-element array gets no "Convert" advice.
    assert check_contract(Scalar("int"), value(True), x64=False).message == (
        "expected a Python int, got a Python bool."
    )
    assert "Convert" not in check_contract(Scalar("int"), value(np.ones(1)), x64=False).message


def test_tuple_structure() -> None:
    spec = Tuple((VECTOR, Scalar("int")))
    assert check_contract(spec, value((jnp.array([1.0]), 2)), x64=False) is None
    assert check_contract(spec, value([jnp.array([1.0]), 2]), x64=False) is None  # a list too
    short = check_contract(spec, value((jnp.array([1.0]),)), x64=False)
    assert short.message.startswith("expected a tuple of 2 items, got a tuple of 1 item")
    inner = check_contract(spec, value((jnp.array([1.0]), 2.0)), x64=False)
    assert inner.path == "[1]"
    assert inner.message == "expected a Python int at [1], got a Python float."
    assert check_contract(spec, value(jnp.ones(2)), x64=False).message.startswith(
        "expected a tuple of 2 items, got a jax.Array"
    )


def test_dict_structure() -> None:
    spec = Dict({"lr": VECTOR, "step": Scalar("int")})
    assert check_contract(spec, value({"lr": jnp.array([1.0]), "step": 3}), x64=False) is None
    missing = check_contract(spec, value({"lr": jnp.array([1.0])}), x64=False)
    assert (
        missing.message == "expected a dict with keys ['lr', 'step'], got a dict with keys ['lr']."
    )
    inner = check_contract(spec, value({"lr": jnp.array([[1.0]]), "step": 3}), x64=False)
    assert inner.path == "['lr']"
    assert inner.message.startswith("expected shape (1,) at ['lr'], got shape (1, 1).")
    nested = Tuple((Dict({"a": Tuple((SCALAR_ARRAY,))}),))
    deep = check_contract(nested, value(({"a": (jnp.array([1.0]),)},)), x64=False)
    assert deep.path == "[0]['a'][0]"


def test_unknown_spec_is_a_kit_bug() -> None:
    with pytest.raises(TypeError, match="unknown output spec"):
        check_contract("float", value(1.0), x64=False)


# ---------------------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------------------


def bound(tolerance: Tolerance, dtype: str, scale: float, expected: float) -> float:
    """The allowed error, computed independently of the judge."""
    rtol = max(DEFAULT_TOLERANCE[dtype][0], tolerance.rtol or 0.0)
    atol = max(DEFAULT_TOLERANCE[dtype][1], tolerance.atol or 0.0)
    return atol * scale + rtol * abs(expected)


@pytest.mark.parametrize(("expected", "scale"), [(0.5, 1e-3), (2.0e-4, 1e-3), (0.0, 1.0)])
def test_bound_is_atol_times_scale_plus_rtol_times_expected(expected: float, scale: float) -> None:
    allowed = bound(PROBLEM_TOL, "float64", scale, expected)
    want = value(np.array([expected]))
    inside = value(np.array([expected + 0.99 * allowed]))
    outside = value(np.array([expected + 1.01 * allowed]))
    assert compare(inside, want, PROBLEM_TOL, scale) is None
    assert compare(value(np.array([expected - 0.99 * allowed])), want, PROBLEM_TOL, scale) is None
    found = compare(outside, want, PROBLEM_TOL, scale)
    assert found.kind == "value"
    assert found.bound["allowed"] == pytest.approx(allowed, rel=1e-12)
    assert found.bound["error"] == pytest.approx(1.01 * allowed, rel=1e-6)
    assert found.bound["rtol"] == 1e-5
    assert found.bound["atol"] == 1e-6
    assert found.bound["scale"] == scale
    assert f"(allowed {allowed:.3g})" in found.message
    assert found.message.endswith(
        f"The bound is |got - expected| <= 1e-06 x {scale:g} + 1e-05 x |expected|."
    )


def test_float32_values_a_few_ulps_apart_pass() -> None:
    want = np.array([8.536e-4], np.float32)
    got = np.nextafter(np.nextafter(want, np.float32(1)), np.float32(1))
    assert compare(value(jnp.asarray(got)), value(jnp.asarray(want)), PROBLEM_TOL, 1e-3) is None


def test_message_names_the_index_and_the_path() -> None:
    want = value((np.array([1.0, 2.0, 3.0]), np.array(0.0)))
    got = value((np.array([1.0, 2.5, 3.0]), np.array(0.0)))
    found = compare(got, want, PROBLEM_TOL, 1.0)
    assert found.path == "[0]"
    assert "at [0] at index [1]: missed by 0.5" in found.message
    assert found.message.startswith("expected [1., 2., 3.], got [1. , 2.5, 3. ]")


def test_nan_meets_nan() -> None:
    nan = value(np.array([np.nan, 1.0]))
    assert compare(nan, nan, PROBLEM_TOL, 1.0) is None


def test_nan_for_a_number_is_called_nan() -> None:
    found = compare(value(jnp.array([jnp.nan])), value(jnp.array([0.5])), PROBLEM_TOL, 1.0)
    assert found.kind == "value"
    assert "got NaN (a division by zero or a log/sqrt of a negative number?)" in found.message


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_equal_infinities_pass() -> None:
    inf = value(np.array([np.inf, -np.inf]))
    assert compare(inf, inf, PROBLEM_TOL, 1.0) is None


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("got", [-np.inf, 1.0, 1e300], ids=["-inf", "one", "huge"])
def test_infinite_expected_value_needs_the_same_infinity(got: float) -> None:
    found = compare(value(np.array([got])), value(np.array([np.inf])), PROBLEM_TOL, 1.0)
    assert found is not None


def test_inf_for_a_number_says_inf() -> None:
    found = compare(value(np.array([np.inf])), value(np.array([0.5])), PROBLEM_TOL, 1.0)
    assert "missed by nan" not in found.message
    assert found.bound["error"] == float("inf")


def test_number_where_nan_was_expected_says_so() -> None:
    found = compare(value(np.array([1.0])), value(np.array([np.nan])), PROBLEM_TOL, 1.0)
    assert found is not None
    assert "(allowed nan)" not in found.message


def test_scalar_values_print_at_their_own_precision() -> None:
    want = value(jnp.float32(2.5e-4))
    found = compare(value(jnp.float32(1.25e-4)), want, PROBLEM_TOL, 1e-3)
    assert found.message.startswith("expected 0.00025, got 0.000125")


def test_ints_must_be_equal() -> None:
    assert compare(value(np.array([3, 4])), value(np.array([3, 4])), PROBLEM_TOL, 1e6) is None
    found = compare(value(np.array([3, 5])), value(np.array([3, 4])), PROBLEM_TOL, 1e6)
    assert found.bound["allowed"] == 0.0
    assert "missed by 1 (allowed 0)" in found.message
    # A float within the float tolerance of an int is still wrong: ints are exact.
    assert compare(value(np.array([3.0000001])), value(np.array([3])), PROBLEM_TOL, 1.0)
    assert compare(value(7), value(7), PROBLEM_TOL, 1.0) is None


def test_rtol_override_widens_only() -> None:
    want, got = value(np.array([1.0])), value(np.array([1.0 + 5e-5]))
    assert compare(got, want, PROBLEM_TOL, 0.0) is not None
    assert compare(got, want, PROBLEM_TOL, 0.0, rtol=GRAD_RTOL) is None
    assert compare(got, want, PROBLEM_TOL, 0.0, rtol=1e-9) is not None


def test_structure_mismatches_are_contract_mismatches() -> None:
    want = value((np.array([1.0]), np.array([2.0])))
    missing = compare(value((np.array([1.0]),)), want, PROBLEM_TOL, 1.0)
    assert missing.kind == "contract"
    assert missing.message == "no value at [1]."
    shape = compare(value(np.array([1.0, 2.0])), value(np.array([1.0])), PROBLEM_TOL, 1.0)
    assert shape.kind == "contract"
    assert shape.message == "expected shape (1,) at the output, got (2,)."


def test_leaves_are_sorted_by_dict_key() -> None:
    found = leaves(value({"b": 1.0, "a": (2.0, 3.0)}))
    assert [path for path, _ in found] == ["['a'][0]", "['a'][1]", "['b']"]


# ---------------------------------------------------------------------------------------
# Tolerance.bounds
# ---------------------------------------------------------------------------------------


def test_defaults_per_dtype() -> None:
    plain = Tolerance()
    for dtype, pair in DEFAULT_TOLERANCE.items():
        assert plain.bounds(dtype) == pair
    assert plain.bounds("int32") == (0.0, 0.0)
    assert plain.bounds("bool") == (0.0, 0.0)


def test_problem_numbers_never_go_below_the_dtype_default() -> None:
    strict = Tolerance(rtol=1e-9, atol=1e-12)
    assert strict.bounds("float32") == DEFAULT_TOLERANCE["float32"]
    assert strict.bounds("float64") == (1e-9, 1e-12)
    # A float16 result keeps its own 1e-3, whatever the problem says.
    assert PROBLEM_TOL.bounds("float16") == (1e-3, 1e-3)
    assert PROBLEM_TOL.bounds("bfloat16") == (1e-2, 1e-2)
    loose = Tolerance(rtol=1e-2)
    assert loose.bounds("float32") == (1e-2, 1e-6)


def test_backend_override() -> None:
    tolerance = Tolerance(rtol=1e-5, atol=1e-6, backends={"gpu": (1e-4, None)})
    assert tolerance.bounds("float32", "cpu") == (1e-5, 1e-6)
    assert tolerance.bounds("float32", "gpu") == (1e-4, 1e-6)  # atol falls back to the problem's
    assert tolerance.bounds("float16", "gpu") == (1e-3, 1e-3)
    assert tolerance.bounds("int32", "gpu") == (0.0, 0.0)


def test_compare_uses_the_backend_override() -> None:
    tolerance = Tolerance(rtol=1e-5, atol=0.0, backends={"gpu": (1e-3, None)})
    want, got = value(np.array([1.0])), value(np.array([1.0005]))
    assert compare(got, want, tolerance, 0.0, backend="cpu") is not None
    assert compare(got, want, tolerance, 0.0, backend="gpu") is None


def test_problem_toml_tolerance_table(tmp_path) -> None:
    folder = tmp_path / "problems" / "demo"
    folder.mkdir(parents=True)
    (folder / "problem.toml").write_text(
        'id = "demo"\n[tolerance]\nrtol = 1e-4\natol = 1e-7\ngrad_rtol = 1e-3\n'
        "[tolerance.gpu]\nrtol = 1e-3\n"
    )
    tolerance = load_problem(folder, tmp_path / "solutions").tolerance
    assert tolerance.grad_rtol == 1e-3
    assert tolerance.bounds("float32", "cpu") == (1e-4, 1e-6)
    assert tolerance.bounds("float32", "gpu") == (1e-3, 1e-6)
    assert tolerance.bounds("float64", "gpu") == (1e-3, 1e-7)
