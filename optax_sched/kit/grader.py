"""Grade a learner's file against a problem: the parent's side, where all judging happens.

The flow of :func:`grade`:

1. Parse the file here (a syntax error needs no process).
2. Start the runner child (it imports JAX while this process builds the cases: the edge
   cases, then ``examples`` random ones drawn by hypothesis from a fixed seed) and computes
   every expected value with the reference, on CPU, in this process, which never imports
   learner code.
3. Import the learner's file in the child (its own time budget), call the function on every
   case, and judge: errors first, then the contract (type, shape, dtype) of every output,
   then the numbers under the problem's tolerance.
4. If the contract asks for it: the same cases under ``jax.jit``, one ``jax.vmap`` call over
   them, and ``jax.grad`` against the reference's gradient.
5. A random case that fails is shrunk by hypothesis (querying the live child) to a minimal
   failing input before it is reported.

The first failure decides the verdict. Each check is also listed in ``Result.tests``.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from optax_sched.kit import wire
from optax_sched.kit.contract import Case, Contract
from optax_sched.kit.judge import Mismatch, check_contract, compare
from optax_sched.kit.problems import KitError, Problem
from optax_sched.kit.results import Result
from optax_sched.kit.runner import ChildFailure, Limits, Runner
from optax_sched.kit.transforms import grad_of_sum, jitted, positions

# Two processes may share one accelerator while grading; neither may grab 75% of it.
os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
# hypothesis keeps a cache in ./.hypothesis by default: never in the learner's folder.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "optax-sched-hypothesis")
)

#: What a traced value met, and how to fix it, by JAX error class.
TRACER_ADVICE = {
    "TracerBoolConversionError": (
        "A Python `if`, `while`, `and`/`or` or bool() looked at a traced value; under "
        "jax.jit its value is unknown until run time. Use jnp.where(cond, a, b), "
        "jnp.minimum/jnp.clip or jax.lax.cond instead."
    ),
    "ConcretizationTypeError": (
        "Python needed the concrete value of a traced array (int(), float(), range(), an "
        "`if`, or a shape). Keep the computation in jnp, or mark an argument that sets a "
        "shape as static."
    ),
    "TracerIntegerConversionError": (
        "int() or Python indexing was applied to a traced value. Use jnp operations "
        "(x.astype(jnp.int32), jnp.take, jax.lax.dynamic_slice) instead."
    ),
    "TracerArrayConversionError": (
        "A NumPy function (np.asarray, np.cos, ...) received a traced value. Use jax.numpy "
        "(jnp) inside the function."
    ),
    "UnexpectedTracerError": (
        "A traced value escaped the function (stored in a global, a list or an object) and "
        "was used later. Return values instead of storing them."
    ),
    "NonConcreteBooleanIndexError": (
        "Boolean-mask indexing (x[x > 0]) gives a shape that depends on values, which jit "
        "cannot compile. Use jnp.where(mask, x, 0) instead."
    ),
}

PHASE_ADVICE = {
    "import": (
        "Importing your file took too long: is there a loop or a heavy computation at module "
        "level (outside the function)?"
    ),
    "compile": (
        "Tracing or compiling under JAX took too long: a Python loop unrolled thousands of "
        "times? Use jax.lax.fori_loop or jax.lax.scan."
    ),
    "run": (
        "Your function ran past the time limit: an infinite loop (a `while True`, or a "
        "lax.while_loop whose condition never turns false)?"
    ),
}


@dataclass
class _Failure:
    verdict: str
    message: str
    failure: dict[str, Any] | None = None


def _plain(value: Any) -> Any:
    """JSON-ready form of an argument or a decoded value (non-finite floats as strings)."""
    if isinstance(value, wire.Value):
        if value.kind in ("tuple", "list"):
            return [_plain(item) for item in value.items]
        if value.kind == "dict":
            return {key: _plain(item) for key, item in value.items.items()}
        if value.array is not None:
            return _plain(value.array)
        return value.describe()
    if isinstance(value, np.ndarray | np.generic):
        value = np.asarray(value).tolist()
    if isinstance(value, float) and not np.isfinite(value):
        return repr(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _call_text(function: str, args: dict[str, Any]) -> str:
    shown = ", ".join(f"{k}={_plain(v)!r}" for k, v in args.items())
    if len(shown) > 300:
        shown = shown[:300] + "..."
    return f"{function}({shown})"


def draw_cases(strategy: Any, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` inputs drawn by hypothesis from ``strategy``, the same ones for a seed."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    drawn: list[dict[str, Any]] = []
    if count <= 0:
        return drawn

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(args: dict[str, Any]) -> None:
        drawn.append(dict(args))

    collect()
    return drawn[:count]


class _Reference:
    """The reference solution, evaluated on CPU in this process (never in the child)."""

    def __init__(self, problem: Problem) -> None:
        import jax

        self.problem = problem
        self.function = problem.reference
        self.cpu = jax.devices("cpu")[0]
        contract = problem.cases.CONTRACT
        self.static = positions(problem.parameters, contract.static)
        # A problem that requires jit has a jittable reference (dev check grades it under
        # jit): compile it once for all cases instead of dispatching op by op per case.
        self.jit = contract.jit
        self.evaluate = jitted(self.function, self.static) if self.jit else self.function
        self.gradient = None
        if contract.grad:
            wrt = problem.parameters.index(contract.grad)
            self.gradient = grad_of_sum(self.function, wrt, jit=self.jit, static=self.static)

    def __call__(self, args: dict[str, Any]) -> wire.Value:
        import jax

        with jax.default_device(self.cpu):
            value = self.evaluate(*args.values())
            return wire.decode(wire.encode(jax.block_until_ready(value)))

    def grad(self, args: dict[str, Any]) -> wire.Value:
        """The reference's gradient for one case, w.r.t. the contract's ``grad`` argument."""
        import jax

        with jax.default_device(self.cpu):
            return wire.decode(wire.encode(jax.block_until_ready(self.gradient(*args.values()))))


def _index(value: wire.Value, i: int) -> wire.Value:
    """Row ``i`` of a batched (vmapped) value."""
    if value.kind in ("tuple", "list"):
        return wire.Value(value.kind, items=tuple(_index(item, i) for item in value.items))
    if value.kind == "dict":
        return wire.Value("dict", items={k: _index(v, i) for k, v in value.items.items()})
    if value.array is None or not value.shape:
        return value
    return wire.Value(
        value.kind, type=value.type, dtype=value.dtype, shape=value.shape[1:], array=value.array[i]
    )


class _Session:
    """One grading run against one child on one backend."""

    def __init__(
        self,
        prepared: Prepared,
        runner: Runner,
        seed: int,
        shrink: bool,
        progress: Callable[[str], None],
    ) -> None:
        self.problem = prepared.problem
        self.contract: Contract = self.problem.cases.CONTRACT
        self.runner = runner
        self.cases = prepared.cases
        self.expected = prepared.expected
        self.reference = prepared.reference
        self.seed = seed
        self.shrink = shrink
        self.progress = progress
        self.tests: list[dict[str, Any]] = []
        environment = runner.environment
        self.x64 = bool(environment.get("x64"))
        self.backend = str(environment.get("backend", "cpu"))

    # -- reporting --------------------------------------------------------------------------
    def _test(self, name: str, check: str, status: str, message: str = "") -> None:
        self.tests.append({"name": name, "check": check, "status": status, "message": message})

    def _error_failure(self, error: dict[str, Any], case: Case | None, check: str) -> _Failure:
        where = error.get("where") or {}
        at = f" (line {where['line']}: {where['code']})" if where.get("line") else ""
        kind = error.get("kind")
        details = {
            "case": case.name if case else None,
            "note": case.note if case else "",
            "check": check,
            "input": _plain(dict(case.args)) if case else None,
            "error": {
                "type": error.get("type"),
                "message": error.get("message"),
                "traceback": error.get("traceback"),
                "line": where.get("line"),
                "code": where.get("code"),
            },
        }
        if kind == "not_implemented":
            return _Failure(
                "not_implemented",
                f"{self.problem.function} still raises NotImplementedError{at}. Replace that "
                f"line with your solution (statement: optax-sched show {self.problem.id}).",
                details,
            )
        if kind == "tracer" and check in ("jit", "vmap", "grad"):
            transform = {"jit": "jax.jit", "vmap": "jax.vmap", "grad": "jax.grad"}[check]
            advice = TRACER_ADVICE.get(error.get("type", ""), "")
            return _Failure(
                "not_jittable",
                f"This problem requires {self.problem.function} to work under {transform}, "
                f"and tracing it failed{at}: {error.get('type')}. {advice}",
                details,
            )
        call = _call_text(self.problem.function, dict(case.args)) if case else "importing it"
        under = {"jit": " under jax.jit", "vmap": " under jax.vmap", "grad": " under jax.grad"}
        verdict = {"vmap": "vmap_mismatch", "grad": "grad_mismatch"}.get(check, "runtime_error")
        return _Failure(
            verdict,
            f"{call}{under.get(check, '')} raised {error.get('type')}{at}: {error.get('message')}",
            details,
        )

    def _value_failure(
        self,
        verdict: str,
        case: Case,
        mismatch: Mismatch,
        got: wire.Value,
        expected: wire.Value | None,
        check: str,
        shrunk: bool = False,
    ) -> _Failure:
        under = {"jit": " under jax.jit", "vmap": " under jax.vmap", "grad": " (its gradient)"}
        text = f"{_call_text(self.problem.function, dict(case.args))}{under.get(check, '')}: "
        text += mismatch.message
        if case.note and verdict != "contract_mismatch":
            text += f" About this case: {case.note}."
        if shrunk:
            text += " (The smallest failing input hypothesis found from a random case.)"
        return _Failure(
            verdict,
            text,
            {
                "case": case.name,
                "note": case.note,
                "check": check,
                "input": _plain(dict(case.args)),
                "expected": _plain(expected) if expected is not None else None,
                "got": _plain(got),
                "got_type": got.describe(),
                "bound": mismatch.bound,
                "shrunk": shrunk,
            },
        )

    def _judge(
        self, case: Case, got: wire.Value, expected: wire.Value, check: str
    ) -> Mismatch | None:
        spec = self.contract.spec_for(case.args)
        found = check_contract(spec, got, self.x64)
        if found:
            return found
        return compare(
            got, expected, self.problem.tolerance, self.contract.scale_for(case.args), self.backend
        )

    # -- checks -----------------------------------------------------------------------------
    def run(self) -> _Failure | None:
        """All checks in order; the first failure, or None when accepted."""
        self.progress(f"checking {len(self.cases)} cases")
        failure = self._check_outputs("eager", self.runner.request("call", cases=self._wire()))
        if failure is None and self.contract.jit:
            self.progress("checking under jax.jit")
            static = list(self.contract.static)
            failure = self._check_outputs(
                "jit", self.runner.request("jit", cases=self._wire(), static=static)
            )
        if failure is None and self.contract.vmap:
            self.progress("checking under jax.vmap")
            failure = self._check_vmap()
        if failure is None and self.contract.grad:
            self.progress("checking jax.grad")
            failure = self._check_grad()
        return failure

    def _wire(self, cases: Sequence[Case] | None = None) -> list[dict[str, Any]]:
        return [wire.encode_args(dict(c.args)) for c in (self.cases if cases is None else cases)]

    def _check_outputs(self, check: str, reply: dict[str, Any]) -> _Failure | None:
        outputs = reply["outputs"]
        # 1. errors, in case order
        for case, output in zip(self.cases, outputs, strict=False):
            if "error" in output:
                failure = self._error_failure(output["error"], case, check)
                self._test(case.name, check, "fail", failure.message)
                return failure
        if len(outputs) < len(self.cases):
            return _Failure("internal_error", "the runner returned fewer results than cases")
        got = [wire.decode(o["value"]) for o in outputs]
        # 2. the contract of every output, before any number
        for case, value in zip(self.cases, got, strict=True):
            spec = self.contract.spec_for(case.args)
            found = check_contract(spec, value, self.x64)
            if found:
                self._test(case.name, check, "fail", found.message)
                return self._value_failure("contract_mismatch", case, found, value, None, check)
        # 3. the numbers
        for index, (case, value, want) in enumerate(
            zip(self.cases, got, self.expected, strict=True)
        ):
            found = self._judge(case, value, want, check)
            if found is None:
                self._test(case.name, check, "pass")
                continue
            self._test(case.name, check, "fail", found.message)
            verdict = "contract_mismatch" if found.kind == "contract" else "wrong_answer"
            if (
                check == "eager"
                and self.shrink
                and index >= self._edges
                and verdict == "wrong_answer"
            ):
                smaller = self._shrink()
                if smaller is not None:
                    return smaller
            return self._value_failure(verdict, case, found, value, want, check)
        return None

    def _check_vmap(self) -> _Failure | None:
        batched = set(self.contract.vmap)
        first = self.cases[0].args
        chosen = [
            (case, want)
            for case, want in zip(self.cases, self.expected, strict=True)
            if all(_same(case.args[k], first[k]) for k in case.args if k not in batched)
        ]
        cases = [case for case, _ in chosen]
        reply = self.runner.request("vmap", cases=self._wire(cases), batched=sorted(batched))
        output = reply["outputs"][0]
        if "error" in output:
            failure = self._error_failure(output["error"], cases[0], "vmap")
            self._test("all cases at once", "vmap", "fail", failure.message)
            return failure
        value = wire.decode(output["value"])
        for i, (case, want) in enumerate(chosen):
            got = _index(value, i)
            found = self._judge(case, got, want, "vmap")
            if found:
                self._test(case.name, "vmap", "fail", found.message)
                return self._value_failure("vmap_mismatch", case, found, got, want, "vmap")
        self._test(f"{len(cases)} cases in one call", "vmap", "pass")
        return None

    def _check_grad(self) -> _Failure | None:
        wrt = self.contract.grad
        reply = self.runner.request(
            "grad",
            cases=self._wire(),
            wrt=wrt,
            jit=self.contract.jit,
            static=list(self.contract.static),
        )
        for case, output in zip(self.cases, reply["outputs"], strict=False):
            if "error" in output:
                failure = self._error_failure(output["error"], case, "grad")
                self._test(case.name, "grad", "fail", failure.message)
                return failure
            got = wire.decode(output["value"])
            want = self.reference.grad(dict(case.args))
            # d output / d argument has the output's scale over the argument's: a rate
            # of 1e-3 that is peak_lr x a fraction has a gradient of order 1, not 1e-3.
            size = float(np.max(np.abs(np.asarray(case.args[wrt], dtype=float)), initial=0.0))
            found = compare(
                got,
                want,
                self.problem.tolerance,
                self.contract.scale_for(case.args) / size if size > 0 else 1.0,
                self.backend,
                rtol=self.problem.tolerance.grad_rtol,
            )
            if found:
                self._test(case.name, "grad", "fail", found.message)
                return self._value_failure("grad_mismatch", case, found, got, want, "grad")
            self._test(case.name, "grad", "pass")
        return None

    def _shrink(self, budget_s: float = 10.0) -> _Failure | None:
        """Ask hypothesis for a minimal failing input, calling the live child per example."""
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis.errors import NoSuchExample

        self.progress("shrinking the failing input")
        deadline = time.monotonic() + budget_s
        last: list[_Failure] = []

        class _Stop(Exception):
            pass

        def fails(args: dict[str, Any]) -> bool:
            if time.monotonic() > deadline:
                raise _Stop
            case = Case(ordered(self.problem, dict(args)), "random (shrunk)")
            try:
                want = self.reference(dict(case.args))
            except Exception:
                return False
            try:
                reply = self.runner.request("call", cases=self._wire([case]))
            except ChildFailure:
                raise _Stop from None
            output = reply["outputs"][0]
            if "error" in output:
                return False
            got = wire.decode(output["value"])
            found = self._judge(case, got, want, "eager")
            if found is None or found.kind != "value":
                return False
            last.append(self._value_failure("wrong_answer", case, found, got, want, "eager", True))
            return True

        try:
            find(
                self.problem.cases.random_cases(),
                fails,
                settings=settings(
                    max_examples=300,
                    database=None,
                    deadline=None,
                    phases=[Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck),
                ),
                random=random.Random(self.seed),
            )
        except (NoSuchExample, _Stop):
            pass
        return last[-1] if last else None

    @property
    def _edges(self) -> int:
        return sum(1 for c in self.cases if not c.name.startswith("random #"))


def _accepted(problem: Problem, count: int) -> str:
    contract = problem.cases.CONTRACT
    checks = ["called directly"]
    if contract.jit:
        checks.append("under jax.jit")
    if contract.vmap:
        checks.append("batched with jax.vmap")
    if contract.grad:
        checks.append(f"with its gradient in {contract.grad}")
    how = ", ".join(checks[:-1]) + (" and " if len(checks) > 1 else "") + checks[-1]
    return f"All {count} cases match the reference ({how})."


def _same(a: Any, b: Any) -> bool:
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


def _syntax_check(file: Path) -> _Failure | None:
    try:
        source = file.read_bytes()
        compile(source, str(file), "exec", dont_inherit=True)
    except SyntaxError as error:
        line = (error.text or "").strip()
        at = f", line {error.lineno}" if error.lineno else ""
        return _Failure(
            "syntax_error",
            f"{file.name}{at}: {error.msg}" + (f": {line}" if line else ""),
            {
                "error": {
                    "type": type(error).__name__,
                    "message": error.msg,
                    "line": error.lineno,
                    "code": line,
                }
            },
        )
    except ValueError as error:  # null bytes
        return _Failure("syntax_error", f"{file.name} cannot be parsed: {error}")
    return None


def ordered(problem: Problem, args: dict[str, Any]) -> dict[str, Any]:
    """``args`` in the order of the reference's parameters (functions are called
    positionally, and hypothesis draws dictionaries in any order)."""
    names = problem.parameters
    if set(args) != set(names):
        raise KitError(
            f"{problem.id}: a case has arguments {sorted(args)}, but {problem.function} takes "
            f"{list(names)}"
        )
    return {name: args[name] for name in names}


def build_cases(problem: Problem, examples: int, seed: int) -> list[Case]:
    """The problem's edge cases followed by ``examples`` random ones for ``seed``."""
    module = problem.cases
    cases = [Case(ordered(problem, dict(c.args)), c.name, c.note) for c in module.edge_cases()]
    for index, args in enumerate(draw_cases(module.random_cases(), examples, seed)):
        cases.append(Case(ordered(problem, args), f"random #{index + 1}"))
    return cases


@dataclass(frozen=True)
class Prepared:
    """A problem's cases and their expected values, computed once, graded many times."""

    problem: Problem
    cases: list[Case]
    expected: list[wire.Value]
    reference: _Reference


def prepare(problem: Problem, examples: int | None = None, seed: int = 0) -> Prepared:
    """Draw the cases and evaluate the reference on each (in this process, on CPU).

    Raises :class:`KitError` when the kit's own generator or reference fails.
    """
    try:
        cases = build_cases(problem, problem.examples if examples is None else examples, seed)
        reference = _Reference(problem)
        expected = [reference(dict(case.args)) for case in cases]
    except KitError:
        raise
    except Exception as error:
        raise KitError(
            f"{problem.id}: the reference or case generator failed: {error!r}"
        ) from error
    return Prepared(problem, cases, expected, reference)


def grade(
    problem: Problem,
    file: str | os.PathLike,
    *,
    backend: str | None = None,
    limits: Limits | None = None,
    examples: int | None = None,
    seed: int = 0,
    shrink: bool = True,
    progress: Callable[[str], None] | None = None,
    prepared: Prepared | None = None,
    runner: Runner | None = None,
) -> Result:
    """Grade ``file`` against ``problem`` on one backend (JAX's default when None).

    Args:
      problem: the problem, from :class:`~optax_sched.kit.problems.Kit`.
      file: the learner's Python file.
      backend: a JAX platform (``cpu``, ``gpu``, ``tpu``) or None for the default.
      limits: time and output budgets; by default the problem's time limit for the calls.
      examples: how many random cases to add to the edge cases (default: the problem's
        ``examples``, 100 unless it declares fewer).
      seed: the seed of the random cases (the same seed, the same cases).
      shrink: look for a minimal failing input when a random case fails.
      progress: called with a short description of each stage (for a spinner).
      prepared: cases and expected values from :func:`prepare` (then ``examples`` and
        ``seed`` are not used), to grade several files against the same cases.
      runner: a started runner child to reuse (``dev check`` grades the kit's own, trusted
        files in one process; a learner's file always gets a fresh one). It stays open for
        the caller unless this grade had to kill it.

    Returns:
      A :class:`~optax_sched.kit.results.Result`; never raises for anything the learner's
      code does.
    """
    started = time.monotonic()
    path = Path(file).resolve()
    say = progress or (lambda _text: None)
    limits = limits or Limits(run_s=problem.time_limit)

    def result(failure: _Failure | None, **extra: Any) -> Result:
        verdict = failure.verdict if failure else "accepted"
        message = failure.message if failure else _accepted(problem, extra.get("count", 0))
        extra.pop("count", None)
        timings = {"startup_s": 0.0, "import_s": 0.0, "compile_s": 0.0, "run_s": 0.0}
        timings.update(extra.pop("timings", {}))
        timings["total_s"] = time.monotonic() - started
        return Result(
            problem=problem.id,
            file=str(path),
            verdict=verdict,
            message=message,
            problem_version=problem.version,
            failure=failure.failure if failure else None,
            timings=timings,
            **extra,
        )

    syntax = _syntax_check(path)
    if syntax:
        return result(
            syntax,
            environment=local_environment(backend),
            tests=[
                {"name": "parse", "check": "import", "status": "error", "message": syntax.message}
            ],
        )

    say("starting Python and JAX")
    own = runner is None or not runner.alive
    if own:
        runner = Runner(limits, backend=backend, cwd=path.parent)
    else:
        runner.renew(limits)
    session = None
    try:
        prepared = prepared or prepare(problem, examples, seed)
        if own:
            runner.start()
        session = _Session(prepared, runner, seed, shrink, say)
        say(f"importing {path.name}")
        loaded = runner.request("load", path=str(path), function=problem.function)
        if not loaded["ok"]:
            error = loaded["error"]
            if error.get("kind") == "not_implemented":
                failure = session._error_failure(error, None, "import")
            else:
                where = error.get("where") or {}
                at = f" (line {where['line']}: {where['code']})" if where.get("line") else ""
                failure = _Failure(
                    "syntax_error" if error.get("kind") != "exit" else "runtime_error",
                    f"importing {path.name} failed{at}: "
                    f"{error.get('type')}: {error.get('message')}",
                    {"error": error},
                )
            session._test("import", "import", "error", failure.message)
        else:
            session._test("import", "import", "pass")
            failure = session.run()
        if own:
            runner.close()
        return result(failure, count=len(prepared.cases), **_extras(runner, session))
    except ChildFailure as stop:
        runner.close()
        if stop.reason == "time_limit":
            if stop.phase == "startup":
                failure = _Failure("internal_error", f"Python and JAX did not start: {stop}.")
            else:
                failure = _Failure(
                    "time_limit",
                    f"{PHASE_ADVICE.get(stop.phase, '')} ({stop}.)",
                    {"phase": stop.phase},
                )
        elif stop.reason == "output_limit":
            failure = _Failure("output_limit", f"{stop}.", {"phase": stop.phase})
        elif stop.reason == "died" and stop.phase == "startup":
            failure = _Failure(
                "internal_error",
                f"the grader's Python process could not start JAX ({stop}); its output is "
                "below. Is the backend name right?",
            )
        else:
            failure = _Failure("runtime_error", f"{stop}.", {"phase": stop.phase})
        if session is not None:
            session._test(stop.phase, stop.phase, "error", failure.message)
        return result(failure, **_extras(runner, session))
    except KitError as error:
        if own:
            runner.close()
        return result(_Failure("internal_error", str(error)), **_extras(runner, session))
    finally:
        if own:
            runner.kill()


def local_environment(backend: str | None = None) -> dict[str, Any]:
    """This process's JAX environment, in the shape the child reports its own.

    Used when no child ran (a syntax error) or it never reported (it failed to start); the
    child inherits this process's environment variables, so the two agree.
    """
    import platform

    import jax
    import jaxlib

    name = backend or jax.default_backend()
    try:
        devices = jax.devices(name)
    except RuntimeError:
        devices = []
    return {
        "backend": name,
        "device_kind": devices[0].device_kind if devices else "unavailable",
        "device_count": len(devices),
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "x64": bool(jax.config.jax_enable_x64),
        "python": platform.python_version(),
        "platform": sys.platform,
    }


def _extras(runner: Runner, session: _Session | None) -> dict[str, Any]:
    output, total = runner.output
    spent = runner.spent
    return {
        "tests": session.tests if session else [],
        "timings": {
            "startup_s": spent["startup"],
            "import_s": spent["import"],
            "compile_s": spent["compile"],
            "run_s": spent["run"],
        },
        "output": output,
        "output_bytes": total,
        "environment": runner.environment or local_environment(runner.backend),
    }


def available_backends() -> list[str]:
    """The JAX platforms this machine has: ``cpu`` always, then ``gpu``/``tpu`` if present."""
    import jax

    found = []
    for name in ("cpu", "gpu", "tpu"):
        try:
            if jax.devices(name):
                found.append(name)
        except RuntimeError:
            continue
    return found


def grade_backends(
    problem: Problem, file: str | os.PathLike, backends: Sequence[str], **options: Any
) -> Result:
    """Grade on each backend in turn; the first backend that does not accept decides.

    The returned result carries one result per backend in ``backends``.
    """
    runs = [grade(problem, file, backend=name, **options) for name in backends]
    if not runs:
        raise ValueError("grade_backends: no backends given; use available_backends().")
    chosen = next((r for r in runs if not r.passed), runs[0])
    message = chosen.message
    if len(runs) > 1:
        verdicts = ", ".join(f"{name}: {r.verdict}" for name, r in zip(backends, runs, strict=True))
        message = f"[{verdicts}] {message}"
    return Result(
        problem=chosen.problem,
        file=chosen.file,
        verdict=chosen.verdict,
        message=message,
        problem_version=chosen.problem_version,
        failure=chosen.failure,
        tests=chosen.tests,
        timings=chosen.timings,
        output=chosen.output,
        output_bytes=chosen.output_bytes,
        environment=chosen.environment,
        backends=runs,
    )
