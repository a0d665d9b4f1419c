"""Property-based tests for every schedule factory, over its whole valid configuration space.

Each factory gets a hypothesis strategy that draws valid keyword arguments and an
*expectation* derived from the factory's docstring alone: the segments of the piecewise
formula (where each starts and ends, its curve, which way it is allowed to move, whether it
joins its neighbour continuously), the range the values must stay in, where the schedule
settles and at what value. The schedule is then evaluated once per example, over one vector
of probe steps (step 0, every boundary and its neighbours, dense runs inside each segment,
random steps, steps far past the end and negative steps), and the expectation is checked
against those values.

The float64 reference used below is written from the docstring formulas, not from the
library's code. It is compared with a tolerance that models float32 honestly: the library
evaluates the exact formula at a progress that is off by a few float32 roundings (so the
reference is evaluated at the step scaled by ``1 +- DELTA`` and the whole range between is
accepted), plus a few ulps of the schedule's peak for the final arithmetic.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optax_sched import schedules as sched
from optax_sched.schedules import FACTORIES

EPS = float(np.finfo(np.float32).eps)  # one float32 ulp at 1.0 (2**-23)
DELTA = 8 * EPS  # relative slack on a piece's local step (covers t/L, pi*p, x*log c roundings)
INT32_MAX = 2**31 - 1
FAR = 10**7
N_PROBES = 16_384  # fixed length, so eager jnp ops compile once per shape and are reused
EXACT_STEP_LIMIT = 2**24  # below this every integer step is exact in float32

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def f32(x: float) -> float:
    """The float32 a Python float turns into inside the schedule."""
    return float(np.float32(x))


# --------------------------------------------------------------------------------------
# Float64 reference curves, written from the docstrings.
# --------------------------------------------------------------------------------------


def curve(kind: str, t: np.ndarray, length: float, a: float, b: float, c: float) -> np.ndarray:
    """The docstring formula of one segment at local step ``t >= 0``, in float64."""
    t = np.asarray(t, np.float64)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        if kind == "constant":
            return np.full_like(t, a)
        if kind == "rsqrt":
            return a * np.sqrt(length / (t + length))
        if kind == "exponential":
            return np.maximum(b, a * np.power(c, t / length))
        if kind == "staircase":
            return np.maximum(b, a * np.power(c, np.floor(t / length)))
        p = np.clip(t / length, 0.0, 1.0)
        if kind == "linear":
            return a + (b - a) * p
        if kind == "cosine":
            return b + (a - b) * 0.5 * (1.0 + np.cos(np.pi * p))
        if kind == "polynomial":
            return b + (a - b) * np.power(1.0 - p, c)
        if kind == "one_minus_sqrt":
            return b + (a - b) * (1.0 - np.sqrt(p))
    raise AssertionError(f"no reference for {kind}")


@dataclasses.dataclass(frozen=True)
class Seg:
    """One segment ``[start, end)`` of an expected schedule (``end=None``: for ever).

    ``trend``: +1 promised non-decreasing, -1 non-increasing, 0 flat, None no promise.
    ``joined``: the docstring formula is continuous at ``start`` (the previous segment ends
    exactly where this one begins).
    """

    start: int
    end: int | None
    kind: str
    a: float
    b: float = 0.0
    c: float = 1.0
    length: float = 1.0
    trend: int | None = 0
    joined: bool = True
    step_bound: float | None = None  # the one-step bound of a custom (non-library) kind

    def contains(self, t: np.ndarray) -> np.ndarray:
        inside = t >= self.start
        return inside if self.end is None else inside & (t < self.end)

    def max_step(self) -> float | None:
        """The largest one-step change of the exact formula inside this segment.

        None where the formula jumps on purpose (staircase) or where no bound is promised.
        """
        d, n = abs(self.a - self.b), self.length
        if self.kind == "constant":
            return 0.0
        if self.kind == "linear":
            return d / n
        if self.kind == "cosine":
            # 0.5 |cos x - cos y| <= sin(pi / (2 n)) for |x - y| = pi / n
            return d * math.sin(min(math.pi / (2 * n), math.pi / 2))
        if self.kind == "polynomial":
            # slope c (1 - p)^(c - 1) / n: bounded by c / n for c >= 1; for c < 1 the last
            # step (from p = 1 - 1/n to 1) is the largest
            return d * min(1.0, self.c / n) if self.c >= 1 else d * (1.0 / n) ** self.c
        if self.kind == "one_minus_sqrt":
            return d * math.sqrt(1.0 / n)  # the first step is the largest
        if self.kind == "exponential":
            return max(0.0, self.a - max(self.b, self.a * self.c ** (1.0 / n)))
        if self.kind == "rsqrt":
            return self.a * (1.0 - math.sqrt(n / (n + 1.0)))
        return self.step_bound

    def interval(self, local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Range of honest float32 answers at integer local steps ``local >= 0``."""
        local = np.asarray(local, np.float64)
        if self.kind == "staircase":
            # floor(t / L) is exact in float32 while t < 2**24; past that the step itself
            # is rounded, so the neighbouring stair is also acceptable.
            slack = np.where(local < EXACT_STEP_LIMIT, 0.0, DELTA)
            vals = [
                curve(self.kind, local * (1 + s * slack), self.length, self.a, self.b, self.c)
                for s in (-1, 0, 1)
            ]
            k = np.floor(local / self.length)
            rel = 8 * EPS * (2.0 + k * abs(math.log(self.c)))  # c**k in float32
            lo, hi = np.minimum.reduce(vals), np.maximum.reduce(vals)
            return lo * (1 - rel), hi * (1 + rel)
        vals = [
            curve(self.kind, local * (1 + s * DELTA), self.length, self.a, self.b, self.c)
            for s in (-1, 0, 1)
        ]
        return np.minimum.reduce(vals), np.maximum.reduce(vals)


@dataclasses.dataclass
class Expect:
    """What the docstring promises for one configuration."""

    segs: list[Seg]
    lo: float
    hi: float
    end_step: int | None
    floor: float | None
    phase_starts: tuple[int, ...]
    end_slack: int = 0  # end_step may differ from the exact one by this many steps
    global_trend: int | None = None
    ref: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None
    extra_boundaries: Sequence[int] = ()
    extra_check: Callable[[np.ndarray, np.ndarray], None] | None = None

    def seg_index(self, t: np.ndarray) -> np.ndarray:
        starts = np.asarray([s.start for s in self.segs])
        return np.searchsorted(starts, t, side="right") - 1

    def interval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.ref is not None:
            return self.ref(t)
        return segs_interval(self.segs, t)


def segs_interval(segs: Sequence[Seg], t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = np.full(t.shape, np.nan)
    hi = np.full(t.shape, np.nan)
    prev = 0.0
    for seg in segs:
        # A joined segment (e.g. the floor held after a decay) is usually the previous
        # formula clamped at its end, so it carries that formula's rounding: a + (b - a) * 1
        # is off by an ulp of the larger of a and b, not of the floor.
        size = max(abs(seg.a), abs(seg.b), prev if seg.joined else 0.0)
        mask = seg.contains(t)
        if mask.any():
            a, b = seg.interval(t[mask] - seg.start)
            atol = 8 * EPS * size
            lo[mask], hi[mask] = a - atol, b + atol
        prev = size
    assert not np.isnan(lo).any(), "expected segments do not cover every step"
    return lo, hi


def drop_empty(segs: Sequence[Seg]) -> list[Seg]:
    return [s for s in segs if s.end is None or s.end > s.start]


# --------------------------------------------------------------------------------------
# Strategies for valid arguments.
# --------------------------------------------------------------------------------------

lrs = st.one_of(
    st.just(0.0),
    st.sampled_from([1e-7, 1e-3, 1.0]),
    st.floats(1e-7, 1.0),
    st.floats(-7.0, 0.0).map(lambda e: 10.0**e),
)
fractions_01 = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))
totals = st.one_of(st.integers(1, 16), st.integers(1, 2_000), st.integers(1, 100_000))


@st.composite
def lr_below(draw: st.DrawFn, top: float) -> float:
    """A learning rate in [0, top]."""
    return top * draw(fractions_01)


@st.composite
def steps_or_ratio(draw: st.DrawFn, total: int, low: int, high: int) -> int | float:
    """A step count in [low, high], given as an int or as a float fraction of total.

    Fractions follow the documented rule ceil(fraction * total); a drawn fraction that does
    not land in [low, high] falls back to the int.
    """
    k = draw(st.one_of(st.just(low), st.just(high), st.integers(low, high)))
    if draw(st.booleans()):
        return k
    r = (k - draw(st.floats(0.0, 1.0, exclude_max=True))) / total
    if 0.0 <= r < 1.0 and low <= math.ceil(r * total) <= high:
        return r
    return k


def resolve(value: int | float, total: int) -> int:
    return math.ceil(value * total) if isinstance(value, float) else value


@st.composite
def warmup_decay_kwargs(draw: st.DrawFn, power: bool = False) -> dict[str, Any]:
    peak = draw(lrs)
    total = draw(totals)
    kw = {
        "peak_lr": peak,
        "total_steps": total,
        "warmup_steps": draw(steps_or_ratio(total, 0, total - 1)),
        "init_lr": draw(lr_below(peak)),
        "min_lr": draw(lr_below(peak)),
    }
    if power:
        kw["power"] = draw(st.one_of(st.sampled_from([0.5, 1.0, 2.0]), st.floats(0.05, 8.0)))
    return kw


@st.composite
def warmup_constant_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    peak = draw(lrs)
    return {
        "peak_lr": peak,
        "warmup_steps": draw(st.one_of(st.just(0), st.integers(0, 100_000))),
        "init_lr": draw(lr_below(peak)),
    }


@st.composite
def constant_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    return {"lr": draw(lrs)}


@st.composite
def cosine_annealing_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    base = draw(lrs)
    return {"base_lr": base, "t_max": draw(totals), "eta_min": draw(lr_below(base))}


factors = st.one_of(st.sampled_from([1.0, 0.5, 0.1]), st.floats(1e-3, 0.9999))


@st.composite
def warmup_exponential_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    peak = draw(lrs)
    return {
        "peak_lr": peak,
        "decay_rate": draw(factors),
        "decay_steps": draw(st.one_of(st.integers(1, 20), st.integers(1, 10_000))),
        "warmup_steps": draw(st.one_of(st.just(0), st.integers(0, 10_000))),
        "init_lr": draw(lr_below(peak)),
        "min_lr": draw(st.one_of(st.just(0.0), lr_below(peak))),
        "staircase": draw(st.booleans()),
    }


@st.composite
def step_decay_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "base_lr": draw(lrs),
        "step_size": draw(st.one_of(st.integers(1, 20), st.integers(1, 100_000))),
        "gamma": draw(factors),
    }


@st.composite
def sorted_steps(draw: st.DrawFn, min_size: int = 0) -> list[int]:
    """Strictly increasing ints >= 1; now and then more than 64 of them (the scan search)."""
    size = draw(st.one_of(st.integers(min_size, 8), st.integers(60, 90)))
    top = draw(st.sampled_from([200, 100_000]))
    values = draw(st.lists(st.integers(1, top), min_size=size, max_size=size, unique=True))
    return sorted(values)


@st.composite
def multi_step_decay_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    return {"base_lr": draw(lrs), "milestones": draw(sorted_steps()), "gamma": draw(factors)}


@st.composite
def piecewise_constant_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    bounds = draw(sorted_steps())
    values = draw(st.lists(lrs, min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    return {"values": values, "boundaries": bounds}


@st.composite
def inverse_sqrt_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    peak = draw(lrs)
    return {
        "peak_lr": peak,
        "warmup_steps": draw(st.one_of(st.just(0), st.integers(0, 20_000))),
        "timescale": draw(st.one_of(st.none(), st.integers(1, 20_000))),
        "init_lr": draw(lr_below(peak)),
    }


@st.composite
def warmup_stable_decay_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    peak = draw(lrs)
    total = draw(totals)
    decay = draw(steps_or_ratio(total, 1, total))
    d = resolve(decay, total)
    return {
        "peak_lr": peak,
        "total_steps": total,
        "warmup_steps": draw(steps_or_ratio(total, 0, total - d)),
        "decay_steps": decay,
        "init_lr": draw(lr_below(peak)),
        "min_lr": draw(lr_below(peak)),
        "decay_shape": draw(st.sampled_from(["1-sqrt", "linear", "cosine"])),
        "warmup_shape": draw(st.sampled_from(["linear", "cosine"])),
    }


@st.composite
def cosine_restarts_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    peak = draw(lrs)
    return {
        "peak_lr": peak,
        "period": draw(st.one_of(st.integers(1, 16), st.integers(1, 2_000))),
        "t_mult": draw(
            st.one_of(st.just(1.0), st.sampled_from([1.5, 2.0, 2.5, 3.0, 4.0]), st.floats(1.25, 4))
        ),
        "min_lr": draw(lr_below(peak)),
        "decay": draw(st.one_of(st.just(1.0), st.floats(0.05, 1.0))),
        "warmup_steps": draw(st.one_of(st.just(0), st.integers(0, 2_000))),
        "init_lr": draw(lr_below(peak)),
        "cycle_limit": draw(st.one_of(st.none(), st.integers(1, 12))),
    }


@st.composite
def one_cycle_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    total = draw(st.one_of(st.integers(2, 16), st.integers(2, 100_000)))
    three = draw(st.booleans())
    if three and total < 3:
        three = False
    most = (total - 1) // (2 if three else 1)
    up = draw(st.one_of(st.just(1), st.just(most), st.integers(1, most)))
    pct = (up - draw(st.floats(0.0, 1.0, exclude_max=True))) / total
    if not (0.0 < pct < 1.0 and math.ceil(pct * total) == up):
        pct = up / total
    if math.ceil(pct * total) != up:  # the int ratio itself rounded up: use the step below
        pct = (up - 0.5) / total
    return {
        "max_lr": draw(lrs),
        "total_steps": total,
        "pct_start": pct,
        "div_factor": draw(st.one_of(st.just(1.0), st.just(25.0), st.floats(1.0, 1e4))),
        "final_div_factor": draw(st.one_of(st.just(1.0), st.just(1e4), st.floats(1.0, 1e4))),
        "anneal_strategy": draw(st.sampled_from(["cos", "linear"])),
        "three_phase": three,
    }


@st.composite
def cycle_decay_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    spc = draw(st.one_of(st.integers(1, 16), st.integers(1, 5_000)))
    kw: dict[str, Any] = {"steps_per_cycle": spc}
    if draw(st.booleans()):
        kw["base_lr"] = draw(lrs)
        kw["decay_factor"] = draw(factors)
    else:
        size = draw(st.one_of(st.integers(1, 8), st.integers(60, 80)))
        table = draw(st.lists(lrs, min_size=size, max_size=size))
        kw["lrs"] = table
        kw["base_lr"] = draw(st.sampled_from([None, table[0]]))
    if draw(st.booleans()):
        n = draw(st.integers(1, spc))
        kw["within"] = {
            "total_steps": n,
            "warmup_steps": draw(st.integers(0, n - 1)),
            "min_lr": draw(fractions_01),
        }
    return kw


@st.composite
def multi_stage_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    stages = []
    for _ in range(draw(st.integers(1, 4))):
        peak = draw(lrs)
        total = draw(st.one_of(st.integers(1, 16), st.integers(1, 5_000)))
        kw = {
            "peak_lr": peak,
            "total_steps": total,
            "warmup_steps": draw(steps_or_ratio(total, 0, total - 1)),
            "init_lr": draw(lr_below(peak)),
            "min_lr": draw(lr_below(peak)),
        }
        extra = draw(st.one_of(st.none(), st.integers(0, 300)))
        stages.append((kw, extra))
    return {"stages": stages}


@st.composite
def cyclic_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    top = draw(lrs)
    sizes = st.one_of(st.integers(1, 16), st.integers(1, 5_000))
    return {
        "base_lr": draw(lr_below(top)),
        "max_lr": top,
        "step_size_up": draw(sizes),
        "step_size_down": draw(st.one_of(st.none(), sizes)),
        "mode": draw(st.sampled_from(["triangular", "triangular2", "exp_range"])),
        "gamma": draw(st.one_of(st.just(1.0), st.floats(0.99, 1.0), factors)),
    }


VALID: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "constant": constant_kwargs(),
    "cosine_annealing": cosine_annealing_kwargs(),
    "cosine_restarts": cosine_restarts_kwargs(),
    "cycle_decay": cycle_decay_kwargs(),
    "cyclic": cyclic_kwargs(),
    "inverse_sqrt": inverse_sqrt_kwargs(),
    "multi_stage": multi_stage_kwargs(),
    "multi_step_decay": multi_step_decay_kwargs(),
    "one_cycle": one_cycle_kwargs(),
    "piecewise_constant": piecewise_constant_kwargs(),
    "step_decay": step_decay_kwargs(),
    "warmup_constant": warmup_constant_kwargs(),
    "warmup_cosine": warmup_decay_kwargs(),
    "warmup_exponential": warmup_exponential_kwargs(),
    "warmup_linear": warmup_decay_kwargs(),
    "warmup_polynomial": warmup_decay_kwargs(power=True),
    "warmup_stable_decay": warmup_stable_decay_kwargs(),
}
NAMES = sorted(VALID)


def build(name: str, kw: dict[str, Any]) -> sched.Schedule:
    """The schedule for drawn kwargs (nested schedules are built from their own kwargs)."""
    if name == "multi_stage":
        stages = []
        for stage_kw, extra in kw["stages"]:
            s = sched.warmup_cosine(**stage_kw)
            stages.append(s if extra is None else (stage_kw["total_steps"] + extra, s))
        return sched.multi_stage(stages)
    if name == "cycle_decay" and kw.get("within") is not None:
        kw = {**kw, "within": sched.warmup_linear(1.0, **kw["within"])}
    return FACTORIES[name](**kw)


# --------------------------------------------------------------------------------------
# Expectations, one per factory, from the docstrings.
# --------------------------------------------------------------------------------------


def warmup_then(
    peak: float, warmup: int, init: float, rest: list[Seg], up_kind: str = "linear"
) -> list[Seg]:
    """A warmup ramp init -> peak over ``warmup`` steps (none if 0), then ``rest``."""
    ramp = [Seg(0, warmup, up_kind, f32(init), f32(peak), length=warmup, trend=1)]
    return drop_empty(ramp if warmup else []) + rest


def expect_warmup_decay(kw: dict[str, Any], kind: str) -> Expect:
    peak, init, low = kw["peak_lr"], kw["init_lr"], kw["min_lr"]
    total = kw["total_steps"]
    w = resolve(kw["warmup_steps"], total)
    c = f32(kw.get("power", 1.0))
    segs = warmup_then(
        peak,
        w,
        init,
        [
            Seg(w, total, kind, f32(peak), f32(low), c, length=total - w, trend=-1),
            Seg(total, None, "constant", f32(low)),
        ],
    )
    return Expect(
        segs,
        lo=min(init if w else peak, low),
        hi=peak,
        end_step=total,
        floor=low,
        phase_starts=(0, w) if w else (0,),
    )


def expect_warmup_constant(kw: dict[str, Any]) -> Expect:
    peak, w, init = kw["peak_lr"], kw["warmup_steps"], kw["init_lr"]
    segs = warmup_then(peak, w, init, [Seg(w, None, "constant", f32(peak))])
    return Expect(
        segs,
        lo=init if w else peak,
        hi=peak,
        end_step=w,
        floor=peak,
        phase_starts=(0, w) if w else (0,),
    )


def expect_constant(kw: dict[str, Any]) -> Expect:
    lr = kw["lr"]
    return Expect(
        [Seg(0, None, "constant", f32(lr))], lr, lr, end_step=0, floor=lr, phase_starts=(0,)
    )


def expect_cosine_annealing(kw: dict[str, Any]) -> Expect:
    base, t_max, low = kw["base_lr"], kw["t_max"], kw["eta_min"]
    segs = [
        Seg(0, t_max, "cosine", f32(base), f32(low), length=t_max, trend=-1),
        Seg(t_max, None, "constant", f32(low)),
    ]
    return Expect(segs, low, base, end_step=t_max, floor=low, phase_starts=(0,), global_trend=-1)


def expect_warmup_exponential(kw: dict[str, Any]) -> Expect:
    peak, rate, d = kw["peak_lr"], kw["decay_rate"], kw["decay_steps"]
    w, init, low = kw["warmup_steps"], kw["init_lr"], kw["min_lr"]
    kind = "staircase" if kw["staircase"] else "exponential"
    segs = warmup_then(
        peak, w, init, [Seg(w, None, kind, f32(peak), f32(low), f32(rate), d, trend=-1)]
    )
    # It settles when there is a floor to reach, or when it never moves at all.
    flat = rate == 1.0 or peak <= low
    end = floor = None
    slack = 0
    if flat:
        end, floor = w, peak
    elif low > 0:
        periods = math.log(low / peak) / math.log(rate)
        local = math.ceil(periods) * d if kw["staircase"] else math.ceil(periods * d)
        end, floor, slack = w + local, low, d  # float64 logs: allow one period of rounding
    return Expect(
        segs,
        lo=min(init if w else peak, low),
        hi=peak,
        end_step=end,
        floor=floor,
        phase_starts=(0, w) if w else (0,),
        end_slack=slack,
    )


def expect_step_decay(kw: dict[str, Any]) -> Expect:
    base = kw["base_lr"]
    seg = Seg(0, None, "staircase", f32(base), 0.0, f32(kw["gamma"]), kw["step_size"], trend=-1)
    return Expect([seg], 0.0, base, end_step=None, floor=None, phase_starts=(0,), global_trend=-1)


def table_segs(starts: Sequence[int], values: Sequence[float]) -> list[Seg]:
    ends = [*starts[1:], None]
    return [
        Seg(s, e, "constant", f32(v), joined=False)
        for s, e, v in zip(starts, ends, values, strict=True)
    ]


def expect_multi_step_decay(kw: dict[str, Any]) -> Expect:
    base, gamma, ms = kw["base_lr"], kw["gamma"], kw["milestones"]
    starts = (0, *ms)
    values = [base * gamma**i for i in range(len(starts))]
    return Expect(
        table_segs(starts, values),
        lo=values[-1],
        hi=base,
        end_step=starts[-1],
        floor=values[-1],
        phase_starts=starts,
        global_trend=-1,
    )


def expect_piecewise_constant(kw: dict[str, Any]) -> Expect:
    values, bounds = kw["values"], kw["boundaries"]
    starts = (0, *bounds)
    return Expect(
        table_segs(starts, values),
        lo=min(values),
        hi=max(values),
        end_step=starts[-1],
        floor=values[-1],
        phase_starts=starts,
    )


def expect_inverse_sqrt(kw: dict[str, Any]) -> Expect:
    peak, w, init = kw["peak_lr"], kw["warmup_steps"], kw["init_lr"]
    tau = kw["timescale"] if kw["timescale"] is not None else (w or 10_000)
    decay = Seg(w, None, "rsqrt", f32(peak), 0.0, 1.0, tau, trend=-1)
    segs = warmup_then(peak, w, init, [decay])
    return Expect(segs, 0.0, peak, end_step=None, floor=None, phase_starts=(0, w) if w else (0,))


WSD_DECAY = {"1-sqrt": "one_minus_sqrt", "linear": "linear", "cosine": "cosine"}


def expect_warmup_stable_decay(kw: dict[str, Any]) -> Expect:
    peak, total, init, low = kw["peak_lr"], kw["total_steps"], kw["init_lr"], kw["min_lr"]
    d = resolve(kw["decay_steps"], total)
    w = resolve(kw["warmup_steps"], total)
    stable_start = total - d
    kind = WSD_DECAY[kw["decay_shape"]]
    rest = drop_empty(
        [
            Seg(w, stable_start, "constant", f32(peak)),
            Seg(stable_start, total, kind, f32(peak), f32(low), length=d, trend=-1),
            Seg(total, None, "constant", f32(low)),
        ]
    )
    segs = warmup_then(peak, w, init, rest, up_kind=kw["warmup_shape"])
    starts = sorted({0, w, stable_start})
    return Expect(
        segs,
        lo=min(init if w else peak, low),
        hi=peak,
        end_step=total,
        floor=low,
        phase_starts=tuple(starts),
    )


def expect_one_cycle(kw: dict[str, Any]) -> Expect:
    top, total = kw["max_lr"], kw["total_steps"]
    up = math.ceil(kw["pct_start"] * total)
    start = top / kw["div_factor"]
    end = start / kw["final_div_factor"]
    kind = {"cos": "cosine", "linear": "linear"}[kw["anneal_strategy"]]
    segs = [Seg(0, up, kind, f32(start), f32(top), length=up, trend=1)]
    if kw["three_phase"]:
        segs += [
            Seg(up, 2 * up, kind, f32(top), f32(start), length=up, trend=-1),
            Seg(2 * up, total, kind, f32(start), f32(end), length=total - 2 * up, trend=-1),
        ]
    else:
        segs.append(Seg(up, total, kind, f32(top), f32(end), length=total - up, trend=-1))
    segs.append(Seg(total, None, "constant", f32(end)))
    return Expect(
        segs,
        lo=end,
        hi=top,
        end_step=total,
        floor=end,
        phase_starts=tuple(s.start for s in segs[:-1]),
    )


def expect_multi_stage(kw: dict[str, Any]) -> Expect:
    segs: list[Seg] = []
    begin = 0
    starts = []
    lows, highs = [], []
    stages = kw["stages"]
    for j, (s, extra) in enumerate(stages):
        last = j == len(stages) - 1
        total = s["total_steps"]
        length = total + (extra or 0)
        w = resolve(s["warmup_steps"], total)
        peak, init, low = f32(s["peak_lr"]), f32(s["init_lr"]), f32(s["min_lr"])
        stage = drop_empty(
            [
                Seg(begin, begin + w, "linear", init, peak, length=w, trend=1),
                Seg(begin + w, begin + total, "cosine", peak, low, length=total - w, trend=-1),
                Seg(begin + total, None if last else begin + length, "constant", low),
            ]
        )
        stage[0] = dataclasses.replace(stage[0], joined=False)  # a new stage may jump
        segs += stage
        starts.append(begin)
        lows.append(min(s["init_lr"] if w else s["peak_lr"], s["min_lr"]))
        highs.append(s["peak_lr"])
        end_step = begin + total
        floor = s["min_lr"]
        begin += length
    return Expect(
        segs,
        lo=min(lows),
        hi=max(highs),
        end_step=end_step,
        floor=floor,
        phase_starts=tuple(starts),
    )


def expect_cycle_decay(kw: dict[str, Any]) -> Expect:
    spc = kw["steps_per_cycle"]
    table = kw.get("lrs")
    if table is not None:
        rate = table_segs([i * spc for i in range(len(table))], table)
        lo, hi, end, floor = min(table), max(table), (len(table) - 1) * spc, table[-1]
        trend = None
    else:
        base, gamma = kw["base_lr"], kw["decay_factor"]
        rate = [Seg(0, None, "staircase", f32(base), 0.0, f32(gamma), spc, trend=-1)]
        lo, hi, floor = 0.0, base, base
        end = 0 if gamma == 1.0 else None
        trend = -1
    within = kw.get("within")
    if within is None:
        return Expect(
            rate,
            lo=lo,
            hi=hi,
            end_step=end,
            floor=floor if end is not None else None,
            phase_starts=tuple(s.start for s in rate),
            global_trend=trend,
        )
    # Each cycle is the cycle's rate times warmup_linear(1.0, ...) at the step in the cycle.
    n, w, m = within["total_steps"], within["warmup_steps"], within["min_lr"]
    inner = drop_empty(
        [
            Seg(0, w, "linear", 0.0, 1.0, length=w, trend=1),
            Seg(w, n, "linear", 1.0, f32(m), length=n - w, trend=-1),
            Seg(n, None, "constant", f32(m)),
        ]
    )

    def ref(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r_lo, r_hi = segs_interval(rate, t)
        w_lo, w_hi = segs_interval(inner, t % spc)
        atol = 8 * EPS * np.abs(r_hi)  # one more float32 product (and flush-to-zero)
        return np.maximum(r_lo, 0) * np.maximum(w_lo, 0) - atol, r_hi * w_hi + atol

    cycles = len(table) if table is not None else 1
    return Expect(
        [Seg(0, None, "within", 0.0, trend=None)],
        lo=0.0,
        hi=hi,
        end_step=None,
        floor=None,
        phase_starts=tuple(i * spc for i in range(cycles)),
        ref=ref,
        extra_boundaries=[s.start for s in rate[:40]] + [n, w],
    )


class Restarts:
    """Exact cycle starts of SGDR (fractions), and the float64 formula for any real step."""

    def __init__(self, kw: dict[str, Any]):
        self.kw = kw
        self.period, self.mult = kw["period"], float(kw["t_mult"])
        self.limit = kw["cycle_limit"]
        self.peak, self.low = f32(kw["peak_lr"]), f32(kw["min_lr"])
        self.decay = f32(kw["decay"])
        starts = [Fraction(0)]
        if self.mult > 1.0:
            length, m = Fraction(self.period), Fraction(self.mult)
            while starts[-1] <= 2 * INT32_MAX:
                starts.append(starts[-1] + length)
                length *= m
        else:
            starts += [Fraction(self.period * i) for i in range(1, 64)]
        self.exact = starts
        self.starts = np.asarray([float(s) for s in starts])

    def cycle(self, x: np.ndarray) -> np.ndarray:
        if self.mult == 1.0:
            return np.floor(x / self.period)
        return (np.searchsorted(self.starts, x, side="right") - 1).astype(np.float64)

    def start(self, i: np.ndarray) -> np.ndarray:
        if self.mult == 1.0:
            return i * self.period
        return self.starts[i.astype(np.int64)]

    def peak_of(self, i: np.ndarray) -> np.ndarray:
        with np.errstate(under="ignore"):
            peak = np.maximum(self.peak * np.power(self.decay, i), self.low)
        if self.limit is not None:
            peak = np.where(i >= self.limit, self.low, peak)
        return peak

    def value(self, x: np.ndarray) -> np.ndarray:
        i = self.cycle(x)
        length = self.period * np.power(self.mult, i)
        p = np.clip((x - self.start(i)) / length, 0.0, 1.0)
        peak = self.peak_of(i)
        return self.low + (peak - self.low) * 0.5 * (1.0 + np.cos(np.pi * p))

    def is_exact_start(self, tau: np.ndarray) -> np.ndarray:
        if self.mult == 1.0:
            return tau % self.period == 0
        ints = {int(s) for s in self.exact if s.denominator == 1}
        return np.isin(tau, np.asarray(sorted(ints), np.int64))

    def slack(self, tau: np.ndarray) -> np.ndarray:
        """How far (in steps) float32 may misplace a step relative to its cycle start."""
        if self.mult == 1.0:
            return DELTA * tau
        return 128 * EPS * (tau + self.period / (self.mult - 1.0)) + 1e-6

    def interval(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Honest float32 range at integer steps ``tau >= 0`` after the warmup.

        A restart that falls *exactly* on an integer step below 2**24 (where float32 still
        holds every integer, so the step and the start compare exactly) must restart there.
        Otherwise a cycle start within the float32 slack of the step may land on either
        side.
        """
        tau = tau.astype(np.float64)
        delta = self.slack(tau)
        exact = self.is_exact_start(tau.astype(np.int64)) & (tau < EXACT_STEP_LIMIT)
        left = np.where(exact, tau, np.maximum(tau - delta, 0.0))
        right = tau + delta
        cands = [self.value(left), self.value(tau), self.value(right)]
        crossed = self.cycle(right) > self.cycle(left)
        nxt = self.peak_of(self.cycle(left) + 1)
        cands.append(np.where(crossed, nxt, cands[1]))
        cands.append(np.where(crossed, self.low, cands[1]))
        lo, hi = np.minimum.reduce(cands), np.maximum.reduce(cands)
        # decay**i in float32: relative error grows with i * |log decay|
        i = self.cycle(right)
        rel = 8 * EPS * (2.0 + i * abs(math.log(self.decay)))
        span = np.maximum(hi - self.low, 0.0)
        atol = 8 * EPS * max(self.peak, self.low)
        return lo - span * rel - atol, hi + span * rel + atol


def expect_cosine_restarts(kw: dict[str, Any]) -> Expect:
    peak, low, init, w = kw["peak_lr"], kw["min_lr"], kw["init_lr"], kw["warmup_steps"]
    r = Restarts(kw)
    end = None
    if r.limit is not None:
        end = w + math.ceil(r.exact[r.limit]) if r.mult > 1.0 else w + r.period * r.limit
    segs = warmup_then(peak, w, init, [Seg(w, end, "restarts", f32(peak), trend=None)])
    if end is not None:
        segs.append(Seg(end, None, "constant", f32(low), joined=False))
    ramp = [s for s in segs if s.start == 0 and s.kind == "linear"]

    def ref(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lo = np.empty(t.shape)
        hi = np.empty(t.shape)
        warm = t < w
        if warm.any():
            lo[warm], hi[warm] = segs_interval(ramp, t[warm])
        lo[~warm], hi[~warm] = r.interval(t[~warm] - w)
        return lo, hi

    def monotone_in_cycles(steps: np.ndarray, values: np.ndarray) -> None:
        keep = steps >= w
        tau = steps[keep].astype(np.float64) - w
        v = values[keep]
        order = np.argsort(tau, kind="stable")
        tau, v = tau[order], v[order]
        i = r.cycle(tau)
        delta = r.slack(tau) + 1.0
        inner = (tau - r.start(i) > delta) & (r.start(i + 1) - tau > delta)
        same = (i[1:] == i[:-1]) & inner[1:] & inner[:-1]
        rise = np.diff(v)[same]
        slack = 4 * EPS * max(peak, low)
        bad = np.flatnonzero(rise > slack)
        assert bad.size == 0, (
            f"rises inside a restart cycle at steps {(tau[1:][same][bad[:5]] + w).tolist()}"
        )

    boundaries = [w + math.floor(s) for s in r.exact[:48] if s <= INT32_MAX - w]
    boundaries += [w + math.ceil(s) for s in r.exact[:48] if s <= INT32_MAX - w]
    return Expect(
        segs,
        lo=min(init if w else peak, low),
        hi=peak,
        end_step=end,
        floor=low if end is not None else None,
        phase_starts=(0, w) if w else (0,),
        end_slack=1,
        ref=ref,
        extra_boundaries=boundaries,
        extra_check=monotone_in_cycles,
    )


def expect_cyclic(kw: dict[str, Any]) -> Expect:
    base, top, mode = kw["base_lr"], kw["max_lr"], kw["mode"]
    up = kw["step_size_up"]
    down = kw["step_size_down"] if kw["step_size_down"] is not None else up
    period = up + down
    gamma = f32(kw["gamma"]) if mode == "exp_range" else 1.0
    lo32, hi32 = f32(base), f32(top)
    span = hi32 - lo32
    atol = 8 * EPS * max(abs(lo32), abs(hi32))

    def parts(t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        cycle, x = np.divmod(t, period)
        height = np.where(x < up, x / up, 1.0 - (x - up) / down)
        return cycle, x, height

    def ref(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cycle, _, h = parts(t)
        if mode == "triangular2":
            amp_lo = amp_hi = np.exp2(-cycle)
        else:
            with np.errstate(under="ignore"):
                amp = [np.power(gamma, t * (1 + s * DELTA)) for s in (-1, 0, 1)]
            amp_lo, amp_hi = np.minimum.reduce(amp), np.maximum.reduce(amp)
        lo = lo32 + span * h * (1 - DELTA) * amp_lo - atol
        hi = lo32 + span * h * (1 + DELTA) * amp_hi + atol
        # Past 2**24 the float32 step is rounded by more than a step: any height of the
        # (at most previous cycle's) amplitude is honest there.
        far = t >= EXACT_STEP_LIMIT
        amp_far = np.exp2(-(cycle - 1)) if mode == "triangular2" else amp_hi
        lo = np.where(far, lo32 - atol, lo)
        hi = np.where(far, lo32 + span * np.minimum(amp_far, 1.0) + atol, hi)
        return lo, hi

    def ramps(steps: np.ndarray, values: np.ndarray) -> None:
        keep = steps < EXACT_STEP_LIMIT
        order = np.argsort(steps[keep], kind="stable")
        t, v = steps[keep][order], values[keep][order]
        cycle, x, _ = parts(t)
        same = cycle[1:] == cycle[:-1]
        rising = same & (x[1:] <= up)
        falling = same & (x[:-1] >= up)
        slack = 4 * EPS * max(abs(lo32), abs(hi32))
        rise = np.diff(v)
        bad = falling & (rise > slack)
        if mode != "exp_range":  # a shrinking amplitude may outpace the rise
            bad |= rising & (rise < -slack)
        assert not bad.any(), f"cyclic ramp not monotone at steps {t[1:][bad][:5].tolist()}"

    bound = span * (1.0 / min(up, down) + (1.0 - gamma))
    return Expect(
        [Seg(0, None, "cyclic", lo32, trend=None, step_bound=bound)],
        lo=base,
        hi=top,
        end_step=None,
        floor=None,
        phase_starts=(0,),
        ref=ref,
        extra_boundaries=[k * period + d for k in range(24) for d in (0, up)],
        extra_check=ramps,
    )


EXPECT: dict[str, Callable[[dict[str, Any]], Expect]] = {
    "constant": expect_constant,
    "cosine_annealing": expect_cosine_annealing,
    "cosine_restarts": expect_cosine_restarts,
    "cycle_decay": expect_cycle_decay,
    "cyclic": expect_cyclic,
    "inverse_sqrt": expect_inverse_sqrt,
    "multi_stage": expect_multi_stage,
    "multi_step_decay": expect_multi_step_decay,
    "one_cycle": expect_one_cycle,
    "piecewise_constant": expect_piecewise_constant,
    "step_decay": expect_step_decay,
    "warmup_constant": expect_warmup_constant,
    "warmup_cosine": lambda kw: expect_warmup_decay(kw, "cosine"),
    "warmup_exponential": expect_warmup_exponential,
    "warmup_linear": lambda kw: expect_warmup_decay(kw, "linear"),
    "warmup_polynomial": lambda kw: expect_warmup_decay(kw, "polynomial"),
    "warmup_stable_decay": expect_warmup_stable_decay,
}


# --------------------------------------------------------------------------------------
# Probe steps.
# --------------------------------------------------------------------------------------

NEGATIVE = [-1, -2, -3, -100, -(10**6), -(2**31)]


def probe_steps(exp: Expect, schedule: sched.Schedule, rng: np.random.Generator) -> np.ndarray:
    """A fixed-length int64 vector of steps: landmarks first, then dense and random fill."""
    bounds = {s.start for s in exp.segs} | {s.end for s in exp.segs if s.end is not None}
    for p in schedule.phases:
        bounds |= {p.start} | ({p.end} if p.end is not None else set())
    bounds |= set(exp.extra_boundaries)
    edges: set[int] = set()
    for seg in exp.segs:
        if seg.kind == "staircase":  # every stair edge is a boundary of its own
            period = int(seg.length)
            edges |= {seg.start + k * period for k in range(1, 41)}
            edges |= {seg.start + int(k) * period for k in rng.integers(41, 10**6, 8)}
    bounds = sorted(b for b in bounds if 0 <= b <= INT32_MAX)
    first = [*NEGATIVE, 0, 1, 2, 3, FAR - 1, FAR, FAR + 1, INT32_MAX]
    if exp.end_step is not None:
        first += [exp.end_step + k for k in (-1, 0, 1)] + [2 * exp.end_step, 10 * exp.end_step]
    window = 32 if len(bounds) < 40 else 3
    for b in bounds:
        first += range(b - window, b + window + 1)
    for b in sorted(e for e in edges if e <= INT32_MAX):
        first += range(b - 2, b + 3)
    dense: list[int] = []
    finite = [b for b in bounds if b <= 4 * FAR] or [0]
    for seg in exp.segs:
        end = seg.end if seg.end is not None else seg.start + 4 * max(finite[-1], 256)
        n = end - seg.start
        if n <= 768:
            dense += range(seg.start, end)
        else:
            dense += range(seg.start, seg.start + 256)
            dense += range(end - 256, end)
            mid = int(rng.integers(seg.start, end - 128))
            dense += range(mid, mid + 128)
            dense += np.linspace(seg.start, end - 1, 256).astype(np.int64).tolist()
    horizon = 2 * finite[-1] + 64
    rand = rng.integers(0, horizon, 512).tolist() + rng.integers(0, INT32_MAX, 64).tolist()
    rand += (np.geomspace(1, INT32_MAX, 128)).astype(np.int64).tolist()
    seen: dict[int, None] = {}
    for t in itertools.chain(first, dense, rand):
        if -(2**31) <= t <= INT32_MAX:
            seen.setdefault(int(t), None)
    steps = np.fromiter(seen, np.int64)[:N_PROBES]
    return np.concatenate([steps, np.zeros(N_PROBES - steps.size, np.int64)])


# --------------------------------------------------------------------------------------
# The checks.
# --------------------------------------------------------------------------------------


def show(steps: np.ndarray, values: np.ndarray, mask: np.ndarray, *extra: np.ndarray) -> str:
    idx = np.flatnonzero(mask)[:6]
    rows = [f"step={int(steps[i])} value={values[i]!r}" for i in idx]
    for e in extra:
        rows = [f"{r} / {e[i]!r}" for r, i in zip(rows, idx, strict=True)]
    return "; ".join(rows)


def check_values(exp: Expect, schedule: sched.Schedule, steps: np.ndarray, v: np.ndarray):
    pos = steps >= 0
    scale = max(abs(exp.hi), abs(exp.lo), 1e-30)

    # finite everywhere
    bad = ~np.isfinite(v)
    assert not bad.any(), f"non-finite values: {show(steps, v, bad)}"

    # within [lo, hi] (float32 slack, rtol 1e-6)
    bad = (v < exp.lo - 1e-6 * scale) | (v > exp.hi + 1e-6 * scale)
    assert not bad.any(), f"outside [{exp.lo!r}, {exp.hi!r}]: {show(steps, v, bad)}"

    # a negative step is step 0
    at0 = v[np.flatnonzero(steps == 0)[0]]
    bad = (steps < 0) & (v != at0)
    assert not bad.any(), f"negative steps differ from step 0 ({at0!r}): {show(steps, v, bad)}"

    # the docstring formula (float64, honest float32 tolerance)
    t = steps[pos]
    lo, hi = exp.interval(t)
    bad = (v[pos] < lo) | (v[pos] > hi)
    assert not bad.any(), (
        f"differs from the documented formula (got / allowed lo / allowed hi): "
        f"{show(t, v[pos], bad, lo, hi)}"
    )

    # monotone where promised, on every probed step of the segment (sorted)
    slack = 4 * EPS * scale
    for seg in exp.segs:
        if seg.trend is None:
            continue
        mask = seg.contains(steps) & pos
        order = np.argsort(steps[mask], kind="stable")
        s, vals = steps[mask][order], v[mask][order]
        diff = np.diff(vals)
        if seg.trend == 0:
            bad = np.abs(vals - vals[:1]) > slack
            assert not bad.any(), f"not flat in [{seg.start}, {seg.end}): {show(s, vals, bad)}"
        else:
            bad = np.concatenate([[False], seg.trend * diff < -slack])
            word = "non-decreasing" if seg.trend > 0 else "non-increasing"
            assert not bad.any(), f"not {word} in [{seg.start}, {seg.end}): {show(s, vals, bad)}"
    if exp.global_trend is not None:
        order = np.argsort(steps[pos], kind="stable")
        s, vals = steps[pos][order], v[pos][order]
        bad = np.concatenate([[False], exp.global_trend * np.diff(vals) < -slack])
        assert not bad.any(), f"not monotone overall: {show(s, vals, bad)}"

    # continuity: one step never moves further than the largest one-step change of the
    # exact formula in the segment the step starts in (the segment that ends at a joined
    # boundary reaches the next segment's first value, so this also bounds the join)
    uniq, first = np.unique(steps, return_index=True)
    vals = v[first]
    pair = (np.diff(uniq) == 1) & (uniq[:-1] >= 0)
    left, right = uniq[:-1][pair], uniq[1:][pair]
    jump = np.abs(np.diff(vals)[pair])
    li, ri = exp.seg_index(left), exp.seg_index(right)
    for k, seg in enumerate(exp.segs):
        bound = seg.max_step()
        if bound is None:
            continue
        here = li == k
        crossing = here & (ri != k)
        if crossing.any() and not exp.segs[k + 1].joined:
            here &= ri == k
        limit = bound * (1 + 1e-5) + 8 * EPS * scale
        bad = here & (jump > limit)
        assert not bad.any(), (
            f"one-step change above {limit!r} in [{seg.start}, {seg.end}) (step -> next): "
            f"{show(left, jump, bad)}"
        )

    # settles: from end_step on, the value is constant and equal to the promised floor
    end = schedule.end_step
    if exp.end_step is None:
        assert end is None, f"end_step={end} but the schedule never settles"
    else:
        assert end is not None and abs(end - exp.end_step) <= exp.end_slack, (
            f"end_step={end}, expected {exp.end_step}"
        )
        after = steps >= end
        if after.any():
            tol = 2e-6 * max(scale, abs(exp.floor))
            bad = after & (np.abs(v - exp.floor) > tol)
            assert not bad.any(), (
                f"not held at the floor {exp.floor!r} from end_step={end}: {show(steps, v, bad)}"
            )

    if exp.extra_check is not None:
        exp.extra_check(steps[pos], v[pos])


def check_phases(exp: Expect, schedule: sched.Schedule) -> None:
    phases = schedule.phases
    assert phases and phases[0].start == 0, phases
    starts = tuple(p.start for p in phases)
    assert starts == exp.phase_starts, f"phase starts {starts}, expected {exp.phase_starts}"
    for p, q in itertools.pairwise(phases):
        assert p.end == q.start, f"phases not contiguous: {p} then {q}"


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_documented_properties(name: str, data: st.DataObject) -> None:
    kw = data.draw(VALID[name], label="kwargs")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    schedule = build(name, kw)
    exp = EXPECT[name](kw)
    check_phases(exp, schedule)
    steps = probe_steps(exp, schedule, np.random.default_rng(seed))
    values = np.asarray(schedule(jnp.asarray(steps, jnp.int32)), np.float64)
    assert values.shape == steps.shape
    check_values(exp, schedule, steps, values)

    # a Python int past the int32 range is evaluated, not overflowed
    far = float(schedule(2**40))
    scale = max(abs(exp.hi), abs(exp.lo), 1e-30)
    assert math.isfinite(far) and exp.lo - 1e-6 * scale <= far <= exp.hi + 1e-6 * scale
    if exp.end_step is not None and schedule.end_step <= 2**40:
        assert abs(far - exp.floor) <= 2e-6 * max(scale, abs(exp.floor)), far


def test_every_factory_has_a_strategy() -> None:
    assert set(VALID) == set(FACTORIES) | {"multi_stage"}
    assert set(EXPECT) == set(VALID)


# --------------------------------------------------------------------------------------
# jit gives what eager gives.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@settings(SETTINGS, max_examples=3)
@given(data=st.data())
def test_jit_matches_eager(name: str, data: st.DataObject) -> None:
    kw = data.draw(VALID[name], label="kwargs")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    schedule = build(name, kw)
    steps = jnp.asarray(
        probe_steps(EXPECT[name](kw), schedule, np.random.default_rng(seed)), jnp.int32
    )
    eager = np.asarray(schedule(steps), np.float64)
    jitted = np.asarray(jax.jit(schedule)(steps), np.float64)
    scale = float(np.max(np.abs(eager)))
    np.testing.assert_allclose(jitted, eager, rtol=4 * EPS, atol=4 * EPS * scale)


# --------------------------------------------------------------------------------------
# vmap over a learning-rate sweep.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["warmup_cosine", "warmup_linear"])
@settings(SETTINGS, max_examples=15)
@given(data=st.data())
def test_lr_sweep_under_vmap_scales_the_unit_schedule(name: str, data: st.DataObject) -> None:
    total = data.draw(totals, label="total_steps")
    warmup = data.draw(steps_or_ratio(total, 0, total - 1), label="warmup_steps")
    peaks = data.draw(st.lists(lrs, min_size=1, max_size=6), label="lrs")
    factory = FACTORIES[name]
    unit = factory(1.0, total_steps=total, warmup_steps=warmup)
    kw = {"peak_lr": 1.0, "total_steps": total, "warmup_steps": warmup, "init_lr": 0.0}
    exp = EXPECT[name]({**kw, "min_lr": 0.0})
    steps = probe_steps(exp, unit, np.random.default_rng(0))
    steps_j = jnp.asarray(steps, jnp.int32)
    lr = jnp.asarray(peaks, jnp.float32)

    swept = jax.vmap(lambda p: factory(p, total_steps=total, warmup_steps=warmup)(steps_j))(lr)
    swept = np.asarray(swept, np.float64)
    lr64 = np.asarray(lr, np.float64)[:, None]
    assert swept.shape == (len(peaks), N_PROBES)

    # against the library's own unit schedule, scaled
    base = np.asarray(unit(steps_j), np.float64)[None, :]
    tol = 4 * EPS * lr64 + 4 * EPS * np.abs(lr64 * base)
    bad = np.abs(swept - lr64 * base) > tol
    assert not bad.any(), f"lr * unit schedule differs at {np.argwhere(bad)[:5].tolist()}"

    # and against the documented formula, scaled
    lo, hi = exp.interval(np.maximum(steps, 0))
    bad = (swept < lr64 * lo - tol) | (swept > lr64 * hi + tol)
    assert not bad.any(), f"swept values leave the formula at {np.argwhere(bad)[:5].tolist()}"


# --------------------------------------------------------------------------------------
# SGDR: a restart that falls on an integer step happens at that step.
# --------------------------------------------------------------------------------------


@settings(SETTINGS, max_examples=40)
@given(
    period=st.integers(1, 64),
    t_mult=st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0, 4.0]),
    decay=st.sampled_from([1.0, 0.5]),
    warmup=st.integers(0, 20),
)
def test_restart_lands_on_its_integer_step(
    period: int, t_mult: float, decay: float, warmup: int
) -> None:
    # cycle i starts at P (m**i - 1) / (m - 1) after the warmup; where that is a whole step
    # (below 2**24, where float32 holds every integer) the value there is the cycle's peak.
    schedule = sched.cosine_restarts(1.0, period, t_mult, decay=decay, warmup_steps=warmup)
    starts, s, length, i = [], Fraction(0), Fraction(period), 0
    while s < EXACT_STEP_LIMIT and len(starts) < 64:
        if i > 0 and s.denominator == 1:
            starts.append((i, int(s)))
        s, length, i = s + length, length * Fraction(t_mult), i + 1
    if not starts:
        return
    steps = np.zeros(64, np.int64)  # fixed length: one compilation for every example
    steps[: len(starts)] = [warmup + k for _, k in starts]
    got = np.asarray(schedule(jnp.asarray(steps, jnp.int32)), np.float64)[: len(starts)]
    want = np.asarray([decay**i for i, _ in starts])
    bad = np.abs(got - want) > 1e-6
    assert not bad.any(), [
        (int(steps[j]), f"cycle {starts[j][0]}", float(got[j]), float(want[j]))
        for j in np.flatnonzero(bad)[:5]
    ]


# --------------------------------------------------------------------------------------
# Staircases: the rate drops exactly at each multiple of the period.
# --------------------------------------------------------------------------------------

STAIRS: dict[str, Callable[[float, int, float, int], sched.Schedule]] = {
    "step_decay": lambda lr, n, g, w: sched.step_decay(lr, n, g),
    "cycle_decay": lambda lr, n, g, w: sched.cycle_decay(lr, n, g),
    "warmup_exponential": lambda lr, n, g, w: sched.warmup_exponential(
        lr, g, n, warmup_steps=w, staircase=True
    ),
    # SGDR with equal cycles restarts at every multiple of the period (min_lr 0, decay g)
    "cosine_restarts": lambda lr, n, g, w: sched.cosine_restarts(
        lr, n, 1.0, decay=g, warmup_steps=w
    ),
}


@pytest.mark.parametrize("name", sorted(STAIRS))
@settings(SETTINGS, max_examples=40)
@given(
    period=st.one_of(st.integers(1, 200), st.integers(1, 5_000)),
    gamma=st.sampled_from([0.5, 0.9]),
    warmup=st.one_of(st.just(0), st.integers(0, 50)),
)
def test_stair_edges_fall_on_period_multiples(
    name: str, period: int, gamma: float, warmup: int
) -> None:
    # Documented: value = lr * gamma ** floor(t / period) (t counted after any warmup), so
    # at t = k * period the k-th drop has happened and at k * period - 1 it has not.
    w = warmup if name in ("warmup_exponential", "cosine_restarts") else 0
    schedule = STAIRS[name](1.0, period, gamma, warmup)
    k = np.arange(1, 33)
    steps = np.concatenate([w + k * period, w + k * period - 1])
    got = np.asarray(schedule(jnp.asarray(steps, jnp.int32)), np.float64)
    if name == "cosine_restarts":  # the step before a restart sits at the cycle's floor
        want = np.concatenate([gamma**k, np.zeros(k.size)])
        want[k.size :] = 0.5 * gamma ** (k - 1) * (1 + np.cos(np.pi * (period - 1) / period))
    else:
        want = np.concatenate([gamma**k, gamma ** (k - 1)])
    bad = np.abs(got - want) > 1e-5 * want + 1e-6
    assert not bad.any(), [
        (int(steps[j]), float(got[j]), float(want[j])) for j in np.flatnonzero(bad)[:6]
    ]


# --------------------------------------------------------------------------------------
# Invalid configurations: one bad argument at a time.
# --------------------------------------------------------------------------------------

BAD_LR = [-1e-3, -1.0, math.nan, math.inf, -math.inf, "0.1", True]
BAD_STEPS = [0, -1, -100, 10.0, 2.5, True, "10"]
BAD_FACTOR = [0.0, -0.5, 1.5, 2.0, math.nan, math.inf]
BAD_RATIO = [1.0, 1.5, -0.1, math.nan, math.inf]

Mutation = Callable[[dict[str, Any], st.DataObject], tuple[dict[str, Any], str]]


def set_to(arg: str, bad: Sequence[Any]) -> Mutation:
    def mutate(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        return {**kw, arg: data.draw(st.sampled_from(bad), label=arg)}, arg

    return mutate


def above(arg: str, top: str) -> Mutation:
    """``arg`` strictly above ``kw[top]`` (a floor or start over its peak)."""

    def mutate(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        factor = data.draw(st.floats(1.001, 10.0), label="factor")
        return {**kw, arg: kw[top] * factor + 1e-6}, arg

    return mutate


def peak_below(top: str, floors: Sequence[str]) -> Mutation:
    """The peak lowered under a floor or start that is positive."""

    def mutate(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        low = data.draw(st.sampled_from(list(floors)), label="floor")
        kw = {**kw, low: max(kw[low], 1e-3)}
        kw[top] = kw[low] * data.draw(st.floats(0.0, 0.99), label="fraction")
        return kw, top

    return mutate


def warmup_too_long(reserve_arg: str | None = None) -> Mutation:
    """A warmup (int or ratio) that leaves no step to decay."""

    def mutate(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        total = kw["total_steps"]
        d = resolve(kw[reserve_arg], total) if reserve_arg else 1
        k = data.draw(st.integers(total - d + 1, total + 100), label="warmup")
        value: int | float = k
        if data.draw(st.booleans(), label="as ratio") and k < total:
            r = (k - 0.5) / total
            if math.ceil(r * total) == k:
                value = r
        return {**kw, "warmup_steps": value}, "warmup_steps"

    return mutate


LR_RELATIONS = {
    "peak": [peak_below("peak_lr", ["init_lr", "min_lr"])],
    "init": [above("init_lr", "peak_lr")],
    "min": [above("min_lr", "peak_lr")],
}


def warmup_decay_mutations() -> list[Mutation]:
    return [
        set_to("peak_lr", BAD_LR),
        set_to("init_lr", BAD_LR),
        set_to("min_lr", BAD_LR),
        *LR_RELATIONS["peak"],
        *LR_RELATIONS["init"],
        *LR_RELATIONS["min"],
        set_to("total_steps", BAD_STEPS),
        set_to("warmup_steps", [*BAD_RATIO, -1, -5, True, "3"]),
        warmup_too_long(),
    ]


def bad_table(arg: str, index: bool) -> Mutation:
    """Break a list argument: a bad entry, an unsorted pair, a zero, or an empty list."""

    def mutate(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        items = list(kw[arg])
        how = data.draw(st.sampled_from(["entry", "order", "zero"]), label="how")
        if not items:
            how = "zero"
        if index:  # a list of learning rates
            i = data.draw(st.integers(0, max(len(items) - 1, 0)), label="index")
            if not items:
                items, i = [0.1], 0
            items[i] = data.draw(st.sampled_from(BAD_LR), label="bad")
            return {**kw, arg: items}, f"{arg}[{i}]"
        if how == "entry":
            i = data.draw(st.integers(0, len(items) - 1), label="index")
            items[i] = data.draw(st.sampled_from([1.5, True, "7", -3]), label="bad")
        elif how == "order" and len(items) >= 2:
            i = data.draw(st.integers(1, len(items) - 1), label="index")
            items[i] = items[i - 1]
        else:
            items = [0, *items]
        return {**kw, arg: items}, arg

    return mutate


def table_count(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
    values = list(kw["values"])
    if data.draw(st.booleans(), label="drop") and len(values) > 1:
        values = values[:-1]
    else:
        values = [*values, 0.1]
    return {**kw, "values": values}, "boundaries"


def cycle_table_mutations() -> list[Mutation]:
    def empty(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        return {**kw, "lrs": [], "base_lr": None}, "lrs"

    def table_and_factor(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        table = kw.get("lrs") or [0.1, 0.05]
        factor = data.draw(st.floats(0.01, 0.99), label="decay_factor")
        return {**kw, "lrs": table, "base_lr": None, "decay_factor": factor}, "decay_factor"

    def base_mismatch(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        table = kw.get("lrs") or [0.1, 0.05]
        base = table[0] * 2 + 1e-3
        return {**kw, "lrs": table, "base_lr": base, "decay_factor": 1.0}, "base_lr"

    def no_base(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        return {**kw, "lrs": None, "base_lr": None}, "base_lr"

    def long_within(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        spc = kw["steps_per_cycle"]
        n = data.draw(st.integers(spc + 1, spc + 50), label="within total")
        return {**kw, "within": {"total_steps": n, "warmup_steps": 0, "min_lr": 0.0}}, "within"

    def table_entry(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        table = list(kw.get("lrs") or [0.1, 0.05])
        i = data.draw(st.integers(0, len(table) - 1), label="index")
        table[i] = data.draw(st.sampled_from(BAD_LR), label="bad")
        return {**kw, "lrs": table, "base_lr": None, "decay_factor": 1.0}, f"lrs[{i}]"

    def factor_only(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        base = kw.get("base_lr") or 0.1
        bad = data.draw(st.sampled_from(BAD_FACTOR), label="decay_factor")
        return {**kw, "lrs": None, "base_lr": base, "decay_factor": bad}, "decay_factor"

    def base_only(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        bad = data.draw(st.sampled_from(BAD_LR), label="base_lr")
        return {**kw, "lrs": None, "base_lr": bad, "decay_factor": 0.9}, "base_lr"

    return [
        set_to("steps_per_cycle", BAD_STEPS),
        empty,
        table_and_factor,
        base_mismatch,
        no_base,
        long_within,
        table_entry,
        factor_only,
        base_only,
    ]


def stage_mutations() -> list[Mutation]:
    def empty(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        return {"stages": []}, "stages"

    def short_stage(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        stages = list(kw["stages"])
        j = data.draw(st.integers(0, len(stages) - 1), label="stage")
        stage_kw, _ = stages[j]
        total = stage_kw["total_steps"]
        if total < 2:
            stage_kw = {**stage_kw, "total_steps": 2, "warmup_steps": 0}
            total = 2
        stages[j] = (stage_kw, -data.draw(st.integers(1, total - 1), label="cut"))
        return {"stages": stages}, f"stages[{j}]"

    def zero_steps(kw: dict[str, Any], data: st.DataObject) -> tuple[dict[str, Any], str]:
        stages = list(kw["stages"])
        j = data.draw(st.integers(0, len(stages) - 1), label="stage")
        stage_kw, _ = stages[j]
        stages[j] = (stage_kw, -stage_kw["total_steps"])
        return {"stages": stages}, f"stages[{j}] steps"

    return [empty, short_stage, zero_steps]


def no_room_after_three_phases(
    kw: dict[str, Any], data: st.DataObject
) -> tuple[dict[str, Any], str]:
    pct = data.draw(st.floats(0.5, 0.99), label="pct_start")
    return {**kw, "three_phase": True, "pct_start": pct}, "pct_start"


INVALID: dict[str, list[Mutation]] = {
    "constant": [set_to("lr", BAD_LR)],
    "cosine_annealing": [
        set_to("base_lr", BAD_LR),
        set_to("eta_min", BAD_LR),
        above("eta_min", "base_lr"),
        set_to("t_max", BAD_STEPS),
    ],
    "cosine_restarts": [
        set_to("peak_lr", BAD_LR),
        set_to("min_lr", BAD_LR),
        set_to("init_lr", BAD_LR),
        *LR_RELATIONS["peak"],
        *LR_RELATIONS["init"],
        *LR_RELATIONS["min"],
        set_to("period", BAD_STEPS),
        set_to("t_mult", [0.5, 0.999, 0.0, -2.0, 2e6, math.nan, math.inf]),
        set_to("decay", BAD_FACTOR),
        set_to("warmup_steps", [-1, 0.5, True, "3"]),
        set_to("cycle_limit", BAD_STEPS),
    ],
    "cycle_decay": cycle_table_mutations(),
    "cyclic": [
        set_to("base_lr", BAD_LR),
        set_to("max_lr", BAD_LR),
        above("base_lr", "max_lr"),
        peak_below("max_lr", ["base_lr"]),
        set_to("step_size_up", BAD_STEPS),
        set_to("step_size_down", BAD_STEPS),
        set_to("mode", ["triangular3", "exp", ""]),
        set_to("gamma", BAD_FACTOR),
    ],
    "inverse_sqrt": [
        set_to("peak_lr", BAD_LR),
        set_to("init_lr", BAD_LR),
        peak_below("peak_lr", ["init_lr"]),
        above("init_lr", "peak_lr"),
        set_to("warmup_steps", [-1, 0.5, True, "3"]),
        set_to("timescale", BAD_STEPS),
    ],
    "multi_stage": stage_mutations(),
    "multi_step_decay": [
        set_to("base_lr", BAD_LR),
        set_to("gamma", BAD_FACTOR),
        bad_table("milestones", index=False),
    ],
    "one_cycle": [
        set_to("max_lr", BAD_LR),
        set_to("total_steps", [1, *BAD_STEPS]),
        set_to("pct_start", [0.0, *BAD_RATIO]),
        no_room_after_three_phases,
        set_to("div_factor", [0.5, 0.0, -1.0, math.nan, math.inf]),
        set_to("final_div_factor", [0.5, 0.0, -1.0, math.nan, math.inf]),
        set_to("anneal_strategy", ["cosine", "lin", ""]),
    ],
    "piecewise_constant": [
        bad_table("values", index=True),
        bad_table("boundaries", index=False),
        table_count,
    ],
    "step_decay": [
        set_to("base_lr", BAD_LR),
        set_to("step_size", BAD_STEPS),
        set_to("gamma", BAD_FACTOR),
    ],
    "warmup_constant": [
        set_to("peak_lr", BAD_LR),
        set_to("init_lr", BAD_LR),
        peak_below("peak_lr", ["init_lr"]),
        above("init_lr", "peak_lr"),
        set_to("warmup_steps", [-1, -10, 0.5, True, "3"]),
    ],
    "warmup_cosine": warmup_decay_mutations(),
    "warmup_exponential": [
        set_to("peak_lr", BAD_LR),
        set_to("init_lr", BAD_LR),
        set_to("min_lr", BAD_LR),
        *LR_RELATIONS["peak"],
        *LR_RELATIONS["init"],
        *LR_RELATIONS["min"],
        set_to("decay_rate", BAD_FACTOR),
        set_to("decay_steps", BAD_STEPS),
        set_to("warmup_steps", [-1, 0.5, True, "3"]),
    ],
    "warmup_linear": warmup_decay_mutations(),
    "warmup_polynomial": [
        *warmup_decay_mutations(),
        set_to("power", [0.0, -1.0, math.nan, math.inf]),
    ],
    "warmup_stable_decay": [
        *warmup_decay_mutations()[:-1],  # all but the plain too-long warmup
        warmup_too_long("decay_steps"),
        set_to("decay_steps", [0, 0.0, *BAD_RATIO, -3, True, "3"]),
        set_to("decay_shape", ["exp", "cos", "", "Linear"]),
        set_to("warmup_shape", ["1-sqrt", "constant"]),
    ],
}


def test_every_factory_has_invalid_cases() -> None:
    assert set(INVALID) == set(VALID)


@pytest.mark.parametrize("name", NAMES)
@settings(SETTINGS, max_examples=40)
@given(data=st.data())
def test_one_bad_argument_is_named_in_a_value_error(name: str, data: st.DataObject) -> None:
    kw = data.draw(VALID[name], label="valid kwargs")
    mutate = data.draw(st.sampled_from(INVALID[name]), label="mutation")
    bad_kw, arg = mutate(kw, data)
    with pytest.raises(ValueError) as info:
        build(name, bad_kw)
    assert arg in str(info.value), f"{arg!r} not named in: {info.value}"
