"""Worker for the precision benchmark: evaluate schedules with ``JAX_ENABLE_X64=1``.

JAX's x64 flag is global to a process, so the float64 evaluations run here, in a
subprocess started by ``benchmarks.precision``::

    JAX_ENABLE_X64=1 python -m benchmarks._x64 REQUEST.json GRIDS.npz OUT.npz OUT.json

``REQUEST.json`` lists the ``(case, n, grid key)`` triples to evaluate (each case of
``_cases`` built for ``n`` steps, evaluated on the int64 steps stored under the key in
``GRIDS.npz``) and the probe steps; the float64 values go to ``OUT.npz`` under the same
keys, and the probe outcomes (value, or exception type and message) to ``OUT.json``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np


def probe(fn: Callable[[jax.Array], Any], steps: np.ndarray) -> dict[str, Any]:
    """The outcome of ``fn`` on an array of steps: its first value, or the exception raised."""
    try:
        value = np.asarray(fn(jnp.asarray(steps)))
        return {"value": float(value.reshape(-1)[0]), "dtype": str(value.dtype)}
    except Exception as error:  # every failure is a result to record
        return {"error": type(error).__name__, "message": str(error).splitlines()[0][:300]}


def main(argv: list[str]) -> int:
    """Evaluate the request; see the module docstring for the arguments."""
    if not jax.config.jax_enable_x64:
        raise SystemExit("run with JAX_ENABLE_X64=1")
    from benchmarks import precision
    from benchmarks._cases import BY_NAME

    request_path, grids_path, values_path, probes_path = argv
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    grids = np.load(grids_path)
    values = {}
    for name, n, key in request["cases"]:
        schedule = jax.jit(BY_NAME[name].build(n))
        values[key] = np.asarray(schedule(jnp.asarray(grids[key], jnp.int64)), np.float64)
    np.savez(values_path, **values)
    outcomes = []
    for label, fn in precision.probe_schedules().items():
        for step in request["probe_steps"]:
            outcome = probe(jax.jit(fn), np.asarray([step], np.int64))
            outcomes.append({"schedule": label, "step": step, **outcome})
    Path(probes_path).write_text(json.dumps(outcomes), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
