"""Scaling with the number of pieces: compile time and per-step cost at 1 to 1000 pieces.

Families (``n`` pieces spread evenly over the measured steps, so every piece is hit):

* ours ``piecewise_constant``: ``n`` values, ``n - 1`` evenly spaced boundaries (found by
  division), and the same with uneven boundaries (found by a binary search);
* ours ``multi_stage``: ``n`` stages, each a ``warmup_cosine`` (two pieces per stage);
* ours ``cycle_decay(lrs=...)``: a table of ``n`` per-cycle rates;
* optax ``piecewise_constant_schedule`` with ``n - 1`` boundaries, and optax
  ``join_schedules`` of ``n`` ``warmup_cosine_decay_schedule`` pieces, as references.

For each: compile time (``jax.jit(f).lower(steps).compile()``, fresh each time), the time
of one vectorised call over all the steps, and the time per call of a scalar step in a
jitted ``lax.fori_loop`` (the way an optimizer calls it, once per update), and the time of
one ``optax.adamw(schedule)`` update on the overhead benchmark's 50k-parameter tree inside
a jitted loop (the cost per training step a user pays). Ratios are against the same
family with 1 piece. Target (issue 8): at 1000 pieces ours compiles within 2x of 1 piece
and runs within 2x per step; a training step is judged, and the bare evaluations are
shown beside it (one piece needs no search at all, so they measure the price of having
one).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import optax

import optax_sched
from benchmarks import _timing
from benchmarks._timing import Column, Result, View
from benchmarks.overhead import make_params

NAME = "pieces"
TARGET = 2.0
COUNTS = (1, 10, 100, 1000)
QUICK_COUNTS = (1, 100)
#: An optax case is skipped (with a note) when its compile time, extrapolated linearly from
#: the previous piece count, would exceed this many seconds (``QUICK_CAP_S`` with --quick).
OPTAX_CAP_S = 3.0
QUICK_CAP_S = 0.5


def _rates(n: int) -> list[float]:
    return [1e-3 * 0.995**i for i in range(n)]


def _bounds(n: int, span: int) -> list[int]:
    width = span // n
    return [width * i for i in range(1, n)]


def _uneven_bounds(n: int, span: int) -> list[int]:
    """``n - 1`` boundaries with gaps growing geometrically, so no division finds them."""
    if n == 1:
        return []
    gaps = [1.0 + 0.01 * i for i in range(n - 1)]
    scale = (span - n) / sum(gaps)
    out, at = [], 0
    for gap in gaps:
        at += 1 + int(gap * scale)
        out.append(at)
    return out


def _stage_schedule(length: int) -> optax_sched.Schedule:
    return optax_sched.warmup_cosine(1e-3, length, max(length // 10, 1), min_lr=1e-5)


FAMILIES: dict[str, Callable[[int, int], Callable]] = {
    "ours piecewise_constant": lambda n, span: optax_sched.piecewise_constant(
        _rates(n), _bounds(n, span)
    ),
    "ours piecewise_constant (uneven)": lambda n, span: optax_sched.piecewise_constant(
        _rates(n), _uneven_bounds(n, span)
    ),
    "ours multi_stage(warmup_cosine)": lambda n, span: optax_sched.multi_stage(
        [_stage_schedule(span // n) for _ in range(n)]
    ),
    "ours cycle_decay(lrs)": lambda n, span: optax_sched.cycle_decay(
        None, max(span // n, 1), lrs=_rates(n)
    ),
    "optax piecewise_constant_schedule": lambda n, span: optax.piecewise_constant_schedule(
        1e-3, {b: 0.995 for b in _bounds(n, span)}
    ),
    "optax join_schedules(warmup_cosine_decay)": lambda n, span: optax.join_schedules(
        [
            optax.warmup_cosine_decay_schedule(0.0, 1e-3, max(span // n // 10, 1), span // n, 1e-5)
            for _ in range(n)
        ],
        _bounds(n, span),
    ),
}


def _scalar_loop(schedule: Callable, calls: int, span: int) -> Callable:
    stride = max(span // calls, 1)

    def run() -> jax.Array:
        def body(i: jax.Array, total: jax.Array) -> jax.Array:
            return total + schedule(i * stride)

        return jax.lax.fori_loop(0, calls, body, jnp.zeros((), jnp.float32))

    return jax.jit(run)


def _adamw_loop(schedule: Callable, updates: int) -> Callable:
    """``updates`` AdamW steps on the overhead benchmark's tree (about 50k parameters),
    in one jitted loop: the cost per training step the schedule adds to. The tree goes in
    as arguments, so XLA cannot fold the updates into constants."""
    tx = optax.adamw(schedule)
    params = make_params()
    grads = jax.tree.map(lambda p: jnp.full_like(p, 1e-3), params)
    state = tx.init(params)

    @jax.jit
    def run(p: Any, state: Any, g: Any) -> Any:
        def body(_: jax.Array, carry: tuple) -> tuple:
            p, state = carry
            u, state = tx.update(g, state, p)
            return optax.apply_updates(p, u), state

        return jax.lax.fori_loop(0, updates, body, (p, state))

    return lambda: run(params, state, grads)


def run(quick: bool = False) -> Result:
    """Measure every family at every piece count; one row per (family, count)."""
    start = time.perf_counter()
    counts = QUICK_COUNTS if quick else COUNTS
    span = 10**4 if quick else 10**5
    calls = 10**3 if quick else 10**4
    updates = 20 if quick else 200
    budget = 0.05 if quick else 0.3
    cap = QUICK_CAP_S if quick else OPTAX_CAP_S
    steps = jnp.arange(span)
    result = Result(
        NAME, params={"counts": list(counts), "vector_steps": span, "scalar_calls": calls}
    )
    base: dict[str, dict[str, float]] = {}
    for family, build in FAMILIES.items():
        ours = family.startswith("ours")
        previous = (0.0, 1)  # (compile seconds, pieces) of the previous count
        for n in counts:
            expected = previous[0] * n / previous[1]
            if not ours and expected > cap:
                result.notes.append(
                    f"{family} at {n} pieces not run: it compiled in {previous[0]:.2f} s at "
                    f"{previous[1]} pieces, so about {expected:.0f} s is expected (optax's "
                    "compile time grows linearly with the piece count)."
                )
                continue
            schedule = build(n, span)
            repeats = 3 if expected < cap / 4 else 1
            compiled = _timing.compile_seconds(schedule, steps, repeats=repeats).median
            previous = (compiled, n)
            vector = jax.jit(schedule)
            loop = _scalar_loop(schedule, calls, span)
            train = _adamw_loop(schedule, updates)
            times = _timing.race(
                {
                    "vector": lambda f=vector: f(steps),
                    "scalar": lambda f=loop: f(),
                    "adamw": lambda f=train: f(),
                },
                budget_s=budget,
                min_repeats=3,
                max_repeats=50,
                warmup=1,
            )
            metrics = {
                "compile": compiled,
                "vector": times["vector"].median,
                "scalar": times["scalar"].median / calls,
                "adamw": times["adamw"].median / updates,
            }
            if n == counts[0]:
                base[family] = metrics
            ratios = {f"{k}_vs_1": _timing.ratio(v, base[family][k]) for k, v in metrics.items()}
            if ours and n == max(counts):
                judged = (ratios["compile_vs_1"], ratios["adamw_vs_1"])
                status = (
                    _timing.MISSED
                    if any(_timing.judge(r, TARGET) == _timing.MISSED for r in judged)
                    else _timing.OK
                )
                target = f"compile and AdamW step vs 1 piece <= {TARGET}"
            else:
                status, target = _timing.INFO, "none (only ours at the largest count is judged)"
            result.add(
                f"{family} x{n}",
                ratios,
                target,
                status,
                family=family,
                pieces=n,
                compile_s=compiled,
                vector_s_per_call=metrics["vector"],
                scalar_s_per_call=metrics["scalar"],
                adamw_s_per_step=metrics["adamw"],
            )
    columns = [
        Column("family", "family", justify="left"),
        Column("pieces", "pieces"),
        Column("compile_s", "compile", _timing.fmt_seconds),
        Column("compile_vs_1", "compile vs 1", _timing.fmt_ratio),
        Column("vector_s_per_call", f"vector call ({span:.0e})", _timing.fmt_seconds),
        Column("vector_vs_1", "vector vs 1", _timing.fmt_ratio),
        Column("scalar_s_per_call", "scalar call", _timing.fmt_seconds),
        Column("scalar_vs_1", "scalar vs 1", _timing.fmt_ratio),
        Column("adamw_s_per_step", "AdamW step", _timing.fmt_seconds),
        Column("adamw_vs_1", "step vs 1", _timing.fmt_ratio),
        Column("status", "status"),
    ]
    rows = [{**row, **row["ratios"]} for row in result.rows]
    _growth_notes(result, counts)
    result.views.append(
        View(
            f"pieces: compile and per-step cost vs 1 piece ({span:,} vectorised steps, "
            f"{calls:,} scalar calls in a fori_loop; target at {max(counts)} pieces: ≤ "
            f"{TARGET}x)",
            columns,
            rows,
        )
    )
    result.seconds = time.perf_counter() - start
    return result


def _growth_notes(result: Result, counts: tuple[int, ...]) -> None:
    """Add, per family of ours, its cost at the most pieces relative to 10 pieces.

    One piece needs no boundary search at all, so the ratio against it mixes the price of
    having a search with the growth in the number of pieces; against 10 pieces (already
    searched) the growth alone shows.
    """
    rows = {(r["family"], r["pieces"]): r for r in result.rows}
    most = max(counts)
    for family in FAMILIES:
        low, high = rows.get((family, 10)), rows.get((family, most))
        if low is None or high is None or most == 10:
            continue
        parts = [
            f"{label} {_timing.fmt_ratio(_timing.ratio(high[key], low[key]))}"
            for label, key in (
                ("compile", "compile_s"),
                ("vector", "vector_s_per_call"),
                ("scalar", "scalar_s_per_call"),
            )
        ]
        high["ratios_vs_10"] = {
            key: _timing.ratio(high[key], low[key])
            for key in ("compile_s", "vector_s_per_call", "scalar_s_per_call")
        }
        result.notes.append(f"{family}: {most} vs 10 pieces: " + ", ".join(parts))
