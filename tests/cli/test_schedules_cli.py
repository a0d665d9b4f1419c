"""`optax-sched list` and `optax-sched show`, as a user types them."""

import re

import pytest
from typer.testing import CliRunner

from optax_sched.cli import app
from optax_sched.schedules import FACTORIES

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def test_readme_main_command():
    result = _run(
        "show",
        "warmup_cosine",
        "peak_lr=2e-4",
        "total_steps=10_000",
        "warmup_steps=0.03",
        "min_lr=2e-5",
    )
    assert result.exit_code == 0, result.output
    rows = dict(re.findall(r"│\s+([\d,]+) │\s+([\d.e+-]+) │", result.output))
    assert rows["0"] == "0.0000e+00"
    assert rows["300"] == "2.0000e-04"  # warmup of ceil(0.03 * 10_000) = 300 steps
    assert rows["10,000"] == "2.0000e-05"


def test_show_explicit_steps():
    result = _run(
        "show",
        "cycle_decay",
        "base_lr=5e-5",
        "steps_per_cycle=100",
        "decay_factor=0.85",
        "--steps",
        "0,200,400",
    )
    assert result.exit_code == 0, result.output
    for value in ("5.0000e-05", "3.6125e-05", "2.6100e-05"):
        assert value in result.output


def test_schedules_names_every_schedule():
    result = _run("schedules")
    assert result.exit_code == 0
    for name in FACTORIES:
        assert name in result.output
    assert "``" not in result.output and ":math:" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "warmup_cosin", "peak_lr=1"], "Did you mean 'warmup_cosine'"),
        (["show", "warmup_cosine", "peak_lr=1", "total_step=10"], "Did you mean 'total_steps'"),
        (["show", "warmup_cosine", "peak_lr=1"], "needs total_steps"),
        (["show", "warmup_cosine", "peak_lr"], "expected PARAM=VALUE"),
        (
            ["show", "warmup_cosine", "peak_lr=1", "total_steps=10", "warmup_steps=20"],
            "warmup_steps must be < total_steps",
        ),
        (["show", "warmup_cosine", "peak_lr=-1", "total_steps=10"], "peak_lr must be >= 0"),
        (["show", "constant", "lr=1", "--steps", "a,b"], "--steps must be comma-separated ints"),
        (["show", "multi_stage"], "multi_stage combines or wraps other schedules"),
        (
            ["show", "warmup_cosine", "peak_lr=1", "total_steps=10", "warmup_steps=1.5"],
            "e.g. 0.015 for 1.5%",
        ),
    ],
)
def test_bad_input_exits_2_with_a_message(args, message):
    result = _run(*args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
