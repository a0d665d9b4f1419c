"""The authoring gate behind ``optax-sched dev check`` (run by the test suite too).

For every problem it proves what a learner relies on: the files and the statement are
complete, the case generator works, the reference is accepted by its own grader, the stub
gets "not implemented" (so a learner never passes by doing nothing), and every known-wrong
solution gets exactly the verdict it is meant to teach.

Each problem's cases and expected values are computed once; the files are then graded
``jobs`` at a time. These are the kit's own files, not a learner's, so each worker reuses
one runner child from file to file (a fresh one after any file that had to be killed),
which saves starting Python and JAX ~200 times. A kit file must therefore not change
process-wide state (patch a library, flip ``jax_enable_x64``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from optax_sched.kit.grader import Prepared, grade, prepare
from optax_sched.kit.problems import Kit, KitError, Problem, lint
from optax_sched.kit.runner import ChildFailure, Limits, Runner


@dataclass(frozen=True)
class Finding:
    """One check on one problem."""

    problem: str
    check: str
    ok: bool
    message: str


@dataclass(frozen=True)
class _Task:
    prepared: Prepared
    file: Path
    want: str
    label: str


def _static_checks(
    problem: Problem, kit: Kit, examples: int | None
) -> tuple[list[Finding], Prepared | None]:
    """Files and statement, then the case generator and the reference on every case."""
    findings = [Finding(problem.id, "files", False, issue) for issue in lint(problem, kit)]
    if not findings:
        findings.append(
            Finding(problem.id, "files", True, "metadata, statement and files complete")
        )
    try:
        module = problem.cases
        for name in ("CONTRACT", "edge_cases", "random_cases"):
            if not hasattr(module, name):
                raise KitError(f"cases.py defines no {name}")
        names = [c.name for c in module.edge_cases()]
        if not names:
            raise KitError("edge_cases() returned no cases")
        if len(set(names)) != len(names):
            raise KitError("edge case names must be unique")
        prepared = prepare(problem, examples=examples, seed=0)
    except Exception as error:  # a broken generator or reference stops the graded checks
        findings.append(Finding(problem.id, "cases", False, f"cases.py or reference: {error}"))
        return findings, None
    drawn = len(prepared.cases) - len(names)
    findings.append(Finding(problem.id, "cases", True, f"{len(names)} edge + {drawn} random cases"))
    return findings, prepared


def _tasks(problem: Problem, prepared: Prepared) -> list[_Task]:
    tasks = []
    if problem.solution.is_file():
        tasks.append(_Task(prepared, problem.solution, "accepted", "reference"))
    if problem.stub.is_file():
        tasks.append(_Task(prepared, problem.stub, "not_implemented", "stub"))
    for mistake in problem.mistakes:
        if mistake.file.is_file():
            tasks.append(
                _Task(prepared, mistake.file, mistake.verdict, f"mistake {mistake.file.name}")
            )
    return tasks


class _Runners(threading.local):
    """One reusable runner child per worker thread (the kit's own files are trusted)."""

    def __init__(self) -> None:
        self.runner: Runner | None = None


def _run(task: _Task, limits: Limits | None, runners: _Runners, made: list[Runner]) -> Finding:
    problem = task.prepared.problem
    limits = limits or Limits(run_s=problem.time_limit)
    if runners.runner is None or not runners.runner.alive:
        runners.runner = Runner(limits, cwd=task.file.parent)
        made.append(runners.runner)
        try:
            runners.runner.start()
        except ChildFailure:
            runners.runner = None
    result = grade(
        problem,
        task.file,
        limits=limits,
        shrink=False,
        prepared=task.prepared,
        runner=runners.runner,
    )
    ok = result.verdict == task.want
    message = (
        result.verdict if ok else (f"expected {task.want}, got {result.verdict}: {result.message}")
    )
    return Finding(problem.id, task.label, ok, message)


def dev_check(
    kit: Kit,
    ids: Sequence[str] = (),
    *,
    limits: Limits | None = None,
    examples: int | None = None,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Finding]:
    """Every authoring check on the chosen problems (all when ``ids`` is empty).

    Args:
      kit: the kit.
      ids: problem ids to check; all by default.
      limits: grading budgets (default: each problem's own).
      examples: random cases per problem (default: each problem's own ``examples``).
      jobs: files graded at once (default: the number of CPUs).
      progress: called with a short description as work proceeds.

    Returns:
      The findings, problem by problem, in a fixed order.
    """
    say = progress or (lambda _text: None)
    if not kit.problems and not kit.broken:
        return [Finding("(kit)", "problems", False, f"no problems under {kit.root / 'problems'}")]
    findings: dict[str, list[Finding]] = {
        name: [Finding(name, "files", False, reason)] for name, reason in kit.broken
    }
    seen: dict[str, str] = {}
    chosen = [kit.get(i) for i in ids] if ids else list(kit.problems)
    tasks: list[_Task] = []
    for problem in kit.problems:
        declared = str(problem.meta.get("id", problem.id))
        if seen.setdefault(declared, problem.id) != problem.id:
            findings.setdefault(problem.id, []).append(
                Finding(
                    problem.id, "files", False, f"id {declared!r} also used by {seen[declared]}"
                )
            )
    for problem in chosen:
        say(f"{problem.id}: files, cases, reference values")
        static, prepared = _static_checks(problem, kit, examples)
        findings.setdefault(problem.id, []).extend(static)
        if prepared is not None:
            tasks.extend(_tasks(problem, prepared))
    done = 0
    runners, made = _Runners(), []
    try:
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            futures = [pool.submit(_run, task, limits, runners, made) for task in tasks]
            for task, future in zip(tasks, futures, strict=True):
                finding = future.result()
                done += 1
                say(f"graded {done}/{len(tasks)}: {task.prepared.problem.id} {task.label}")
                findings[task.prepared.problem.id].append(finding)
    finally:
        for runner in made:
            runner.close()
    return [f for problem_findings in findings.values() for f in problem_findings]
