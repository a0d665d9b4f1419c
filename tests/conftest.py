"""Shared by every test: the grader's expected-value cache lives in this session's
temporary folder, never in the user's own cache (``~/.cache/optax-sched``)."""

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPTAX_SCHED_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
