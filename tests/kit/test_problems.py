"""Loading a kit: broken folders are reported, not fatal."""

import shutil
from pathlib import Path

from optax_sched.kit import Kit
from optax_sched.kit.devcheck import dev_check

REPO = Path(__file__).resolve().parents[2]


def test_a_half_written_problem_blocks_nobody_but_fails_dev_check(tmp_path):
    shutil.copytree(REPO / "problems" / "lr_at_step", tmp_path / "problems" / "lr_at_step")
    (tmp_path / "solutions").mkdir()
    shutil.copy(REPO / "solutions" / "lr_at_step.py", tmp_path / "solutions")
    (tmp_path / "problems" / "draft").mkdir()  # no problem.toml yet
    (tmp_path / "problems" / "bad_toml").mkdir()
    (tmp_path / "problems" / "bad_toml" / "problem.toml").write_text("id = [\n")

    kit = Kit.load(tmp_path)
    assert kit.ids == ("lr_at_step",)
    reasons = dict(kit.broken)
    assert set(reasons) == {"draft", "bad_toml"}
    assert "problem.toml: missing" in reasons["draft"]
    assert "not valid TOML" in reasons["bad_toml"]


def test_dev_check_fails_broken_folders(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "problems" / "draft").mkdir(parents=True)  # no problem.toml yet
    findings = dev_check(Kit.load(tmp_path))
    assert [(f.problem, f.ok) for f in findings] == [("draft", False)]
    assert "problem.toml: missing" in findings[0].message
