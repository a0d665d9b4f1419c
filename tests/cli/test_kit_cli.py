"""The learner's commands (``init``, ``list``, ``show ID``, ``hint``, ``check``, ``watch``,
``reset``, ``solution``, ``progress``) and the authors' ``dev check``, as a user types them.

They run against a one-problem copy of the kit (``lr_at_step`` alone), so they don't depend
on, or pay for, the size of the curriculum; ``dev check`` also runs on the real kit.

Fast commands go through typer's ``CliRunner``; ``check --json`` end to end and ``watch``
(which reads keys from stdin) run the real ``optax-sched`` script in a child process.
Each grade costs a second or two, so cases are few and random examples are cut down.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optax_sched.cli import app
from optax_sched.kit import Kit, available_backends

REPO = Path(__file__).resolve().parents[2]
PROBLEM = "lr_at_step"
REFERENCE = REPO / "solutions" / f"{PROBLEM}.py"
STUB = REPO / "problems" / PROBLEM / "stub.py"
FEW = ("--examples", "10")  # the edge cases plus a few random ones: enough, and quick

WRONG = """\
import jax.numpy as jnp
import optax


def lr_at_step(step, peak_lr, warmup_steps, total_steps):
    w, t = int(warmup_steps), int(total_steps)
    schedule = optax.warmup_cosine_decay_schedule(0.0, peak_lr, w, t, 0.0)  # t, not t - w
    return jnp.array([float(schedule(int(step)))])
"""
BROKEN = "def lr_at_step(:\n    pass\n"

runner = CliRunner()


def _script() -> list[str]:
    script = Path(sys.executable).parent / "optax-sched"
    if script.is_file():
        return [str(script)]
    found = shutil.which("optax-sched")
    return [found] if found else [sys.executable, "-c", "from optax_sched.cli import main; main()"]


CLI = _script()


KIT: Path | None = None  # the one-problem kit, set for each test by _isolated
REAL_KIT = "real"


@pytest.fixture(scope="module")
def _small_kit(tmp_path_factory) -> Path:
    return copy_kit(tmp_path_factory.mktemp("kit"), mistakes=None)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, tmp_path_factory, monkeypatch, _small_kit):
    """Run from an empty folder, with no workspace chosen by the environment, the
    one-problem kit, and an expected-value cache of this test session's own."""
    global KIT
    monkeypatch.delenv("OPTAX_SCHED_WORKSPACE", raising=False)
    monkeypatch.setenv("OPTAX_SCHED_KIT", str(_small_kit))
    monkeypatch.setenv("OPTAX_SCHED_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.chdir(tmp_path)
    KIT = _small_kit


def run(*args, workspace: Path | None = None, columns: int = 200, kit: Path | str | None = None):
    env = {
        "COLUMNS": str(columns),
        "NO_COLOR": "1",
        "OPTAX_SCHED_WORKSPACE": str(workspace) if workspace else None,
        "OPTAX_SCHED_KIT": None if kit == REAL_KIT else str(kit or KIT),
    }
    return runner.invoke(app, [str(a) for a in args], env=env)


def text(result) -> str:
    """The output on one line, so messages wrapped by rich still match."""
    return " ".join(result.output.split())


def row(result, problem_id: str = PROBLEM) -> str:
    """The table line naming ``problem_id``."""
    lines = [line for line in result.output.splitlines() if f" {problem_id} " in line]
    assert lines, result.output
    return lines[0]


def document(result) -> dict:
    """stdout parsed as exactly one JSON document (json.loads refuses anything extra)."""
    return json.loads(result.stdout)


@pytest.fixture
def workspace(tmp_path) -> Path:
    result = run("init", tmp_path / "ws")
    assert result.exit_code == 0, result.output
    return tmp_path / "ws"


def solve(workspace: Path) -> None:
    shutil.copyfile(REFERENCE, workspace / f"{PROBLEM}.py")


def state(workspace: Path) -> dict:
    return json.loads((workspace / ".optax-sched.json").read_text(encoding="utf-8"))


# -- init / list ---------------------------------------------------------------------------
def test_init_reports_and_creates_the_files(tmp_path):
    result = run("init", "mine")
    assert result.exit_code == 0, result.output
    out = text(result)
    assert f"Exercises folder: {(tmp_path / 'mine').resolve()}" in out
    assert f"added 1 problem file(s): {PROBLEM}" in out
    assert f"Start with: cd mine && optax-sched watch (or: optax-sched show {PROBLEM})" in out
    assert (tmp_path / "mine" / f"{PROBLEM}.py").read_bytes() == STUB.read_bytes()
    assert (tmp_path / "mine" / "README.md").is_file()
    assert state(tmp_path / "mine")["format"] == 1

    (tmp_path / "mine" / f"{PROBLEM}.py").write_text("# mine\n", encoding="utf-8")
    again = run("init", "mine")
    assert again.exit_code == 0
    assert "kept your 1 existing file(s) untouched" in text(again)
    assert "added" not in text(again)
    assert (tmp_path / "mine" / f"{PROBLEM}.py").read_text(encoding="utf-8") == "# mine\n"


def test_init_defaults_to_the_documented_folder(tmp_path):
    result = run("init")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "optax-sched-exercises" / f"{PROBLEM}.py").is_file()


def test_init_onto_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    result = run("init", "notes.txt")
    assert result.exit_code == 2
    assert "notes.txt" in text(result) and "Traceback" not in result.output


def test_list_shows_difficulty_and_status(workspace):
    result = run("list", workspace=workspace)
    assert result.exit_code == 0, result.output
    line = row(result)
    assert "medium" in line and "schedules" in line
    assert re.search(r"\bnew\b", line) and "<- current" in line
    assert "0/1 done" in text(result)

    (workspace / f"{PROBLEM}.py").write_text("# started\n", encoding="utf-8")
    assert re.search(r"\bstarted\b", row(run("list", workspace=workspace)))


def test_list_finds_the_workspace_from_inside_it(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    result = run("list")
    assert result.exit_code == 0, result.output
    assert re.search(r"\bnew\b", row(result))


def test_list_without_a_workspace_says_how_to_make_one():
    result = run("list")
    assert result.exit_code == 0, result.output
    assert PROBLEM in result.output and "medium" in result.output
    assert "`optax-sched init` creates one" in text(result)


# -- show / schedules ----------------------------------------------------------------------
def test_show_a_problem_prints_the_statement_but_not_the_hints():
    problem = Kit.load().get(PROBLEM)
    result = run("show", PROBLEM)
    assert result.exit_code == 0, result.output
    out = text(result)
    assert problem.title in out
    for section in ("Why it matters", "The concept", "Pitfalls", "The problem", "Inputs"):
        assert section in out
    assert "Output" in out and f"Signature: {problem.signature}" in out
    assert f"{len(problem.hints)} hints: `optax-sched hint {PROBLEM}`" in out
    assert "Hints" not in result.output
    for hint in problem.hints:
        words = " ".join(hint.replace("`", "").replace("**", "").split())
        assert words[:40] not in out, hint


def test_show_with_parameters_still_prints_a_schedule():
    result = run("show", "warmup_cosine", "peak_lr=1e-3", "total_steps=100")
    assert result.exit_code == 0, result.output
    assert "learning rate" in result.output and "phase" in result.output
    assert "1.0000e-03" in result.output  # the peak


def test_schedules_lists_schedules_and_list_lists_problems(workspace):
    schedules = run("schedules")
    assert schedules.exit_code == 0, schedules.output
    assert "warmup_cosine" in schedules.output and PROBLEM not in schedules.output
    problems = run("list", workspace=workspace)
    assert PROBLEM in problems.output and "warmup_cosine" not in problems.output


def test_show_a_mistyped_problem_suggests_it():
    result = run("show", "lr_at_stp")
    assert result.exit_code == 2
    assert "Did you mean the problem 'lr_at_step'" in text(result)


# -- hint ----------------------------------------------------------------------------------
def test_hint_reveals_one_more_per_call_in_a_workspace(workspace):
    total = len(Kit.load().get(PROBLEM).hints)
    first = run("hint", PROBLEM, workspace=workspace)
    assert first.exit_code == 0, first.output
    assert f"Hint 1/{total}." in first.output and "Hint 2/" not in first.output
    assert f"{total - 1} more (ask again for the next one)" in text(first)

    second = run("hint", PROBLEM, workspace=workspace)
    assert f"Hint 1/{total}." in second.output and f"Hint 2/{total}." in second.output
    assert "Hint 3/" not in second.output
    assert state(workspace)["hints"][PROBLEM] == 2


def test_hint_all_shows_every_hint():
    total = len(Kit.load().get(PROBLEM).hints)
    result = run("hint", PROBLEM, "--all")
    assert result.exit_code == 0, result.output
    for number in range(1, total + 1):
        assert f"Hint {number}/{total}." in result.output
    assert "more (" not in result.output


def test_hint_without_a_workspace_shows_the_first_and_says_init_tracks_them():
    result = run("hint", PROBLEM)
    assert result.exit_code == 0, result.output
    assert "Hint 1/" in result.output and "Hint 2/" not in result.output
    assert "`optax-sched init` tracks hints" in text(result)


@pytest.mark.parametrize("command", ["hint", "check", "reset", "solution"])
def test_an_unknown_problem_exits_2_with_a_suggestion(workspace, command):
    result = run(command, "lr_at_stp", workspace=workspace)
    assert result.exit_code == 2
    assert "no problem 'lr_at_stp'. Did you mean 'lr_at_step'?" in text(result)
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- check ---------------------------------------------------------------------------------
def test_check_the_stub_is_not_implemented(workspace):
    result = run("check", PROBLEM, *FEW, workspace=workspace)
    assert result.exit_code == 1, result.output
    out = text(result)
    assert "Not implemented" in out and "NotImplementedError" in out
    assert "Traceback" not in out  # the stub's own raise is not worth a traceback
    assert not state(workspace)["done"]


def test_check_without_an_id_checks_the_current_problem(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    result = run("check", *FEW)
    assert result.exit_code == 1, result.output
    assert f"Not implemented yet · {PROBLEM}" in text(result)


def test_passing_marks_done_and_unlocks_the_solution(workspace):
    refused = run("solution", PROBLEM, workspace=workspace)
    assert refused.exit_code == 1
    assert "--force" in text(refused) and "def lr_at_step" not in refused.output

    solve(workspace)
    result = run("check", PROBLEM, *FEW, workspace=workspace)
    assert result.exit_code == 0, result.output
    out = text(result)
    assert f"Accepted · {PROBLEM}" in out and "cases match the reference" in out
    assert f"optax-sched solution {PROBLEM}" in out
    assert PROBLEM in state(workspace)["done"]

    assert re.search(r"\bdone\b", row(run("list", workspace=workspace)))
    assert "1/1 done" in text(run("list", workspace=workspace))
    progress = run("progress", workspace=workspace)
    assert progress.exit_code == 0
    assert "1/1 problems solved" in text(progress) and "Every problem solved" in text(progress)

    shown = run("solution", PROBLEM, workspace=workspace)
    assert shown.exit_code == 0, shown.output
    assert str(KIT / "solutions" / f"{PROBLEM}.py") in text(shown)
    assert "def lr_at_step(" in shown.output

    # Checking again with no id re-checks it (nothing left to do is not an error).
    again = run("check", *FEW, workspace=workspace)
    assert again.exit_code == 0, again.output


def test_solution_with_force_is_shown_before_passing():
    result = run("solution", PROBLEM, "--force")
    assert result.exit_code == 0, result.output
    assert "def lr_at_step(" in result.output


def test_check_file_json_accepted():
    result = run("check", PROBLEM, "--file", REFERENCE, "--json", *FEW)
    assert result.exit_code == 0, result.output
    record = document(result)
    assert record["version"] == 1
    assert (record["status"], record["verdict"]) == ("pass", "accepted")
    assert record["problem"] == PROBLEM and record["file"] == str(REFERENCE)
    assert record["failure"] is None
    assert {"backend", "jax", "jaxlib", "x64"} <= set(record["environment"])


def test_check_file_json_wrong_answer(tmp_path):
    (tmp_path / "wrong.py").write_text(WRONG, encoding="utf-8")
    result = run("check", PROBLEM, "--file", "wrong.py", "--json", *FEW)
    assert result.exit_code == 1, result.output
    record = document(result)
    assert (record["status"], record["verdict"]) == ("fail", "wrong_answer")
    failure = record["failure"]
    assert {"input", "expected", "got", "bound"} <= set(failure)
    assert set(failure["input"]) == {"step", "peak_lr", "warmup_steps", "total_steps"}
    assert failure["expected"] != failure["got"]


def test_check_file_wrong_answer_for_a_person(tmp_path):
    (tmp_path / "wrong.py").write_text(WRONG, encoding="utf-8")
    result = run("check", PROBLEM, "--file", "wrong.py", *FEW)
    assert result.exit_code == 1, result.output
    out = text(result)
    assert f"Wrong answer · {PROBLEM}" in out
    assert "input:" in out and "expected:" in out and "got:" in out


def test_check_file_json_syntax_error(tmp_path):
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
    result = run("check", PROBLEM, "--file", "broken.py", "--json")
    assert result.exit_code == 3, result.output
    record = document(result)
    assert (record["status"], record["verdict"]) == ("error", "syntax_error")
    assert "line 1" in record["message"]
    assert {"backend", "jax", "jaxlib", "x64"} <= set(record["environment"])


def test_check_a_file_without_an_id_is_a_usage_error(workspace):
    (workspace / "x.py").write_text(WRONG, encoding="utf-8")
    result = run("check", "--file", workspace / "x.py", workspace=workspace)
    assert result.exit_code == 2
    assert "which problem is" in text(result) and "optax-sched check ID --file" in text(result)


def test_check_a_missing_file_is_a_usage_error():
    result = run("check", PROBLEM, "--file", "nope.py")
    assert result.exit_code == 2
    assert "no file nope.py" in text(result)


def test_check_a_deleted_exercise_says_init_restores_it(workspace):
    (workspace / f"{PROBLEM}.py").unlink()
    result = run("check", PROBLEM, workspace=workspace)
    assert result.exit_code == 2
    assert "`optax-sched init` restores missing stubs" in text(result)


def test_check_without_a_workspace_or_file_names_init():
    result = run("check")
    assert result.exit_code == 2
    assert "optax-sched init" in text(result) and "--file" in text(result)


def test_check_all_json_is_one_document(workspace):
    solve(workspace)
    result = run("check", "--all", "--json", *FEW, workspace=workspace)
    assert result.exit_code == 0, result.output
    record = document(result)
    assert (record["version"], record["status"]) == (1, "pass")
    assert [r["problem"] for r in record["results"]] == [PROBLEM]
    assert record["results"][0]["verdict"] == "accepted"
    assert PROBLEM in state(workspace)["done"]


#: A few quick problems of the real kit, in their curriculum order.
SEVERAL = ("warmup_ratio_to_steps", "training_length", "lora_scaling", "lr_at_step")


def copy_problems(dest: Path, ids: tuple[str, ...]) -> Path:
    """A kit holding copies of the real kit's problems ``ids`` (prerequisites dropped)."""
    for problem_id in ids:
        folder = dest / "problems" / problem_id
        shutil.copytree(
            REPO / "problems" / problem_id, folder, ignore=shutil.ignore_patterns("__pycache__")
        )
        toml = folder / "problem.toml"
        toml.write_text(
            re.sub(r"prerequisites = \[.*\]", "prerequisites = []", toml.read_text("utf-8")),
            encoding="utf-8",
        )
        name = f"{problem_id}.py"
        (dest / "solutions").mkdir(exist_ok=True)
        shutil.copyfile(REPO / "solutions" / name, dest / "solutions" / name)
    return dest


def test_check_all_at_once_reports_as_one_at_a_time(tmp_path):
    """Graded several at once (--jobs), the problems are reported, recorded and judged
    exactly as when graded one after the other: same order, same verdicts and messages."""
    kit = copy_problems(tmp_path / "kit", SEVERAL)
    assert run("init", tmp_path / "ws", kit=kit).exit_code == 0
    ws = tmp_path / "ws"
    shutil.copyfile(  # wrong: one mistake of the kit's own
        REPO / "problems" / "training_length" / "mistakes" / "counts_micro_batches.py",
        ws / "training_length.py",
    )
    for solved in ("lr_at_step.py", "warmup_ratio_to_steps.py"):  # accepted
        shutil.copyfile(REPO / "solutions" / solved, ws / solved)
    # lora_scaling stays the stub: not implemented

    def told(result) -> list[dict]:
        return [
            {k: v for k, v in r.items() if k not in ("timings", "environment", "output_bytes")}
            for r in document(result)["results"]
        ]

    alone = run("check", "--all", "--json", "--jobs", "1", *FEW, workspace=ws, kit=kit)
    together = run("check", "--all", "--json", "--jobs", "4", *FEW, workspace=ws, kit=kit)
    assert alone.exit_code == together.exit_code == 1, together.output
    assert [r["problem"] for r in document(together)["results"]] == list(SEVERAL)
    assert told(together) == told(alone)
    verdicts = [r["verdict"] for r in told(together)]
    assert verdicts == ["accepted", "wrong_answer", "not_implemented", "accepted"]

    table = run("check", "--all", "--jobs", "4", *FEW, workspace=ws, kit=kit)
    lines = [
        next(i for i, line in enumerate(table.output.splitlines()) if f" {p} " in line)
        for p in SEVERAL
    ]
    assert lines == sorted(lines), table.output
    assert "2/4 accepted" in text(table)
    assert sorted(state(ws)["done"]) == ["lr_at_step", "warmup_ratio_to_steps"]


def test_check_all_refuses_an_id():
    result = run("check", PROBLEM, "--all")
    assert result.exit_code == 2
    assert "drop the id and --file" in text(result)


def test_check_all_with_nothing_to_check_does_not_pass(workspace):
    (workspace / f"{PROBLEM}.py").unlink()
    result = run("check", "--all", "--json", workspace=workspace)
    assert result.exit_code != 0


def test_check_backend_cpu():
    result = run("check", PROBLEM, "--file", REFERENCE, "--backend", "cpu", "--json", *FEW)
    assert result.exit_code == 0, result.output
    assert document(result)["environment"]["backend"] == "cpu"


def test_check_backend_all():
    present = available_backends()
    result = run("check", PROBLEM, "--file", REFERENCE, "--backend", "all", "--json", *FEW)
    assert result.exit_code == 0, result.output
    record = document(result)
    assert record["verdict"] == "accepted"
    # One record per backend present (a single one on a CPU-only machine), none nested.
    assert [b["environment"]["backend"] for b in record["backends"]] == present
    assert all("backends" not in b and b["verdict"] == "accepted" for b in record["backends"])
    assert record["environment"]["backend"] == present[0]
    # The message says which backend said what only when there is more than one.
    assert record["message"].startswith("[cpu: accepted") == (len(present) > 1)
    if len(present) == 1:
        assert present == ["cpu"]


def test_check_an_absent_backend_is_a_usage_error():
    present = available_backends()
    absent = next(name for name in ("tpu", "gpu") if name not in present)
    result = run("check", PROBLEM, "--file", REFERENCE, "--backend", absent)
    assert result.exit_code == 2
    assert f"backend '{absent}' is not available here" in text(result)


def test_check_another_file_does_not_mark_the_exercise_done(workspace):
    result = run("check", PROBLEM, "--file", REFERENCE, *FEW, workspace=workspace)
    assert result.exit_code == 0, result.output
    assert PROBLEM not in state(workspace)["done"]


# -- reset / progress ----------------------------------------------------------------------
def test_reset_backs_up_and_restores_the_stub(workspace):
    solve(workspace)
    result = run("reset", PROBLEM, workspace=workspace)
    assert result.exit_code == 0, result.output
    out = text(result)
    assert f"{workspace / PROBLEM}.py is the stub again." in out
    match = re.search(r"Your previous file is saved as (\S+\.py)", out)
    assert match, out
    backup = Path(match.group(1))
    assert backup.parent == workspace / ".optax-sched" / "backups"
    assert backup.read_bytes() == REFERENCE.read_bytes()
    assert (workspace / f"{PROBLEM}.py").read_bytes() == STUB.read_bytes()

    untouched = run("reset", PROBLEM, workspace=workspace)
    assert untouched.exit_code == 0
    assert "saved as" not in text(untouched)


@pytest.mark.parametrize("command", [["reset", PROBLEM], ["progress"], ["watch"]])
def test_commands_that_need_a_workspace_name_init(command):
    result = run(*command)
    assert result.exit_code == 2
    assert "optax-sched init" in text(result)


def test_progress_counts(workspace):
    result = run("progress", workspace=workspace)
    assert result.exit_code == 0, result.output
    out = text(result)
    assert re.search(r"medium\s*│\s*0\s*│\s*1", result.output), result.output
    assert "0/1 problems solved" in out
    assert f"Next: {PROBLEM} (" in out and "optax-sched watch" in out


# -- the real script, end to end -----------------------------------------------------------
def script_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTAX_SCHED_")}
    env.update(COLUMNS="200", NO_COLOR="1", PYTHONUNBUFFERED="1", OPTAX_SCHED_KIT=str(KIT))
    env["OPTAX_SCHED_CACHE"] = os.environ["OPTAX_SCHED_CACHE"]
    return env


def test_check_json_end_to_end_prints_exactly_one_document(tmp_path):
    done = subprocess.run(
        [*CLI, "check", PROBLEM, "--file", str(REFERENCE), "--json", *FEW],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=script_env(),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("}\n") and done.stdout.count("\n") == 1
    record = json.loads(done.stdout)
    assert (record["version"], record["status"], record["verdict"]) == (1, "pass", "accepted")


def test_check_leaves_nothing_behind_in_the_workspace(workspace):
    done = subprocess.run(
        [*CLI, "check", *FEW],
        capture_output=True,
        text=True,
        cwd=workspace,
        env=script_env(),
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert sorted(p.name for p in workspace.iterdir()) == [
        ".optax-sched.json",
        "README.md",
        f"{PROBLEM}.py",
    ]


#: A solution that first prints how its interpreter was set up, as one JSON line.
PROBE = """\
import json
import os
import sys
import warnings


def _kind(fd):
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return "gone"
    return target.split(":")[0] if ":" in target else target


print(json.dumps({
    "argv": [os.path.basename(sys.argv[0]), len(sys.argv)],
    "path": sys.path[1:],  # [0] is this folder, put there to import this file
    "cwd": os.getcwd(),
    "own_group_and_session": os.getpgid(0) == os.getpid() == os.getsid(0),
    "descriptors": sorted(_kind(fd) for fd in os.listdir("/proc/self/fd")),
    "streams": [
        [type(s).__name__, s.encoding, s.errors, s.line_buffering, s.write_through,
         type(s.buffer).__name__, getattr(s.buffer, "name", None), getattr(s, "mode", None)]
        for s in (sys.stdin, sys.stdout, sys.stderr)
    ],
    "stdin_is_devnull": os.path.samestat(os.fstat(0), os.stat(os.devnull)),
    "dunder_streams": [sys.stdin is sys.__stdin__, sys.stdout is sys.__stdout__],
    "environment": sorted((k, v) for k, v in os.environ.items() if k != "OPTAX_SCHED_KIT_FORK"),
    "kit_modules": sorted(m for m in sys.modules if m.startswith("optax_sched")),
    "main": os.path.basename(getattr(sys.modules["__main__"], "__file__", "")),
    "excepthook": sys.excepthook is sys.__excepthook__,
    "warning_filters": [str(f) for f in warnings.filters],
}))
print("forked" if "typer" in sys.modules else "new interpreter")  # the command's own import
""" + REFERENCE.read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux; reads /proc")
def test_a_forked_child_is_set_up_as_a_new_interpreter(tmp_path):
    """The command forks its runner child (JAX already imported) unless told not to; either
    way the learner's code finds the same interpreter state."""
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    seen = {}
    for fork in ("1", "0"):
        done = subprocess.run(
            [*CLI, "check", PROBLEM, "--file", "probe.py", "--json", *FEW],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**script_env(), "OPTAX_SCHED_KIT_FORK": fork},
            timeout=120,
        )
        record = json.loads(done.stdout)
        assert record["verdict"] == "accepted", record["message"]
        facts, how = record["output"].splitlines()[:2]
        seen[how] = json.loads(facts)
    assert sorted(seen) == ["forked", "new interpreter"]
    assert seen["forked"] == seen["new interpreter"]
    assert seen["forked"]["kit_modules"] == []


# -- watch ---------------------------------------------------------------------------------
def test_watch_checks_once_shows_a_hint_and_quits(workspace):
    done = subprocess.run(
        [*CLI, "watch"],
        input="h\nq\n",
        capture_output=True,
        text=True,
        cwd=workspace,
        env=script_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = " ".join(done.stdout.split())
    assert out.count("Not implemented yet") == 1
    assert "Hint 1/" in out and "Hint 2/" not in out
    assert "[q]uit" in out


class Watching:
    """``optax-sched watch`` in a child process, its output collected by a thread."""

    def __init__(self, workspace: Path) -> None:
        self.process = subprocess.Popen(
            [*CLI, "watch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=workspace,
            env=script_env(),
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return " ".join("".join(self.lines).split())

    def wait_for(self, needle: str, timeout: float = 60, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while self.output.count(needle) < count:
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"no {needle!r} from watch after {timeout} s:\n{self.output}")
            time.sleep(0.1)

    def send(self, keys: str) -> None:
        self.process.stdin.write(keys)
        self.process.stdin.flush()

    def quit(self) -> int:
        self.send("q\n")
        code = self.process.wait(timeout=30)
        self.reader.join(timeout=10)  # everything it printed has been read
        return code


def test_watch_rechecks_when_the_file_is_saved(workspace):
    watching = Watching(workspace)
    try:
        watching.wait_for("[q]uit")  # the first check has been shown
        assert "Not implemented yet" in watching.output
        time.sleep(1)  # nothing typed: watch just waits
        # Save the reference in one step, as an editor does, with a clearly newer mtime.
        saving = workspace / "saving.tmp"
        shutil.copyfile(REFERENCE, saving)
        later = time.time() + 5
        os.utime(saving, (later, later))
        os.replace(saving, workspace / f"{PROBLEM}.py")
        watching.wait_for("Solved!")
        assert watching.quit() == 0
    finally:
        if watching.process.poll() is None:
            watching.process.kill()
            watching.process.wait()
    assert f"Accepted · {PROBLEM}" in watching.output
    assert watching.output.count("[q]uit") == 2  # exactly two checks: the stub, then yours
    assert PROBLEM in state(workspace)["done"]


# -- dev check -----------------------------------------------------------------------------
def copy_kit(dest: Path, mistakes=("decay_steps_total.py", "python_float.py")) -> Path:
    """A copy of the real kit holding ``lr_at_step`` alone (no prerequisites), with only
    ``mistakes`` (fewer grades; None keeps them all)."""
    folder = dest / "problems" / PROBLEM
    shutil.copytree(
        REPO / "problems" / PROBLEM, folder, ignore=shutil.ignore_patterns("__pycache__")
    )
    (dest / "solutions").mkdir()
    shutil.copyfile(REFERENCE, dest / "solutions" / f"{PROBLEM}.py")
    toml = folder / "problem.toml"
    text = re.sub(r"prerequisites = \[.*\]", "prerequisites = []", toml.read_text("utf-8"))
    head, *blocks = text.split("[[mistakes]]")
    if mistakes is None:
        mistakes = [re.search(r'file = "([^"]+)"', b).group(1) for b in blocks]
    kept = [b for b in blocks if re.search(r'file = "([^"]+)"', b).group(1) in mistakes]
    assert len(kept) == len(mistakes)
    toml.write_text("[[mistakes]]".join([head, *kept]), encoding="utf-8")
    for path in (folder / "mistakes").glob("*.py"):
        if path.name not in mistakes:
            path.unlink()
    return dest


def test_dev_check_passes_on_the_real_kit():
    """The authoring gate: every problem complete, reference accepted, stub not implemented,
    every known mistake rejected with its declared verdict."""
    result = run("dev", "check", columns=300, kit=REAL_KIT)
    assert result.exit_code == 0, result.output
    assert re.search(r"All \d+ checks passed on \d+ problem\(s\)", text(result)), result.output
    assert "FAIL" not in result.output


def test_dev_check_a_copied_kit_passes(tmp_path):
    kit = copy_kit(tmp_path / "kit")
    result = run("dev", "check", "--kit", kit, columns=300)
    assert result.exit_code == 0, result.output
    assert "All 6 checks passed on 1 problem(s)" in text(result)


def test_dev_check_names_a_mistake_with_the_wrong_verdict(tmp_path):
    kit = copy_kit(tmp_path / "kit")
    toml = kit / "problems" / PROBLEM / "problem.toml"
    old, count = re.subn(
        r'(file = "decay_steps_total.py"\nverdict = )"wrong_answer"',
        r'\1"contract_mismatch"',
        toml.read_text(encoding="utf-8"),
    )
    assert count == 1
    toml.write_text(old, encoding="utf-8")
    result = run("dev", "check", "--kit", kit, columns=300)
    assert result.exit_code == 1, result.output
    failing = [line for line in result.output.splitlines() if "FAIL" in line]
    assert len(failing) == 1, result.output
    assert "mistake decay_steps_total.py" in failing[0]
    assert "expected contract_mismatch, got wrong_answer" in failing[0]
    assert "1 check(s) failed" in text(result)


def test_dev_check_fails_a_stub_that_already_passes(tmp_path):
    kit = copy_kit(tmp_path / "kit")
    shutil.copyfile(REFERENCE, kit / "problems" / PROBLEM / "stub.py")
    result = run("dev", "check", "--kit", kit, columns=300)
    assert result.exit_code == 1, result.output
    stub = [line for line in result.output.splitlines() if re.search(r"│ stub\s+│", line)]
    assert len(stub) == 1 and "FAIL" in stub[0], result.output
    assert "expected not_implemented, got accepted" in stub[0]


def test_dev_check_unknown_problem_is_a_usage_error():
    result = run("dev", "check", "lr_at_stp")
    assert result.exit_code == 2
    assert "Did you mean 'lr_at_step'?" in text(result)
