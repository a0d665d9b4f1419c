"""Shared machinery of the benchmarks: timing, result rows, tables and the JSON record.

Timing rules used everywhere:

* every timed call ends in ``jax.block_until_ready``, so asynchronous dispatch never hides
  work;
* each callable is warmed up (compiled and run) before it is timed, and compile time is
  measured on its own, as the wall time of ``jax.jit(f).lower(*args).compile()`` for a
  freshly wrapped ``f`` (so no cache of an earlier trace or compile is hit);
* callables that are compared with each other are timed round-robin (one call of each,
  then the next round), so a burst of load from another process lands on all of them
  alike, and the median of the rounds is kept.

Every result row carries ``ratios`` against a baseline measured in the same run, the
``target`` it is judged by and a ``status``: ``"ok"``, ``"MISSED"`` or ``"info"`` (no
target).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jax
import numpy as np
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

OK, MISSED, INFO = "ok", "MISSED", "info"
STATUSES = (OK, MISSED, INFO)

# Piped output (a log file, CI) gets wide tables instead of rich's 80-column default.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)


# -- timing --------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Timing:
    """Seconds per call: the median of ``repeats`` timed calls, their quartiles and minimum."""

    median: float
    q1: float
    q3: float
    minimum: float
    repeats: int

    def as_json(self) -> dict[str, float | int]:
        return {
            "median_s": self.median,
            "q1_s": self.q1,
            "q3_s": self.q3,
            "min_s": self.minimum,
            "repeats": self.repeats,
        }


def _call(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    jax.block_until_ready(fn())
    return time.perf_counter() - start


def _summary(samples: Sequence[float]) -> Timing:
    ordered = sorted(samples)
    if len(ordered) >= 4:
        q1, _, q3 = statistics.quantiles(ordered, n=4)
    else:
        q1, q3 = ordered[0], ordered[-1]
    return Timing(statistics.median(ordered), q1, q3, ordered[0], len(ordered))


def race(
    fns: Mapping[str, Callable[[], Any]],
    *,
    budget_s: float = 0.5,
    min_repeats: int = 5,
    max_repeats: int = 200,
    warmup: int = 2,
) -> dict[str, Timing]:
    """Time zero-argument callables against each other, round-robin.

    Each callable is called ``warmup`` times untimed (the first call compiles). The
    number of rounds is chosen so that all rounds together take about ``budget_s``
    seconds, within ``[min_repeats, max_repeats]``.

    Returns:
      ``{name: Timing}`` in seconds per call.
    """
    for fn in fns.values():
        for _ in range(warmup):
            _call(fn)
    round_s = sum(_call(fn) for fn in fns.values())
    repeats = int(min(max(budget_s / max(round_s, 1e-9), min_repeats), max_repeats))
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            samples[name].append(_call(fn))
    return {name: _summary(values) for name, values in samples.items()}


def compile_seconds(fn: Callable[..., Any], *args: Any, repeats: int = 3) -> Timing:
    """Wall time of ``jax.jit(f).lower(*args).compile()`` (tracing and lowering included).

    ``fn`` is wrapped in a new function for every repeat, so each repeat traces, lowers and
    compiles from scratch instead of hitting JAX's caches.
    """
    samples = []
    for _ in range(repeats):
        wrapped = jax.jit(lambda *a: fn(*a))
        start = time.perf_counter()
        wrapped.lower(*args).compile()
        samples.append(time.perf_counter() - start)
    return _summary(samples)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or None when either is missing or the result is not finite."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    value = numerator / denominator
    return value if math.isfinite(value) else None


def judge(value: float | None, limit: float) -> str:
    """``ok`` when ``value <= limit``, ``MISSED`` when above it, ``info`` when there is no value."""
    if value is None:
        return INFO
    return OK if value <= limit else MISSED


# -- results -------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a printed table: the row key it shows and how to format it."""

    key: str
    header: str
    fmt: Callable[[Any], str] | None = None
    justify: str = "right"


@dataclasses.dataclass
class View:
    """A printed table over some rows (the JSON keeps every row; a view may show a subset)."""

    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    caption: str = ""


@dataclasses.dataclass
class Result:
    """What one benchmark hands back to the runner."""

    name: str
    rows: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    views: list[View] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    seconds: float = 0.0

    def add(
        self,
        case: str,
        ratios: Mapping[str, float | None],
        target: str,
        status: str,
        **data: Any,
    ) -> dict[str, Any]:
        """Append a result row (``ratios``, ``target`` and ``status`` are required of every row)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        row = {"case": case, "ratios": dict(ratios), "target": target, "status": status, **data}
        self.rows.append(row)
        return row

    def counts(self) -> dict[str, int]:
        return {s: sum(r["status"] == s for r in self.rows) for s in STATUSES}


# -- formatting ----------------------------------------------------------------------------------
def fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def fmt_seconds(value: float | None) -> str:
    """A duration with a unit that keeps three significant digits readable."""
    if value is None:
        return "-"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.2f} ms"
    if value >= 1e-6:
        return f"{value * 1e6:.1f} µs"
    return f"{value * 1e9:.3g} ns"


def fmt_sci(value: float | None) -> str:
    return "-" if value is None else f"{value:.2e}"


def fmt_rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def fmt_status(value: str) -> Text:
    style = {"ok": "green", "MISSED": "bold red", "info": "dim"}.get(value, "")
    return Text(value, style=style)


def _cell(column: Column, row: Mapping[str, Any]) -> Text | str:
    value = row.get(column.key)
    if column.key == "status":
        return fmt_status(value)
    if column.fmt is not None:
        return column.fmt(value)
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return Text(str(value))


def print_view(view: View) -> None:
    table = RichTable(title=view.title, title_justify="left", caption=view.caption or None)
    for column in view.columns:
        table.add_column(column.header, justify=column.justify, overflow="fold")
    for row in view.rows:
        table.add_row(*(_cell(c, row) for c in view.columns))
    console.print(table)


def print_result(result: Result) -> None:
    for view in result.views:
        print_view(view)
    for note in result.notes:
        console.print(Text(f"  note: {note}", style="dim"))
    counts = result.counts()
    console.print(
        f"[bold]{result.name}[/]: {counts[OK]} ok, "
        f"{'[bold red]' if counts[MISSED] else ''}{counts[MISSED]} MISSED"
        f"{'[/]' if counts[MISSED] else ''}, {counts[INFO]} info "
        f"({result.seconds:.1f} s)\n"
    )


# -- environment and JSON ------------------------------------------------------------------------
def environment() -> dict[str, Any]:
    """The versions and machine a run was measured on."""
    import jaxlib
    import optax

    device = jax.devices()[0]
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "optax": optax.__version__,
        "numpy": np.__version__,
        "backend": jax.default_backend(),
        "device_kind": device.device_kind,
        "device_count": jax.device_count(),
        "cpu_count": os.cpu_count(),
        "x64": bool(jax.config.jax_enable_x64),
        "xla_flags": os.environ.get("XLA_FLAGS", ""),
        "executable": sys.executable,
    }


def _plain(value: Any) -> Any:
    """JSON-ready data: NumPy scalars as Python numbers, non-finite floats as strings."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, Timing):
        return value.as_json()
    return value


def write_json(path: str | os.PathLike, meta: Mapping[str, Any], results: Sequence[Result]) -> None:
    """Write the whole run: environment, options and every benchmark's rows and notes."""
    document = {
        "schema": 1,
        "meta": dict(meta),
        "benchmarks": {
            r.name: {
                "seconds": r.seconds,
                "params": r.params,
                "counts": r.counts(),
                "notes": r.notes,
                "rows": r.rows,
            }
            for r in results
        },
    }
    Path(path).write_text(json.dumps(_plain(document), indent=1) + "\n", encoding="utf-8")
