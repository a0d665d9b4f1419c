"""Run the benchmarks: ``python -m benchmarks [--quick] [--json PATH] [--only NAME ...]``.

Run from the repository root. Each benchmark prints its tables as it finishes; every
number that is judged is a ratio against a baseline measured in the same run, so the
results compare across machines and under load better than absolute times do. The exit
status is 0 whatever the verdicts (a missed target is a finding, not a crash).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Sequence

import jax

from benchmarks import _timing

#: Benchmark modules in the order they run.
BENCHMARKS = ("throughput", "overhead", "pieces", "grader", "precision")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="optax-sched benchmarks (ratios, not seconds)."
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, well under 30 s")
    parser.add_argument("--json", metavar="PATH", help="also write every row to this JSON file")
    parser.add_argument(
        "--only", nargs="+", choices=BENCHMARKS, metavar="NAME", help=f"any of {BENCHMARKS}"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected benchmarks, print their tables and a summary; return the exit status."""
    args = parse(argv)
    # Everything here is about float32 schedules; x64 is only switched on in subprocesses.
    jax.config.update("jax_enable_x64", False)
    names = [n for n in BENCHMARKS if args.only is None or n in args.only]
    meta = {
        "environment": _timing.environment(),
        "quick": args.quick,
        "benchmarks": names,
        "argv": list(sys.argv if argv is None else argv),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    env = meta["environment"]
    _timing.console.print(
        f"[bold]optax-sched benchmarks[/] ({'quick' if args.quick else 'full'}): jax "
        f"{env['jax']}, jaxlib {env['jaxlib']}, optax {env['optax']}, backend "
        f"{env['backend']} ({env['device_kind']}), {env['cpu_count']} CPUs\n"
    )
    start = time.perf_counter()
    results = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        result = module.run(quick=args.quick)
        _timing.print_result(result)
        results.append(result)
        if args.json:  # written after each benchmark, so an interrupted run keeps its rows
            meta["seconds"] = time.perf_counter() - start
            _timing.write_json(args.json, meta, results)
    total = time.perf_counter() - start
    meta["seconds"] = total
    if args.json:
        _timing.write_json(args.json, meta, results)
    summary = ", ".join(
        f"{r.name} {r.counts()[_timing.OK]} ok / {r.counts()[_timing.MISSED]} MISSED"
        for r in results
    )
    _timing.console.print(f"[bold]done[/] in {total:.0f} s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
