"""The authoring gate behind ``optax-sched dev check`` (run by the test suite too).

For every problem it proves what a learner relies on: the files and the statement are
complete, the case generator works, the reference is accepted by its own grader, the stub
gets "not implemented" (so a learner never passes by doing nothing), and every known-wrong
solution gets exactly the verdict it is meant to teach.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from optax_sched.kit.grader import build_cases, grade
from optax_sched.kit.problems import Kit, Problem, lint
from optax_sched.kit.results import Result
from optax_sched.kit.runner import Limits


@dataclass(frozen=True)
class Finding:
    """One check on one problem."""

    problem: str
    check: str
    ok: bool
    message: str


def _graded(problem: Problem, file: str, want: str, result: Result, label: str) -> Finding:
    ok = result.verdict == want
    message = (
        f"{result.verdict}" if ok else f"expected {want}, got {result.verdict}: {result.message}"
    )
    return Finding(problem.id, label, ok, message)


def check_problem(
    problem: Problem,
    kit: Kit,
    *,
    limits: Limits | None = None,
    examples: int = 100,
    progress: Callable[[str], None] | None = None,
) -> list[Finding]:
    """Every authoring check on one problem, in order."""
    say = progress or (lambda _text: None)
    findings = [Finding(problem.id, "files", False, issue) for issue in lint(problem, kit)]
    if not findings:
        findings.append(
            Finding(problem.id, "files", True, "metadata, statement and files complete")
        )
    try:
        module = problem.cases
        for name in ("CONTRACT", "edge_cases", "random_cases"):
            if not hasattr(module, name):
                raise AttributeError(f"cases.py defines no {name}")
        build_cases(problem, examples=5, seed=0)  # the generator must be able to draw
        if not list(module.edge_cases()):
            raise ValueError("edge_cases() returned no cases")
        names = [c.name for c in module.edge_cases()]
        if len(set(names)) != len(names):
            raise ValueError("edge case names must be unique")
        findings.append(Finding(problem.id, "cases", True, f"{len(names)} edge cases + random"))
    except Exception as error:  # a broken generator stops the graded checks
        findings.append(Finding(problem.id, "cases", False, f"cases.py: {error!r}"))
        return findings
    options = {"limits": limits, "examples": examples}
    if problem.solution.is_file():
        say(f"{problem.id}: reference")
        result = grade(problem, problem.solution, **options)
        findings.append(_graded(problem, str(problem.solution), "accepted", result, "reference"))
    if problem.stub.is_file():
        say(f"{problem.id}: stub")
        result = grade(problem, problem.stub, **options)
        findings.append(_graded(problem, str(problem.stub), "not_implemented", result, "stub"))
    for mistake in problem.mistakes:
        if not mistake.file.is_file():
            continue
        say(f"{problem.id}: mistake {mistake.file.name}")
        result = grade(problem, mistake.file, **options)
        findings.append(
            _graded(
                problem, str(mistake.file), mistake.verdict, result, f"mistake {mistake.file.name}"
            )
        )
    return findings


def dev_check(
    kit: Kit,
    ids: Sequence[str] = (),
    *,
    limits: Limits | None = None,
    examples: int = 100,
    progress: Callable[[str], None] | None = None,
) -> list[Finding]:
    """Run :func:`check_problem` on the chosen problems (all when ``ids`` is empty)."""
    findings: list[Finding] = []
    if not kit.problems:
        return [Finding("(kit)", "problems", False, f"no problems under {kit.root / 'problems'}")]
    functions: dict[str, str] = {}
    for problem in kit.problems:
        other = functions.setdefault(problem.meta.get("id", problem.id), problem.id)
        if other != problem.id:
            findings.append(Finding(problem.id, "files", False, f"id also used by {other}"))
    chosen = [kit.get(i) for i in ids] if ids else list(kit.problems)
    for problem in chosen:
        findings.extend(
            check_problem(problem, kit, limits=limits, examples=examples, progress=progress)
        )
    return findings
