"""The grader against hostile and edge-case solutions of ``lr_at_step``.

Every solution is written to its own folder under pytest's tmp dir and graded once (a grade
starts a fresh runner child, about a second); the result is cached for the module, so the
verdict test and the record tests of one row share one grade. Each row asserts the verdict
and the part of the message that makes it actionable.

Regression tests for grader bugs found while writing this suite are at the end.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from optax_sched.kit import (
    VERDICTS,
    Kit,
    Limits,
    Result,
    available_backends,
    grade,
    grade_backends,
)
from optax_sched.kit.grader import build_cases

KIT = Kit.load()
PROBLEM = KIT.get("lr_at_step")

#: Short budgets for the rows that hang, so the suite stays fast (import_s cannot go below 10).
FAST = Limits(run_s=3.0, import_s=10.0, compile_s=10.0)
#: How far past its budget a hanging grade may return (start-up, kill, reap): generous.
SLACK_S = 15.0

HEADER = "import jax\nimport jax.numpy as jnp\nimport numpy as np\nimport optax\n"


def recipe(returns: str = "jnp.array([float(value)])", body: str = "", top: str = "") -> str:
    """The exercise's literal recipe, with ``top`` at module level and ``body`` before return."""
    return (
        HEADER
        + (f"\n{textwrap.dedent(top).strip()}\n" if top else "")
        + "\n\ndef lr_at_step(step, peak_lr, warmup_steps, total_steps):\n"
        + "    w, t = int(warmup_steps), int(total_steps)\n"
        + "    schedule = optax.warmup_cosine_decay_schedule(0.0, peak_lr, w, t - w, 0.0)\n"
        + "    value = schedule(int(step))\n"
        + (textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n" if body else "")
        + f"    return {returns}\n"
    )


def source(text: str) -> str:
    return textwrap.dedent(text).lstrip()


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# ---------------------------------------------------------------------------------------
# The solutions
# ---------------------------------------------------------------------------------------

FLOAT32_FORMULA = source(
    """
    import jax.numpy as jnp


    def lr_at_step(step, peak_lr, warmup_steps, total_steps):
        s, w, t = int(step), int(warmup_steps), int(total_steps)
        x = jnp.float32(s)
        ramp = peak_lr * x / max(w, 1)
        progress = jnp.clip((x - w) / (t - 2 * w), 0.0, 1.0)
        cosine = peak_lr * 0.5 * (1.0 + jnp.cos(jnp.pi * progress))
        return jnp.reshape(jnp.where(x < w, ramp, cosine), (1,))
    """
)

RENAMED = source(
    """
    import jax.numpy as jnp
    import optax


    def lr_at_step(s, lr, warm, total):
        w, t = int(warm), int(total)
        schedule = optax.warmup_cosine_decay_schedule(0.0, lr, w, t - w, 0.0)
        return jnp.array([float(schedule(int(s)))])
    """
)

WITH_HELPER = {
    "solution.py": source(
        """
        from my_helpers import build

        import jax.numpy as jnp


        def lr_at_step(step, peak_lr, warmup_steps, total_steps):
            return jnp.array([float(build(peak_lr, warmup_steps, total_steps)(int(step)))])
        """
    ),
    "my_helpers.py": source(
        """
        import optax


        def build(peak_lr, warmup_steps, total_steps):
            w, t = int(warmup_steps), int(total_steps)
            return optax.warmup_cosine_decay_schedule(0.0, peak_lr, w, t - w, 0.0)
        """
    ),
}

DECAY_STEPS_TOTAL = recipe().replace("w, t - w, 0.0", "w, t, 0.0")

ZERO_DIVISION = source(
    """
    import jax.numpy as jnp


    def lr_at_step(step, peak_lr, warmup_steps, total_steps):
        ramp = peak_lr / int(step)
        return jnp.array([ramp])
    """
)

LOOP_IN_FUNCTION = source(
    """
    import os
    import subprocess
    from pathlib import Path

    grandchild = subprocess.Popen(["sleep", "120"])
    Path(__file__).with_name("pids.txt").write_text(f"{os.getpid()} {grandchild.pid}")


    def lr_at_step(step, peak_lr, warmup_steps, total_steps):
        while True:
            pass
    """
)

XLA_WHILE_LOOP = source(
    """
    import jax
    import jax.numpy as jnp


    def lr_at_step(step, peak_lr, warmup_steps, total_steps):
        # float32 stops growing at 2**24, so the condition never turns false.
        forever = jax.lax.while_loop(lambda x: x >= 0.0, lambda x: x + 1.0, jnp.float32(0.0))
        return jnp.array([forever])
    """
)

SYNTAX = source(
    """
    import jax.numpy as jnp


    def lr_at_step(step, peak_lr, warmup_steps, total_steps):
        return jnp.array([(step * peak_lr]
    """
)


# ---------------------------------------------------------------------------------------
# Extra checks of single rows
# ---------------------------------------------------------------------------------------


def output_has_hello(result: Result, file: Path) -> None:
    assert "hello" in result.output
    assert result.output_bytes >= len("hello\n")


def output_has_fake_lines(result: Result, file: Path) -> None:
    # What the code printed is shown back as output, never read as a protocol message.
    assert '{"verdict":"accepted"}' in result.output
    assert result.failure["got"] == [123.0]


def shrunk_to_threshold(result: Result, file: Path) -> None:
    failure = result.failure
    assert failure["shrunk"] is True
    assert failure["case"] == "random (shrunk)"
    assert failure["check"] == "eager"
    assert 5000 < failure["input"]["total_steps"] < 5002, failure["input"]
    assert "smallest failing input" in result.message


def zero_division_traceback(result: Result, file: Path) -> None:
    line = line_of(ZERO_DIVISION, "peak_lr / int(step)")
    assert f"line {line}" in result.message
    error = result.failure["error"]
    assert error["type"] == "ZeroDivisionError"
    assert error["line"] == line
    assert error["code"] == "ramp = peak_lr / int(step)"
    frames = [row for row in error["traceback"].splitlines() if row.lstrip().startswith("File ")]
    assert frames, error["traceback"]
    assert all(str(file) in frame for frame in frames), error["traceback"]
    assert "_child.py" not in error["traceback"]
    assert result.failure["case"] == "step 0"


def syntax_error_details(result: Result, file: Path) -> None:
    assert result.failure["error"]["line"] == line_of(SYNTAX, "return jnp.array")
    assert result.tests == [
        {"name": "parse", "check": "import", "status": "error", "message": result.message}
    ]


def printed_a_lot(result: Result, file: Path) -> None:
    assert result.output_bytes > 1_000_000
    assert 0 < len(result.output) <= 4_000
    assert result.output.startswith("spam")


def phase(name: str) -> Callable[[Result, Path], None]:
    def check(result: Result, file: Path) -> None:
        assert result.failure["phase"] == name
        assert result.tests[-1]["check"] == name
        assert result.tests[-1]["status"] == "error"

    return check


# ---------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------

STUB = object()  # grade problems/lr_at_step/stub.py in place


@dataclass(frozen=True)
class Row:
    id: str
    source: object  # str (solution.py), dict of file name -> text, or STUB
    verdict: str
    fragments: tuple[str, ...]
    limits: Limits | None = None
    check: Callable[[Result, Path], None] | None = None


ROWS = [
    # -- accepted ---------------------------------------------------------------------------
    Row("optax_recipe", recipe(), "accepted", ("cases match the reference",)),
    Row("float32_formula", FLOAT32_FORMULA, "accepted", ("cases match the reference",)),
    Row(
        "jit_inner_schedule",
        recipe("jnp.array([float(jax.jit(schedule)(int(step)))])"),
        "accepted",
        ("cases match the reference",),
        # A fresh closure per call compiles per call (~40 ms): about half of the default
        # 10 s run budget here, so a slower machine would see time_limit. Not the point here.
        limits=Limits(run_s=60.0),
    ),
    Row("renamed_parameters", RENAMED, "accepted", ("cases match the reference",)),
    Row("helper_module_next_to_it", WITH_HELPER, "accepted", ("cases match the reference",)),
    Row(
        "prints_a_little",
        recipe(body="print('hello')"),
        "accepted",
        ("cases match the reference",),
        check=output_has_hello,
    ),
    # -- not implemented --------------------------------------------------------------------
    Row(
        "stub",
        STUB,
        "not_implemented",
        ("still raises NotImplementedError", "optax-sched show lr_at_step"),
    ),
    # -- contract ---------------------------------------------------------------------------
    Row(
        "python_float",
        recipe("float(value)"),
        "contract_mismatch",
        ("expected a jax.Array", "got a Python float", "plain Python number"),
    ),
    Row(
        "shape_0d",
        recipe("value"),
        "contract_mismatch",
        ("expected shape (1,), got shape ()", "jnp.array([value])"),
    ),
    Row(
        "shape_1x1",
        recipe("jnp.array([[float(value)]])"),
        "contract_mismatch",
        ("expected shape (1,), got shape (1, 1)", "nested twice"),
    ),
    Row(
        "numpy_float64",
        recipe("np.array([float(value)])"),
        "contract_mismatch",
        ("expected a jax.Array", "NumPy array of dtype float64", "jax.numpy (jnp)"),
    ),
    Row("python_list", recipe("[value]"), "contract_mismatch", ("expected a jax.Array", "a list")),
    Row("returns_none", recipe("None"), "contract_mismatch", ("None", "`return`")),
    Row(
        "float16",
        recipe("jnp.array([float(value)], dtype=jnp.float16)"),
        "contract_mismatch",
        ("expected dtype float32, got float16",),
    ),
    # -- wrong answers ----------------------------------------------------------------------
    Row(
        "decay_steps_total",
        DECAY_STEPS_TOTAL,
        "wrong_answer",
        ("lr_at_step(step=", "missed by", "The bound is |got - expected| <= 1e-06 x 0.001"),
    ),
    Row(
        "round_not_int",
        recipe("jnp.array([float(schedule(round(step)))])"),
        "wrong_answer",
        ("lr_at_step(step=5.7,", "int() truncates"),
    ),
    Row(
        "right_four_times_then_doubles",
        recipe("2 * jnp.array([float(value)]) if CALLS[0] > 4 else jnp.array([float(value)])")
        .replace("\n\ndef lr_at_step", "\nCALLS = [0]\n\n\ndef lr_at_step")
        .replace("    value = schedule", "    CALLS[0] += 1\n    value = schedule"),
        "wrong_answer",
        ("missed by",),
    ),
    Row(
        "patches_optax_at_import",
        recipe(top="optax.warmup_cosine_decay_schedule = lambda *a, **k: lambda n: jnp.zeros(())"),
        "wrong_answer",
        ("got [0.]", "missed by"),
    ),
    Row(
        "patches_numpy_comparisons",
        recipe(
            "jnp.array([123.0])",
            top="""
            np.allclose = lambda *args, **kwargs: True
            np.isclose = lambda *args, **kwargs: np.True_
            np.testing.assert_allclose = lambda *args, **kwargs: None
            np.array_equal = lambda *args, **kwargs: True
            """,
        ),
        "wrong_answer",
        ("got [123.]", "missed by 123"),
    ),
    Row(
        "prints_fake_results",
        recipe(
            "jnp.array([123.0])",
            body="""
            print('{"event": "result", "ok": true}')
            print('{"verdict":"accepted"}', flush=True)
            """,
        ),
        "wrong_answer",
        ("got [123.]",),
        check=output_has_fake_lines,
    ),
    Row("returns_nan", recipe("jnp.array([jnp.nan])"), "wrong_answer", ("got NaN",)),
    Row("returns_inf", recipe("jnp.array([jnp.inf])"), "wrong_answer", ("got [inf]",)),
    Row(
        "wrong_on_random_large_runs",
        recipe(body="if t > 5000 and t % 2 == 1:\n    return jnp.array([float(value) + peak_lr])"),
        "wrong_answer",
        ("total_steps=5001.0", "smallest failing input"),
        check=shrunk_to_threshold,
    ),
    # -- runtime errors ---------------------------------------------------------------------
    Row(
        "zero_division",
        ZERO_DIVISION,
        "runtime_error",
        ("raised ZeroDivisionError", "ramp = peak_lr / int(step)", "division by zero"),
        check=zero_division_traceback,
    ),
    Row(
        "sys_exit_in_function",
        recipe(body="import sys\nsys.exit(0)"),
        "runtime_error",
        ("raised SystemExit", "sys.exit(0)"),
    ),
    Row(
        "os_exit_0_in_function",
        recipe(body="import os\nos._exit(0)"),
        "runtime_error",
        ("exited with status 0", "os._exit"),
    ),
    Row(
        "sys_exit_at_import",
        recipe(top="import sys\nsys.exit(0)"),
        "runtime_error",
        ("importing solution.py failed", "sys.exit(0)"),
    ),
    # -- time limits ------------------------------------------------------------------------
    Row(
        "loop_in_function",
        LOOP_IN_FUNCTION,
        "time_limit",
        ("the run phase ran past its 3 s budget", "infinite loop"),
        limits=FAST,
        check=phase("run"),
    ),
    Row(
        "xla_while_loop",
        XLA_WHILE_LOOP,
        "time_limit",
        ("the run phase ran past its 3 s budget", "lax.while_loop"),
        limits=FAST,
        check=phase("run"),
    ),
    Row(
        "loop_at_import",
        recipe(top="while True:\n    pass"),
        "time_limit",
        ("the import phase ran past its 10 s budget", "module level"),
        limits=FAST,
        check=phase("import"),
    ),
    # -- output limit -----------------------------------------------------------------------
    Row(
        "prints_forever",
        recipe(body="while True:\n    print('spam' * 100)"),
        "output_limit",
        ("printed more than 1,000,000 bytes",),
        limits=FAST,
        check=printed_a_lot,
    ),
    # -- syntax and import errors -----------------------------------------------------------
    Row(
        "syntax_error",
        SYNTAX,
        "syntax_error",
        (f"solution.py, line {line_of(SYNTAX, 'return jnp.array')}", "return jnp.array("),
        check=syntax_error_details,
    ),
    Row(
        "missing_module",
        "import no_such_module\n\n" + recipe(),
        "syntax_error",
        ("No module named 'no_such_module'", "line 1: import no_such_module"),
    ),
    Row(
        "no_such_function",
        recipe().replace("def lr_at_step(", "def lr_at_stepp("),
        "syntax_error",
        ("defines no function 'lr_at_step'", "lr_at_stepp"),
    ),
]
BY_ID = {row.id: row for row in ROWS}
assert len(BY_ID) == len(ROWS), "duplicate row ids"

_GRADED: dict[str, tuple[Result, float, Path]] = {}


def graded(row_id: str, factory: pytest.TempPathFactory) -> tuple[Result, float, Path]:
    """Grade a row once per test session: (result, seconds it took, the graded file)."""
    if row_id not in _GRADED:
        row = BY_ID[row_id]
        if row.source is STUB:
            file = PROBLEM.stub
        else:
            folder = factory.mktemp(row.id)
            files = row.source if isinstance(row.source, dict) else {"solution.py": row.source}
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
            file = folder / next(iter(files))
        started = time.monotonic()
        result = grade(PROBLEM, file, limits=row.limits)
        _GRADED[row_id] = (result, time.monotonic() - started, file.resolve())
    return _GRADED[row_id]


def rows(marks: dict[str, pytest.MarkDecorator] | None = None) -> list:
    marks = marks or {}
    return [pytest.param(row.id, id=row.id, marks=marks.get(row.id, ())) for row in ROWS]


# ---------------------------------------------------------------------------------------
# Tests over the table
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("row_id", rows())
def test_verdict_and_message(row_id: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    row = BY_ID[row_id]
    result, took, file = graded(row_id, tmp_path_factory)
    assert result.verdict == row.verdict, result.message
    for fragment in row.fragments:
        assert fragment in result.message, f"{fragment!r} not in {result.message!r}"
    assert (result.failure is None) == (row.verdict == "accepted")
    assert result.problem == "lr_at_step"
    assert result.file == str(file)
    if row.limits is not None:
        longest = max(row.limits.budget(p) for p in ("import", "compile", "run"))
        assert took < longest + SLACK_S, f"grading took {took:.1f} s"
    if row.check is not None:
        row.check(result, file)


@pytest.mark.parametrize("row_id", rows())
def test_record_is_strict_json(row_id: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    result, _, _ = graded(row_id, tmp_path_factory)
    record = result.to_json()
    assert json.loads(json.dumps(record, allow_nan=False)) == record
    assert record["version"] == 1
    assert record["verdict"] == result.verdict
    assert record["status"] in ("pass", "fail", "error")
    assert record["status"] == VERDICTS[result.verdict][0] == result.status
    assert record["title"] == VERDICTS[result.verdict][1]
    assert "total_s" in record["timings"]
    assert "backends" not in record


@pytest.mark.parametrize("row_id", rows())
def test_record_is_complete(row_id: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    result, _, _ = graded(row_id, tmp_path_factory)
    record = result.to_json()
    assert set(record["timings"]) >= {"import_s", "compile_s", "run_s", "total_s"}
    environment = record["environment"]
    assert {"backend", "jax", "jaxlib", "x64"} <= set(environment), environment
    assert environment["backend"] in available_backends()
    assert environment["x64"] is False


# ---------------------------------------------------------------------------------------
# Single checks
# ---------------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a non-reaping init counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_time_limit_leaves_no_process(tmp_path_factory: pytest.TempPathFactory) -> None:
    result, _, file = graded("loop_in_function", tmp_path_factory)
    assert result.verdict == "time_limit"
    child, grandchild = (int(n) for n in file.with_name("pids.txt").read_text().split())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # killed and reaped by the runner
    assert not _alive(grandchild), "the learner's own subprocess survived the grade"


def test_float32_formula_is_close_but_not_bit_identical(tmp_path: Path) -> None:
    """The accepted hand-written formula really differs from optax in the last bits."""
    import importlib.util

    import numpy as np

    path = tmp_path / "formula.py"
    path.write_text(FLOAT32_FORMULA)
    spec = importlib.util.spec_from_file_location("_kit_test_formula", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    differ = 0
    for case in build_cases(PROBLEM, 30, 0):
        mine = np.asarray(module.lr_at_step(*case.args.values()))
        ref = np.asarray(PROBLEM.reference(*case.args.values()))
        differ += mine.tobytes() != ref.tobytes()
    assert differ > 0


def test_grade_backends_reports_each_backend(tmp_path: Path) -> None:
    file = tmp_path / "solution.py"
    file.write_text(recipe("None"))
    result = grade_backends(PROBLEM, file, ["cpu", "cpu"], examples=5)
    assert result.verdict == "contract_mismatch"
    assert result.message.startswith("[cpu: contract_mismatch, cpu: contract_mismatch] ")
    assert [r.verdict for r in result.backends] == ["contract_mismatch"] * 2
    record = json.loads(json.dumps(result.to_json(), allow_nan=False))
    assert [b["environment"]["backend"] for b in record["backends"]] == ["cpu", "cpu"]
    assert all("backends" not in b for b in record["backends"])


def test_grade_backends_needs_a_backend(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no backends"):
        grade_backends(PROBLEM, tmp_path / "unused.py", [])


def test_available_backends_start_with_cpu() -> None:
    found = available_backends()
    assert found[0] == "cpu"
    assert set(found) <= {"cpu", "gpu", "tpu"}


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"import_s": 9.9}, "import_s must be >= 10"),
        ({"run_s": 0}, "run_s must be > 0"),
        ({"compile_s": -1.0}, "compile_s must be > 0"),
    ],
)
def test_limits_reject_bad_budgets(options: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Limits(**options)


# ---------------------------------------------------------------------------------------
# Regressions: bugs found while writing this suite, now fixed
# ---------------------------------------------------------------------------------------

EVIL_INT = source(
    """
    class Evil(int):
        def __str__(self):
            return "evil"


    def lr_at_step(step, peak_lr, warmup_steps, total_steps):
        return Evil(1)
    """
)

LYING_SHAPE = source(
    """
    import numpy as np


    class Fake:
        __module__ = "jax.fake"
        dtype = "float32"
        shape = (1,)

        def __array__(self, dtype=None, copy=None):
            return np.zeros(3, np.float32)


    def lr_at_step(step, peak_lr, warmup_steps, total_steps):
        return Fake()
    """
)


@pytest.mark.parametrize("text", [EVIL_INT, LYING_SHAPE], ids=["int_subclass", "lying_shape"])
def test_grade_never_raises_on_hostile_return_values(text: str, tmp_path: Path) -> None:
    file = tmp_path / "solution.py"
    file.write_text(text)
    result = grade(PROBLEM, file, examples=1)
    assert result.verdict in ("contract_mismatch", "runtime_error")


def test_import_error_traceback_holds_only_learner_frames(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    result, _, file = graded("missing_module", tmp_path_factory)
    traceback = result.failure["error"]["traceback"]
    frames = [row for row in traceback.splitlines() if row.lstrip().startswith("File ")]
    assert frames and all(str(file) in frame for frame in frames), traceback


def test_sibling_folder_with_same_prefix_is_not_the_learners(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "work_lib").mkdir()
    (tmp_path / "work_lib" / "helper.py").write_text(
        "def boom():\n    raise ValueError('from the helper')\n"
    )
    text = source(
        """
        import sys
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "work_lib"))
        import helper


        def lr_at_step(step, peak_lr, warmup_steps, total_steps):
            return helper.boom()
        """
    )
    file = tmp_path / "work" / "solution.py"
    file.write_text(text)
    result = grade(PROBLEM, file, examples=1)
    assert result.verdict == "runtime_error"
    assert f"line {line_of(text, 'helper.boom()')}: return helper.boom()" in result.message
    assert "work_lib" not in result.failure["error"]["traceback"]


def test_library_inside_learner_folder_is_not_blamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / ".venv" / "lib" / "python3" / "site-packages"
    site.mkdir(parents=True)
    (site / "fancylib.py").write_text("def reshape(x):\n    raise TypeError('cannot reshape')\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    text = source(
        """
        import fancylib


        def lr_at_step(step, peak_lr, warmup_steps, total_steps):
            return fancylib.reshape(step)
        """
    )
    file = tmp_path / "solution.py"
    file.write_text(text)
    result = grade(PROBLEM, file, examples=1)
    assert result.verdict == "runtime_error"
    assert f"line {line_of(text, 'fancylib.reshape')}: return fancylib.reshape" in result.message


def test_null_bytes_message_has_no_bogus_line(tmp_path: Path) -> None:
    file = tmp_path / "solution.py"
    file.write_bytes(b"x = 1\x00\n")
    result = grade(PROBLEM, file)
    assert result.verdict == "syntax_error"
    assert "null bytes" in result.message
    assert "line None" not in result.message


def test_non_callable_name_is_explained(tmp_path: Path) -> None:
    file = tmp_path / "solution.py"
    file.write_text("lr_at_step = 3\n")
    result = grade(PROBLEM, file)
    assert result.verdict == "syntax_error"
    assert re.search(r"\bint\b", result.message), result.message


def test_zero_random_examples_grades_the_edge_cases_only(tmp_path: Path) -> None:
    file = tmp_path / "solution.py"
    file.write_text(recipe())
    result = grade(PROBLEM, file, examples=0)
    assert result.verdict == "accepted", result.message
    assert len(PROBLEM.cases.edge_cases()) == sum(t["check"] == "eager" for t in result.tests)


# ---------------------------------------------------------------------------------------
# The same rows with the runner child forked from the command (optax_sched.kit._fork)
# ---------------------------------------------------------------------------------------

#: The rows graded again with forked children. The two slowest time limits are left out;
#: the row that shrinks comes last, since shrinking evaluates the reference in the grading
#: process, which starts a JAX backend there (no fork after that), and a syntax error
#: starts no child at all.
FORKED_ROWS = [
    row.id
    for row in ROWS
    if row.id not in ("loop_at_import", "xla_while_loop", "syntax_error", "jit_inner_schedule")
    and row.id != "wrong_on_random_large_runs"
] + ["wrong_on_random_large_runs"]

#: A stand-in for the console script: allows forking, then grades each job in turn and
#: says whether its child was forked and whether its process group is gone afterwards.
FORKING = """
import json
import os
import sys
from pathlib import Path

from optax_sched.kit import Kit, Limits, _fork, grade

_fork.allow()
started = []
fork = _fork.start


def recording(*args, **kwargs):
    child = fork(*args, **kwargs)
    started.append(child.pid)
    return child


_fork.start = recording


def group_alive(group):
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] not in ("Z", "X"):
                return True
    return False


problem = Kit.load().get("lr_at_step")
for job in json.loads(Path(sys.argv[1]).read_text()):
    count = len(started)
    limits = Limits(**job["limits"]) if job["limits"] else None
    result = grade(problem, job["file"], limits=limits)
    forked = len(started) > count
    gone = not (forked and group_alive(started[-1]))
    line = {"id": job["id"], "forked": forked, "gone": gone, "record": result.to_json()}
    print(json.dumps(line), flush=True)
"""


def _told(record: dict) -> dict:
    """A record without what depends on the run (timings, how much was printed in all)."""
    return {k: v for k, v in record.items() if k not in ("timings", "output_bytes")}


def test_forked_children_grade_exactly_like_new_interpreters(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    jobs = []
    for row_id in FORKED_ROWS:
        _, _, file = graded(row_id, tmp_path_factory)  # a new interpreter per child
        limits = BY_ID[row_id].limits
        jobs.append(
            {"id": row_id, "file": str(file), "limits": limits and dataclasses.asdict(limits)}
        )
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    script = tmp_path / "forking.py"
    script.write_text(FORKING)
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "jobs.json")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in lines] == FORKED_ROWS
    for line in lines:
        assert line["forked"], f"{line['id']}: the child was not forked"
        assert line["gone"], f"{line['id']}: the child's process group outlived the grade"
        want = graded(line["id"], tmp_path_factory)[0].to_json()
        assert _told(line["record"]) == _told(want), line["id"]
