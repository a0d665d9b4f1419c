"""Smoke test of the hand-run benchmarks: the runner works and writes a well-formed record.

Runs ``python -m benchmarks --quick --only throughput precision --json OUT`` once in a
subprocess (the precision benchmark starts its own x64 subprocess too) and checks the
shape of the JSON it writes. Nothing here looks at how long anything took: the numbers
depend on the machine and its load, and judging them is what the benchmarks' own
tables are for.
"""

from __future__ import annotations

import json
import math
import os
import pathlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
STATUSES = {"ok", "MISSED", "info"}


def _numbers(value: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every number in a JSON document, with where it sits."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, f"{path}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _numbers(item, f"{path}/{i}")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, float(value)


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    env = {k: v for k, v in os.environ.items() if k != "JAX_ENABLE_X64"}
    command = [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)]
    done = subprocess.run(
        [*command, "--only", "throughput", "precision"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a guard against a hang, not a performance check
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "throughput" in done.stdout and "precision" in done.stdout
    return json.loads(out.read_text(encoding="utf-8"))


def test_meta_names_the_environment(record: dict[str, Any]) -> None:
    assert record["schema"] == 1
    assert record["meta"]["quick"] is True
    env = record["meta"]["environment"]
    for key in ("jax", "jaxlib", "optax", "backend", "device_kind", "cpu_count"):
        assert env[key] not in (None, ""), key
    assert env["x64"] is False


def test_only_the_selected_benchmarks_ran(record: dict[str, Any]) -> None:
    assert set(record["benchmarks"]) == {"throughput", "precision"}


def test_every_row_has_ratios_a_target_and_a_status(record: dict[str, Any]) -> None:
    for name, bench in record["benchmarks"].items():
        assert bench["rows"], name
        assert sum(bench["counts"].values()) == len(bench["rows"])
        for row in bench["rows"]:
            where = f"{name}: {row.get('case')}"
            assert isinstance(row["case"], str) and row["case"], where
            assert isinstance(row["target"], str) and row["target"], where
            assert row["status"] in STATUSES, where
            assert isinstance(row["ratios"], dict) and row["ratios"], where
            for key, ratio in row["ratios"].items():
                assert ratio is None or (
                    isinstance(ratio, int | float) and math.isfinite(ratio) and ratio >= 0
                ), f"{where}: {key}={ratio!r}"
            if row["status"] != "info":  # a verdict needs at least one number behind it
                assert any(r is not None for r in row["ratios"].values()), where


def test_throughput_rows_compare_with_the_floor_and_optax(record: dict[str, Any]) -> None:
    rows = record["benchmarks"]["throughput"]["rows"]
    assert {r["schedule"] for r in rows} >= {"warmup_cosine", "constant", "one_cycle"}
    for row in rows:
        assert set(row["ratios"]) == {"vs_optax", "vs_floor"}
        assert row["ratios"]["vs_floor"] is not None and row["ratios"]["vs_floor"] > 0
        if row["same_as_optax"]:
            assert row["ratios"]["vs_optax"] is not None and row["ratios"]["vs_optax"] > 0
        for rate in row["msteps_per_s"].values():
            assert rate is None or rate > 0


def test_precision_rows_name_their_reference(record: dict[str, Any]) -> None:
    rows = record["benchmarks"]["precision"]["rows"]
    errors = [r for r in rows if not r.get("probe")]
    probes = [r for r in rows if r.get("probe")]
    assert {r["reference"] for r in errors} == {"closed form", "x64"}
    for row in errors:
        assert row["ratios"]["vs_eps32"] is not None
        assert 0 <= row["error"] < 1
    forms = {r["form"] for r in probes}
    assert forms == {"python int", "int32 array", "float32 array", "int64 array (x64)"}
    for row in probes:  # each probe recorded either a value or an exception
        assert (row["value"] is None) != (row["error"] is None), row["case"]


def test_every_number_is_finite(record: dict[str, Any]) -> None:
    bad = [path for path, value in _numbers(record) if not math.isfinite(value)]
    assert not bad, bad[:10]
