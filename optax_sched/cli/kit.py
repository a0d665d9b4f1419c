"""The learner's commands: ``init``, ``list``, ``show ID``, ``hint``, ``check``, ``watch``,
``reset``, ``solution``, ``progress``, and the authors' ``dev check``.

Exit codes of ``check`` (and ``check --all``, ``dev check``): 0 accepted, 1 not accepted,
2 usage error (unknown problem, missing file), 3 the code could not be run at all (syntax or
import error) or the grader failed.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.status import Status
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from optax_sched.kit import EXIT_CODES, Kit, KitError, Problem, Result
from optax_sched.kit.runner import ChildFailure, Limits, Runner, kill_all
from optax_sched.kit.workspace import DEFAULT_FOLDER, Workspace, WorkspaceError

console = Console()
errors = Console(stderr=True)

KitOption = Annotated[
    str | None,
    typer.Option(
        "--kit", envvar="OPTAX_SCHED_KIT", help="Folder holding problems/ and solutions/."
    ),
]
WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace", envvar="OPTAX_SCHED_WORKSPACE", help="Your exercises folder (see init)."
    ),
]
STYLE = {"pass": "bold green", "fail": "bold red", "error": "bold yellow"}
STATUS_STYLE = {"done": "green", "started": "yellow", "new": "dim", "missing": "red"}


def _fail(message: str, code: int = EXIT_CODES["usage"]) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=code)


def _kit(root: str | None) -> Kit:
    try:
        return Kit.load(root)
    except KitError as error:
        raise _fail(str(error)) from None


def _problem(kit: Kit, problem_id: str) -> Problem:
    try:
        return kit.get(problem_id)
    except KitError as error:
        raise _fail(str(error)) from None


def _workspace(explicit: str | None, required: bool = False, or_else: str = "") -> Workspace | None:
    try:
        found = Workspace.find(explicit)
    except WorkspaceError as error:
        raise _fail(str(error)) from None
    if found is None and required:
        raise _fail(
            "no exercises folder here. Create one with `optax-sched init` (it copies every "
            f"stub into ./optax-sched-exercises){or_else}."
        )
    return found


def problem_ids() -> tuple[str, ...]:
    """The kit's problem ids (none when there is no kit)."""
    try:
        return Kit.load().ids
    except KitError:
        return ()


def is_problem(name: str) -> bool:
    """Whether ``name`` is a problem id of the kit."""
    return name in problem_ids()


# -- init / list / show / hint / progress -------------------------------------------------------
def init(
    folder: Annotated[Path, typer.Argument(help="Where your exercise files go.")] = Path(
        DEFAULT_FOLDER
    ),
    kit_root: KitOption = None,
) -> None:
    """Copy every problem's stub into your own folder (run again to add new problems)."""
    kit = _kit(kit_root)
    try:
        workspace, added, kept = Workspace.init(folder, kit)
    except WorkspaceError as error:
        raise _fail(str(error)) from None
    console.print(f"Exercises folder: [bold]{workspace.root}[/]")
    if added:
        console.print(f"  added {len(added)} problem file(s): {', '.join(added)}")
    if kept:
        console.print(f"  kept your {len(kept)} existing file(s) untouched")
    first = workspace.current(kit)
    if first:
        console.print(
            f"Start with: cd {folder} && optax-sched watch   (or: optax-sched show {first.id})"
        )


def list_problems(workspace_path: WorkspaceOption = None, kit_root: KitOption = None) -> None:
    """List the problems with difficulty, category and your progress."""
    kit = _kit(kit_root)
    workspace = _workspace(workspace_path)
    table = Table(title="optax-sched problems", title_justify="left")
    for column in ("#", "id", "title", "difficulty", "category", "status"):
        table.add_column(column, justify="right" if column == "#" else "left")
    current = workspace.current(kit) if workspace else None
    for problem in kit.problems:
        status = workspace.status(problem) if workspace else "-"
        marker = " <- current" if current and current.id == problem.id else ""
        table.add_row(
            str(problem.order),
            problem.id,
            problem.title,
            problem.difficulty,
            problem.category,
            f"[{STATUS_STYLE.get(status, 'dim')}]{status}[/]{marker}",
        )
    console.print(table)
    if workspace:
        done = sum(workspace.is_done(p.id) for p in kit.problems)
        after = " Next: optax-sched watch" if current else " Every problem solved."
        console.print(f"{done}/{len(kit.problems)} done.{after}")
    else:
        console.print("No exercises folder yet: `optax-sched init` creates one.")


def show_problem(problem_id: str, kit_root: str | None = None) -> None:
    """Print a problem's statement (without its hints) and how to work on it."""
    problem = _problem(_kit(kit_root), problem_id)
    tags = f" · {', '.join(problem.tags)}" if problem.tags else ""
    console.print(f"[dim]{problem.id} · {problem.difficulty} · {problem.category}{tags}[/]")
    console.print(Markdown(problem.statement_without_hints()))
    console.print(
        f"\n[bold]Signature:[/] {problem.signature}\n"
        f"{len(problem.hints)} hints: `optax-sched hint {problem.id}` shows one more per call."
    )


def hint(
    problem_id: Annotated[str, typer.Argument(help="Problem id, e.g. lr_at_step.")],
    show_all: Annotated[bool, typer.Option("--all", help="Show every hint at once.")] = False,
    workspace_path: WorkspaceOption = None,
    kit_root: KitOption = None,
) -> None:
    """Show one more hint for a problem each time you ask (progressive)."""
    problem = _problem(_kit(kit_root), problem_id)
    workspace = _workspace(workspace_path)
    if show_all:
        shown = len(problem.hints)
        if workspace:
            workspace.reveal_hint(problem, shown)
    elif workspace:
        shown = workspace.reveal_hint(problem)
    else:
        shown = 1
    for number, text in enumerate(problem.hints[:shown], start=1):
        console.print(Markdown(f"**Hint {number}/{len(problem.hints)}.** {text}"))
    if shown < len(problem.hints):
        more = "ask again for the next one" if workspace else "`optax-sched init` tracks hints"
        console.print(f"[dim]{len(problem.hints) - shown} more ({more}).[/]")


def progress(workspace_path: WorkspaceOption = None, kit_root: KitOption = None) -> None:
    """Your progress: solved problems per difficulty and what comes next."""
    kit = _kit(kit_root)
    workspace = _workspace(workspace_path, required=True)
    table = Table(title=f"progress in {workspace.root}", title_justify="left")
    for column in ("difficulty", "done", "total"):
        table.add_column(column)
    for level in ("easy", "medium", "hard"):
        problems = [p for p in kit.problems if p.difficulty == level]
        if problems:
            done = sum(workspace.is_done(p.id) for p in problems)
            table.add_row(level, str(done), str(len(problems)))
    console.print(table)
    done = sum(workspace.is_done(p.id) for p in kit.problems)
    console.print(f"{done}/{len(kit.problems)} problems solved.")
    current = workspace.current(kit)
    if current:
        console.print(f"Next: {current.id} ({current.title}). `optax-sched watch` to work on it.")
    else:
        console.print("[bold green]Every problem solved.[/]")


# -- check ---------------------------------------------------------------------------------------
@contextmanager
def _spinner(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A progress callback showing a spinner on stderr from its first message on (its
    thread starts then: the grader forks its runner child before saying anything)."""
    if not enabled:
        yield lambda _text: None
        return
    shown: list[Status] = []

    def say(text: str) -> None:
        if not shown:
            shown.append(errors.status("grading"))
            shown[0].start()
        shown[0].update(f"grading: {text}")

    try:
        yield say
    finally:
        if shown:
            shown[0].stop()


def render(result: Result) -> None:
    """Print a result for a person: verdict, what failed and how, output, timings."""
    style = STYLE[result.status]
    body = [result.message]
    failure = result.failure or {}
    error = failure.get("error") or {}
    if error.get("traceback") and result.verdict != "not_implemented":
        body.append("\nTraceback (your code only):\n" + error["traceback"].rstrip())
    if failure.get("input") is not None and failure.get("expected") is not None:
        body.append(f"\ninput:    {failure['input']}")
        body.append(f"expected: {failure['expected']}")
        body.append(f"got:      {failure['got']}")
    console.print(
        Panel(
            Text("\n".join(body)),  # Text: learner code like x[j] is not rich markup
            title=f"[{style}]{result.title}[/] · {result.problem}",
            title_align="left",
            border_style=style.split()[-1],
        ),
        highlight=False,
    )
    if result.output:
        cut = " (cut)" if result.output_bytes > len(result.output.encode()) else ""
        console.print(
            Panel(Text(result.output.rstrip()), title=f"your output{cut}", title_align="left")
        )
    t = result.timings
    env = result.environment
    runs = ", ".join(f"{b.environment.get('backend', '?')}: {b.verdict}" for b in result.backends)
    console.print(
        f"[dim]import {t.get('import_s', 0):.2f} s · compile {t.get('compile_s', 0):.2f} s · "
        f"run {t.get('run_s', 0):.2f} s · total {t.get('total_s', 0):.2f} s · "
        f"{env.get('backend', '?')} ({env.get('device_kind', '?')}), jax {env.get('jax', '?')}, "
        f"x64 {'on' if env.get('x64') else 'off'}{' · ' + runs if runs else ''}[/]"
    )


def _backends(backend: str | None) -> list[str]:
    """The platforms present when one is named (a usage error if it is absent)."""
    from optax_sched.kit import available_backends

    # Probe the platforms only when one is named: probing initialises every backend.
    present = available_backends() if backend is not None else []
    if backend not in (None, "all", *present):
        raise _fail(f"backend {backend!r} is not available here; available: {', '.join(present)}.")
    return present


def _grade_file(
    problem: Problem,
    file: Path,
    backend: str | None,
    seed: int,
    examples: int | None,
    spinner: bool,
    present: list[str] | None = None,
    runner: Runner | None = None,
) -> Result:
    from optax_sched.kit import grade, grade_backends

    options = {"seed": seed, "examples": examples}  # limits: the problem's own by default
    if present is None:
        present = _backends(backend)
    with _spinner(spinner) as say:
        if backend == "all":
            return grade_backends(problem, file, present, progress=say, **options)
        return grade(problem, file, backend=backend, progress=say, runner=runner, **options)


def check(
    problem_id: Annotated[
        str | None, typer.Argument(help="Problem id; default: your current problem.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Grade this file instead of your exercise file.")
    ] = None,
    all_problems: Annotated[bool, typer.Option("--all", help="Check every problem.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print exactly one JSON document (schema version 1).")
    ] = False,
    backend: Annotated[
        str | None,
        typer.Option(help="JAX backend: cpu, gpu, tpu, or 'all' to grade on each one present."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the random cases.")] = 0,
    examples: Annotated[
        int | None,
        typer.Option(min=0, help="Random cases on top of edge cases (default: the problem's)."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="With --all: problems graded at once (default: CPU count)."),
    ] = None,
    workspace_path: WorkspaceOption = None,
    kit_root: KitOption = None,
) -> None:
    """Grade a solution: the verdict, the first failing input, expected vs got."""
    kit = _kit(kit_root)
    workspace = _workspace(workspace_path)
    if all_problems:
        if file or problem_id:
            raise _fail("--all checks every problem in your folder; drop the id and --file.")
        if workspace is None:
            _workspace(workspace_path, required=True)
        _check_all(kit, workspace, as_json, backend, seed, examples, jobs)
        return
    if problem_id is None:
        if file is not None:
            raise _fail(f"which problem is {file} for? Add its id: optax-sched check ID --file ...")
        current = _workspace(
            workspace_path, required=True, or_else=", or grade a file: check ID --file PATH"
        ).current(kit, unsolved=False)
        if current is None:
            raise _fail("no problems in the kit.")
        problem_id = current.id
    problem = _problem(kit, problem_id)
    own_file = file is None
    if own_file:
        if workspace is None:
            _workspace(
                workspace_path, required=True, or_else=", or grade a file: check ID --file PATH"
            )
        file = workspace.file(problem.id)
    if not file.is_file():
        restore = "; `optax-sched init` restores missing stubs" if own_file else ""
        raise _fail(f"no file {file}{restore}.")
    result = _grade_file(problem, file, backend, seed, examples, spinner=not as_json)
    # Progress records your own exercise file; grading some other file changes nothing.
    if own_file and result.passed:
        workspace.mark_done(problem.id)
    if as_json:
        print(json.dumps(result.to_json()))
    else:
        render(result)
        if result.passed:
            console.print(
                f"Solution for comparison: optax-sched solution {problem.id}"
                + ("" if workspace is None else " · next: optax-sched watch")
            )
    raise typer.Exit(code=EXIT_CODES[result.status])


def _check_all(
    kit: Kit,
    workspace: Workspace,
    as_json: bool,
    backend: str | None,
    seed: int,
    examples: int | None,
    jobs: int | None = None,
) -> None:
    table = Table(title="check --all", title_justify="left")
    for column in ("id", "verdict", "message"):
        table.add_column(column)
    missing = [p.id for p in kit.problems if not workspace.file(p.id).is_file()]
    if len(missing) == len(kit.problems):
        raise _fail(f"no exercise files in {workspace.root}; `optax-sched init` restores them.")
    present = _backends(backend)
    chosen = [p for p in kit.problems if workspace.file(p.id).is_file()]
    results = []
    # Each problem is graded by its own child process (and its reference on a thread of
    # this one), several at once; the results are taken, recorded and shown in problem
    # order, so the output is the same whatever finishes first.
    with _spinner(not as_json) as say, _graded_at_once(jobs) as pool:
        futures = [
            pool.submit(
                _grade_file, p, workspace.file(p.id), backend, seed, examples, False, present
            )
            for p in chosen
        ]
        for done, (problem, future) in enumerate(zip(chosen, futures, strict=True), start=1):
            say(f"{done - 1}/{len(chosen)} problems graded, waiting for {problem.id}")
            result = future.result()
            if result.passed:
                workspace.mark_done(problem.id)
            results.append(result)
            style = STYLE[result.status]
            table.add_row(problem.id, Text(result.title, style=style), Text(result.message[:120]))
    worst = max((EXIT_CODES[r.status] for r in results), default=0)
    if as_json:
        status = {0: "pass", 1: "fail", 3: "error"}[worst]
        print(
            json.dumps({"version": 1, "status": status, "results": [r.to_json() for r in results]})
        )
    else:
        console.print(table)
        passed = sum(r.passed for r in results)
        if missing:
            console.print(f"Missing (`optax-sched init` restores them): {', '.join(missing)}")
        console.print(f"{passed}/{len(results)} accepted.")
    raise typer.Exit(code=worst)


@contextmanager
def _graded_at_once(jobs: int | None) -> Iterator[ThreadPoolExecutor]:
    """A pool of ``jobs`` grading threads (default: the CPU count).

    On any exception (Ctrl-C included) the grades not started are dropped and the runner
    children of those under way are killed, so they end at once instead of running out
    their time budgets.
    """
    pool = ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        kill_all()
        raise
    finally:
        pool.shutdown(wait=True)


# -- reset / solution ----------------------------------------------------------------------------
def reset(
    problem_id: Annotated[str, typer.Argument(help="Problem id.")],
    workspace_path: WorkspaceOption = None,
    kit_root: KitOption = None,
) -> None:
    """Put a problem's stub back; your file is backed up first, never lost."""
    problem = _problem(_kit(kit_root), problem_id)
    workspace = _workspace(workspace_path, required=True)
    backup = workspace.reset(problem)
    console.print(f"{workspace.file(problem.id)} is the stub again.")
    if backup:
        console.print(f"Your previous file is saved as {backup}")


def solution(
    problem_id: Annotated[str, typer.Argument(help="Problem id.")],
    force: Annotated[
        bool, typer.Option("--force", help="Show it even though you have not passed yet.")
    ] = False,
    workspace_path: WorkspaceOption = None,
    kit_root: KitOption = None,
) -> None:
    """Show the reference solution: once you have passed, or with --force."""
    problem = _problem(_kit(kit_root), problem_id)
    workspace = _workspace(workspace_path)
    if not force and not (workspace and workspace.is_done(problem.id)):
        raise _fail(
            f"pass {problem.id} first (optax-sched check {problem.id}); the solution is most "
            "useful to compare against your own. To look anyway: --force.",
            code=1,
        )
    console.print(f"[dim]{problem.solution}[/]")
    console.print(Syntax(problem.solution.read_text(encoding="utf-8"), "python"))


# -- watch ---------------------------------------------------------------------------------------
def _keys(stop: threading.Event) -> queue.Queue[str]:
    """Key presses (a terminal) or lines (a pipe), one command character each."""
    keys: queue.Queue[str] = queue.Queue()

    def lines() -> None:
        for line in sys.stdin:
            keys.put((line.strip() or "r")[0].lower())
        keys.put("q")

    def raw() -> None:
        import termios
        import tty

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            import select

            while not stop.is_set():
                if select.select([fd], [], [], 0.2)[0]:
                    keys.put(os.read(fd, 1).decode(errors="ignore").lower())
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    interactive = sys.stdin.isatty() and os.name == "posix"
    threading.Thread(target=raw if interactive else lines, daemon=True).start()
    return keys


WATCH_KEYS = "[h]int  [l]ist  [n]ext  [r]e-check  [x] reset  [s]olution  [q]uit"


def watch(
    problem_id: Annotated[
        str | None, typer.Argument(help="Start at this problem; default: your current one.")
    ] = None,
    manual_run: Annotated[
        bool,
        typer.Option("--manual-run", help="Don't watch the file; press r to check (slow disks)."),
    ] = False,
    workspace_path: WorkspaceOption = None,
    kit_root: KitOption = None,
) -> None:
    """Re-check your current problem every time you save it."""
    kit = _kit(kit_root)
    workspace = _workspace(workspace_path, required=True)
    problem = _problem(kit, problem_id) if problem_id else workspace.current(kit)
    if problem is None:
        console.print("[bold green]Every problem solved.[/] `optax-sched list` to revisit one.")
        return
    workspace.set_current(problem.id)
    # A runner child for the next check, started as soon as the previous one is done: it
    # imports JAX while the learner edits, so a save is graded without waiting for that.
    # It never runs anything before it is handed the saved file, and serves one check.
    # The first one starts before the key reader's thread does, so it may be forked.
    spare: list[Runner] = [Runner(Limits(), cwd=workspace.file(problem.id).parent)]
    stop = threading.Event()
    keys = _keys(stop)

    def fresh() -> Runner | None:
        if not spare:
            return None
        ready = spare.pop()
        try:
            ready.start()
        except ChildFailure:  # the check starts its own child and reports what happens
            ready.close()
            return None
        return ready

    def run() -> Result:
        file = workspace.file(problem.id)
        console.rule(f"{problem.id}: {problem.title}")
        if not file.is_file():
            workspace.reset(problem)
        ready = fresh()
        try:
            result = _grade_file(problem, file, None, 0, None, spinner=True, runner=ready)
        finally:
            if ready is not None:
                ready.close()
            spare.append(Runner(Limits(), cwd=file.parent))
        if result.passed:
            workspace.mark_done(problem.id)
        render(result)
        if result.passed:
            console.print("[bold green]Solved![/] Press n for the next problem, s to compare.")
        console.print(f"{WATCH_KEYS}   (editing {file})", style="dim", markup=False)
        return result

    def stamp() -> float:
        try:
            return workspace.file(problem.id).stat().st_mtime
        except FileNotFoundError:
            return 0.0

    try:
        last = stamp()
        run()
        while True:
            try:
                key = keys.get(timeout=0.2)  # also how often the file is looked at
            except queue.Empty:
                key = None
                if not manual_run and stamp() != last:
                    time.sleep(0.1)  # let the editor finish writing
                    last = stamp()
                    run()
                continue
            if key == "q":
                break
            if key == "h":
                hint(problem.id, workspace_path=str(workspace.root), kit_root=str(kit.root))
            elif key == "l":
                list_problems(workspace_path=str(workspace.root), kit_root=str(kit.root))
            elif key == "r":
                last = stamp()
                run()
            elif key == "s":
                if workspace.is_done(problem.id):
                    console.print(Syntax(problem.solution.read_text("utf-8"), "python"))
                else:
                    console.print("Pass it first (or: optax-sched solution ID --force).")
            elif key == "x":
                backup = workspace.reset(problem)
                console.print("Back to the stub." + (f" Your file: {backup}" if backup else ""))
                last = stamp()
            elif key == "n":
                if not workspace.is_done(problem.id):
                    console.print(
                        "Not solved yet. To skip it: optax-sched watch OTHER_ID (see [l]ist)."
                    )
                    continue
                following = workspace.current(kit)
                if following is None:
                    console.print("[bold green]Every problem solved![/]")
                    break
                problem = following
                workspace.set_current(problem.id)
                last = stamp()
                run()
    finally:
        stop.set()
        for idle in spare:
            idle.kill()
            idle.close()


# -- dev check -----------------------------------------------------------------------------------
dev = typer.Typer(help="Commands for kit authors.", no_args_is_help=True)


@dev.command("check")
def dev_check_command(
    ids: Annotated[list[str] | None, typer.Argument(help="Problem ids; default: all.")] = None,
    examples: Annotated[
        int | None,
        typer.Option(min=0, help="Random cases per problem (default: each problem's own)."),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(min=1, help="Files graded at once (default: CPU count).")
    ] = None,
    kit_root: KitOption = None,
) -> None:
    """Prove every problem is complete: reference accepted, stub not implemented, each known
    mistake rejected with its intended verdict."""
    from optax_sched.kit.devcheck import dev_check

    kit = _kit(kit_root)
    for problem_id in ids or ():
        _problem(kit, problem_id)
    with _spinner(True) as say:
        findings = dev_check(kit, ids or (), examples=examples, jobs=jobs, progress=say)
    table = Table(title=f"dev check: {kit.root}", title_justify="left")
    for column in ("problem", "check", "", "detail"):
        table.add_column(column)
    for finding in findings:
        mark = "[green]ok[/]" if finding.ok else "[red]FAIL[/]"
        table.add_row(finding.problem, finding.check, mark, Text(finding.message))
    console.print(table)
    failed = [f for f in findings if not f.ok]
    checked = len({f.problem for f in findings})
    if failed:
        console.print(f"[bold red]{len(failed)} check(s) failed[/] across {checked} problem(s).")
        raise typer.Exit(code=1)
    console.print(f"[bold green]All {len(findings)} checks passed[/] on {checked} problem(s).")


def register(app: typer.Typer) -> None:
    """Add the kit's commands to the app."""
    app.command("init")(init)
    app.command("list")(list_problems)
    app.command("hint")(hint)
    app.command("check")(check)
    app.command("watch")(watch)
    app.command("reset")(reset)
    app.command("solution")(solution)
    app.command("progress")(progress)
    app.add_typer(dev, name="dev")
