"""Vectorised throughput: every schedule type over ``n`` steps in one jitted call.

For each case of ``_cases.CASES`` and each size ``n``, three jitted functions get the
same ``jnp.arange(n)`` (int32) and are timed round-robin:

* ours: ``jax.jit(schedule)``, the schedule built for a run of ``n`` steps;
* optax: the equivalent optax schedule, where there is one (its numbers are compared with
  ours on the same steps first; the table says whether they agree);
* the floor: the cheapest elementwise operation the curve needs (``cos`` for cosine
  shapes, a multiply for linear and constant ones, ``exp``, ``sqrt``, ``pow``), applied to
  the steps cast to float32: one read and one write per step, the least any schedule of
  that shape can cost.

Targets (issue 8): ours / optax <= 1.05 and ours / floor <= 1.5, judged from 10**6 steps
(and at the largest size of a --quick run). Below that one call takes microseconds, the
dispatch of the call dominates, and the ratios of smaller sizes are shown but not judged.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from benchmarks import _timing
from benchmarks._cases import CASES, PEAK, Case
from benchmarks._timing import Column, Result, View

#: Sizes below this are timed and shown, not judged (dispatch dominates a call).
JUDGED_FROM = 10**6

NAME = "throughput"
SIZES = (10**3, 10**4, 10**5, 10**6, 10**7)
QUICK_SIZES = (10**4,)
VS_OPTAX = 1.05
VS_FLOOR = 1.5
#: Largest |ours - optax| (as a fraction of the peak rate) for the two to count as the same curve.
SAME_TOLERANCE = 1e-5

FLOOR_OPS: dict[str, Callable[[jax.Array, float], jax.Array]] = {
    "mul": lambda x, c: x * c,
    "cos": lambda x, c: jnp.cos(x * (math.pi * c)),
    "exp": lambda x, c: jnp.exp(x * -c),
    "sqrt": lambda x, c: jnp.sqrt(x * c),
    "pow": lambda x, c: jnp.power(1.0 - x * c, 2.0),
}


def _floor(op: str, n: int) -> Callable[[jax.Array], jax.Array]:
    scale = 1.0 / n  # keeps cos and exp arguments in [0, pi] and [-1, 0], as in a schedule
    return jax.jit(lambda x: FLOOR_OPS[op](x.astype(jnp.float32), scale))


def _optax(case: Case, n: int) -> Callable[[jax.Array], jax.Array] | None:
    if case.optax is None:
        return None
    fn = case.optax(n)
    if case.optax_vmap:
        fn = jax.vmap(fn)
    # optax.constant_schedule returns one scalar whatever the steps; broadcasting it gives
    # the same output array as ours (broadcast_to is free when the shapes already match).
    return jax.jit(lambda x: jnp.broadcast_to(fn(x), x.shape))


def _label(n: int) -> str:
    exponent = round(math.log10(n))
    return f"1e{exponent}" if 10**exponent == n else str(n)


def run(quick: bool = False) -> Result:
    """Measure every case at every size; one result row per (case, size)."""
    start = time.perf_counter()
    sizes = QUICK_SIZES if quick else SIZES
    budget = 0.05 if quick else 0.3
    result = Result(NAME, params={"sizes": list(sizes), "step_dtype": "int32"})
    floors: dict[tuple[str, int], Callable] = {}
    by_case: dict[str, dict[int, dict]] = {}
    for n in sizes:
        steps = jnp.arange(n)
        for case in CASES:
            ours = jax.jit(case.build(n))
            theirs = _optax(case, n)
            floor = floors.setdefault((case.floor, n), _floor(case.floor, n))
            fns = {
                "ours": lambda f=ours, x=steps: f(x),
                "floor": lambda f=floor, x=steps: f(x),
            }
            same = None
            max_diff = None
            if theirs is not None:
                fns["optax"] = lambda f=theirs, x=steps: f(x)
                diff = np.abs(np.asarray(ours(steps)) - np.asarray(theirs(steps))).max()
                max_diff = float(diff) / PEAK
                same = max_diff <= SAME_TOLERANCE
            times = _timing.race(fns, budget_s=budget, min_repeats=5, max_repeats=300)
            t_ours, t_floor = times["ours"].median, times["floor"].median
            t_optax = times["optax"].median if "optax" in times else None
            vs_optax = _timing.ratio(t_ours, t_optax)
            vs_floor = _timing.ratio(t_ours, t_floor)
            checks = [_timing.judge(vs_floor, VS_FLOOR)]
            if same:
                checks.append(_timing.judge(vs_optax, VS_OPTAX))
            status = _timing.MISSED if _timing.MISSED in checks else _timing.OK
            if n < JUDGED_FROM and n != max(sizes):
                status = _timing.INFO
            row = result.add(
                f"{case.name} @ {_label(n)}",
                {"vs_optax": vs_optax, "vs_floor": vs_floor},
                f"vs_optax <= {VS_OPTAX} (where optax has the same curve), vs_floor <= {VS_FLOOR}",
                status,
                schedule=case.name,
                n=n,
                optax=case.optax_label or None,
                same_as_optax=same,
                max_abs_diff_over_peak=max_diff,
                floor_op=case.floor,
                msteps_per_s={
                    k: None if t is None else n / t / 1e6
                    for k, t in (("ours", t_ours), ("optax", t_optax), ("floor", t_floor))
                },
                seconds={k: v.as_json() for k, v in times.items()},
            )
            by_case.setdefault(case.name, {})[n] = row
    largest = sizes[-1]
    result.views.append(_largest_view(by_case, largest))
    if len(sizes) > 1:
        result.views.append(_sizes_view(by_case, sizes))
    differing = [r["schedule"] for r in result.rows if r["same_as_optax"] is False]
    if differing:
        result.notes.append(
            "optax mapping gives different numbers (its ratio is shown but not judged): "
            + ", ".join(sorted(set(differing)))
        )
    result.notes.append(
        "the same int32 jnp.arange(n) goes to all three; the floor casts it to float32 inside "
        "the same fused loop. optax's one-cycle schedules reject an array of steps, so their "
        "vmap is timed; optax.constant_schedule returns a scalar, so it is broadcast."
    )
    result.seconds = time.perf_counter() - start
    return result


def _largest_view(by_case: dict[str, dict[int, dict]], n: int) -> View:
    rows = []
    for name, per_size in by_case.items():
        row = per_size[n]
        rates = row["msteps_per_s"]
        same = row["same_as_optax"]
        rows.append(
            {
                "schedule": name,
                "optax": row["optax"] or "-",
                "same": "-" if same is None else ("yes" if same else "NO"),
                "ours": rates["ours"],
                "optax_rate": rates["optax"],
                "floor": f"{rates['floor']:,.0f} ({row['floor_op']})",
                "vs_optax": row["ratios"]["vs_optax"],
                "vs_floor": row["ratios"]["vs_floor"],
                "status": row["status"],
            }
        )
    columns = [
        Column("schedule", "schedule", justify="left"),
        Column("optax", "optax counterpart", justify="left"),
        Column("same", "same"),
        Column("ours", "ours Msteps/s", _timing.fmt_rate),
        Column("optax_rate", "optax Msteps/s", _timing.fmt_rate),
        Column("floor", "floor Msteps/s (op)"),
        Column("vs_optax", f"ours/optax (≤{VS_OPTAX})", _timing.fmt_ratio),
        Column("vs_floor", f"ours/floor (≤{VS_FLOOR})", _timing.fmt_ratio),
        Column("status", "status"),
    ]
    return View(f"throughput: one jitted call over n = {_label(n)} steps", columns, rows)


def _sizes_view(by_case: dict[str, dict[int, dict]], sizes: tuple[int, ...]) -> View:
    rows = []
    for name, per_size in by_case.items():
        row: dict = {"schedule": name}
        missed = []
        for n in sizes:
            ratios = per_size[n]["ratios"]
            row[f"o{n}"] = ratios["vs_optax"]
            row[f"f{n}"] = ratios["vs_floor"]
            if per_size[n]["status"] == _timing.MISSED:
                missed.append(_label(n))
        row["status"] = _timing.MISSED if missed else _timing.OK
        row["missed_at"] = ", ".join(missed) or "-"
        rows.append(row)
    columns = [Column("schedule", "schedule", justify="left")]
    columns += [Column(f"o{n}", f"/optax {_label(n)}", _timing.fmt_ratio) for n in sizes]
    columns += [Column(f"f{n}", f"/floor {_label(n)}", _timing.fmt_ratio) for n in sizes]
    columns += [Column("status", "status"), Column("missed_at", "missed at", justify="left")]
    return View("throughput: ours/optax and ours/floor time ratios by size", columns, rows)
