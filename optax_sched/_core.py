"""The one core every schedule is made of.

Three things live here and nowhere else:

* **Curve shapes** (:func:`shape`): how a value moves from ``a`` towards ``b`` over a
  local step ``t`` of a piece of length ``L`` (constant, linear, cosine, polynomial,
  1-sqrt, exponential, inverse square root). Every factory, the parity layer and the
  exercise references call these; no formula is written twice.
* **The piecewise combinator** (:func:`piecewise`): a schedule made of consecutive
  pieces. The active piece is found with one boundary search and only its parameters
  are gathered, so the per-step cost and the compiled program do not grow with the
  number of pieces (unlike nesting ``jnp.where`` or ``optax.join_schedules``, which
  evaluate every piece at every step).
* **The schedule object** (:class:`Schedule`): a frozen callable ``step -> array`` (an
  ``optax.Schedule``) that also remembers its name, its parameters and its phases, so
  printing, plotting and exporting a schedule need no second description of it.

Step conventions shared by all schedules: steps count optimizer updates from 0; a
negative step evaluates as step 0; a float step is evaluated at that fractional
position (only staircase shapes round it down); Python ints beyond the int32 range are
evaluated in floating point instead of overflowing.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from optax_sched import _validate

ScheduleFn = Callable[[jax.typing.ArrayLike], jax.Array]

#: The curve shapes a piece may take. See :func:`shape` for the formulas.
KINDS = (
    "constant",
    "linear",
    "cosine",
    "polynomial",
    "one_minus_sqrt",
    "exponential",
    "staircase",
    "rsqrt",
    "cosine_wave",
    "hard_restarts",
    "sqrt_warmup",
)

_INT32_MAX = 2**31 - 1


def float_dtype() -> jnp.dtype:
    """float32, or float64 when ``jax_enable_x64`` is on."""
    return jnp.result_type(float)


def as_step(step: jax.typing.ArrayLike) -> jax.Array:
    """Turn a user's step into an array of at least 32 bits without overflow.

    optax's own counters are int32 and saturate at ``2**31 - 1``. Without x64, a
    concrete integer beyond the int32 range (a Python int, or a NumPy int64 scalar or
    array) would overflow or silently wrap around in ``jnp.asarray``, so it is
    evaluated as a float instead (exact to 24 bits, plenty for a value that is held or
    periodic that far out). Narrow steps (int8, uint16, float16, ...) are widened to 32
    bits, so phase boundaries never have to fit in the step's own type.
    """
    if not isinstance(step, bool) and not jax.config.jax_enable_x64:
        if isinstance(step, int):
            if abs(step) > _INT32_MAX:
                return jnp.asarray(float(step), float_dtype())
        elif isinstance(step, np.integer | np.ndarray):
            array = np.asarray(step)
            if array.dtype.kind in "iu" and array.size:
                if array.max() > _INT32_MAX or array.min() < -_INT32_MAX:
                    return jnp.asarray(array, float_dtype())
    step = jnp.asarray(step)
    if step.dtype.itemsize < 4:
        if jnp.issubdtype(step.dtype, jnp.integer):
            return step.astype(jnp.int32)
        if jnp.issubdtype(step.dtype, jnp.floating):
            return step.astype(jnp.float32)
    return step


def _in_dtype_of(table: np.ndarray, step: jax.Array) -> jax.Array:
    """The step table in the step's own dtype, so searches never narrow the step.

    ``jnp.searchsorted`` casts the query to the table's dtype: an int64 step searched in
    an int32 table would wrap around.
    """
    return jnp.asarray(table).astype(step.dtype)


def whole_periods(t: jax.Array, length: jax.typing.ArrayLike) -> jax.Array:
    """``floor(t / length)``, exact for whole-number ``t`` and ``length``.

    Float32 division on XLA's CPU backend may round ``121 / 121`` to 0.99999994, which
    would make a staircase drop one step late; the quotient is corrected by one step
    either way with exact products.
    """
    k = jnp.floor(t / length)
    k = jnp.where((k + 1) * length <= t, k + 1, k)
    return jnp.where(k * length > t, k - 1, k)


def periods_and_phase(step: jax.Array, length: int) -> tuple[jax.Array, jax.Array]:
    """Whole periods of ``length`` in ``step >= 0`` and the position within the current
    one, as floats; exact at any size for an integer step (integer division), where a
    float32 step is no longer exact beyond 2**24 and a staircase could drop a step early.
    """
    dtype = float_dtype()
    if jnp.issubdtype(step.dtype, jnp.integer):
        k = step // length
        return k.astype(dtype), (step - k * length).astype(dtype)
    t = jnp.asarray(step, dtype)
    k = whole_periods(t, length)
    return k, t - k * length


def shape(
    kind: str,
    t: jax.Array,
    length: jax.typing.ArrayLike,
    a: jax.typing.ArrayLike,
    b: jax.typing.ArrayLike,
    c: jax.typing.ArrayLike = 1.0,
    periods: jax.Array | None = None,
) -> jax.Array:
    r"""Evaluate one curve shape at local step ``t >= 0``.

    With progress :math:`p = \min(t / L, 1)`:

    .. math::

      \begin{cases}
        a & \text{constant} \\
        a + (b - a)\, p & \text{linear} \\
        b + (a - b)\, \tfrac{1}{2}(1 + \cos \pi p) & \text{cosine} \\
        b + (a - b)\, (1 - p)^{c} & \text{polynomial} \\
        b + (a - b)\, (1 - \sqrt{p}) & \text{one\_minus\_sqrt} \\
        \max\!\big(b,\ a\, c^{t / L}\big) & \text{exponential} \\
        \max\!\big(b,\ a\, c^{\lfloor t / L \rfloor}\big) & \text{staircase} \\
        a \sqrt{L / (t + L)} & \text{rsqrt} \\
        b + (a - b)\, \tfrac{1}{2}(1 + \cos 2\pi c\, t / L) & \text{cosine\_wave} \\
        b + (a - b)\, \tfrac{1}{2}(1 + \cos \pi\, \mathrm{frac}(c\, t / L))\,
            [t < L] & \text{hard\_restarts} \\
        b + (a - b)\, \sqrt{1 - p} & \text{sqrt\_warmup}
      \end{cases}

    The bounded shapes hold ``b`` once ``t >= L``. ``exponential``, ``staircase`` and
    ``rsqrt`` never end; for them ``L`` is the decay period or the timescale.
    ``cosine_wave`` is transformers' cosine with ``c`` cycles: its progress is not
    clipped, so past ``L`` it climbs again. ``hard_restarts`` runs ``c`` cosine decays
    within ``L`` and is ``b`` from ``L`` on. ``sqrt_warmup`` rises from ``a`` to ``b``
    as :math:`1 - \sqrt{1 - p}` (transformers' "1-sqrt" warmup).

    Args:
      kind: one of :data:`KINDS`.
      t: local step within the piece (float array, ``>= 0``).
      length: the piece's length ``L`` (``>= 1``).
      a: value at ``t = 0``.
      b: value at ``t = L`` (or the floor for exponential).
      c: the power (polynomial), the per-period rate (exponential, staircase) or the
        number of cycles (cosine_wave, hard_restarts).

    Returns:
      The value, an array shaped like ``t``.
    """
    if kind == "constant":
        return jnp.broadcast_to(jnp.asarray(a, t.dtype), t.shape)
    if kind == "rsqrt":
        return a * jnp.sqrt(length / (t + length))
    if kind == "exponential":
        return jnp.maximum(b, a * jnp.power(c, t / length))
    if kind == "staircase":
        k = whole_periods(t, length) if periods is None else periods
        return jnp.maximum(b, a * jnp.power(c, k))
    if kind == "cosine_wave":
        # Reduce to one period before cos: a float32 angle of tens of radians is off by
        # ~1e-6 after many periods (PyTorch's CosineAnnealingLR at step 130, T_max=7).
        scaled = c * t
        within = (scaled - whole_periods(scaled, length) * length) / length
        remaining = 0.5 * (1.0 + jnp.cos(2.0 * jnp.pi * within))
        return a * remaining + b * (1.0 - remaining)
    if kind == "hard_restarts":
        # frac(c t / L) from exact whole-cycle counting: float32 division can put
        # c t / L = 1 just below 1 and turn a restart's peak into the floor.
        scaled = c * t
        within = (scaled - whole_periods(scaled, length) * length) / length
        remaining = jnp.where(t >= length, 0.0, 0.5 * (1.0 + jnp.cos(jnp.pi * within)))
        return a * remaining + b * (1.0 - remaining)
    p = jnp.clip(t / length, 0.0, 1.0)
    if kind == "linear":
        remaining = 1.0 - p
    elif kind == "cosine":
        remaining = 0.5 * (1.0 + jnp.cos(jnp.pi * p))
    elif kind == "polynomial":
        remaining = jnp.power(1.0 - p, c)
    elif kind == "one_minus_sqrt":
        remaining = 1.0 - jnp.sqrt(p)
    elif kind == "sqrt_warmup":
        remaining = jnp.sqrt(1.0 - p)
    else:
        raise ValueError(f"unknown curve kind {kind!r}; expected one of {KINDS}")
    # a*f + b*(1-f) lands exactly on a (f = 1) and on b (f = 0) in float32, where
    # a + (b - a)*p can miss a small floor by several percent of its own size.
    return a * remaining + b * (1.0 - remaining)


@dataclasses.dataclass(frozen=True)
class Piece:
    """One piece of a piecewise schedule: a shape starting at global step ``start``.

    The piece is active from ``start`` until the next piece's start (the last piece
    stays active forever). ``a``, ``b`` and ``c`` are the parameters of :func:`shape`;
    they may be traced arrays. ``label`` names the phase for tables and plots. The
    shape sees the local step ``t = step - start + shift`` (``shift`` lets a piece start
    part-way through its curve, as some transformers schedules do).
    """

    start: int
    kind: str
    length: float
    a: Any
    b: Any = 0.0
    c: Any = 1.0
    label: str = ""
    shift: float = 0.0


@dataclasses.dataclass(frozen=True)
class Phase:
    """A named span ``[start, end)`` of a schedule, for tables and plots (``end=None``: open)."""

    name: str
    start: int
    end: int | None


def _stack(values: Sequence[Any], dtype: Any) -> Any:
    if any(_validate.is_traced(v) for v in values):
        return jnp.stack([jnp.asarray(v, dtype) for v in values])
    return np.asarray([np.asarray(v, dtype=np.float64) for v in values], dtype=dtype)


#: Up to this many pieces, the active piece is chosen with a chain of selects on
#: compile-time constants (one fused elementwise loop); beyond it, by a boundary search
#: (or arithmetic, for evenly spaced pieces) and a gather.
_SELECT_CHAIN = 8


def _uniform(values: Any, ids: Sequence[int]) -> Any:
    """The common value of ``values[ids]`` when it is one compile-time constant, else None."""
    if not isinstance(values, np.ndarray):
        return None
    chosen = values[list(ids)]
    return chosen[0] if np.all(chosen == chosen[0]) else None


def _for_kind(values: Any, ids: Sequence[int]) -> Any:
    """``values`` with the entries of other kinds' pieces set to one of this kind's.

    Only this kind's pieces read the result, and fewer distinct values make shorter
    select chains.
    """
    if not isinstance(values, np.ndarray):
        return values
    out = np.full_like(values, values[ids[0]])
    out[list(ids)] = values[list(ids)]
    return out


def _even_spacing(starts: np.ndarray) -> int | None:
    """The common distance between piece starts, when there is one (cycle tables)."""
    gaps = np.diff(starts)
    return int(gaps[0]) if len(gaps) and np.all(gaps == gaps[0]) else None


def piecewise(pieces: Sequence[Piece]) -> ScheduleFn:
    """Build ``step -> value`` from consecutive pieces (sorted, first one starting at 0).

    The active piece is found without evaluating the others' parameters:

    * up to 8 pieces, by comparing the step with each start and selecting among
      compile-time constants, which XLA fuses into one elementwise loop;
    * evenly spaced pieces (per-cycle tables), by integer division;
    * otherwise by one binary search over the piece starts (``searchsorted``);

    and then each curve shape that occurs is evaluated once (not once per piece), with
    its parameters folded to constants when all pieces of that shape share them. So the
    compiled program does not grow with the number of pieces, and the per-step cost only
    by the search (logarithmic).
    """
    if not pieces:
        raise ValueError("piecewise needs at least one piece")
    if pieces[0].start != 0:
        raise ValueError(f"the first piece must start at step 0; got start={pieces[0].start}")
    for before, after in itertools.pairwise(pieces):
        if after.start <= before.start:
            raise ValueError(
                f"piece starts must be strictly increasing; got {before.start} then {after.start}"
            )
    dtype = float_dtype()
    kinds = sorted({p.kind for p in pieces}, key=KINDS.index)
    starts = np.asarray([p.start for p in pieces], dtype=np.int64)
    if starts[-1] > _INT32_MAX:
        raise ValueError(f"piece starts must fit in int32; got {int(starts[-1])}")
    starts = starts.astype(np.int32)
    lengths = np.maximum(np.asarray([p.length for p in pieces], dtype=dtype), 1)
    shifts = np.asarray([p.shift for p in pieces], dtype=dtype)
    a = _stack([p.a for p in pieces], dtype)
    b = _stack([p.b for p in pieces], dtype)
    c = _stack([p.c for p in pieces], dtype)
    codes = np.asarray([kinds.index(p.kind) for p in pieces], dtype=np.int32)
    members = {kind: [i for i, p in enumerate(pieces) if p.kind == kind] for kind in kinds}
    n = len(pieces)
    spacing = _even_spacing(starts) if n > _SELECT_CHAIN else None
    # compare_all is fastest for short tables but costs n per step; an unrolled binary
    # search beats the rolled one (no loop overhead) at every size measured.
    method = "compare_all" if n <= 16 else "scan_unrolled"

    def schedule(step: jax.typing.ArrayLike) -> jax.Array:
        step = as_step(step)
        if n == 1:

            def pick(values: Any) -> Any:
                return values[0]

        elif n <= _SELECT_CHAIN:
            table = _in_dtype_of(starts, step)
            reached = [step >= table[i] for i in range(1, n)]

            def pick(values: Any) -> Any:
                out = values[0]
                for i in range(1, n):
                    if not (isinstance(values, np.ndarray) and values[i] == values[i - 1]):
                        out = jnp.where(reached[i - 1], values[i], out)
                return out

        else:
            if spacing is not None:
                index = (
                    whole_periods(step, spacing)
                    if jnp.issubdtype(step.dtype, jnp.floating)
                    else step // spacing
                )
                index = jnp.clip(index, 0, n - 1).astype(jnp.int32)
            else:
                table = _in_dtype_of(starts, step)
                index = jnp.searchsorted(table, step, side="right", method=method) - 1
                index = jnp.clip(index, 0, n - 1)

            def pick(values: Any) -> Any:
                return jnp.asarray(values)[index]

        local = step - pick(_in_dtype_of(starts, step))
        # Cast before any arithmetic on the step: int32 products overflow inside jit.
        t = jnp.maximum(jnp.asarray(local, dtype), 0.0)
        if shifts.any():
            t = t + pick(shifts)
        active = pick(codes) if len(kinds) > 1 else None
        value = None
        for code, kind in enumerate(kinds):
            ids = members[kind]
            args = []
            for values in (lengths, a, b, c):
                constant = _uniform(values, ids)
                args.append(
                    jnp.asarray(constant, dtype)
                    if constant is not None
                    else pick(_for_kind(values, ids))
                )
            periods = None
            if kind == "staircase" and jnp.issubdtype(step.dtype, jnp.integer):
                period = _uniform(lengths, ids)
                if period is not None and float(period).is_integer() and _uniform(shifts, ids) == 0:
                    periods = periods_and_phase(jnp.maximum(local, 0), int(period))[0]
            curve = shape(kind, t, *args, periods=periods)
            value = curve if value is None else jnp.where(active == code, curve, value)
        return jnp.broadcast_to(jnp.asarray(value, dtype), jnp.shape(step))

    return schedule


def sequence(fns: Sequence[ScheduleFn], boundaries: Sequence[int]) -> ScheduleFn:
    """Run ``fns[i]`` from ``boundaries[i-1]`` on, each seeing its own local step.

    The general combinator for pieces that are arbitrary callables (optax's
    ``join_schedules`` semantics: the piece after boundary ``B`` is called with
    ``step - B``). The active piece is found by a boundary search and selected with
    ``lax.switch``, so a scalar step runs only that piece. Schedules made of
    :class:`Piece` tables should use :func:`piecewise`, which also compiles flat.
    """
    if len(fns) != len(boundaries) + 1:
        raise ValueError(
            f"sequence needs one more function than boundaries; got {len(fns)} functions "
            f"and {len(boundaries)} boundaries"
        )
    starts = np.asarray([0, *boundaries], dtype=np.int32)
    bounds = starts[1:]
    dtype = float_dtype()
    branches = [lambda s, f=f: jnp.asarray(f(s), dtype) for f in fns]

    def schedule(step: jax.typing.ArrayLike) -> jax.Array:
        step = as_step(step)
        if len(fns) == 1:
            return branches[0](step)
        index = jnp.searchsorted(_in_dtype_of(bounds, step), step, side="right")
        local = step - _in_dtype_of(starts, step)[index]
        if jnp.ndim(step) == 0:
            return jax.lax.switch(index, branches, local)
        # Under a batch of steps every branch runs anyway; select per element.
        values = jnp.stack([branch(local) for branch in branches])
        return jnp.take_along_axis(values, index[None], axis=0)[0]

    return schedule


@dataclasses.dataclass(frozen=True, eq=False)
class Schedule:
    """A learning-rate schedule: call it with a step, get an array of the same shape.

    It is an ``optax.Schedule`` (pass it anywhere optax takes a learning rate) that also
    knows the factory that built it (``name``), the arguments it was given (``params``),
    its named ``phases``, and ``end_step``: the step from which its value no longer
    changes (``None`` when it never settles, e.g. restarts or exponential decay to 0).
    Piecewise schedules also keep their ``pieces``, so stages can be merged into one
    flat table.
    """

    fn: ScheduleFn = dataclasses.field(repr=False)
    name: str
    params: Mapping[str, Any]
    phases: tuple[Phase, ...] = ()
    end_step: int | None = None
    pieces: tuple[Piece, ...] | None = dataclasses.field(default=None, repr=False)

    def __call__(self, step: jax.typing.ArrayLike) -> jax.Array:
        return self.fn(as_step(step))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={_short(v)}" for k, v in self.params.items())
        return f"{self.name}({args})"

    def __eq__(self, other: object) -> bool:
        """Equal when built by the same function from equal arguments.

        Arguments compare by value: NumPy and JAX scalars as the Python number they
        hold, lists and tuples alike, nested schedules recursively. Traced arguments and
        plain callables compare by identity.
        """
        if not isinstance(other, Schedule):
            return NotImplemented
        return self is other or _identity(self) == _identity(other)

    def __hash__(self) -> int:
        return hash(_identity(self))


def _identity(value: Any) -> Any:
    """A hashable value that two equal schedule arguments share (see ``Schedule.__eq__``)."""
    if isinstance(value, Schedule):
        return ("schedule", value.name, _identity(dict(value.params)))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((str(k), _identity(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("seq", tuple(_identity(v) for v in value))
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if _validate.is_traced(value) or callable(value):
        return ("id", id(value))
    try:
        array = np.asarray(value)
    except Exception:  # pragma: no cover - exotic objects
        return ("id", id(value))
    if array.dtype.kind in "biuf":
        return (
            array.item() if array.shape == () else ("array", array.shape, *array.ravel().tolist())
        )
    return ("id", id(value))


def _short(value: Any) -> str:
    if isinstance(value, Schedule):
        return repr(value)
    if isinstance(value, list | tuple):
        inner = ", ".join(_short(v) for v in value)
        return (
            f"[{inner}]"
            if isinstance(value, list)
            else f"({inner}{',' if len(value) == 1 else ''})"
        )
    if _validate.is_traced(value):
        return "<traced>"
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)


def phases_of(pieces: Sequence[Piece], end_step: int | None) -> tuple[Phase, ...]:
    """Named spans of a piece table; the last one ends at ``end_step``."""
    # The last piece ends where the schedule settles; held from its start, it is open.
    last_end = end_step if end_step is not None and end_step > pieces[-1].start else None
    ends = [p.start for p in pieces[1:]] + [last_end]
    return tuple(
        Phase(p.label or p.kind, p.start, end) for p, end in zip(pieces, ends, strict=True)
    )


#: Shapes that hold their end value once their local step reaches their length.
_SETTLING = ("linear", "cosine", "polynomial", "one_minus_sqrt", "sqrt_warmup", "hard_restarts")


def settles_at(pieces: Sequence[Piece]) -> int | None:
    """The step from which a piece table's value stops changing (``None``: never)."""
    last = pieces[-1]
    if last.kind == "constant":
        return last.start
    if last.kind in _SETTLING:
        return last.start + max(round(last.length - last.shift), 0)
    return None


def make(
    name: str,
    params: Mapping[str, Any],
    pieces: Sequence[Piece],
    *,
    end_step: int | None,
) -> Schedule:
    """A :class:`Schedule` from a piece table (zero-length pieces already dropped)."""
    pieces = tuple(pieces)
    return Schedule(
        piecewise(pieces), name, dict(params), phases_of(pieces, end_step), end_step, pieces
    )
