"""`optax-sched schedules`, as a user types it (`show` is in test_calculator_cli.py)."""

from typer.testing import CliRunner

from optax_sched.cli import app
from optax_sched.schedules import FACTORIES

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def test_schedules_names_every_schedule():
    result = _run("schedules")
    assert result.exit_code == 0
    for name in FACTORIES:
        assert name in result.output
    assert "``" not in result.output and ":math:" not in result.output
