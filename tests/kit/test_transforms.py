"""The jit, vmap and grad checks, on the fixture kit's ``warm_ramp`` problem.

``fixtures/`` is a complete kit of one problem whose contract asks for everything::

    Contract(output=Array(shape=(), dtype="float"), scale="peak_lr", jit=True,
             vmap=("step",), grad="peak_lr")

Each solution is graded once per session (cached), then its verdict and message checked.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import strategies as st

from optax_sched.kit import Kit, Result, grade
from optax_sched.kit.contract import Case
from optax_sched.kit.grader import build_cases
from optax_sched.kit.problems import lint

FIXTURES = Path(__file__).parent / "fixtures"
KIT = Kit.load(FIXTURES)
PROBLEM = KIT.get("warm_ramp")
MISTAKES = {m.file.name: m for m in PROBLEM.mistakes}

HEADER = "import jax\nimport jax.numpy as jnp\nimport numpy as np\n\n\n"
SIGNATURE = "def warm_ramp(step, peak_lr, warmup_steps):\n"


def ramp(body: str, after: str = "") -> str:
    """A ``warm_ramp`` whose body is ``body``, with ``after`` at module level below it."""
    text = HEADER + SIGNATURE + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n"
    return text + (f"\n\n{textwrap.dedent(after).strip()}\n" if after else "")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


PYTHON_IF = MISTAKES["python_if.py"].file.read_text()
FLOAT_OF_STEP = ramp("s = float(step)\nreturn peak_lr * jnp.minimum(s / warmup_steps, 1.0)")
NP_MINIMUM = ramp("return peak_lr * jnp.asarray(np.minimum(step / warmup_steps, 1.0))")
NP_ASARRAY = ramp("return peak_lr * jnp.minimum(np.asarray(step) / warmup_steps, 1.0)")

# Right for one step at a time (eager and jitted), wrong when batched: its custom batching
# rule forgets the clamp at 1.
BAD_BATCHING_RULE = ramp(
    "return peak_lr * _ramp(step, warmup_steps)",
    after="""
    @jax.custom_batching.custom_vmap
    def _ramp(step, warmup_steps):
        return jnp.minimum(step / warmup_steps, 1.0)


    @_ramp.def_vmap
    def _ramp_vmap(axis_size, in_batched, step, warmup_steps):
        return step / warmup_steps, in_batched[0]
    """,
)
RAISES_WHEN_BATCHED = BAD_BATCHING_RULE.replace(
    "return step / warmup_steps, in_batched[0]", "raise ValueError('cannot batch this')"
)
# Right eagerly, half the answer whenever it is traced.
HALF_WHEN_TRACED = ramp(
    """
    right = peak_lr * jnp.minimum(step / warmup_steps, 1.0)
    if isinstance(step, jax.core.Tracer):
        return right / 2
    return right
    """
)


@dataclass(frozen=True)
class Row:
    id: str
    source: str | Path  # text of solution.py, or a file graded in place
    verdict: str
    fragments: tuple[str, ...]
    check: str | None = None  # failure["check"]


ROWS = [
    Row(
        "jnp_minimum",
        ramp("return peak_lr * jnp.minimum(step / warmup_steps, 1.0)"),
        "accepted",
        ("cases match the reference (called directly, under jax.jit",),
    ),
    Row(
        "jnp_where",
        ramp("return jnp.where(step < warmup_steps, peak_lr * step / warmup_steps, peak_lr)"),
        "accepted",
        ("cases match the reference (called directly, under jax.jit",),
    ),
    Row("stub", PROBLEM.stub, "not_implemented", ("still raises NotImplementedError",), "eager"),
    Row(
        "python_if",
        MISTAKES["python_if.py"].file,
        "not_jittable",
        (
            "to work under jax.jit",
            f"line {line_of(PYTHON_IF, 'if step < warmup_steps')}: if step < warmup_steps:",
            "TracerBoolConversionError",
            "jnp.where",
        ),
        "jit",
    ),
    Row(
        "float_of_step",
        FLOAT_OF_STEP,
        "not_jittable",
        (
            f"line {line_of(FLOAT_OF_STEP, 'float(step)')}: s = float(step)",
            "ConcretizationTypeError",
        ),
        "jit",
    ),
    Row(
        "np_minimum",
        NP_MINIMUM,
        "not_jittable",
        ("np.minimum(step / warmup_steps", "TracerArrayConversionError", "jax.numpy (jnp)"),
        "jit",
    ),
    Row(
        "np_asarray",
        NP_ASARRAY,
        "not_jittable",
        ("np.asarray(step)", "TracerArrayConversionError"),
        "jit",
    ),
    Row(
        "bad_batching_rule",
        BAD_BATCHING_RULE,
        "vmap_mismatch",
        ("warm_ramp(step=11.0, peak_lr=0.001, warmup_steps=10.0) under jax.vmap", "missed by"),
        "vmap",
    ),
    Row(
        "raises_when_batched",
        RAISES_WHEN_BATCHED,
        "vmap_mismatch",
        ("under jax.vmap raised ValueError", "cannot batch this"),
        "vmap",
    ),
    Row(
        "stop_gradient",
        MISTAKES["stop_gradient.py"].file,
        "grad_mismatch",
        ("(its gradient): expected 0.25, got 0.0",),
        "grad",
    ),
    Row(
        "half_when_traced",
        HALF_WHEN_TRACED,
        "wrong_answer",
        ("warm_ramp(step=2.5, peak_lr=0.001, warmup_steps=10.0) under jax.jit", "missed by"),
        "jit",
    ),
]
BY_ID = {row.id: row for row in ROWS}

_GRADED: dict[str, Result] = {}


def graded(row_id: str, factory: pytest.TempPathFactory) -> Result:
    if row_id not in _GRADED:
        row = BY_ID[row_id]
        if isinstance(row.source, Path):
            file = row.source
        else:
            file = factory.mktemp(row.id) / "solution.py"
            file.write_text(row.source, encoding="utf-8")
        _GRADED[row_id] = grade(PROBLEM, file, examples=40)
    return _GRADED[row_id]


@pytest.mark.parametrize("row_id", [pytest.param(r.id, id=r.id) for r in ROWS])
def test_verdict_and_message(row_id: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    row = BY_ID[row_id]
    result = graded(row_id, tmp_path_factory)
    assert result.verdict == row.verdict, result.message
    for fragment in row.fragments:
        assert fragment in result.message, f"{fragment!r} not in {result.message!r}"
    if row.check is not None:
        assert result.failure["check"] == row.check
        failing = [t for t in result.tests if t["status"] != "pass"]
        assert failing[-1]["check"] == row.check


@pytest.mark.parametrize("row_id", ["jnp_minimum", "jnp_where"])
def test_accepted_ran_every_check(row_id: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    result = graded(row_id, tmp_path_factory)
    checks = {t["check"] for t in result.tests}
    assert checks == {"import", "eager", "jit", "vmap", "grad"}
    assert all(t["status"] == "pass" for t in result.tests)
    cases = len(build_cases(PROBLEM, 40, 0))
    assert sum(t["check"] == "jit" for t in result.tests) == cases
    assert sum(t["check"] == "grad" for t in result.tests) == cases
    # vmap batches the cases that share peak_lr and warmup_steps with the first one.
    (vmap,) = [t for t in result.tests if t["check"] == "vmap"]
    assert vmap["name"] == "6 cases in one call"
    assert result.timings["compile_s"] > 0


def test_tracer_errors_name_the_learners_line_only(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    error = graded("python_if", tmp_path_factory).failure["error"]
    assert error["type"] == "TracerBoolConversionError"
    assert error["code"] == "if step < warmup_steps:"
    assert "jax/_src" not in error["traceback"]
    assert "_child.py" not in error["traceback"]


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_listed_mistake_gets_its_verdict(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    row = {"python_if.py": "python_if", "stop_gradient.py": "stop_gradient"}[name]
    assert graded(row, tmp_path_factory).verdict == MISTAKES[name].verdict


def test_fixture_problem_is_complete() -> None:
    assert lint(PROBLEM, KIT) == []
    assert KIT.ids == ("warm_ramp",)
    assert PROBLEM.difficulty == "easy"
    assert PROBLEM.order == 1
    assert len(PROBLEM.hints) == 2
    assert PROBLEM.reference(5.0, 1e-3, 10.0).shape == ()


# ---------------------------------------------------------------------------------------
# Known bug: random cases drawn with st.fixed_dictionaries are called in a shuffled order
# ---------------------------------------------------------------------------------------


def test_random_cases_keep_the_edge_cases_key_order() -> None:
    """hypothesis draws dictionaries in any order; functions are called positionally."""
    edges = [Case({"b": 2, "a": 1, "c": 3}, "edge")]
    strategy = st.fixed_dictionaries({"c": st.integers(), "a": st.integers(), "b": st.integers()})
    fake = SimpleNamespace(
        id="fake",
        function="f",
        parameters=("a", "b", "c"),
        cases=SimpleNamespace(edge_cases=lambda: edges, random_cases=lambda: strategy),
    )
    orders = {tuple(case.args) for case in build_cases(fake, 30, 0)}
    assert orders == {("a", "b", "c")}


def test_fixed_dictionaries_kit_accepts_a_right_solution(tmp_path: Path) -> None:
    root = tmp_path / "kit"
    shutil.copytree(FIXTURES, root)
    cases = root / "problems" / "warm_ramp" / "cases.py"
    text = cases.read_text()
    start = text.index("@st.composite")
    cases.write_text(
        text[:start]
        + textwrap.dedent(
            """
            def random_cases():
                finite = {"allow_nan": False, "allow_infinity": False}
                return st.fixed_dictionaries(
                    {
                        "step": st.floats(0, 10_000, **finite),
                        "peak_lr": st.floats(1e-6, 1.0, **finite),
                        "warmup_steps": st.floats(1, 1_000, **finite),
                    }
                )
            """
        )
    )
    problem = Kit.load(root).get("warm_ramp")
    file = tmp_path / "solution.py"
    file.write_text(BY_ID["jnp_where"].source)
    result = grade(problem, file, examples=100)
    assert result.verdict == "accepted", result.message
