"""The grader's wire format: learner values as JSON, never pickle.

The runner child (which holds learner code) and the judging parent talk through private
pipes, one JSON document per line. Values cross as a small tagged tree so the parent can
check a result's *type* (Python float vs NumPy vs ``jax.Array``), shape and dtype before its
numbers, and so nothing the child sends can execute code in the parent: decoding only ever
builds NumPy arrays from bytes under an allow-list of dtypes.

This module is loaded by the child from its file path (it must not import ``optax_sched``, so
learner code meets a clean interpreter); it imports only the standard library and NumPy.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: dtypes a value may carry across the wire; anything else is reported by name only.
DTYPES = (
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
)
#: Arrays larger than this are described (type, shape, dtype) but their data is not sent.
MAX_ELEMENTS = 1_000_000
#: Containers nested deeper than this are cut off.
MAX_DEPTH = 16


def _numpy_dtype(name: str) -> np.dtype:
    if name == "bfloat16":
        import ml_dtypes  # installed with jax

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(name)


def _float(x: float) -> Any:
    # JSON has no NaN/inf; keep them as strings rather than rely on non-standard tokens.
    return x if math.isfinite(x) else repr(x)


def encode(value: Any, depth: int = 0) -> dict[str, Any]:
    """Describe ``value`` as JSON-safe data: its kind, and for arrays dtype, shape and bytes."""
    if depth > MAX_DEPTH:
        return {"kind": "other", "type": "nesting too deep"}
    if value is None:
        return {"kind": "none"}
    # NumPy first: np.float64 subclasses float but is not a Python float to a learner.
    if isinstance(value, (np.ndarray, np.generic)):
        return _array(value, "numpy")
    if isinstance(value, bool):
        return {"kind": "python", "type": "bool", "value": bool(value)}
    if isinstance(value, int):
        return {"kind": "python", "type": "int", "value": int.__repr__(int(value))}
    if isinstance(value, float):
        return {"kind": "python", "type": "float", "value": _float(float(value))}
    if isinstance(value, (tuple, list)):
        return {
            "kind": type(value).__name__ if type(value) in (tuple, list) else "tuple",
            "items": [encode(item, depth + 1) for item in value],
        }
    if isinstance(value, dict):
        return {
            "kind": "dict",
            "items": {str(key): encode(item, depth + 1) for key, item in value.items()},
        }
    module = type(value).__module__ or ""
    if module.startswith(("jax", "jaxlib")) and hasattr(value, "dtype"):
        return _array(value, "jax")
    return {"kind": "other", "type": f"{module}.{type(value).__qualname__}"}


def _array(value: Any, kind: str) -> dict[str, Any]:
    module = type(value).__module__ or ""
    described: dict[str, Any] = {
        "kind": kind,
        "type": f"{module}.{type(value).__qualname__}",
        "dtype": str(value.dtype),
        "shape": [int(n) for n in np.shape(value)],
        "weak_type": bool(getattr(value, "weak_type", False)),
    }
    if described["dtype"] in DTYPES and int(np.size(value)) <= MAX_ELEMENTS:
        data = np.ascontiguousarray(np.asarray(value))
        described["data"] = base64.b64encode(data.tobytes()).decode("ascii")
    return described


@dataclass(frozen=True)
class Value:
    """A decoded value: what the learner returned, as the parent sees it."""

    kind: str  # python | numpy | jax | tuple | list | dict | none | other
    type: str = ""
    dtype: str | None = None
    shape: tuple[int, ...] | None = None
    array: np.ndarray | None = None  # the numbers, for python/numpy/jax kinds
    items: Any = field(default=None)  # tuple of Values, or dict of Values

    def describe(self) -> str:
        """A short human description: ``jax.Array float32 (1,)``, ``Python float``, ..."""
        if self.kind == "python":
            return f"a Python {self.type}"
        if self.kind in ("numpy", "jax"):
            what = "jax.Array" if self.kind == "jax" else "NumPy array"
            if self.kind == "numpy" and self.shape == ():
                what = "NumPy scalar"
            return f"a {what} of dtype {self.dtype} and shape {self.shape}"
        if self.kind in ("tuple", "list"):
            count = len(self.items)
            return f"a {self.kind} of {count} item{'s' if count != 1 else ''}"
        if self.kind == "dict":
            return f"a dict with keys {sorted(self.items)}"
        if self.kind == "none":
            return "None (did the function forget to `return`?)"
        return f"an object of type {self.type}"


def decode(data: dict[str, Any]) -> Value:
    """Rebuild a :class:`Value` from :func:`encode`'s output; never executes anything.

    Anything malformed (the child is not trusted) decodes as kind ``other``.
    """
    try:
        return _decode(data)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return Value("other", type="a value the grader could not read")


def _decode(data: dict[str, Any]) -> Value:
    kind = data.get("kind")
    if kind == "none":
        return Value("none")
    if kind == "python":
        kind_of = data["type"]
        raw = data["value"]
        if kind_of == "bool":
            array = np.asarray(bool(raw))
        elif kind_of == "int":
            number = int(raw)
            array = np.asarray(number if abs(number) < 2**63 else float(number))
        else:
            array = np.asarray(float(raw), dtype=np.float64)
        return Value("python", type=kind_of, dtype=str(array.dtype), shape=(), array=array)
    if kind in ("tuple", "list"):
        return Value(kind, items=tuple(_decode(item) for item in data["items"]))
    if kind == "dict":
        return Value("dict", items={key: _decode(item) for key, item in data["items"].items()})
    if kind in ("numpy", "jax"):
        shape = tuple(int(n) for n in data["shape"])
        array = None
        if "data" in data and data["dtype"] in DTYPES:
            raw = base64.b64decode(data["data"])
            array = np.frombuffer(raw, dtype=_numpy_dtype(data["dtype"])).reshape(shape)
        return Value(kind, type=data.get("type", ""), dtype=data["dtype"], shape=shape, array=array)
    return Value("other", type=str(data.get("type", "unknown")))


def dumps(message: dict[str, Any]) -> bytes:
    """One protocol message as a line of JSON."""
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def loads(line: bytes) -> dict[str, Any]:
    """Parse one protocol line; raises ``ValueError`` on anything that is not a JSON object."""
    message = json.loads(line)
    if not isinstance(message, dict):
        raise ValueError("protocol message is not a JSON object")
    return message


def encode_args(args: dict[str, Any]) -> dict[str, Any]:
    """Encode a case's keyword arguments (trusted values built by the grader)."""
    return {name: encode(value) for name, value in args.items()}


def decode_args(data: dict[str, Any]) -> dict[str, Any]:
    """Rebuild keyword arguments for a call: Python scalars stay Python, arrays become NumPy."""
    return {name: to_python(decode(item)) for name, item in data.items()}


def to_python(value: Value) -> Any:
    """A decoded argument as the value a learner function receives."""
    if value.kind == "python":
        return value.array.item()
    if value.kind in ("numpy", "jax"):
        return np.array(value.array)
    if value.kind in ("tuple", "list"):
        items = [to_python(item) for item in value.items]
        return tuple(items) if value.kind == "tuple" else items
    if value.kind == "dict":
        return {key: to_python(item) for key, item in value.items.items()}
    return None
