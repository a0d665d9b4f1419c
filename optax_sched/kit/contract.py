"""What a problem promises: its cases, its output contract and its tolerance policy.

A problem's ``cases.py`` builds these from plain data::

    from hypothesis import strategies as st
    from optax_sched.kit.contract import Array, Case, Contract

    CONTRACT = Contract(output=Array(shape=(1,), dtype="float"), scale="peak_lr")

    def edge_cases() -> list[Case]:
        return [Case({"step": 0.0, "peak_lr": 1e-3}, "step 0", "warmup starts at 0")]

    def random_cases() -> st.SearchStrategy[dict]:
        return st.fixed_dictionaries({"step": st.floats(0, 100), "peak_lr": st.just(1e-3)})

The grader reads them in its own process (they are trusted kit code, never learner code).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Default tolerance per dtype, ``(rtol, atol)``; ``atol`` is multiplied by the case's scale.
#: Loosely modelled on JAX's own test tolerances. float32 allows a few ulps because eager
#: and jitted evaluation of the same optax schedule differ by an ulp on ~12% of inputs.
DEFAULT_TOLERANCE: dict[str, tuple[float, float]] = {
    "float64": (1e-12, 1e-14),
    "complex128": (1e-12, 1e-14),
    "float32": (1e-5, 1e-6),
    "complex64": (1e-5, 1e-6),
    "float16": (1e-3, 1e-3),
    "bfloat16": (1e-2, 1e-2),
}
#: Relative tolerance for gradients (they go through more arithmetic than values).
GRAD_RTOL = 1e-4


@dataclass(frozen=True)
class Case:
    """One input to grade: keyword arguments, a short name and why the case exists.

    Attributes:
      args: keyword arguments for the learner's function (Python scalars, lists, NumPy
        arrays).
      name: shown in reports, e.g. ``"step == warmup_steps"``.
      note: what a failure here usually means, shown with the failure.
    """

    args: Mapping[str, Any]
    name: str = ""
    note: str = ""


@dataclass(frozen=True)
class Array:
    """The output must be an array.

    Attributes:
      shape: the exact shape, or None for any shape.
      dtype: ``"float"`` (JAX's default float dtype: float32, or float64 with x64 enabled),
        ``"int"`` (the default int dtype), ``"bool"``, an exact name such as ``"float32"``,
        or ``"any"``.
      kind: ``"jax"`` requires a ``jax.Array``; ``"array"`` also accepts a NumPy array.
    """

    shape: tuple[int, ...] | None = None
    dtype: str = "float"
    kind: str = "jax"


@dataclass(frozen=True)
class Scalar:
    """The output must be a plain Python ``int``, ``float`` or ``bool``."""

    type: str = "float"


@dataclass(frozen=True)
class Tuple:
    """The output must be a tuple (or list) of exactly these items."""

    items: tuple[Any, ...]


@dataclass(frozen=True)
class Dict:
    """The output must be a dict with exactly these keys."""

    items: Mapping[str, Any]


Spec = Array | Scalar | Tuple | Dict


@dataclass(frozen=True)
class Contract:
    """How a problem's function is called and judged.

    Attributes:
      output: the output's :data:`Spec`, or a function of the case's arguments returning one
        (for outputs whose shape follows the input).
      scale: the case's natural size, multiplying ``atol``: an argument name (``"peak_lr"``),
        a number, or a function of the arguments.
      jit: the function must work under ``jax.jit`` and agree with the reference there.
      static: argument names kept static under ``jax.jit`` (Python ints that set shapes).
      vmap: argument names batched in a ``jax.vmap`` check over all cases at once; empty
        means no vmap check. Arguments not listed must be equal in every case.
      grad: an argument name: ``jax.grad`` of the output's sum with respect to it must match
        the reference's.
    """

    output: Spec | Callable[[Mapping[str, Any]], Spec]
    scale: str | float | Callable[[Mapping[str, Any]], float] = 1.0
    jit: bool = False
    static: tuple[str, ...] = ()
    vmap: tuple[str, ...] = ()
    grad: str | None = None

    def spec_for(self, args: Mapping[str, Any]) -> Spec:
        """The output spec for one case."""
        return self.output(args) if callable(self.output) else self.output

    def scale_for(self, args: Mapping[str, Any]) -> float:
        """The atol multiplier for one case."""
        if callable(self.scale):
            return abs(float(self.scale(args)))
        if isinstance(self.scale, str):
            return abs(float(args[self.scale]))
        return abs(float(self.scale))


@dataclass(frozen=True)
class Tolerance:
    """A problem's declared tolerance: ``|got - expected| <= atol * scale + rtol * |expected|``.

    The problem's numbers apply to every float dtype, but never below that dtype's default
    (:data:`DEFAULT_TOLERANCE`): a float16 result is not held to float32 precision. A
    backend may widen them (``[tolerance.gpu]`` in problem.toml).
    """

    rtol: float | None = None
    atol: float | None = None
    grad_rtol: float = GRAD_RTOL
    backends: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def bounds(self, dtype: str, backend: str = "cpu") -> tuple[float, float]:
        """``(rtol, atol)`` for an expected value of ``dtype`` on ``backend``; 0 for ints."""
        if dtype not in DEFAULT_TOLERANCE:
            return 0.0, 0.0
        rtol, atol = DEFAULT_TOLERANCE[dtype]
        mine = self.backends.get(backend, (self.rtol, self.atol))
        over = (
            mine[0] if mine[0] is not None else self.rtol,
            mine[1] if mine[1] is not None else self.atol,
        )
        return max(rtol, over[0] or 0.0), max(atol, over[1] or 0.0)
