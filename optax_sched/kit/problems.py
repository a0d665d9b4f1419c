"""Problems on disk: one folder each, plus one reference file.

The layout (a new problem is one folder and one file)::

    problems/<id>/README.md      the statement: fixed ``##`` sections, hints as a numbered list
    problems/<id>/problem.toml   metadata: title, difficulty, order, function, time limit, ...
    problems/<id>/stub.py        what the learner starts from (raises NotImplementedError)
    problems/<id>/cases.py       CONTRACT, edge_cases(), random_cases() for the grader
    problems/<id>/mistakes/*.py  known-wrong solutions, each listed in problem.toml
    solutions/<id>.py            the reference

The kit (the folder holding ``problems/`` and ``solutions/``) is found from
``$OPTAX_SCHED_KIT`` or next to the installed package (a source checkout).
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import inspect
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from optax_sched.kit.contract import Tolerance

#: The statement's sections, in order.
SECTIONS = (
    "Why it matters",
    "The concept",
    "Pitfalls",
    "The problem",
    "Inputs",
    "Output",
    "Hints",
)
DIFFICULTIES = ("easy", "medium", "hard")
#: Verdicts a known-wrong solution may be declared to get.
MISTAKE_VERDICTS = (
    "wrong_answer",
    "contract_mismatch",
    "not_jittable",
    "vmap_mismatch",
    "grad_mismatch",
    "runtime_error",
    "time_limit",
    "syntax_error",
)
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
REQUIRED = ("id", "title", "difficulty", "category", "order", "function", "signature")


class KitError(Exception):
    """The kit or one of its problems cannot be loaded; the message names the file."""


@dataclass(frozen=True)
class Mistake:
    """A known-wrong solution and the verdict it must get."""

    file: Path
    verdict: str
    why: str


@dataclass(frozen=True)
class Problem:
    """One problem, as loaded from its folder."""

    id: str
    folder: Path
    solution: Path
    meta: dict[str, Any]
    statement: str

    # -- metadata ---------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.id))

    @property
    def difficulty(self) -> str:
        return str(self.meta.get("difficulty", ""))

    @property
    def category(self) -> str:
        return str(self.meta.get("category", ""))

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self.meta.get("tags", ()))

    @property
    def order(self) -> int:
        return int(self.meta.get("order", 0))

    @property
    def prerequisites(self) -> tuple[str, ...]:
        return tuple(self.meta.get("prerequisites", ()))

    @property
    def function(self) -> str:
        return str(self.meta.get("function", self.id))

    @property
    def signature(self) -> str:
        return str(self.meta.get("signature", ""))

    @property
    def version(self) -> int:
        return int(self.meta.get("version", 1))

    @property
    def time_limit(self) -> float:
        """Seconds the learner's calls may run in all (compile time is budgeted apart)."""
        return float(self.meta.get("time_limit", 10))

    @property
    def examples(self) -> int:
        """How many random cases a check draws (on top of the edge cases); problems whose
        every call is expensive (an optimizer loop) declare fewer."""
        return int(self.meta.get("examples", 100))

    @property
    def tolerance(self) -> Tolerance:
        table = dict(self.meta.get("tolerance", {}))
        backends = {
            name: (value.get("rtol"), value.get("atol"))
            for name, value in table.items()
            if isinstance(value, dict)
        }
        return Tolerance(
            rtol=table.get("rtol"),
            atol=table.get("atol"),
            grad_rtol=table.get("grad_rtol", Tolerance.grad_rtol),
            backends=backends,
        )

    @property
    def mistakes(self) -> tuple[Mistake, ...]:
        return tuple(
            Mistake(self.folder / "mistakes" / m["file"], m["verdict"], m.get("why", ""))
            for m in self.meta.get("mistakes", ())
        )

    @property
    def stub(self) -> Path:
        return self.folder / "stub.py"

    # -- statement --------------------------------------------------------------------------
    @functools.cached_property
    def sections(self) -> dict[str, str]:
        """The statement's ``##`` sections by heading, in file order."""
        found: dict[str, str] = {}
        current = None
        for line in self.statement.splitlines():
            if line.startswith("## "):
                current = line[3:].strip()
                found[current] = ""
            elif current is not None:
                found[current] += line + "\n"
        return {name: text.strip() for name, text in found.items()}

    @functools.cached_property
    def hints(self) -> tuple[str, ...]:
        """The numbered items of the Hints section, from gentlest to most revealing."""
        items: list[str] = []
        for line in self.sections.get("Hints", "").splitlines():
            match = re.match(r"^\d+\.\s+(.*)", line)
            if match:
                items.append(match.group(1).strip())
            elif items and line.strip():
                items[-1] += " " + line.strip()
        return tuple(items)

    def statement_without_hints(self) -> str:
        """The statement up to its Hints section (``hint`` reveals those one by one)."""
        head, _, _ = self.statement.partition("\n## Hints")
        return head.rstrip() + "\n"

    # -- grader inputs ----------------------------------------------------------------------
    @functools.cached_property
    def cases(self) -> ModuleType:
        """The problem's ``cases.py`` (trusted kit code), imported once."""
        return _import(self.folder / "cases.py", f"_optax_sched_cases_{self.id}")

    @functools.cached_property
    def parameters(self) -> tuple[str, ...]:
        """The reference function's parameter names, in order (cases follow this order)."""
        return tuple(inspect.signature(self.reference).parameters)

    @functools.cached_property
    def reference(self) -> Any:
        """The reference function from ``solutions/<id>.py`` (trusted kit code)."""
        module = _import(self.solution, f"_optax_sched_solution_{self.id}")
        try:
            return getattr(module, self.function)
        except AttributeError:
            raise KitError(f"{self.solution}: defines no function {self.function!r}") from None


def _import(path: Path, name: str) -> ModuleType:
    if not path.is_file():
        raise KitError(f"{path}: file missing")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_problem(folder: Path, solutions: Path) -> Problem:
    """Load ``folder`` (a ``problems/<id>`` directory); raises :class:`KitError` if unreadable."""
    toml = folder / "problem.toml"
    try:
        meta = tomllib.loads(toml.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KitError(f"{toml}: missing (every problem folder needs one)") from None
    except tomllib.TOMLDecodeError as error:
        raise KitError(f"{toml}: not valid TOML: {error}") from None
    readme = folder / "README.md"
    statement = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    return Problem(
        id=folder.name,
        folder=folder,
        solution=solutions / f"{folder.name}.py",
        meta=meta,
        statement=statement,
    )


def find_kit(explicit: str | os.PathLike | None = None) -> Path:
    """The folder holding ``problems/`` and ``solutions/``.

    Looks at ``explicit``, then ``$OPTAX_SCHED_KIT``, then the source checkout the package
    was installed from (``pip install -e .``).
    """
    candidates = []
    if explicit:
        candidates.append(Path(explicit))
    elif os.environ.get("OPTAX_SCHED_KIT"):
        candidates.append(Path(os.environ["OPTAX_SCHED_KIT"]))
    else:
        candidates.append(Path(__file__).resolve().parents[2])
    for root in candidates:
        if (root / "problems").is_dir() and (root / "solutions").is_dir():
            return root.resolve()
    raise KitError(
        f"no exercise kit at {candidates[0]}: it needs problems/ and solutions/ folders. The "
        "kit ships with the source: clone the optax-sched repository and `pip install -e .` "
        "there, or point OPTAX_SCHED_KIT at a checkout."
    )


@dataclass(frozen=True)
class Kit:
    """All problems of a kit, in curriculum order."""

    root: Path
    problems: tuple[Problem, ...]
    #: Folders that could not be loaded, with the reason; ``dev check`` fails on them,
    #: learner commands carry on with the rest (one half-written problem blocks nobody).
    broken: tuple[tuple[str, str], ...] = ()

    @classmethod
    def load(cls, root: str | os.PathLike | None = None) -> Kit:
        """Load every ``problems/<id>/`` folder under the kit root."""
        base = find_kit(root)
        folders = sorted(p for p in (base / "problems").iterdir() if p.is_dir())
        problems, broken = [], []
        for folder in folders:
            if folder.name.startswith((".", "_")):
                continue
            try:
                problems.append(load_problem(folder, base / "solutions"))
            except (KitError, ValueError, TypeError) as error:
                broken.append((folder.name, str(error)))
        problems.sort(key=lambda p: (p.order, p.id))
        return cls(base, tuple(problems), tuple(broken))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.problems)

    def get(self, problem_id: str) -> Problem:
        """The problem ``problem_id``; a :class:`KitError` with a close match otherwise."""
        for problem in self.problems:
            if problem.id == problem_id:
                return problem
        close = difflib.get_close_matches(problem_id, self.ids, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise KitError(
            f"no problem {problem_id!r}.{hint} Problems: {', '.join(self.ids) or '(none)'}."
        )


def lint(problem: Problem, kit: Kit) -> list[str]:
    """Everything incomplete about a problem's files, as messages (empty when complete)."""
    issues: list[str] = []
    meta = problem.meta
    for key in REQUIRED:
        if key not in meta:
            issues.append(f"problem.toml: missing `{key}`")
    if meta.get("id", problem.id) != problem.id:
        issues.append(f"problem.toml: id {meta['id']!r} differs from the folder name")
    if not ID_PATTERN.match(problem.id):
        issues.append(f"id {problem.id!r} must be snake_case (a-z, 0-9, _), at most 48 chars")
    if problem.difficulty not in DIFFICULTIES:
        issues.append(f"problem.toml: difficulty {problem.difficulty!r} not in {DIFFICULTIES}")
    if not isinstance(meta.get("time_limit", 10), (int, float)) or problem.time_limit <= 0:
        issues.append("problem.toml: time_limit must be a positive number of seconds")
    if not isinstance(meta.get("examples", 100), int) or not 0 <= problem.examples <= 1000:
        issues.append("problem.toml: examples must be an int in [0, 1000]")
    orders = [p.order for p in kit.problems if p.id != problem.id]
    if problem.order in orders:
        issues.append(f"problem.toml: order {problem.order} is used by another problem")
    for prerequisite in problem.prerequisites:
        try:
            before = kit.get(prerequisite)
        except KitError:
            issues.append(f"problem.toml: unknown prerequisite {prerequisite!r}")
            continue
        if before.order >= problem.order:
            issues.append(f"problem.toml: prerequisite {prerequisite!r} comes later in order")
    if not problem.signature.startswith(problem.function + "("):
        issues.append("problem.toml: signature must start with the function name and '('")
    if not problem.statement:
        issues.append("README.md: missing")
    else:
        if not problem.statement.startswith("# "):
            issues.append("README.md: must start with a '# ' title line")
        headings = list(problem.sections)
        if headings != list(SECTIONS):
            issues.append(f"README.md: sections must be exactly {list(SECTIONS)}; got {headings}")
        empty = [name for name, text in problem.sections.items() if not text]
        if empty:
            issues.append(f"README.md: empty sections {empty}")
        if not problem.hints:
            issues.append("README.md: the Hints section needs a numbered list (1. ..., 2. ...)")
    for name in ("stub.py", "cases.py"):
        if not (problem.folder / name).is_file():
            issues.append(f"{name}: missing")
    if problem.stub.is_file():
        text = problem.stub.read_text(encoding="utf-8")
        if "TODO" not in text:
            issues.append("stub.py: needs a TODO comment saying what to write")
        if f"def {problem.function}(" not in text:
            issues.append(f"stub.py: defines no function {problem.function!r}")
    if not problem.solution.is_file():
        issues.append(f"solutions/{problem.id}.py: missing")
    mistakes = problem.mistakes
    if len(mistakes) < 2:
        issues.append("problem.toml: list at least 2 [[mistakes]] (common wrong solutions)")
    for mistake in mistakes:
        if not mistake.file.is_file():
            issues.append(f"mistakes/{mistake.file.name}: listed but missing")
        if mistake.verdict not in MISTAKE_VERDICTS:
            issues.append(
                f"mistakes/{mistake.file.name}: verdict {mistake.verdict!r} not in "
                f"{MISTAKE_VERDICTS}"
            )
        if not mistake.why:
            issues.append(f"mistakes/{mistake.file.name}: say `why` it is wrong")
    listed = {m.file.name for m in mistakes}
    folder = problem.folder / "mistakes"
    if folder.is_dir():
        for path in sorted(folder.glob("*.py")):
            if path.name not in listed:
                issues.append(f"mistakes/{path.name}: not listed in problem.toml")
    expected_files = {"README.md", "problem.toml", "stub.py", "cases.py", "mistakes"}
    for path in sorted(problem.folder.iterdir()):
        if path.name not in expected_files and path.name != "__pycache__":
            issues.append(
                f"unexpected file {path.name} (a problem folder holds {sorted(expected_files)})"
            )
    return issues
