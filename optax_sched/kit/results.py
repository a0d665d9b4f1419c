"""Verdicts and the result record (``--json``), modelled on Exercism's ``results.json``.

Schema version 1, one JSON object::

    {
      "version": 1,
      "status": "pass" | "fail" | "error",     # error: the code could not be run at all
      "verdict": "accepted" | "wrong_answer" | ...   (see VERDICTS),
      "title": "Wrong answer",
      "message": "what went wrong and how to fix it",
      "problem": "lr_at_step", "problem_version": 1, "file": "/abs/path.py",
      "failure": {                             # the first failure (null when accepted)
        "case": "step == total_steps - warmup_steps", "note": "...", "check": "eager",
        "input": {...}, "expected": ..., "got": ..., "bound": {...},
        "error": {"type", "message", "traceback", "line", "code"},
        "shrunk": true                         # a minimal input found by shrinking
      },
      "tests": [{"name", "check", "status": "pass"|"fail"|"error", "message"}],
      "timings": {"import_s", "compile_s", "run_s", "total_s"},
      "output": "what the code printed (capped)", "output_bytes": 123,
      "environment": {"backend", "device_kind", "jax", "jaxlib", "x64", "python", ...},
      "backends": [ {per-backend result without "backends"} ]   # with --backend all
    }

Tests are listed in the order they were checked; the first failure is the one that counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

#: verdict id -> (status, title)
VERDICTS: dict[str, tuple[str, str]] = {
    "accepted": ("pass", "Accepted"),
    "wrong_answer": ("fail", "Wrong answer"),
    "contract_mismatch": ("fail", "Contract mismatch (type, shape or dtype)"),
    "not_jittable": ("fail", "Not jittable"),
    "vmap_mismatch": ("fail", "Wrong under jax.vmap"),
    "grad_mismatch": ("fail", "Wrong gradient"),
    "not_implemented": ("fail", "Not implemented yet"),
    "runtime_error": ("fail", "Runtime error"),
    "time_limit": ("fail", "Time limit exceeded"),
    "output_limit": ("fail", "Output limit exceeded"),
    "syntax_error": ("error", "Syntax or import error"),
    "internal_error": ("error", "Grader error (not your fault)"),
}

#: Exit codes of ``optax-sched check``.
EXIT_CODES = {"pass": 0, "fail": 1, "usage": 2, "error": 3}


@dataclass
class Result:
    """The outcome of grading one file against one problem on one backend (or several)."""

    problem: str
    file: str
    verdict: str
    message: str
    problem_version: int = 1
    failure: dict[str, Any] | None = None
    tests: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    output: str = ""
    output_bytes: int = 0
    environment: dict[str, Any] = field(default_factory=dict)
    backends: list[Result] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; known: {sorted(VERDICTS)}")

    @property
    def status(self) -> str:
        """``pass``, ``fail`` or ``error``."""
        return VERDICTS[self.verdict][0]

    @property
    def title(self) -> str:
        return VERDICTS[self.verdict][1]

    @property
    def passed(self) -> bool:
        return self.verdict == "accepted"

    def to_json(self) -> dict[str, Any]:
        """The versioned, JSON-ready record (strict JSON: NaN and inf become strings)."""
        record = {
            "version": SCHEMA_VERSION,
            "status": self.status,
            "verdict": self.verdict,
            "title": self.title,
            "message": self.message,
            "problem": self.problem,
            "problem_version": self.problem_version,
            "file": self.file,
            "failure": self.failure,
            "tests": self.tests,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "output": self.output,
            "output_bytes": self.output_bytes,
            "environment": self.environment,
        }
        if self.backends:
            record["backends"] = [b.to_json() for b in self.backends]
        return _strict(record)


def _strict(value: Any) -> Any:
    """``value`` with every non-finite float replaced by its name (``"nan"``, ``"inf"``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(item) for item in value]
    return value
