"""float32 precision over long runs, and what happens at steps beyond 32 bits.

**Error.** Each case of ``_cases.CASES`` is built for runs of ``n = 10^6`` and ``10^8``
steps (warmup 1%) and evaluated in float32, jitted, on int32 steps: a grid spread over
``[0, 1.1 n]`` plus random steps and the steps around every phase boundary. The error
is ``max |f32 - f64| / peak`` against a float64 reference:

* ``closed form``: NumPy float64 of the formula in the factory's docstring (the main
  types: warmup_cosine, warmup_linear, warmup_polynomial, warmup_exponential,
  inverse_sqrt, warmup_stable_decay, one_cycle, cosine_restarts);
* ``x64``: the same schedule evaluated with ``JAX_ENABLE_X64=1`` in a subprocess (see
  ``_x64.py``), for the other types. It is also computed for the main types, as a
  cross-check (column ``vs x64``).

optax's own float32 error (where it has the same curve) is measured against the same
reference on the steps below ``n`` (past the end some optax counterparts, such as the
ten-cycle ``sgdr_schedule``, stop following the curve). Ratios: error / float32 epsilon
(``2^-23``) and ours / optax. Target (set here; the issue only measured optax at
~1.5e-7 x peak): error <= 2 float32 epsilons of the peak, about 2.4e-7.

**Range probes.** ``warmup_cosine``, ``constant`` and optax's
``warmup_cosine_decay_schedule`` (a 10^8-step run, warmup 10^6) at steps 2^24+1, 2^31-1,
2^31 and 2^40, given as a Python int (eager call), an int32 array (wrapped with NumPy's
``astype``, as any int32 conversion would), a float32 array and an int64 array (x64, in
the subprocess). Each outcome is recorded as it comes: the value, or the exception.
A value is ``ok`` when it matches the float64 curve at the step the schedule actually
received (a wrapped int32 step really is a different step), ``MISSED`` when it does not;
an exception is ``info``. Nothing here changes the library's behaviour.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

import optax_sched
from benchmarks import _timing
from benchmarks._cases import CASES, FLOOR_LR, PEAK, Case, period, ref_warmup_cosine, warmup
from benchmarks._timing import Column, Result, View

NAME = "precision"
ROOT = Path(__file__).resolve().parents[1]
TOTALS = (10**6, 10**8)
QUICK_TOTALS = (10**6,)
EPS32 = float(np.finfo(np.float32).eps)
TARGET_EPS = 2.0
PROBE_TOTAL = 10**8
PROBE_STEPS = (2**24 + 1, 2**31 - 1, 2**31, 2**40)
#: A probe value within this many float32 epsilons of the peak of its reference is ok.
PROBE_TOLERANCE_EPS = 4.0


def probe_schedules() -> dict[str, Callable[[Any], Any]]:
    """The schedules the range probes call (also built by the x64 worker)."""
    w = warmup(PROBE_TOTAL)
    return {
        "warmup_cosine": optax_sched.warmup_cosine(PEAK, PROBE_TOTAL, w, min_lr=FLOOR_LR),
        "constant": optax_sched.constant(PEAK),
        "optax warmup_cosine_decay_schedule": optax.warmup_cosine_decay_schedule(
            0.0, PEAK, w, PROBE_TOTAL, FLOOR_LR
        ),
    }


def _probe_reference(schedule: str, step: float) -> float:
    if schedule == "constant":
        return PEAK
    return float(ref_warmup_cosine(np.asarray([max(step, 0.0)], np.float64), PROBE_TOTAL)[0])


def grid(case: Case, n: int, points: int, seed: int = 0) -> np.ndarray:
    """Steps to compare at: evenly spread, random, and around every phase boundary."""
    rng = np.random.default_rng(seed)
    end = int(1.1 * n)
    w, p = warmup(n), period(n)
    edges = [w, n, *(k * p for k in range(1, 11)), n // 2, 3 * n // 10, 6 * n // 10, 9 * n // 10]
    near = [e + d for e in edges for d in (-2, -1, 0, 1, 2)]
    steps = np.concatenate(
        [
            np.round(np.linspace(0, end, points)),
            rng.integers(0, end, points),
            np.asarray(near),
            np.arange(0, min(w + 3, end)),
        ]
    ).astype(np.int64)
    return np.unique(steps[(steps >= 0) & (steps <= end)])


def _optax_values(case: Case, n: int, steps: np.ndarray) -> np.ndarray | None:
    if case.optax is None:
        return None
    fn = case.optax(n)
    if case.optax_vmap:
        fn = jax.vmap(fn)
    call = jax.jit(lambda s: jnp.broadcast_to(fn(s), s.shape))
    return np.asarray(call(jnp.asarray(steps, jnp.int32)), np.float64)


def _x64(requests: list[tuple[str, int, str]], grids: dict[str, np.ndarray]) -> tuple[dict, list]:
    """Run the x64 worker on the grids; returns its values and its probe outcomes."""
    with tempfile.TemporaryDirectory(prefix="optax-sched-x64-") as tmp:
        folder = Path(tmp)
        paths = [folder / f for f in ("request.json", "grids.npz", "values.npz", "probes.json")]
        paths[0].write_text(
            json.dumps({"cases": requests, "probe_steps": list(PROBE_STEPS)}), encoding="utf-8"
        )
        np.savez(paths[1], **grids)
        env = {**os.environ, "JAX_ENABLE_X64": "1", "JAX_PLATFORMS": "cpu"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks._x64", *map(str, paths)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the x64 worker failed:\n{done.stderr[-3000:]}")
        with np.load(paths[2]) as values:
            loaded = {k: values[k] for k in values.files}
        return loaded, json.loads(paths[3].read_text(encoding="utf-8"))


def _max_error(got: np.ndarray, want: np.ndarray) -> float:
    return float(np.max(np.abs(got.astype(np.float64) - want)) / PEAK)


def run(quick: bool = False) -> Result:
    """Errors of every case at every run length, then the range probes."""
    start = time.perf_counter()
    totals = QUICK_TOTALS if quick else TOTALS
    points = 2000 if quick else 20000
    result = Result(NAME, params={"totals": list(totals), "grid_points": points})
    grids, requests = {}, []
    for n in totals:
        for i, case in enumerate(CASES):
            key = f"c{i}_{n}"
            grids[key] = grid(case, n, points, seed=i)
            requests.append((case.name, n, key))
    x64_values, x64_probes = _x64(requests, grids)

    for name, n, key in requests:
        case = next(c for c in CASES if c.name == name)
        steps = grids[key]
        ours = np.asarray(jax.jit(case.build(n))(jnp.asarray(steps, jnp.int32)), np.float64)
        reference = "closed form" if case.closed_form else "x64"
        want = (
            case.closed_form(steps.astype(np.float64), n) if case.closed_form else x64_values[key]
        )
        error = _max_error(ours, want)
        inside = steps < n
        ours_inside = _max_error(ours[inside], want[inside])
        theirs = _optax_values(case, n, steps[inside])
        optax_error = None if theirs is None else _max_error(theirs, want[inside])
        vs_eps = error / EPS32
        result.add(
            f"{name} @ {n:.0e}",
            {"vs_eps32": vs_eps, "vs_optax": _timing.ratio(ours_inside, optax_error)},
            f"max |f32 - f64| / peak <= {TARGET_EPS:g} float32 eps ({TARGET_EPS * EPS32:.2e})",
            _timing.judge(vs_eps, TARGET_EPS),
            schedule=name,
            n=n,
            reference=reference,
            error=error,
            error_below_n=ours_inside,
            error_vs_x64=_max_error(ours, x64_values[key]),
            optax_error_below_n=optax_error,
            grid_points=len(steps),
        )
    probes = _probes(x64_probes)
    result.rows.extend(probes)
    _views(result, totals, probes)
    result.seconds = time.perf_counter() - start
    return result


def _received(form: str, step: int) -> float | int:
    """The step the schedule actually receives for each way of passing ``step``."""
    if form == "int32 array":
        return int(np.asarray(step, np.int64).astype(np.int32))
    if form == "float32 array":
        return float(np.float32(step))
    return step


def _outcome(fn: Callable[[Any], Any], form: str, step: int) -> dict[str, Any]:
    if form == "python int":
        call, argument = fn, step
    elif form == "int32 array":
        call, argument = jax.jit(fn), jnp.asarray(np.asarray([step], np.int64).astype(np.int32))
    else:
        call, argument = jax.jit(fn), jnp.asarray([step], jnp.float32)
    try:
        value = np.asarray(call(argument))
        return {"value": float(value.reshape(-1)[0]), "dtype": str(value.dtype)}
    except Exception as error:  # every failure is a result to record
        return {"error": type(error).__name__, "message": str(error).splitlines()[0][:300]}


def _probes(x64_probes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    outcomes = []
    for label, fn in probe_schedules().items():
        for step in PROBE_STEPS:
            for form in ("python int", "int32 array", "float32 array"):
                outcomes.append({"schedule": label, "step": step, "form": form,
                                 **_outcome(fn, form, step)})  # fmt: skip
    outcomes += [{**o, "form": "int64 array (x64)"} for o in x64_probes]
    rows = []
    for outcome in outcomes:
        received = _received(outcome["form"], outcome["step"])
        expected = _probe_reference(outcome["schedule"], float(received))
        if "value" in outcome:
            error = abs(outcome["value"] - expected) / PEAK
            status = _timing.judge(error / EPS32, PROBE_TOLERANCE_EPS)
            shown = f"{outcome['value']:.6e}"
        else:
            error, status = None, _timing.INFO
            shown = f"{outcome['error']}: {outcome['message']}"
        rows.append(
            {
                "case": f"probe {outcome['schedule']} {outcome['form']} {outcome['step']}",
                "ratios": {"error_vs_eps32": None if error is None else error / EPS32},
                "target": f"equals the f64 curve at the received step (<= {PROBE_TOLERANCE_EPS:g} "
                "eps of peak), or raises",
                "status": status,
                "probe": True,
                "schedule": outcome["schedule"],
                "form": outcome["form"],
                "step": outcome["step"],
                "step_label": _step_label(outcome["step"]),
                "received_step": received,
                "expected": expected,
                "outcome": shown,
                "value": outcome.get("value"),
                "error": outcome.get("error"),
                "message": outcome.get("message"),
            }
        )
    return rows


def _step_label(step: int) -> str:
    for label, value in (("2^24+1", 2**24 + 1), ("2^31-1", 2**31 - 1), ("2^31", 2**31),
                         ("2^40", 2**40)):  # fmt: skip
        if step == value:
            return label
    return str(step)


def _views(result: Result, totals: tuple[int, ...], probes: list[dict[str, Any]]) -> None:
    errors = [r for r in result.rows if not r.get("probe")]
    rows = []
    for name in dict.fromkeys(r["schedule"] for r in errors):
        row: dict[str, Any] = {"schedule": name}
        statuses = []
        for r in errors:
            if r["schedule"] != name:
                continue
            n = r["n"]
            row["reference"] = r["reference"]
            row[f"e{n}"] = r["error"]
            row[f"x{n}"] = r["error_vs_x64"]
            row[f"o{n}"] = r["optax_error_below_n"]
            row[f"r{n}"] = r["ratios"]["vs_optax"]
            statuses.append(r["status"])
        row["status"] = _timing.MISSED if _timing.MISSED in statuses else _timing.OK
        rows.append(row)
    columns = [Column("schedule", "schedule", justify="left"), Column("reference", "reference")]
    for n in totals:
        label = f"{n:.0e}"
        columns += [
            Column(f"e{n}", f"err/peak {label}", _timing.fmt_sci),
            Column(f"x{n}", f"vs x64 {label}", _timing.fmt_sci),
            Column(f"o{n}", f"optax {label}", _timing.fmt_sci),
            Column(f"r{n}", f"ours/optax {label}", _timing.fmt_ratio),
        ]
    columns.append(Column("status", "status"))
    result.views.append(
        View(
            "precision: max |f32 - f64| / peak over the run (target ≤ "
            f"{TARGET_EPS * EPS32:.2e}; optax and ours/optax on steps < n)",
            columns,
            rows,
        )
    )
    result.views.append(
        View(
            f"precision: range probes ({PROBE_TOTAL:.0e}-step warmup_cosine, constant, optax)",
            [
                Column("schedule", "schedule", justify="left"),
                Column("form", "passed as", justify="left"),
                Column("step_label", "step"),
                Column("received_step", "received", lambda v: f"{v:.10g}"),
                Column("expected", "f64 curve", _timing.fmt_sci),
                Column("outcome", "outcome", justify="left"),
                Column("status", "status"),
            ],
            probes,
        )
    )
    missing = [c.name for c in CASES if c.closed_form is None]
    result.notes.append("x64 reference (no closed form written here): " + ", ".join(missing))
    result.notes.append(
        "python int probes call the schedule eagerly (jax.jit would convert the int to int32 "
        "before the schedule sees it); array probes are jitted."
    )
