"""Starting the runner child by forking the ``optax-sched`` command instead of a new Python.

A new interpreter spends about 0.6 s importing JAX before it can load the learner's file;
the command has already paid that. Forked from it, the child starts with JAX imported and
then becomes exactly what :class:`~optax_sched.kit.runner.Runner` would have started with
``subprocess.Popen``: a new session and process group, stdin from ``/dev/null``, stdout and
stderr into the capture pipe, no other file descriptor of the command, the learner's folder
as working directory, the runner's environment, fresh unbuffered ``sys.std*`` streams,
``sys.argv`` and ``sys.path`` as ``python _child.py REQ RESP`` has them, no ``optax_sched``
module (the learner's ``import optax_sched`` starts from scratch, and none of the grader's
modules can be reached by name), a reseeded NumPy global generator, and ``_child.py`` run
as ``__main__``. Only the runner child runs learner code, as before, and it is killed as a
process group, as before.

Forking is only safe in a process that runs no other thread and has not started a JAX
backend (XLA's thread pools do not survive a fork). So it is opt-in: the console script
calls :func:`allow` before any command runs, and :func:`possible` then checks, for every
child, that the process is still in that state and its environment is the one JAX was
imported with; otherwise (the children of ``check --all``, those ``watch`` starts after
its first check, the grader used as a library, tests that call the CLI in-process) the
runner starts a new interpreter as always. ``OPTAX_SCHED_KIT_FORK=0`` turns forking off.
"""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

#: Set to ``0`` to start every runner child as a new interpreter.
ENV_VAR = "OPTAX_SCHED_KIT_FORK"
#: What :func:`allow` recorded: the environment, ``sys.path`` and stream settings a new
#: interpreter would have; None while forking is not allowed.
_allowed: dict[str, Any] | None = None


def allow() -> None:
    """Let runner children be forked from this process while that stays safe.

    Called by the ``optax-sched`` console script before its command runs (after its
    imports, so the environment recorded is the one JAX read when it was imported). Does
    nothing when ``$OPTAX_SCHED_KIT_FORK`` is ``0``, or when the interpreter was started
    with options of its own (``python -I ...``): a child started as ``python _child.py``
    would not have them, so it could differ from a forked one.
    """
    global _allowed
    if os.environ.get(ENV_VAR, "").strip().lower() in ("0", "off", "false", "no"):
        return
    command = getattr(sys, "orig_argv", [])
    stdout = sys.__stdout__
    if len(command) < 2 or command[1].startswith("-") or stdout is None:
        return
    _allowed = {
        "environment": dict(os.environ),
        # sys.path[0] is the script's own folder; ``python _child.py`` has the kit's folder
        # there instead (which _child.py removes), and the same entries after it.
        "path": list(sys.path[1:]),
        # The streams' settings a new interpreter picks from the same locale and variables.
        "encoding": stdout.encoding,
        "errors": stdout.errors,
    }


def disallow() -> None:
    """Start every runner child as a new interpreter again (the default)."""
    global _allowed
    _allowed = None


def possible(cwd: Path | None) -> bool:
    """Whether a runner child for ``cwd`` may be forked from this process right now."""
    if _allowed is None or not hasattr(os, "fork") or sys.platform == "darwin":
        return False  # macOS: system frameworks are not fork-safe once loaded
    if threading.active_count() != 1 or dict(os.environ) != _allowed["environment"]:
        return False
    if cwd is not None and not Path(cwd).is_dir():
        return False  # Popen reports a missing folder; leave that to it
    if "jax" in sys.modules:
        try:
            from jax._src import xla_bridge

            if xla_bridge.backends_are_initialized():
                return False
        except Exception:  # an unknown JAX: do not guess
            return False
    return True


class Forked:
    """A forked runner child, with the part of ``subprocess.Popen``'s interface the runner
    uses (``pid``, ``stdout``, ``poll``, ``wait``, ``returncode``)."""

    def __init__(self, pid: int, stdout: IO[bytes]) -> None:
        self.pid = pid
        self.stdout = stdout
        self.returncode: int | None = None
        self._lock = threading.Lock()

    def poll(self) -> int | None:
        """The exit status if the child has exited (negative: the signal that killed it)."""
        with self._lock:
            if self.returncode is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:  # reaped elsewhere: the status is lost
                    self.returncode = 0
                else:
                    if pid:
                        self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the child to exit; ``subprocess.TimeoutExpired`` after ``timeout`` s."""
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.0005
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"runner child {self.pid}", timeout)
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        return code


def start(
    child: Path, req_read: int, resp_write: int, cwd: Path | None, env: Mapping[str, str]
) -> Forked:
    """Fork the runner child; it runs ``child`` (``_child.py``) as a new interpreter would.

    ``req_read`` and ``resp_write`` are the child's ends of its private pipes; the caller
    closes its copies afterwards, as with ``Popen(pass_fds=...)``.
    """
    assert _allowed is not None
    encoding, errors, path = _allowed["encoding"], _allowed["errors"], _allowed["path"]
    out_read, out_write = os.pipe()
    sync_read, sync_write = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ counts NumPy's idle BLAS thread (fork-safe: it re-creates its pool
        # in a forked child) and warns; this process runs no other Python thread.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        code, streams = 1, False
        try:
            os.close(sync_read)
            os.close(out_read)
            os.setsid()
            os.write(sync_write, b"1")
            os.close(sync_write)
            req, resp = _setup(out_write, req_read, resp_write, cwd, env, encoding, errors)
            streams = True
            sys.argv = [str(child), str(req), str(resp)]
            sys.path[:] = [str(child.parent), *path]
            code = _run(child)
        except BaseException:
            if streams:  # before that, stderr is still the command's own
                with contextlib.suppress(BaseException):
                    traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr) if streams else ():
                with contextlib.suppress(BaseException):
                    stream.flush()
            os._exit(code)
    os.close(out_write)
    os.close(sync_write)
    try:
        # Return once the child leads its own process group, so that killing the group
        # from now on reaches it (Popen also returns only after its child's setsid).
        os.read(sync_read, 1)
    finally:
        os.close(sync_read)
    return Forked(pid, open(out_read, "rb"))


def _setup(
    out_write: int,
    req_read: int,
    resp_write: int,
    cwd: Path | None,
    env: Mapping[str, str],
    encoding: str,
    errors: str,
) -> tuple[int, int]:
    """In the forked child: descriptors, folder, environment, streams, modules."""
    import fcntl  # POSIX only, as forking is

    # Out of the way of 0-2 first (a command started with a closed stdin gets pipes there).
    req = fcntl.fcntl(req_read, fcntl.F_DUPFD, 3)
    resp = fcntl.fcntl(resp_write, fcntl.F_DUPFD, 3)
    out = fcntl.fcntl(out_write, fcntl.F_DUPFD, 3)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    _close_all_but({req, resp})
    if cwd is not None:
        os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    # As a new interpreter with PYTHONUNBUFFERED=1 and its stdio on pipes sets them up.
    sys.stdin = sys.__stdin__ = _stream(0, "r", encoding, errors)
    sys.stdout = sys.__stdout__ = _stream(1, "w", encoding, errors)
    sys.stderr = sys.__stderr__ = _stream(2, "w", encoding, "backslashreplace")
    sys.excepthook = sys.__excepthook__
    for name in [n for n in sys.modules if n == "optax_sched" or n.startswith("optax_sched.")]:
        del sys.modules[name]
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()  # a new interpreter seeds NumPy's global generator afresh
    return req, resp


def _close_all_but(keep: set[int]) -> None:
    """Close every descriptor from 3 on except ``keep`` (as ``Popen(close_fds=True)``)."""
    try:
        found = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: every possible number
        try:
            limit = int(os.sysconf("SC_OPEN_MAX"))
        except (OSError, ValueError):
            limit = 65536
        found = list(range(3, limit))
    for fd in found:
        if fd >= 3 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _stream(fd: int, mode: str, encoding: str, errors: str) -> Any:
    """``sys.std*`` as Python builds it with PYTHONUNBUFFERED=1: write-through text over an
    unbuffered binary stream (stdin keeps a buffer: text reading needs one)."""
    if mode == "r":
        binary = open(fd, "rb", buffering=-1, closefd=False)
        binary.raw.name = "<stdin>"
    else:
        binary = open(fd, "wb", buffering=0, closefd=False)
        binary.name = "<stdout>" if fd == 1 else "<stderr>"
    stream = io.TextIOWrapper(binary, encoding, errors, "\n", False, True)
    stream.mode = mode
    return stream


def _run(child: Path) -> int:
    """Run ``child`` as ``__main__`` and turn how it ended into an exit status, as the
    interpreter does."""
    try:
        runpy.run_path(str(child), run_name="__main__")
    except SystemExit as stop:
        if stop.code is None:
            return 0
        if isinstance(stop.code, int):
            return stop.code
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException:  # printed like an uncaught exception
        traceback.print_exc()
        return 1
    return 0
