"""The grader's wire format: what a returned value looks like once it crossed the pipe."""

from __future__ import annotations

import base64
import json
import math
import pickle
from collections import namedtuple

import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

from optax_sched.kit import wire


def cross(x: object) -> wire.Value:
    """Encode in the child, send as one JSON line, decode in the parent."""
    line = wire.dumps({"event": "result", "value": wire.encode(x)})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    return wire.decode(wire.loads(line)["value"])


# ---------------------------------------------------------------------------------------
# Python scalars
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "type_", "dtype"),
    [
        (True, "bool", "bool"),
        (False, "bool", "bool"),
        (0, "int", "int64"),
        (-7, "int", "int64"),
        (2**63 - 1, "int", "int64"),
        (0.1, "float", "float64"),
        (-0.0, "float", "float64"),
        (5e-324, "float", "float64"),
        (1.7976931348623157e308, "float", "float64"),
    ],
)
def test_python_scalars_round_trip(x: object, type_: str, dtype: str) -> None:
    got = cross(x)
    assert (got.kind, got.type, got.dtype, got.shape) == ("python", type_, dtype, ())
    assert got.array.item() == x
    assert type(wire.to_python(got)) is type(x)
    assert wire.to_python(got) == x
    if isinstance(x, float):
        assert math.copysign(1.0, got.array.item()) == math.copysign(1.0, x)


@pytest.mark.parametrize("x", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_cross_as_strings(x: float) -> None:
    encoded = wire.encode(x)
    assert isinstance(encoded["value"], str)
    json.dumps(encoded, allow_nan=False)  # strict JSON
    got = cross(x)
    assert got.type == "float"
    back = got.array.item()
    assert (math.isnan(back) and math.isnan(x)) or back == x


@pytest.mark.parametrize("x", [2**63, 2**70 + 1, -(2**64), 10**30])
def test_big_ints_keep_their_type_and_magnitude(x: int) -> None:
    encoded = wire.encode(x)
    assert encoded["value"] == str(x)  # exact on the wire
    got = cross(x)
    assert (got.kind, got.type) == ("python", "int")
    assert got.describe() == "a Python int"
    assert got.array.item() == pytest.approx(float(x), rel=1e-15)


# ---------------------------------------------------------------------------------------
# Arrays
# ---------------------------------------------------------------------------------------

DTYPES = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
]


def sample(dtype: str, shape: tuple[int, ...] = (2, 3)) -> np.ndarray:
    kind = np.dtype(ml_dtypes.bfloat16 if dtype == "bfloat16" else dtype)
    values = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) - 2.5
    if dtype == "bool":
        return values > 0
    if kind.kind in "ui":
        return np.abs(values).astype(kind)
    if kind.kind == "c":
        return (values + 1j * values[::-1]).astype(kind)
    return values.astype(kind)


@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_arrays_round_trip(dtype: str) -> None:
    array = sample(dtype)
    got = cross(array)
    assert (got.kind, got.dtype, got.shape) == ("numpy", dtype, (2, 3))
    assert got.type == "numpy.ndarray"
    assert got.array.dtype == array.dtype
    assert got.array.tobytes() == array.tobytes()
    back = wire.to_python(got)
    assert isinstance(back, np.ndarray) and back.flags.writeable


@pytest.mark.parametrize(
    "dtype", ["bool", "int8", "int32", "uint8", "float16", "bfloat16", "float32", "complex64"]
)
def test_jax_arrays_round_trip(dtype: str) -> None:
    array = jnp.asarray(sample(dtype))
    got = cross(array)
    assert (got.kind, got.dtype, got.shape) == ("jax", dtype, (2, 3))
    assert got.type.startswith("jax")
    assert got.array.tobytes() == np.asarray(array).tobytes()
    assert got.describe() == f"a jax.Array of dtype {dtype} and shape (2, 3)"


def test_bfloat16_values_survive() -> None:
    array = jnp.array([1.0, -2.5, 3.140625, jnp.inf], dtype=jnp.bfloat16)
    got = cross(array)
    assert got.array.dtype == np.dtype(ml_dtypes.bfloat16)
    np.testing.assert_array_equal(got.array.astype(np.float32), np.asarray(array, np.float32))


def test_weak_type_is_recorded() -> None:
    assert wire.encode(jnp.asarray(1.0))["weak_type"] is True
    assert wire.encode(jnp.float32(1.0))["weak_type"] is False
    assert wire.encode(np.float32(1.0))["weak_type"] is False


def test_zero_d_and_empty_and_strided_arrays() -> None:
    scalar = cross(np.float32(1.5))
    assert (scalar.kind, scalar.shape) == ("numpy", ())
    assert scalar.describe() == "a NumPy scalar of dtype float32 and shape ()"
    zero_d = cross(jnp.float32(1.5))
    assert (zero_d.shape, zero_d.array.item()) == ((), 1.5)
    empty = cross(np.zeros((0, 3), np.float32))
    assert empty.shape == (0, 3) and empty.array.shape == (0, 3)
    strided = np.arange(12.0).reshape(3, 4).T[::2]
    np.testing.assert_array_equal(cross(strided).array, strided)


def test_oversized_array_crosses_without_data() -> None:
    big = np.zeros(wire.MAX_ELEMENTS + 1, np.int8)
    encoded = wire.encode(big)
    assert "data" not in encoded
    got = wire.decode(encoded)
    assert (got.kind, got.dtype, got.shape, got.array) == ("numpy", "int8", (big.size,), None)
    assert got.describe() == f"a NumPy array of dtype int8 and shape ({big.size},)"
    fits = np.zeros(wire.MAX_ELEMENTS, np.int8)
    assert wire.decode(wire.encode(fits)).array is not None


@pytest.mark.parametrize(
    "array", [np.array(["a", "b"]), np.array([object()]), np.array(["2020-01-01"], "M8[D]")]
)
def test_other_dtypes_are_named_not_sent(array: np.ndarray) -> None:
    encoded = wire.encode(array)
    assert "data" not in encoded
    got = wire.decode(encoded)
    assert (got.kind, got.dtype, got.array) == ("numpy", str(array.dtype), None)


# ---------------------------------------------------------------------------------------
# Containers and others
# ---------------------------------------------------------------------------------------


def test_nested_containers() -> None:
    got = cross((1, [2.0, {"a": jnp.ones(2), 3: None}], ()))
    assert got.kind == "tuple" and len(got.items) == 3
    first, middle, empty = got.items
    assert (first.kind, first.type) == ("python", "int")
    assert middle.kind == "list"
    assert middle.items[0].type == "float"
    mapping = middle.items[1]
    assert mapping.kind == "dict"
    assert set(mapping.items) == {"a", "3"}  # keys cross as strings
    assert mapping.items["a"].kind == "jax"
    assert mapping.items["3"].kind == "none"
    assert (empty.kind, empty.items) == ("tuple", ())
    back = wire.to_python(got)
    assert back[0] == 1 and back[1][0] == 2.0 and back[2] == ()
    np.testing.assert_array_equal(back[1][1]["a"], np.ones(2, np.float32))


def test_tuple_and_list_subclasses() -> None:
    Pair = namedtuple("Pair", "a b")
    assert cross(Pair(1, 2)).kind == "tuple"
    assert cross(list((1, 2))).kind == "list"


def test_deep_nesting_is_cut() -> None:
    deep: list = [1.0]
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    got = cross(deep)
    depth = 0
    while got.kind == "list":
        got, depth = got.items[0], depth + 1
    assert depth == wire.MAX_DEPTH + 1
    assert (got.kind, got.type) == ("other", "nesting too deep")


def test_none() -> None:
    got = cross(None)
    assert got.kind == "none"
    assert got.describe() == "None (did the function forget to `return`?)"
    assert wire.to_python(got) is None


class Opaque:
    pass


@pytest.mark.parametrize(
    ("x", "type_"),
    [
        (Opaque(), f"{__name__}.Opaque"),
        (1 + 2j, "builtins.complex"),
        ("0.5", "builtins.str"),
        (b"x", "builtins.bytes"),
        ({1, 2}, "builtins.set"),
    ],
)
def test_anything_else_is_other(x: object, type_: str) -> None:
    got = cross(x)
    assert (got.kind, got.type, got.array) == ("other", type_, None)
    assert got.describe() == f"an object of type {type_}"
    assert wire.to_python(got) is None


# ---------------------------------------------------------------------------------------
# decode never runs anything
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "pickle", "data": base64.b64encode(pickle.dumps([1])).decode()},
        {"kind": "__import__('os').system('false')"},
        {"kind": "module", "type": "os"},
    ],
)
def test_unknown_kinds_decode_to_other(data: dict) -> None:
    got = wire.decode(data)
    assert got.kind == "other"
    assert got.type == str(data.get("type", "unknown"))


def test_disallowed_dtype_with_data_is_not_decoded() -> None:
    payload = base64.b64encode(pickle.dumps(np.array([1], dtype=object))).decode()
    got = wire.decode({"kind": "numpy", "dtype": "object", "shape": [1], "data": payload})
    assert (got.kind, got.dtype, got.array) == ("numpy", "object", None)


def test_python_values_are_parsed_not_evaluated() -> None:
    hostile = wire.decode({"kind": "python", "type": "int", "value": "__import__('os').getpid()"})
    assert hostile.kind == "other"
    got = wire.decode({"kind": "python", "type": "float", "value": "-inf"})
    assert got.array.item() == -math.inf


def test_protocol_lines() -> None:
    assert wire.loads(wire.dumps({"a": [1, "x"]})) == {"a": [1, "x"]}
    with pytest.raises(ValueError, match="not a JSON object"):
        wire.loads(b"[1, 2]\n")
    with pytest.raises(ValueError):
        wire.loads(b'{"event": "result"')
    with pytest.raises(ValueError):
        wire.loads(b"NaN-ish garbage")


def test_args_round_trip_as_the_learner_receives_them() -> None:
    args = {"step": 5.7, "count": 3, "flag": True, "table": np.arange(3.0), "pair": (1.0, 2)}
    back = wire.decode_args(json.loads(json.dumps(wire.encode_args(args))))
    assert list(back) == list(args)  # the order is the calling order
    assert back["step"] == 5.7 and type(back["step"]) is float
    assert back["count"] == 3 and type(back["count"]) is int
    assert back["flag"] is True
    np.testing.assert_array_equal(back["table"], np.arange(3.0))
    assert back["pair"] == (1.0, 2)


# ---------------------------------------------------------------------------------------
# describe
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.5, "a Python float"),
        (3, "a Python int"),
        (True, "a Python bool"),
        (jnp.zeros((1,)), "a jax.Array of dtype float32 and shape (1,)"),
        (np.zeros((2, 1)), "a NumPy array of dtype float64 and shape (2, 1)"),
        (np.float32(1.0), "a NumPy scalar of dtype float32 and shape ()"),
        ((1, 2), "a tuple of 2 items"),
        ([1], "a list of 1 item"),  # prefix: "items" today
        ({"b": 1, "a": 2}, "a dict with keys ['a', 'b']"),
        (None, "None (did the function forget to `return`?)"),
    ],
)
def test_describe(x: object, text: str) -> None:
    assert cross(x).describe().startswith(text)


def test_numpy_float64_scalar_is_a_numpy_scalar() -> None:
    got = cross(np.cos(np.float64(0.5)))
    assert got.kind == "numpy"
    assert got.describe() == "a NumPy scalar of dtype float64 and shape ()"
