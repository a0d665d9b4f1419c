"""A disk cache of each problem's cases and the reference's values for them.

Drawing a problem's random cases (hypothesis) and evaluating the reference on every one of
them costs the grader 0.3 to 4 seconds per check, and the answer only changes when the kit,
the libraries or the seed do. A learner re-checking after each save (``watch``) would pay it
every time; with this cache only the first check does.

An entry is written by the grader's own process, from the reference, never from anything
the runner child sends. It is found by a key that names everything the values depend on:

* the problem (id, version), the seed and the number of random cases;
* the bytes of the problem's ``cases.py``, ``problem.toml`` and reference file, and of every
  module of the ``optax_sched`` package (the grader itself, and the schedules references
  build on);
* the versions of Python and of the libraries that draw or compute the values (NumPy, JAX,
  jaxlib, optax, flax, chex, hypothesis, ml_dtypes);
* JAX's numerics settings (x64, matmul precision, every ``JAX_*``/``XLA_*`` variable) and
  the machine (its architecture and CPU features: XLA compiles for the host CPU).

A changed key is a miss, never a reuse. An entry stores its full key and a checksum of its
contents, so a truncated, damaged or hand-edited file is a miss too (and is replaced by
the recomputed one). Values are stored in the wire format (JSON, never pickle), and an
entry is only written when every case's arguments read back exactly as drawn, so a hit
gives the grader the very cases and values it would have computed.

The cache lives in ``$OPTAX_SCHED_CACHE`` when that is set (``off`` or an empty value turns
it off), else in ``$XDG_CACHE_HOME/optax-sched`` (``~/.cache/optax-sched``); never in the
learner's exercise folder. Each problem keeps its :data:`KEPT` newest entries. Deleting it
is always safe.

The runner child is never told where the cache is, but it runs as the same user, so code
bent on it could write there, as it could edit the kit's reference files: like the rest of
the grader without a sandbox, this guards against mistakes, not against a determined
learner cheating themselves.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import platform
import struct
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from optax_sched.kit import wire
from optax_sched.kit.contract import Case
from optax_sched.kit.problems import Problem

#: Bumped whenever the layout of an entry changes.
FORMAT = 1
#: The environment variable naming the cache folder (``off`` or empty: no cache).
ENV_VAR = "OPTAX_SCHED_CACHE"
#: Entries kept per problem (the most recently written).
KEPT = 8
#: Distributions whose version is part of every key.
LIBRARIES = ("numpy", "jax", "jaxlib", "optax", "flax", "chex", "hypothesis", "ml_dtypes")
_OFF = ("", "0", "off", "false", "no", "none")
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    chosen = os.environ.get(ENV_VAR)
    if chosen is not None:
        if chosen.strip().lower() in _OFF:
            return None
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "optax-sched"


@dataclass(frozen=True)
class Entry:
    """What a hit gives back: the cases in order, their expected values, and the
    reference's gradients (None when the problem checks none, or they were not stored)."""

    cases: list[Case]
    expected: list[wire.Value]
    grads: list[wire.Value] | None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return _digest(path.read_bytes())
    except OSError:
        return "missing"


#: The last package digest, with the (path, size, mtime) of every file it was made from.
_last_package: tuple[tuple[tuple[str, int, int], ...], str] = ((), "")


def _package_digest() -> str:
    """One digest over every module of the installed ``optax_sched`` package (read again
    only when a file's size or modification time changed)."""
    global _last_package
    paths = sorted(_PACKAGE.rglob("*.py"))
    stamps = []
    for path in paths:
        try:
            info = path.stat()
            stamps.append((str(path), info.st_size, info.st_mtime_ns))
        except OSError:
            stamps.append((str(path), -1, -1))
    signature = tuple(stamps)
    if signature == _last_package[0]:
        return _last_package[1]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(_file_digest(path).encode() + b"\0")
    _last_package = (signature, digest.hexdigest())
    return _last_package[1]


@functools.cache
def _versions() -> dict[str, str]:
    from importlib import metadata

    found = {"python": sys.version}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


@functools.cache
def _machine() -> dict[str, str]:
    flags = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            flags = next((line for line in info if line.startswith(("flags", "Features"))), "")
    except OSError:
        pass
    return {
        "system": platform.system(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_features": _digest(flags.encode()),
    }


def _numerics() -> dict[str, Any]:
    import jax

    return {
        "x64": bool(jax.config.jax_enable_x64),
        "matmul_precision": str(jax.config.jax_default_matmul_precision),
        "environment": {
            name: value
            for name, value in sorted(os.environ.items())
            if name.startswith(("JAX_", "XLA_"))
        },
    }


def key(problem: Problem, examples: int, seed: int) -> dict[str, Any]:
    """Everything the cases and expected values of one check depend on."""
    return {
        "format": FORMAT,
        "problem": problem.id,
        "version": problem.version,
        "examples": int(examples),
        "seed": int(seed),
        "files": {
            "cases.py": _file_digest(problem.folder / "cases.py"),
            "problem.toml": _file_digest(problem.folder / "problem.toml"),
            "reference": _file_digest(problem.solution),
            "optax_sched": _package_digest(),
        },
        "versions": _versions(),
        "numerics": _numerics(),
        "machine": _machine(),
    }


def _path(root: Path, problem_id: str, fingerprint: Mapping[str, Any]) -> Path:
    name = _digest(json.dumps(fingerprint, sort_keys=True).encode())[:32]
    return root / "expected" / problem_id / f"{name}.json"


def load(problem: Problem, examples: int, seed: int) -> Entry | None:
    """The stored entry for this check, or None (no cache, a miss, or a damaged file)."""
    root = cache_dir()
    if root is None:
        return None
    try:
        fingerprint = key(problem, examples, seed)
        data = _path(root, problem.id, fingerprint).read_bytes()
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        if (
            not isinstance(header, dict)
            or header.get("format") != FORMAT
            or header.get("key") != json.loads(json.dumps(fingerprint))
            or header.get("checksum") != _digest(body)
        ):
            return None
        return _entry(json.loads(body))
    except Exception:  # a cache must never stop a check: anything odd is a miss
        return None


def _entry(payload: dict[str, Any]) -> Entry:
    cases = [
        Case(wire.decode_args(item["args"]), str(item["name"]), str(item["note"]))
        for item in payload["cases"]
    ]
    expected = [wire.decode(item) for item in payload["expected"]]
    if len(expected) != len(cases) or any(value.kind == "other" for value in expected):
        raise ValueError("the entry's expected values do not match its cases")
    grads = None
    if payload.get("grads") is not None:
        grads = [wire.decode(item) for item in payload["grads"]]
        if len(grads) != len(cases):
            raise ValueError("the entry's gradients do not match its cases")
    return Entry(cases, expected, grads)


def store(
    problem: Problem,
    examples: int,
    seed: int,
    cases: Sequence[Case],
    expected: Sequence[dict[str, Any]],
    grads: Sequence[dict[str, Any]] | None = None,
) -> bool:
    """Write an entry from wire-encoded values; returns whether one was written.

    Nothing is written when caching is off, when a case's arguments would not read back
    exactly as they are (a type the wire format does not keep, such as a NumPy scalar or
    a ``jax.Array``), or when the folder cannot be written.
    """
    try:
        return _store(problem, examples, seed, cases, expected, grads)
    except Exception:  # a cache must never stop a check: a failed write is just no entry
        return False


def _store(
    problem: Problem,
    examples: int,
    seed: int,
    cases: Sequence[Case],
    expected: Sequence[dict[str, Any]],
    grads: Sequence[dict[str, Any]] | None,
) -> bool:
    root = cache_dir()
    if root is None:
        return False
    encoded = []
    for case in cases:
        args = wire.encode_args(dict(case.args))
        if not _identical(dict(case.args), wire.decode_args(args)):
            return False
        encoded.append({"name": case.name, "note": case.note, "args": args})
    payload = {
        "cases": encoded,
        "expected": list(expected),
        "grads": None if grads is None else list(grads),
    }
    try:
        body = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:  # a non-finite float outside the wire format's own encoding
        return False
    fingerprint = key(problem, examples, seed)
    header = {"format": FORMAT, "key": fingerprint, "checksum": _digest(body)}
    path = _path(root, problem.id, fingerprint)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed over it: a reader sees the old file or the new
    # one, never half of one (several checks may write the same entry at once).
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(json.dumps(header, separators=(",", ":")).encode() + b"\n" + body)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _prune(path.parent, keep=path)
    return True


def _prune(folder: Path, keep: Path) -> None:
    """Keep a problem's :data:`KEPT` most recent entries (each new package version, seed
    or example count makes a new one; the old ones are never read again)."""
    others = []
    for entry in folder.glob("*.json"):
        if entry != keep:
            with contextlib.suppress(OSError):
                others.append((entry.stat().st_mtime_ns, entry))
    others.sort(reverse=True)
    for _, entry in others[KEPT - 1 :]:
        with contextlib.suppress(OSError):
            entry.unlink()


def _identical(a: Any, b: Any) -> bool:
    """Whether ``b`` is ``a`` exactly: the same types all the way down, the same dtypes,
    shapes and bytes (so -0.0 and NaN payloads count), the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, bool | int | str) or a is None:
        return a == b
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_identical(a[k], b[k]) for k in a)
    return False
