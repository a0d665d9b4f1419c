"""Judging one returned value: the contract first (type, shape, dtype), then the numbers.

Everything here runs in the grader's own process on decoded :class:`~optax_sched.kit.wire.Value`
objects, so a learner can neither see nor patch it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optax_sched.kit.contract import Array, Dict, Scalar, Spec, Tolerance, Tuple
from optax_sched.kit.wire import Value


@dataclass(frozen=True)
class Mismatch:
    """Why a value was rejected.

    Attributes:
      kind: ``"contract"`` (type, shape, dtype, structure) or ``"value"`` (the numbers).
      message: one or two sentences a learner can act on.
      path: where in the output, e.g. ``"[1]"`` or ``"['lr']"``; empty for the whole value.
      bound: for value mismatches, the allowed and the actual error.
    """

    kind: str
    message: str
    path: str = ""
    bound: dict | None = None


def resolve_dtype(name: str, x64: bool) -> str:
    """The concrete dtype a spec's ``"float"``/``"int"`` means under the x64 flag."""
    if name == "float":
        return "float64" if x64 else "float32"
    if name == "int":
        return "int64" if x64 else "int32"
    return name


def _shape_advice(got: tuple[int, ...], want: tuple[int, ...]) -> str:
    if want == (1,) and got == ():
        return " Wrap the scalar in a list: jnp.array([value]) (or value.reshape(1))."
    if want == (1,) and got == (1, 1):
        return " The value is nested twice: use jnp.array([value]), not jnp.array([[value]])."
    if want == () and got == (1,):
        return " Return the scalar itself (value[0] or value.squeeze()), not a 1-element array."
    return ""


def check_contract(spec: Spec, got: Value, x64: bool, path: str = "") -> Mismatch | None:
    """The first way ``got`` breaks ``spec``, or None."""
    where = f" at {path}" if path else ""
    if isinstance(spec, Array):
        if got.kind not in ("jax", "numpy") or (spec.kind == "jax" and got.kind != "jax"):
            want = "a jax.Array" if spec.kind == "jax" else "an array"
            advice = ""
            if got.kind == "python":
                advice = (
                    " The result is a plain Python number (computed with Python arithmetic or"
                    " turned into one by float()/int()/.item()); build it with jax.numpy, e.g."
                    " jnp.asarray(...)."
                )
            elif got.kind == "numpy":
                advice = " Compute with jax.numpy (jnp) and return its result, not NumPy's."
            return Mismatch(
                "contract", f"expected {want}{where}, got {got.describe()}.{advice}", path
            )
        dtype = resolve_dtype(spec.dtype, x64)
        if spec.shape is not None and tuple(got.shape) != tuple(spec.shape):
            return Mismatch(
                "contract",
                f"expected shape {tuple(spec.shape)}{where}, got shape {tuple(got.shape)}."
                + _shape_advice(tuple(got.shape), tuple(spec.shape)),
                path,
            )
        if dtype != "any" and got.dtype != dtype:
            advice = ""
            if got.dtype == "float64" and dtype == "float32":
                advice = (
                    " float64 means the numbers were made by NumPy or Python floats; JAX"
                    " computes in float32 unless x64 is enabled."
                )
            return Mismatch(
                "contract", f"expected dtype {dtype}{where}, got {got.dtype}.{advice}", path
            )
        if got.array is None:
            return Mismatch("contract", f"the array{where} is too large to check.", path)
        return None
    if isinstance(spec, Scalar):
        if got.kind != "python" or got.type != spec.type:
            return Mismatch(
                "contract",
                f"expected a Python {spec.type}{where}, got {got.describe()}."
                + (
                    f" Convert with {spec.type}(...)."
                    if got.kind in ("jax", "numpy") and got.shape == ()
                    else ""
                ),
                path,
            )
        return None
    if isinstance(spec, Tuple):
        if got.kind not in ("tuple", "list") or len(got.items) != len(spec.items):
            return Mismatch(
                "contract",
                f"expected a tuple of {len(spec.items)} items{where}, got {got.describe()}.",
                path,
            )
        for index, (item_spec, item) in enumerate(zip(spec.items, got.items, strict=True)):
            found = check_contract(item_spec, item, x64, f"{path}[{index}]")
            if found:
                return found
        return None
    if isinstance(spec, Dict):
        if got.kind != "dict" or set(got.items) != set(spec.items):
            return Mismatch(
                "contract",
                f"expected a dict with keys {sorted(spec.items)}{where}, got {got.describe()}.",
                path,
            )
        for key, item_spec in spec.items.items():
            found = check_contract(item_spec, got.items[key], x64, f"{path}[{key!r}]")
            if found:
                return found
        return None
    raise TypeError(f"unknown output spec {spec!r}")


def leaves(value: Value, path: str = "") -> list[tuple[str, Value]]:
    """The array-like leaves of a decoded value, with their paths."""
    if value.kind in ("tuple", "list"):
        return [pair for i, item in enumerate(value.items) for pair in leaves(item, f"{path}[{i}]")]
    if value.kind == "dict":
        return [
            pair
            for key in sorted(value.items)
            for pair in leaves(value.items[key], f"{path}[{key!r}]")
        ]
    return [(path, value)]


def _fmt(array: np.ndarray) -> str:
    if array.ndim == 0:
        return str(array[()])
    if array.size > 8:
        return np.array2string(array, precision=7, threshold=8, edgeitems=3)
    return np.array2string(array, precision=7, separator=", ")


def compare(
    got: Value,
    expected: Value,
    tolerance: Tolerance,
    scale: float,
    backend: str = "cpu",
    rtol: float | None = None,
) -> Mismatch | None:
    """Compare the numbers of ``got`` with ``expected`` leaf by leaf under the tolerance.

    The bound is ``|got - expected| <= atol * scale + rtol * |expected|`` elementwise, with
    the tolerance chosen by the expected leaf's dtype; NaN must meet NaN, ints must be equal.
    ``rtol`` overrides the relative part (used for gradients).
    """
    got_leaves = dict(leaves(got))
    for path, want in leaves(expected):
        have = got_leaves.get(path)
        if have is None or have.array is None or want.array is None:
            return Mismatch("contract", f"no value at {path or 'the output'}.", path)
        w = np.asarray(want.array, dtype=np.float64 if want.array.dtype.kind != "c" else complex)
        try:
            h = np.asarray(have.array, dtype=w.dtype)
        except (TypeError, ValueError):
            return Mismatch(
                "contract", f"the value at {path or 'the output'} is not numeric.", path
            )
        if h.shape != w.shape:
            return Mismatch(
                "contract",
                f"expected shape {w.shape} at {path or 'the output'}, got {h.shape}.",
                path,
            )
        r, a = tolerance.bounds(str(want.dtype), backend)
        if rtol is not None:
            r = max(r, rtol)
        with np.errstate(invalid="ignore", over="ignore"):
            allowed = a * scale + r * np.abs(w)
            error = np.abs(h - w)
            # A non-finite expected value must be matched exactly (inf by the same inf).
            close = np.isfinite(w) & np.isfinite(h) & (error <= allowed)
            bad = ~(close | (np.isnan(w) & np.isnan(h)) | (w == h))
        if not bad.any():
            continue
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at {path}" if path else ""
        at = f"{where} at index {list(index)}" if w.size > 1 else where
        worst_error = float(error[index])  # inf or nan become strings in the JSON record
        if np.isnan(h[index]) and not np.isnan(w[index]):
            detail = "got NaN (a division by zero or a log/sqrt of a negative number?)"
        elif not np.isfinite(w[index]):
            detail = f"expected exactly {w[index]}"
        elif not np.isfinite(h[index]):
            detail = f"got {h[index]} (an overflow or a division by zero?)"
        else:
            detail = f"missed by {worst_error:.3g} (allowed {float(allowed[index]):.3g})"
        shown_w = want.array if want.array.dtype.kind in "fcbiu" else w
        shown_h = have.array if have.array.dtype.kind in "fcbiu" else h
        return Mismatch(
            "value",
            f"expected {_fmt(shown_w)}, got {_fmt(shown_h)}{at}: {detail}. The bound is "
            f"|got - expected| <= {a:g} x {scale:g} + {r:g} x |expected|.",
            path,
            {
                "rtol": r,
                "atol": a,
                "scale": scale,
                "allowed": float(allowed[index]) if np.isfinite(allowed[index]) else None,
                "error": worst_error,
            },
        )
    return None
