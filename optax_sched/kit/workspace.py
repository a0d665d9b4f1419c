"""The learner's own folder: their files, their progress, and resets that never lose work.

``optax-sched init`` copies every problem's stub into a folder the learner owns (by default
``./optax-sched-exercises``), next to a state file. The kit itself is never edited, so
updating it (``git pull``) cannot conflict with or overwrite an answer; running ``init``
again only adds the stubs of new problems. A reset first copies the learner's file to
``.optax-sched/backups/`` and says where.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optax_sched.kit.problems import Kit, Problem

STATE_FILE = ".optax-sched.json"
STATE_FORMAT = 1
DEFAULT_FOLDER = "optax-sched-exercises"

_GUIDE = """\
# Your optax-sched exercises

One file per problem; edit them freely, they are yours. The kit never writes here except
to add new problems (`optax-sched init` again) and when you ask for a reset (the old file
is backed up to `.optax-sched/backups/` first).

    optax-sched watch              # re-check the current problem on every save
    optax-sched list               # all problems and your progress
    optax-sched show lr_at_step    # a statement
    optax-sched hint lr_at_step    # one more hint per call
    optax-sched check lr_at_step   # grade once (--json for a machine-readable record)
    optax-sched reset lr_at_step   # back to the stub (your file is backed up)
    optax-sched solution lr_at_step  # the reference, once you have passed

Don't edit `.optax-sched.json`: it records your progress.
"""


class WorkspaceError(Exception):
    """No workspace where one is needed, or an unreadable state file."""


@dataclass
class Workspace:
    """A learner's folder and its state (current problem, solved problems, hints seen)."""

    root: Path
    state: dict[str, Any] = field(default_factory=dict)

    # -- finding and creating ---------------------------------------------------------------
    @classmethod
    def init(cls, root: str | os.PathLike, kit: Kit) -> tuple[Workspace, list[str], list[str]]:
        """Create (or top up) a workspace: copy missing stubs, keep every existing file.

        Returns:
          The workspace, the problem ids whose stubs were copied, and those left as they were.
        """
        folder = Path(root).resolve()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise WorkspaceError(
                f"{folder} is a file, not a folder; choose another name: optax-sched init DIR"
            ) from None
        state_path = folder / STATE_FILE
        workspace = cls.open(folder) if state_path.exists() else cls(folder, _fresh_state(kit))
        added, kept = [], []
        for problem in kit.problems:
            target = workspace.file(problem.id)
            if target.exists():
                kept.append(problem.id)
            else:
                shutil.copyfile(problem.stub, target)
                added.append(problem.id)
        guide = folder / "README.md"
        if not guide.exists():
            guide.write_text(_GUIDE, encoding="utf-8")
        workspace.save()
        return workspace, added, kept

    @classmethod
    def open(cls, root: str | os.PathLike) -> Workspace:
        """Open the workspace at ``root``; :class:`WorkspaceError` if its state is unreadable."""
        folder = Path(root).resolve()
        path = folder / STATE_FILE
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise WorkspaceError(
                f"{folder} is not an optax-sched workspace (no {STATE_FILE}); create one with "
                f"`optax-sched init {folder}`."
            ) from None
        except json.JSONDecodeError as error:
            raise WorkspaceError(
                f"{path} is damaged ({error}); your exercise files are untouched. Delete the "
                "state file and run `optax-sched init` in that folder to start the progress "
                "record afresh."
            ) from None
        if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
            raise WorkspaceError(f"{path}: unknown state format; expected format {STATE_FORMAT}.")
        state.setdefault("done", {})
        state.setdefault("hints", {})
        return cls(folder, state)

    @classmethod
    def find(cls, explicit: str | os.PathLike | None = None) -> Workspace | None:
        """The workspace at ``explicit`` or ``$OPTAX_SCHED_WORKSPACE``, or the nearest one
        containing the current directory, or ``./optax-sched-exercises``; None if none."""
        chosen = explicit or os.environ.get("OPTAX_SCHED_WORKSPACE")
        if chosen:
            return cls.open(chosen)
        here = Path.cwd().resolve()
        for folder in (here, *here.parents, here / DEFAULT_FOLDER):
            if (folder / STATE_FILE).is_file():
                return cls.open(folder)
        return None

    # -- state ------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the state file atomically (a crash never leaves half a file)."""
        path = self.root / STATE_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state, indent=2, sort_keys=True) + "\n", "utf-8")
        os.replace(temporary, path)

    def file(self, problem_id: str) -> Path:
        """The learner's file for a problem."""
        return self.root / f"{problem_id}.py"

    def is_done(self, problem_id: str) -> bool:
        return problem_id in self.state["done"]

    def mark_done(self, problem_id: str) -> None:
        self.state["done"].setdefault(problem_id, time.strftime("%Y-%m-%dT%H:%M:%S"))
        self.save()

    def status(self, problem: Problem) -> str:
        """``done``, ``started`` (file differs from the stub), ``new`` or ``missing``."""
        if self.is_done(problem.id):
            return "done"
        path = self.file(problem.id)
        if not path.exists():
            return "missing"
        if problem.stub.is_file() and path.read_bytes() == problem.stub.read_bytes():
            return "new"
        return "started"

    def current(self, kit: Kit, unsolved: bool = True) -> Problem | None:
        """The problem being worked on: the recorded one (if still unsolved, when
        ``unsolved``), else the first one not done."""
        recorded = self.state.get("current")
        if recorded in kit.ids and not (unsolved and self.is_done(recorded)):
            return kit.get(recorded)
        return next((p for p in kit.problems if not self.is_done(p.id)), None)

    def set_current(self, problem_id: str) -> None:
        self.state["current"] = problem_id
        self.save()

    def reveal_hint(self, problem: Problem, at_least: int = 0) -> int:
        """Reveal one more hint (or up to ``at_least``); returns how many are now shown."""
        before = int(self.state["hints"].get(problem.id, 0))
        shown = min(max(before + 1, at_least), len(problem.hints))
        self.state["hints"][problem.id] = shown
        self.save()
        return shown

    # -- resets -----------------------------------------------------------------------------
    def reset(self, problem: Problem) -> Path | None:
        """Put the stub back and mark the problem unsolved; the learner's file is first
        copied to a backup, which is returned.

        Returns None when there was nothing to keep (no file, or the file is the stub).
        """
        target = self.file(problem.id)
        backup = None
        if target.exists() and target.read_bytes() != problem.stub.read_bytes():
            folder = self.root / ".optax-sched" / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = folder / f"{problem.id}-{stamp}.py"
            counter = 1
            while backup.exists():
                counter += 1
                backup = folder / f"{problem.id}-{stamp}-{counter}.py"
            shutil.copy2(target, backup)
        shutil.copyfile(problem.stub, target)
        if self.state["done"].pop(problem.id, None) is not None:
            self.save()
        return backup


def _fresh_state(kit: Kit) -> dict[str, Any]:
    return {
        "format": STATE_FORMAT,
        "kit": str(kit.root),
        "current": kit.problems[0].id if kit.problems else None,
        "done": {},
        "hints": {},
    }
