"""When the runner child may be forked from the grading process (optax_sched.kit._fork).

Forking itself is exercised end to end in subprocesses (this test process runs JAX and may
not fork): in test_grader.py (every kind of verdict, forked and not, compared) and in
tests/cli/test_kit_cli.py (the child's interpreter state, forked and not, compared).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from jax._src import xla_bridge

from optax_sched.kit import _fork


@pytest.fixture
def allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as if it were the console script, with no JAX backend started.

    Tests call :func:`_fork.allow` themselves: pytest changes ``PYTEST_CURRENT_TEST`` in
    the environment between a fixture and its test.
    """
    monkeypatch.setattr(sys, "orig_argv", [sys.executable, "/somewhere/optax-sched", "check"])
    monkeypatch.delenv(_fork.ENV_VAR, raising=False)
    monkeypatch.setattr(xla_bridge, "backends_are_initialized", lambda: False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    yield
    _fork.disallow()


def test_nothing_is_forked_unless_the_command_allowed_it(tmp_path: Path) -> None:
    _fork.disallow()
    assert not _fork.possible(tmp_path)


def test_the_console_script_state_allows_it(allowed: None, tmp_path: Path) -> None:
    _fork.allow()
    assert _fork.possible(tmp_path)
    assert _fork.possible(None)


def test_not_with_another_thread(allowed: None, tmp_path: Path, monkeypatch) -> None:
    _fork.allow()
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not _fork.possible(tmp_path)


def test_not_once_a_jax_backend_runs(allowed: None, tmp_path: Path, monkeypatch) -> None:
    _fork.allow()
    monkeypatch.setattr(xla_bridge, "backends_are_initialized", lambda: True)
    assert not _fork.possible(tmp_path)


def test_not_when_the_environment_changed(allowed: None, tmp_path: Path, monkeypatch) -> None:
    _fork.allow()
    monkeypatch.setenv("JAX_ENABLE_X64", "1")  # JAX read the old value when it was imported
    assert not _fork.possible(tmp_path)


def test_not_for_a_missing_folder(allowed: None, tmp_path: Path) -> None:
    _fork.allow()
    assert not _fork.possible(tmp_path / "nowhere")  # Popen reports that, as before


@pytest.mark.parametrize(
    "command",
    [
        ["python", "-I", "/somewhere/optax-sched", "check"],
        ["python", "-c", "from optax_sched.cli import main; main()"],
        ["python"],
    ],
    ids=["interpreter option", "python -c", "no script"],
)
def test_not_allowed_when_a_new_interpreter_would_differ(
    command: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "orig_argv", command)
    monkeypatch.setattr(xla_bridge, "backends_are_initialized", lambda: False)
    _fork.allow()
    try:
        assert not _fork.possible(tmp_path)
    finally:
        _fork.disallow()


def test_the_switch_turns_it_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "orig_argv", [sys.executable, "/somewhere/optax-sched"])
    monkeypatch.setattr(xla_bridge, "backends_are_initialized", lambda: False)
    monkeypatch.setenv(_fork.ENV_VAR, "0")
    _fork.allow()
    try:
        assert not _fork.possible(tmp_path)
    finally:
        _fork.disallow()


def test_the_recorded_path_is_a_new_interpreters(allowed: None) -> None:
    _fork.allow()
    # sys.path[0] is the script's folder; a new ``python _child.py`` has the kit's folder
    # there instead (which the child drops), then the same entries.
    assert _fork._allowed["path"] == sys.path[1:]
    assert _fork._allowed["environment"] == dict(os.environ)
