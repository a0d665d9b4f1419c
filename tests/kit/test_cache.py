"""The expected-value cache: what a hit gives back, what counts as a miss, and that a check
graded from the cache is the check graded without it.

The fixture kit's ``warm_ramp`` asks for jit, vmap and grad, so its entries carry the
reference's gradients too; ``lr_at_step`` is the real kit's seed problem.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pytest

from optax_sched.kit import Kit, Limits, Result, cache, grade
from optax_sched.kit import grader as grader_module
from optax_sched.kit.contract import Case
from optax_sched.kit.grader import build_cases, prepare

FIXTURES = Path(__file__).parent / "fixtures"
REAL = Kit.load()
LR_AT_STEP = REAL.get("lr_at_step")
FEW = 6  # random cases per check: enough to exercise the random part, and quick


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder for this test only."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    return folder


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    """A copy of the fixture kit this test may edit."""
    shutil.copytree(FIXTURES, tmp_path / "kit", ignore=shutil.ignore_patterns("__pycache__"))
    return Kit.load(tmp_path / "kit")


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "expected").rglob("*.json")) if folder.exists() else []


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def verdict_record(result: Result) -> dict:
    """Everything a learner is told, without the timings and the machine."""
    record = result.to_json()
    for key in ("timings", "environment", "output_bytes"):
        record.pop(key)
    return record


def same_value(a, b) -> bool:
    if a.kind != b.kind or a.type != b.type or a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.array is None or b.array is None:
        return a.array is None and b.array is None
    return a.array.dtype == b.array.dtype and a.array.tobytes() == b.array.tobytes()


WARM_RAMP_RIGHT = """
import jax.numpy as jnp


def warm_ramp(step, peak_lr, warmup_steps):
    return peak_lr * jnp.minimum(step / warmup_steps, 1.0)
"""

#: Right on every edge case and wrong on large random steps: found, then shrunk, with the
#: reference evaluated on new inputs during the shrink (after a hit, for the first time).
LR_AT_STEP_WRONG_LATE = """
import jax.numpy as jnp
import optax


def lr_at_step(step, peak_lr, warmup_steps, total_steps):
    w, t = int(warmup_steps), int(total_steps)
    value = optax.warmup_cosine_decay_schedule(0.0, peak_lr, w, t - w, 0.0)(int(step))
    if t > 5000 and t % 2 == 1:
        return jnp.array([float(value) + peak_lr])
    return jnp.array([float(value)])
"""


# -- where it lives --------------------------------------------------------------------------
def test_the_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    for off in ("off", "0", "", "false"):
        monkeypatch.setenv(cache.ENV_VAR, off)
        assert cache.cache_dir() is None
    monkeypatch.delenv(cache.ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "optax-sched"


# -- hits ------------------------------------------------------------------------------------
@pytest.mark.parametrize("problem_id", ["warm_ramp", "lr_at_step"])
def test_an_entry_gives_back_the_very_cases_and_values(problem_id: str, kit: Kit, private: Path):
    problem = kit.get(problem_id) if problem_id == "warm_ramp" else LR_AT_STEP
    fresh = prepare(problem, examples=FEW, seed=3)
    reference = grader_module._Reference(problem)
    expected = [reference.encoded(dict(case.args)) for case in fresh.cases]
    grads = None
    if problem.cases.CONTRACT.grad:
        grads = [reference.grad_encoded(dict(case.args)) for case in fresh.cases]
    assert cache.store(problem, FEW, 3, fresh.cases, expected, grads)
    assert len(entries(private)) == 1

    found = cache.load(problem, FEW, 3)
    assert found is not None
    assert [(c.name, c.note) for c in found.cases] == [(c.name, c.note) for c in fresh.cases]
    for got, want in zip(found.cases, fresh.cases, strict=True):
        assert cache._identical(dict(want.args), dict(got.args)), (got, want)
    assert all(same_value(a, b) for a, b in zip(found.expected, fresh.expected, strict=True))
    if grads is None:
        assert found.grads is None
    else:
        want_grads = [reference.grad(dict(case.args)) for case in fresh.cases]
        assert all(same_value(a, b) for a, b in zip(found.grads, want_grads, strict=True))


def test_a_grade_fills_the_cache_and_the_next_one_reads_it(
    kit: Kit, private: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    problem = kit.get("warm_ramp")
    file = write(tmp_path, "solution.py", WARM_RAMP_RIGHT)
    first = grade(problem, file, examples=FEW)
    assert first.verdict == "accepted", first.message
    assert len(entries(private)) == 1

    def no_drawing(*args, **kwargs):
        raise AssertionError("a hit draws no case")

    monkeypatch.setattr(grader_module, "build_cases", no_drawing)
    second = grade(problem, file, examples=FEW)
    assert verdict_record(second) == verdict_record(first)


WARM_RAMP_FILES = {
    "accepted": WARM_RAMP_RIGHT,
    # right directly and under jit, doubled when traced by jax.vmap
    "vmap_mismatch": """
        import jax.numpy as jnp


        def warm_ramp(step, peak_lr, warmup_steps):
            out = peak_lr * jnp.minimum(step / warmup_steps, 1.0)
            return 2.0 * out if type(step).__name__ == "BatchTracer" else out
        """,
    # right values, a zero gradient: judged against the stored gradients
    "grad_mismatch": """
        import jax
        import jax.numpy as jnp


        def warm_ramp(step, peak_lr, warmup_steps):
            return jax.lax.stop_gradient(peak_lr) * jnp.minimum(step / warmup_steps, 1.0)
        """,
    "wrong_answer": """
        import jax.numpy as jnp


        def warm_ramp(step, peak_lr, warmup_steps):
            return peak_lr * jnp.minimum(step / (warmup_steps + 1.0), 1.0)
        """,
}


@pytest.mark.parametrize("verdict", list(WARM_RAMP_FILES))
def test_a_hit_grades_exactly_like_no_cache(
    verdict: str, kit: Kit, private: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    problem = kit.get("warm_ramp")
    file = write(tmp_path, "solution.py", WARM_RAMP_FILES[verdict])
    monkeypatch.setenv(cache.ENV_VAR, "off")
    without = grade(problem, file, examples=FEW)
    assert without.verdict == verdict, without.message
    monkeypatch.setenv(cache.ENV_VAR, str(private))
    filling = grade(problem, file, examples=FEW)
    hit = grade(problem, file, examples=FEW)
    assert len(entries(private)) == 1
    assert verdict_record(filling) == verdict_record(without)
    assert verdict_record(hit) == verdict_record(without)


def test_a_shrunk_failure_is_the_same_after_a_hit(private: Path, tmp_path: Path):
    file = write(tmp_path, "solution.py", LR_AT_STEP_WRONG_LATE)
    filling = grade(LR_AT_STEP, file)
    hit = grade(LR_AT_STEP, file)
    assert filling.verdict == "wrong_answer" and filling.failure["shrunk"] is True
    assert verdict_record(hit) == verdict_record(filling)


# -- misses ----------------------------------------------------------------------------------
def test_anything_in_the_key_changing_is_a_miss(
    kit: Kit, private: Path, monkeypatch: pytest.MonkeyPatch
):
    problem = kit.get("warm_ramp")
    fresh = prepare(problem, examples=FEW, seed=0)
    reference = grader_module._Reference(problem)
    expected = [reference.encoded(dict(case.args)) for case in fresh.cases]
    assert cache.store(problem, FEW, 0, fresh.cases, expected)
    assert cache.load(problem, FEW, 0) is not None

    assert cache.load(problem, FEW, 1) is None  # another seed
    assert cache.load(problem, FEW + 1, 0) is None  # more random cases
    newer = dataclasses.replace(problem, meta={**problem.meta, "version": 2})
    assert cache.load(newer, FEW, 0) is None  # a new problem version
    monkeypatch.setenv("JAX_DEFAULT_MATMUL_PRECISION", "highest")
    assert cache.load(problem, FEW, 0) is None  # JAX's numerics settings
    monkeypatch.delenv("JAX_DEFAULT_MATMUL_PRECISION")
    versions = cache._versions()
    installed = versions["jax"]
    versions["jax"] = "0.0.1"
    try:
        assert cache.load(problem, FEW, 0) is None  # another library version
    finally:
        versions["jax"] = installed
    assert cache.load(problem, FEW, 0) is not None  # nothing else changed

    for name in ("cases.py", "problem.toml"):
        path = problem.folder / name
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        assert cache.load(problem, FEW, 0) is None, name
    problem.solution.write_text(
        problem.solution.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
    )
    assert cache.load(problem, FEW, 0) is None


def test_a_change_to_the_package_is_a_miss(kit: Kit, private: Path, monkeypatch):
    problem = kit.get("warm_ramp")
    fresh = prepare(problem, examples=2, seed=0)
    reference = grader_module._Reference(problem)
    expected = [reference.encoded(dict(case.args)) for case in fresh.cases]
    assert cache.store(problem, 2, 0, fresh.cases, expected)
    monkeypatch.setattr(cache, "_package_digest", lambda: "another optax_sched")
    assert cache.load(problem, 2, 0) is None


@pytest.mark.parametrize(
    "damage",
    ["truncated", "flipped digit", "garbage", "empty", "other format", "other key", "bad values"],
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(
    damage: str, kit: Kit, private: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    problem = kit.get("warm_ramp")
    file = write(tmp_path, "solution.py", WARM_RAMP_FILES["wrong_answer"])
    monkeypatch.setenv(cache.ENV_VAR, "off")
    without = grade(problem, file, examples=FEW)
    monkeypatch.setenv(cache.ENV_VAR, str(private))
    grade(problem, file, examples=FEW)
    (path,) = entries(private)
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    header = json.loads(head)
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped digit":  # still valid JSON, different numbers: the checksum
        at = body.index(b'"data":"') + len(b'"data":"')
        flipped = b"B" if body[at : at + 1] != b"B" else b"C"
        data = head + b"\n" + body[:at] + flipped + body[at + 1 :]
    elif damage == "garbage":
        data = b"\x00\xff not json at all"
    elif damage == "empty":
        data = b""
    elif damage == "other format":
        data = json.dumps({**header, "format": 0}).encode() + b"\n" + body
    elif damage == "other key":
        header["key"] = {**header["key"], "seed": 99}
        data = json.dumps(header).encode() + b"\n" + body
    else:  # a consistent checksum over values that are not an entry
        body = json.dumps({"cases": [], "expected": [{"kind": "nothing"}]}).encode()
        header["checksum"] = cache._digest(body)
        data = json.dumps(header).encode() + b"\n" + body
    path.write_bytes(data)
    assert cache.load(problem, FEW, 0) is None

    again = grade(problem, file, examples=FEW)
    assert verdict_record(again) == verdict_record(without)
    assert cache.load(problem, FEW, 0) is not None  # recomputed and written back


def test_a_problem_keeps_its_most_recent_entries(kit: Kit, private: Path):
    problem = kit.get("warm_ramp")
    fresh = prepare(problem, examples=0, seed=0)
    reference = grader_module._Reference(problem)
    expected = [reference.encoded(dict(case.args)) for case in fresh.cases]
    for seed in range(cache.KEPT + 3):  # one entry per seed
        assert cache.store(problem, 0, seed, fresh.cases, expected)
    assert len(entries(private)) == cache.KEPT
    assert cache.load(problem, 0, cache.KEPT + 2) is not None  # the newest is kept


# -- what is never stored --------------------------------------------------------------------
def test_arguments_that_would_not_read_back_are_not_stored(private: Path, kit: Kit):
    problem = kit.get("warm_ramp")
    value = {"kind": "python", "type": "float", "value": 0.5}
    for odd in (np.float32(1.0), np.arange(3, dtype=object), 2**70):
        case = Case({"step": odd, "peak_lr": 1e-3, "warmup_steps": 10.0}, "odd")
        assert not cache.store(problem, 0, 0, [case], [value])
    assert entries(private) == []
    fine = Case({"step": -0.0, "peak_lr": float("nan"), "warmup_steps": [1.0, (2, True)]}, "x")
    assert cache.store(problem, 0, 0, [fine], [value])
    (got,) = cache.load(problem, 0, 0).cases
    assert cache._identical(dict(fine.args), dict(got.args))


def test_no_cache_writes_nothing_and_grades_the_same(
    kit: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(cache.ENV_VAR, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    file = write(tmp_path, "solution.py", WARM_RAMP_RIGHT)
    result = grade(kit.get("warm_ramp"), file, examples=FEW)
    assert result.verdict == "accepted"
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_a_cache_that_cannot_be_written_does_not_stop_a_check(
    kit: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    monkeypatch.setenv(cache.ENV_VAR, str(blocker))
    file = write(tmp_path, "solution.py", WARM_RAMP_RIGHT)
    result = grade(kit.get("warm_ramp"), file, examples=FEW)
    assert result.verdict == "accepted", result.message


def test_use_cache_false_neither_reads_nor_writes(kit: Kit, private: Path, tmp_path: Path):
    file = write(tmp_path, "solution.py", WARM_RAMP_RIGHT)
    grade(kit.get("warm_ramp"), file, examples=FEW, use_cache=False)
    assert entries(private) == []


def test_dev_checks_prepare_never_reads_the_cache(kit: Kit, private: Path, monkeypatch):
    problem = kit.get("warm_ramp")
    monkeypatch.setattr(cache, "load", lambda *a, **k: pytest.fail("prepare read the cache"))
    assert len(prepare(problem, examples=2).cases) == len(build_cases(problem, 2, 0))


# -- a broken reference decides, as when it ran before the learner's code -------------------
BROKEN_REFERENCE = """
def warm_ramp(step: float, peak_lr: float, warmup_steps: float):
    raise ValueError("the reference broke")
"""

LEARNER = {
    "accepted": WARM_RAMP_RIGHT,
    "stub": """
        def warm_ramp(step, peak_lr, warmup_steps):
            raise NotImplementedError
        """,
    "import error": "import no_such_module\n",
    "endless": """
        def warm_ramp(step, peak_lr, warmup_steps):
            while True:
                pass
        """,
}


@pytest.mark.parametrize("background", [True, False], ids=["beside the child", "before it"])
@pytest.mark.parametrize("learner", list(LEARNER))
def test_a_failing_reference_is_an_internal_error_whatever_the_learner_did(
    learner: str,
    background: bool,
    kit: Kit,
    private: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    problem = kit.get("warm_ramp")
    problem.solution.write_text(textwrap.dedent(BROKEN_REFERENCE).lstrip(), encoding="utf-8")
    monkeypatch.setattr(grader_module, "_cpus", lambda: 2 if background else 1)
    file = write(tmp_path, "solution.py", LEARNER[learner])
    result = grade(problem, file, examples=0, limits=Limits(run_s=1.0))
    assert result.verdict == "internal_error"
    assert result.message == (
        "warm_ramp: the reference or case generator failed: ValueError('the reference broke')"
    )
    assert result.tests == []
    assert entries(private) == []  # nothing stored from a failed reference
