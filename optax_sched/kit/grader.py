"""Grade a learner's file against a problem: the parent's side, where all judging happens.

The flow of :func:`grade`:

1. Parse the file here (a syntax error needs no process).
2. Start the runner child (a new interpreter importing JAX, or forked from the
   ``optax-sched`` command with JAX imported: :mod:`~optax_sched.kit._fork`), and meanwhile
   build the cases: the edge cases, then ``examples`` random ones drawn by hypothesis from
   a fixed seed. Every expected value comes from the reference, on CPU, in this process,
   which never imports learner code: read from :mod:`~optax_sched.kit.cache` when this
   check was computed before, else evaluated on a thread while the child works (and then
   stored there).
3. Import the learner's file in the child (its own time budget), call the function on every
   case, and judge: errors first, then the contract (type, shape, dtype) of every output,
   then the numbers under the problem's tolerance. A reference that fails decides the
   verdict (``internal_error``) whatever the learner's code did.
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
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from optax_sched.kit import cache, wire
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


#: hypothesis is only documented as thread-safe in recent releases: draws and shrinks of
#: checks graded at once (``check --all``) take turns.
HYPOTHESIS_LOCK = threading.RLock()


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
    drawn: list[dict[str, Any]] = []
    if count <= 0:
        return drawn
    with HYPOTHESIS_LOCK:
        _collect(strategy, count, seed, drawn)
    return drawn[:count]


def _collect(strategy: Any, count: int, seed: int, drawn: list[dict[str, Any]]) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

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


class _Reference:
    """The reference solution, evaluated on CPU in this process (never in the child).

    The reference module is imported, and wrapped in ``jax.jit`` where the problem requires
    jit, on first use: a check whose expected values come from the cache may never need it.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._ready: tuple[Any, Any, Any] | None = None

    def _callables(self) -> tuple[Any, Any, Any]:
        """``(cpu device, evaluate, gradient)``, built once."""
        if self._ready is None:
            import jax

            problem = self.problem
            function = problem.reference
            cpu = jax.devices("cpu")[0]
            contract = problem.cases.CONTRACT
            static = positions(problem.parameters, contract.static)
            # A problem that requires jit has a jittable reference (dev check grades it
            # under jit): compile it once for all cases instead of dispatching op by op.
            evaluate = jitted(function, static) if contract.jit else function
            gradient = None
            if contract.grad:
                wrt = problem.parameters.index(contract.grad)
                gradient = grad_of_sum(function, wrt, jit=contract.jit, static=static)
            self._ready = (cpu, evaluate, gradient)
        return self._ready

    def encoded(self, args: dict[str, Any]) -> dict[str, Any]:
        """The reference's value for one case, in the wire format."""
        import jax

        cpu, evaluate, _ = self._callables()
        with jax.default_device(cpu):
            return wire.encode(jax.block_until_ready(evaluate(*args.values())))

    def grad_encoded(self, args: dict[str, Any]) -> dict[str, Any]:
        """The reference's gradient for one case (w.r.t. the contract's ``grad`` argument),
        in the wire format."""
        import jax

        cpu, _, gradient = self._callables()
        with jax.default_device(cpu):
            return wire.encode(jax.block_until_ready(gradient(*args.values())))

    def __call__(self, args: dict[str, Any]) -> wire.Value:
        return wire.decode(self.encoded(args))

    def grad(self, args: dict[str, Any]) -> wire.Value:
        """The reference's gradient for one case, w.r.t. the contract's ``grad`` argument."""
        return wire.decode(self.grad_encoded(args))


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
        cases_module: _CasesModule | None = None,
    ) -> None:
        self.problem = prepared.problem
        self._cases_module = cases_module
        self._contract: Contract | None = None
        self.runner = runner
        self.cases = prepared.cases
        self.reference = prepared.reference
        self._values = prepared
        self.seed = seed
        self.shrink = shrink
        self.progress = progress
        self.tests: list[dict[str, Any]] = []
        environment = runner.environment
        self.x64 = bool(environment.get("x64"))
        self.backend = str(environment.get("backend", "cpu"))

    @property
    def contract(self) -> Contract:
        """The problem's contract (``cases.py`` may still be being imported: waits)."""
        if self._contract is None:
            if self._cases_module is not None:
                self._contract = self._cases_module.contract()
            else:
                self._contract = self.problem.cases.CONTRACT
        return self._contract

    @property
    def expected(self) -> list[wire.Value]:
        """The reference's values, waiting for them if they are still being computed."""
        return self._values.expected_values()

    def _reference_grad(self, index: int, case: Case) -> wire.Value:
        grads = self._values.values()[1]
        return grads[index] if grads is not None else self.reference.grad(dict(case.args))

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
        for index, (case, output) in enumerate(zip(self.cases, reply["outputs"], strict=False)):
            if "error" in output:
                failure = self._error_failure(output["error"], case, "grad")
                self._test(case.name, "grad", "fail", failure.message)
                return failure
            got = wire.decode(output["value"])
            want = self._reference_grad(index, case)
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
            with HYPOTHESIS_LOCK:
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
    """A problem's cases and their expected values, computed once, graded many times.

    ``grads`` holds the reference's gradient for each case when the problem checks one and
    they were computed up front (None: each is computed when the gradient check needs it).
    """

    problem: Problem
    cases: list[Case]
    expected: list[wire.Value]
    reference: _Reference
    grads: list[wire.Value] | None = None

    def values(self) -> tuple[list[wire.Value], list[wire.Value] | None]:
        """The expected values and gradients (the same interface as :class:`_Pending`)."""
        return self.expected, self.grads

    def expected_values(self) -> list[wire.Value]:
        """The expected values (the same interface as :class:`_Pending`)."""
        return self.expected


def _kit_failure(problem: Problem, error: Exception) -> KitError:
    if isinstance(error, KitError):
        return error
    return KitError(f"{problem.id}: the reference or case generator failed: {error!r}")


def prepare(problem: Problem, examples: int | None = None, seed: int = 0) -> Prepared:
    """Draw the cases and evaluate the reference on each (in this process, on CPU).

    Always computed afresh (``dev check`` relies on it to prove that the generator and the
    reference work); :func:`grade` without ``prepared`` uses the cache.

    Raises :class:`KitError` when the kit's own generator or reference fails.
    """
    try:
        cases = build_cases(problem, problem.examples if examples is None else examples, seed)
        reference = _Reference(problem)
        expected = [reference(dict(case.args)) for case in cases]
    except KitError:
        raise
    except Exception as error:
        raise _kit_failure(problem, error) from error
    return Prepared(problem, cases, expected, reference)


class _Pending:
    """The reference's values for a check's cases, computed on a thread of this process
    while the runner child imports JAX and runs the learner's code.

    The cases are known up front (the child needs them, the values it does not); the
    values, and the gradients when the problem checks them, are stored in the cache once
    computed. :meth:`values` waits for them and raises the reference's failure, if any.
    """

    def __init__(
        self,
        problem: Problem,
        cases: list[Case],
        examples: int,
        seed: int,
        *,
        store: bool,
        background: bool,
    ) -> None:
        self.problem = problem
        self.cases = cases
        self.reference = _Reference(problem)
        self.error: KitError | None = None
        self._examples, self._seed, self._store = examples, seed, store
        self._expected: list[wire.Value] | None = None
        self._grads: list[wire.Value] | None = None
        self._evaluated = threading.Event()  # the values are in (or the reference failed)
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(
                target=self._compute, name=f"reference {problem.id}", daemon=True
            )
            self._thread.start()
        else:
            self._compute()

    def _compute(self) -> None:
        try:
            expected = [self.reference.encoded(dict(case.args)) for case in self.cases]
            self._expected = [wire.decode(value) for value in expected]
        except Exception as error:
            self.error = _kit_failure(self.problem, error)
            return
        finally:
            self._evaluated.set()
        grads = None
        if self.problem.cases.CONTRACT.grad:
            try:
                grads = [self.reference.grad_encoded(dict(case.args)) for case in self.cases]
            except Exception:
                grads = None  # the gradient check computes (and meets the error) itself
            else:
                self._grads = [wire.decode(value) for value in grads]
        if self._store:
            cache.store(self.problem, self._examples, self._seed, self.cases, expected, grads)

    def values(self) -> tuple[list[wire.Value], list[wire.Value] | None]:
        """The expected values and gradients; raises :class:`KitError` if the reference
        failed."""
        if self._thread is not None:
            self._thread.join()
        return self._checked(), self._grads

    def expected_values(self) -> list[wire.Value]:
        """The expected values, without waiting for the gradients; raises
        :class:`KitError` if the reference failed."""
        if self._thread is not None:
            while not self._evaluated.wait(0.5) and self._thread.is_alive():
                pass
        return self._checked()

    def _checked(self) -> list[wire.Value]:
        if self.error is None and self._expected is None:  # the thread died some other way
            self.error = KitError(
                f"{self.problem.id}: the reference or case generator failed: it stopped "
                "without a value"
            )
        if self.error is not None:
            raise self.error
        return self._expected


class _CasesModule:
    """The problem's ``cases.py`` imported on a thread: after a cache hit nothing needs it
    before the learner's first outputs are judged, and importing it (hypothesis with it)
    takes about as long as the runner child needs to load a small file."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.error: KitError | None = None
        self._thread = threading.Thread(target=self._load, name=f"cases {problem.id}", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            self.problem.cases.CONTRACT  # noqa: B018 - the import is the point
        except Exception as error:
            self.error = _kit_failure(self.problem, error)

    def join(self) -> None:
        """Wait for the import to end."""
        self._thread.join()

    def contract(self) -> Contract:
        """The contract, once imported; raises :class:`KitError` if ``cases.py`` failed."""
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.problem.cases.CONTRACT


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _plan(
    problem: Problem, examples: int | None, seed: int, use_cache: bool
) -> Prepared | _Pending:
    """The cases of a check now, and their expected values from the cache or on their way.

    With one CPU the reference runs before the learner's code instead of beside it, so the
    two never share a core and the learner's time budget means what it says.
    """
    count = problem.examples if examples is None else examples
    found = cache.load(problem, count, seed) if use_cache else None
    if found:
        return Prepared(problem, found.cases, found.expected, _Reference(problem), found.grads)
    try:
        cases = build_cases(problem, count, seed)  # imports cases.py
        problem.cases.CONTRACT  # noqa: B018 - as the reference's evaluation would
    except KitError:
        raise
    except Exception as error:
        raise _kit_failure(problem, error) from error
    background = _cpus() > 1
    pending = _Pending(problem, cases, count, seed, store=use_cache, background=background)
    if not background:
        pending.values()  # a failing reference stops the check before the learner's code runs
    return pending


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
    use_cache: bool = True,
) -> Result:
    """Grade ``file`` against ``problem`` on one backend (JAX's default when None).

    The runner child is started first; while it imports JAX this process draws the cases
    (or reads them and their expected values from :mod:`~optax_sched.kit.cache`), and with
    two or more CPUs evaluates the reference on a thread while the child runs the learner's
    code. A failing reference still decides the verdict (``internal_error``) whatever the
    learner's code did, exactly as if it had been evaluated first.

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
        files in one process; a learner's file always gets a fresh one, or one started for
        it that has not run anything yet). It stays open for the caller unless this grade
        had to kill it.
      use_cache: read and write the cases and expected values in the cache (when
        ``prepared`` is not given).

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

    own = runner is None or not runner.alive
    if own:
        runner = Runner(limits, backend=backend, cwd=path.parent)
    else:
        runner.renew(limits)
    say("starting Python and JAX")  # after the child: a spinner's thread would stop a fork
    session = None
    plan: Prepared | _Pending | None = prepared
    cases_module = None
    try:
        if plan is None:
            plan = _plan(problem, examples, seed, use_cache)
            if isinstance(plan, Prepared):  # from the cache: cases.py not imported yet
                cases_module = _CasesModule(problem)
        if own:
            runner.start()
        session = _Session(plan, runner, seed, shrink, say, cases_module)
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
        plan.values()  # a failed reference decides, even when the learner's code failed first
        if own:
            runner.close()
        return result(failure, count=len(plan.cases), **_extras(runner, session))
    except ChildFailure as stop:
        runner.close()
        broken = _reference_error(plan)
        if broken is not None:
            return result(_Failure("internal_error", str(broken)), **_extras(runner, None))
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
        # The reference's failure is reported as if it had stopped the check before the
        # learner's code ran (as it did when the reference was evaluated first).
        first = (isinstance(plan, _Pending) and plan.error is error) or (
            cases_module is not None and cases_module.error is error
        )
        return result(
            _Failure("internal_error", str(error)), **_extras(runner, None if first else session)
        )
    finally:
        if own:
            runner.kill()
        if cases_module is not None:  # nothing of this check outlives it
            cases_module.join()


def _reference_error(plan: Prepared | _Pending | None) -> KitError | None:
    """The reference's failure for this check, waiting for it if need be; None if it
    worked (or was never started)."""
    try:
        if plan is not None:
            plan.values()
    except KitError as error:
        return error
    return None


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
