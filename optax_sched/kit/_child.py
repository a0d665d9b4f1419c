"""The runner child: the only process that ever imports learner code.

Started by :mod:`optax_sched.kit.runner` as ``python _child.py REQ_FD RESP_FD`` in its own
process group (or forked from the ``optax-sched`` command and run as ``__main__`` with the
same arguments, streams and environment: :mod:`optax_sched.kit._fork`). It reads requests
(JSON lines) from ``REQ_FD`` and answers on ``RESP_FD``; stdout and stderr belong to the
learner and are captured (and capped) by the parent. The child never judges anything: it
runs the learner's function and reports what came back, exactly as returned (type, dtype,
shape, bytes), plus errors with the traceback trimmed to the learner's own frames. Every
verdict is made by the parent.

It deliberately does not import ``optax_sched``: learner code meets a plain interpreter
with JAX already imported (so the learner's import budget is not spent on JAX itself).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

#: Exceptions JAX raises when Python control flow meets a traced value.
TRACER_ERRORS = (
    "ConcretizationTypeError",
    "TracerBoolConversionError",
    "TracerIntegerConversionError",
    "TracerArrayConversionError",
    "UnexpectedTracerError",
    "NonConcreteBooleanIndexError",
)
MAX_MESSAGE = 3000


def _load(name: str) -> Any:
    """A sibling module by file path (importing ``optax_sched`` would import the package)."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_optax_sched_kit_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class Child:
    """Request loop of the runner child."""

    def __init__(self, req_fd: int, resp_fd: int) -> None:
        self.requests = os.fdopen(req_fd, "rb", buffering=0)
        self.resp_fd = resp_fd
        wire = _load("wire")
        self.transforms = _load("transforms")
        # Bound now, before learner code runs; the module is then unlisted so a learner
        # cannot find it by name and patch the encoder (a sandbox would be needed to stop
        # a determined one: the parent judges every value it receives regardless).
        self.encode, self.dumps = wire.encode, wire.dumps
        self.loads, self.decode_args = wire.loads, wire.decode_args
        del sys.modules["_optax_sched_kit_wire"], sys.modules["_optax_sched_kit_transforms"]
        self.function: Any = None
        self.learner_dir = ""

    # -- protocol ---------------------------------------------------------------------------
    def send(self, **message: Any) -> None:
        data = self.dumps(message)
        while data:
            written = os.write(self.resp_fd, data)
            data = data[written:]

    def phase(self, name: str, **extra: Any) -> None:
        self.send(event="phase", phase=name, **extra)

    def serve(self) -> None:
        import jax
        import jaxlib

        backend = os.environ.get("OPTAX_SCHED_KIT_BACKEND") or jax.default_backend()
        devices = jax.devices(backend)
        # Every array the learner makes lands on the chosen backend's first device.
        jax.config.update("jax_default_device", devices[0])
        self.send(
            event="ready",
            environment={
                "backend": backend,
                "device_kind": devices[0].device_kind,
                "device_count": len(devices),
                "jax": jax.__version__,
                "jaxlib": jaxlib.__version__,
                "x64": bool(jax.config.jax_enable_x64),
                "python": sys.version.split()[0],
                "platform": sys.platform,
            },
        )
        for line in self.requests:
            request = self.loads(line)
            op = request.pop("op")
            if op == "bye":
                self.send(event="bye")
                return
            handler = getattr(self, f"op_{op}")
            self.send(event="result", **handler(**request))

    # -- errors -----------------------------------------------------------------------------
    def _is_learner(self, filename: str) -> bool:
        """A frame from the learner's folder, not from a library installed under it."""
        if not self.learner_dir or not os.path.isabs(filename):
            return False  # <frozen importlib._bootstrap> and the like
        try:
            path = Path(filename).resolve()
        except OSError:
            return False
        if not path.is_relative_to(self.learner_dir):
            return False
        prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
        if any(path.is_relative_to(prefix) for prefix in prefixes):
            return False
        return not any(part in ("site-packages", "dist-packages") for part in path.parts)

    def describe(self, error: BaseException) -> dict[str, Any]:
        frames = traceback.extract_tb(error.__traceback__)
        mine = [frame for frame in frames if self._is_learner(frame.filename)]
        raised_here = bool(frames) and self._is_learner(frames[-1].filename)
        lines = "".join(traceback.format_list(mine))
        message = str(error)
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE] + " ... (message cut)"
        kind = "exception"
        if isinstance(error, SystemExit):
            kind = "exit"
            message = f"the code called sys.exit({error.code!r})"
        elif isinstance(error, NotImplementedError) and raised_here:
            kind = "not_implemented"
        elif type(error).__name__ in TRACER_ERRORS:
            kind = "tracer"
        elif isinstance(error, SyntaxError):
            kind = "syntax"
        where = None
        if mine:
            where = {"line": mine[-1].lineno, "code": (mine[-1].line or "").strip()}
        elif isinstance(error, SyntaxError) and error.lineno:
            where = {"line": error.lineno, "code": (error.text or "").strip()}
        return {
            "kind": kind,
            "type": type(error).__name__,
            "message": message,
            "traceback": lines,
            "where": where,
        }

    # -- operations -------------------------------------------------------------------------
    def op_load(self, path: str, function: str) -> dict[str, Any]:
        """Import the learner's file and find the function."""
        file = Path(path).resolve()
        self.learner_dir = str(file.parent)
        sys.path.insert(0, self.learner_dir)
        self.phase("import")
        start = time.perf_counter()
        try:
            spec = importlib.util.spec_from_file_location("learner_solution", file)
            module = importlib.util.module_from_spec(spec)
            sys.modules["learner_solution"] = module
            spec.loader.exec_module(module)
        except BaseException as error:
            return {"ok": False, "error": self.describe(error)}
        took = time.perf_counter() - start
        found = getattr(module, function, None)
        if not callable(found):
            names = sorted(n for n in vars(module) if not n.startswith("_"))
            if function in vars(module):
                message = (
                    f"{function} is a {type(found).__name__}, not a function: define it with "
                    f"`def {function}(...):`"
                )
            else:
                message = f"the file defines no function {function!r}" + (
                    f" (it defines: {', '.join(names)})" if names else ""
                )
            return {
                "ok": False,
                "import_s": took,
                "error": {
                    "kind": "missing",
                    "type": "AttributeError",
                    "message": message,
                    "traceback": "",
                    "where": None,
                },
            }
        self.function = found
        return {"ok": True, "import_s": took}

    def _outputs(self, calls: list[Any], phase: str) -> dict[str, Any]:
        """Run zero-argument callables in order; stop at the first error."""
        import jax

        outputs = []
        start = time.perf_counter()
        for index, call in enumerate(calls):
            self.phase(phase, case=index)
            began = time.perf_counter()
            try:
                value = jax.block_until_ready(call())
            except BaseException as error:
                outputs.append({"error": self.describe(error)})
                break
            outputs.append({"value": self.encode(value), "time_s": time.perf_counter() - began})
        return {"outputs": outputs, "time_s": time.perf_counter() - start}

    def _args(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.decode_args(case) for case in cases]

    def op_call(self, cases: list[dict[str, Any]]) -> dict[str, Any]:
        """Call the function eagerly on each case."""
        return self._outputs(
            [functools.partial(self.function, *args.values()) for args in self._args(cases)],
            "run",
        )

    def op_jit(self, cases: list[dict[str, Any]], static: list[str]) -> dict[str, Any]:
        """``jax.jit`` the function (``static`` arguments static, the rest traced) and call it.

        The first call traces and compiles; its time is reported as ``compile_s``.
        """

        all_args = self._args(cases)
        if not all_args:
            return {"outputs": [], "time_s": 0.0, "compile_s": 0.0}
        jitted = self.transforms.jitted(
            self.function, self.transforms.positions(list(all_args[0]), static)
        )
        self.phase("compile")
        start = time.perf_counter()
        first = self._outputs([functools.partial(jitted, *all_args[0].values())], "compile")
        compile_s = time.perf_counter() - start
        if "error" in first["outputs"][0]:
            return {**first, "compile_s": compile_s}
        rest = self._outputs(
            [functools.partial(jitted, *args.values()) for args in all_args[1:]], "run"
        )
        return {
            "outputs": first["outputs"] + rest["outputs"],
            "time_s": rest["time_s"],
            "compile_s": compile_s,
        }

    def op_vmap(self, cases: list[dict[str, Any]], batched: list[str]) -> dict[str, Any]:
        """``jax.vmap`` over the ``batched`` arguments of all cases at once (one call)."""
        import jax
        import numpy as np

        all_args = self._args(cases)
        columns = [
            np.stack([np.asarray(a[name]) for a in all_args]) if name in batched else value
            for name, value in all_args[0].items()
        ]
        in_axes = tuple(0 if name in batched else None for name in all_args[0])
        mapped = jax.vmap(self.function, in_axes=in_axes)
        return self._outputs([functools.partial(mapped, *columns)], "compile")

    def op_grad(
        self, cases: list[dict[str, Any]], wrt: str, jit: bool = False, static: list[str] = ()
    ) -> dict[str, Any]:
        """``jax.grad`` of the sum of the output with respect to the argument ``wrt``
        (compiled once when the problem requires jit)."""
        all_args = self._args(cases)
        if not all_args:
            return {"outputs": [], "time_s": 0.0}
        names = list(all_args[0])
        gradient = self.transforms.grad_of_sum(
            self.function,
            names.index(wrt),
            jit=jit,
            static=self.transforms.positions(names, static),
        )
        return self._outputs(
            [functools.partial(gradient, *args.values()) for args in all_args], "run"
        )


def main() -> None:
    """Entry point: ``python _child.py REQ_FD RESP_FD``."""
    req_fd, resp_fd = int(sys.argv[1]), int(sys.argv[2])
    # The kit's own folder must not shadow learner modules (``import wire`` etc.).
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    Child(req_fd, resp_fd).serve()


if __name__ == "__main__":
    main()
