"""The parent's side of the runner child: spawn, talk, time, cap, kill.

A :class:`Runner` starts ``_child.py`` in a new process group with two private pipes (the
learner's stdout and stderr go to a third pipe that a thread drains and caps): as a new
interpreter, or, from the ``optax-sched`` command while that is safe, forked from it with
JAX already imported and then set up the same way (:mod:`optax_sched.kit._fork`). Every
request waits under the budget of the phase the child says it is in (startup, import,
compile, run), so a learner's infinite loop, inside Python or inside XLA, costs at most that
budget: then the whole process group is killed with SIGKILL, which no signal handler or busy
native code can ignore. Nothing the child sends is trusted beyond being data.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optax_sched.kit import _fork, wire

CHILD = Path(__file__).with_name("_child.py")

#: Every runner of this process whose child may still be running (see :func:`kill_all`).
_LIVE: weakref.WeakSet[Runner] = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


def kill_all() -> None:
    """Kill the child of every runner of this process (``check --all`` on Ctrl-C)."""
    with _LIVE_LOCK:
        runners = list(_LIVE)
    for runner in runners:
        runner.kill()


@dataclass(frozen=True)
class Limits:
    """Time and output budgets of one grading run.

    Attributes:
      startup_s: starting Python and importing JAX, before any learner code runs.
      import_s: importing the learner's file (at least 10 s: ``import jax, optax`` alone
        takes 1-2 s on a small machine).
      compile_s: tracing and compiling under ``jax.jit``/``vmap``, all calls together.
      run_s: running the learner's function, all calls together (the problem's time limit).
      output_bytes: learner output beyond this stops the run.
      keep_output: how much of the learner's output is kept to show back.
    """

    startup_s: float = 60.0
    import_s: float = 20.0
    compile_s: float = 30.0
    run_s: float = 10.0
    output_bytes: int = 1_000_000
    keep_output: int = 4_000

    def __post_init__(self) -> None:
        if self.import_s < 10:
            raise ValueError(
                f"Limits: import_s must be >= 10 seconds (importing jax and optax alone "
                f"takes 1-2 s); got import_s={self.import_s!r}."
            )
        for name in ("startup_s", "compile_s", "run_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"Limits: {name} must be > 0; got {getattr(self, name)!r}.")

    def budget(self, phase: str) -> float:
        """Seconds allowed in ``phase`` (startup, import, compile or run)."""
        return {
            "startup": self.startup_s,
            "import": self.import_s,
            "compile": self.compile_s,
            "run": self.run_s,
        }[phase]


class ChildFailure(Exception):
    """The child stopped answering: killed at a time or output limit, or it died.

    Attributes:
      reason: ``"time_limit"``, ``"output_limit"``, ``"died"`` or ``"protocol"``.
      phase: the phase it was in (startup, import, compile, run).
      returncode: the process's exit status when it died (negative: killed by a signal).
    """

    def __init__(self, reason: str, phase: str, message: str, returncode: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.phase = phase
        self.returncode = returncode


@dataclass
class _Output:
    kept: bytearray = field(default_factory=bytearray)
    total: int = 0
    over: threading.Event = field(default_factory=threading.Event)


class Runner:
    """One runner child, used by one grading run.

    Args:
      limits: the budgets.
      backend: a JAX platform name (``cpu``, ``gpu``, ``tpu``) to pin the child to, or None
        for JAX's default.
      cwd: the child's working directory (the learner's folder).
    """

    def __init__(self, limits: Limits, backend: str | None = None, cwd: Path | None = None):
        self.limits = limits
        self.backend = backend
        self.spent = dict.fromkeys(("startup", "import", "compile", "run"), 0.0)
        self.phase = "startup"
        self.environment: dict[str, Any] = {}
        self._output = _Output()
        self._buffer = b""
        self._lock = threading.Lock()
        self._killed = False
        self._used = False
        req_read, self._req_write = os.pipe()
        self._resp_read, resp_write = os.pipe()
        env = dict(os.environ)
        env.update(PYTHONUNBUFFERED="1", XLA_PYTHON_CLIENT_PREALLOCATE="false")
        env.pop("PYTHONSTARTUP", None)
        env.pop("OPTAX_SCHED_KIT_BACKEND", None)
        if backend:
            env["OPTAX_SCHED_KIT_BACKEND"] = backend
        self.process: subprocess.Popen | _fork.Forked
        #: Whether the child was forked from this process (see :mod:`._fork`) rather than
        #: started as a new interpreter.
        self.forked = _fork.possible(cwd)
        if self.forked:
            self.process = _fork.start(CHILD, req_read, resp_write, cwd, env)
        else:
            self.process = subprocess.Popen(
                [sys.executable, str(CHILD), str(req_read), str(resp_write)],
                pass_fds=(req_read, resp_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=cwd,
                env=env,
            )
        os.close(req_read)
        os.close(resp_write)
        with _LIVE_LOCK:
            _LIVE.add(self)
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()

    # -- output -----------------------------------------------------------------------------
    def _drain(self) -> None:
        stream = self.process.stdout
        while chunk := stream.read1(65536):
            out = self._output  # renew() starts a new record per graded file
            out.total += len(chunk)
            room = self.limits.keep_output * 4 - len(out.kept)
            if room > 0:
                out.kept += chunk[:room]
            if out.total > self.limits.output_bytes and not out.over.is_set():
                out.over.set()
                self.kill()

    @property
    def alive(self) -> bool:
        """Whether the child is running and answering (not killed, not exited)."""
        return not self._killed and self.process.poll() is None and bool(self.environment)

    def renew(self, limits: Limits) -> None:
        """Start afresh on the next file: new budgets, and an empty output record once a
        file was graded here (what the child printed while starting is kept for the first,
        as it is when the grade starts the child itself)."""
        self.limits = limits
        self.spent = dict.fromkeys(self.spent, 0.0)
        self.phase = "import"
        if self._used:
            self._output = _Output()
        self._used = True

    @property
    def output(self) -> tuple[str, int]:
        """The learner's output so far (capped) and how many bytes it printed in all."""
        text = self._output.kept.decode("utf-8", "replace")
        if len(text) > self.limits.keep_output:
            text = text[: self.limits.keep_output]
        return text, self._output.total

    # -- protocol ---------------------------------------------------------------------------
    def start(self) -> dict[str, Any]:
        """Wait for the child to import JAX; returns its environment record."""
        message = self._wait_for(("ready",))
        self.environment = message["environment"]
        return self.environment

    def request(self, op: str, **payload: Any) -> dict[str, Any]:
        """Send one request and wait for its result under the phase budgets."""
        try:
            self._send({"op": op, **payload})
        except OSError:
            raise self._failure() from None
        return self._wait_for(("result",))

    def close(self) -> None:
        """Ask the child to finish, then make sure its whole process group is gone."""
        if not self._killed:
            try:
                self._send({"op": "bye"})
                self._wait_for(("bye",), patience=2.0)
            except (ChildFailure, OSError):
                pass
        self.kill()
        for fd in (self._req_write, self._resp_read):
            try:
                os.close(fd)
            except OSError:
                pass
        self._drainer.join(timeout=2.0)

    def kill(self) -> None:
        """SIGKILL the child's process group (grandchildren included), once.

        The group is killed before the child is reaped, so its id cannot have been reused.
        """
        with self._lock:
            if self._killed:
                return
            self._killed = True
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not fail
                pass

    def _send(self, message: dict[str, Any]) -> None:
        data = wire.dumps(message)
        while data:
            data = data[os.write(self._req_write, data) :]

    def _failure(self) -> ChildFailure:
        if self._output.over.is_set():
            return ChildFailure(
                "output_limit",
                self.phase,
                f"the code printed more than {self.limits.output_bytes:,} bytes, so it was "
                "stopped (a print inside a long loop?)",
            )
        if self._still_running(patience=1.0):
            self.kill()
            return ChildFailure(
                "died",
                self.phase,
                "the process closed the grader's private channel and was stopped (did the code "
                "close file descriptors it did not open?)",
            )
        self.kill()
        code = self.process.returncode
        if code is not None and code < 0:
            how = f"was killed by signal {-code} ({signal.Signals(-code).name})"
            if -code == signal.SIGKILL:
                how += "; out of memory?"
        else:
            how = f"exited with status {code}"
            if code == 0:
                how += " (the code called os._exit or sys.exit during a call?)"
        return ChildFailure(
            "died", self.phase, f"the process {how} before reporting a result", code
        )

    def _still_running(self, patience: float) -> bool:
        """Whether the child is alive ``patience`` seconds on, without reaping it (its
        pipe closes while it exits, a moment before it can be waited for)."""
        deadline = time.monotonic() + patience
        while True:
            try:
                exited = os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:  # already reaped
                return False
            if exited is not None:
                return False
            if time.monotonic() > deadline:
                return True
            time.sleep(0.01)

    def _wait_for(self, events: tuple[str, ...], patience: float | None = None) -> dict[str, Any]:
        started = time.monotonic()
        phase_started = started
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                try:
                    message = wire.loads(line)
                except ValueError:
                    self.kill()
                    raise ChildFailure(
                        "protocol", self.phase, "the grader's private channel was corrupted"
                    ) from None
                kind = message.get("event")
                if kind == "phase":
                    now = time.monotonic()
                    self.spent[self.phase] += now - phase_started
                    phase_started = now
                    self.phase = str(message.get("phase", self.phase))
                    if self.phase not in self.spent:
                        self.phase = "run"
                elif kind in events:
                    self.spent[self.phase] += time.monotonic() - phase_started
                    return message
            now = time.monotonic()
            if self._output.over.is_set():
                raise self._failure()
            left = self.limits.budget(self.phase) - self.spent[self.phase] - (now - phase_started)
            if patience is not None:
                left = min(left, patience - (now - started))
            if left <= 0:
                self.spent[self.phase] += now - phase_started
                self.kill()
                raise ChildFailure(
                    "time_limit",
                    self.phase,
                    f"the {self.phase} phase ran past its {self.limits.budget(self.phase):g} s "
                    "budget, so the process was stopped",
                )
            ready, _, _ = select.select([self._resp_read], [], [], min(left, 0.25))
            if ready:
                chunk = os.read(self._resp_read, 1 << 20)
                if not chunk:
                    raise self._failure()
                self._buffer += chunk
