"""The learner's folder (``Workspace``) and the kit's on-disk format (``Kit``, ``lint``).

Everything here runs against the real kit (``problems/``, ``solutions/``) or a copy of it in
``tmp_path``; nothing is graded, so the file runs in well under a second.
"""

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from optax_sched.kit import Kit, KitError
from optax_sched.kit.problems import find_kit, lint
from optax_sched.kit.workspace import (
    DEFAULT_FOLDER,
    STATE_FILE,
    STATE_FORMAT,
    Workspace,
    WorkspaceError,
)

REPO = Path(__file__).resolve().parents[2]
PROBLEM = "lr_at_step"


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch):
    """Neither a workspace nor a kit chosen by the person running the tests."""
    monkeypatch.delenv("OPTAX_SCHED_WORKSPACE", raising=False)
    monkeypatch.delenv("OPTAX_SCHED_KIT", raising=False)


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """A one-problem copy of the real kit, so these tests don't track the curriculum."""
    return Kit.load(copy_kit(tmp_path_factory.mktemp("kit")))


@pytest.fixture
def problem(kit):
    return kit.get(PROBLEM)


@pytest.fixture
def workspace(tmp_path, kit):
    created, _, _ = Workspace.init(tmp_path / "ws", kit)
    return created


def copy_kit(dest: Path, problem_ids=(PROBLEM,)) -> Path:
    """A throwaway kit holding copies of the real ``lr_at_step`` under ``problem_ids``."""
    for order, problem_id in enumerate(problem_ids, start=1):
        folder = dest / "problems" / problem_id
        shutil.copytree(
            REPO / "problems" / PROBLEM, folder, ignore=shutil.ignore_patterns("__pycache__")
        )
        toml = folder / "problem.toml"
        text = toml.read_text(encoding="utf-8")
        text = re.sub(r'(?m)^id = ".*"$', f'id = "{problem_id}"', text)
        text = re.sub(r"(?m)^order = \d+$", f"order = {order}", text)
        text = re.sub(r"(?m)^prerequisites = \[.*\]$", "prerequisites = []", text)
        toml.write_text(text, encoding="utf-8")
        (dest / "solutions").mkdir(exist_ok=True)
        shutil.copyfile(
            REPO / "solutions" / f"{PROBLEM}.py", dest / "solutions" / f"{problem_id}.py"
        )
    return dest


def edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


# -- init ------------------------------------------------------------------------------------
def test_init_creates_the_folder_stub_guide_and_state(tmp_path, kit, problem):
    root = tmp_path / "deep" / "ws"
    created, added, kept = Workspace.init(root, kit)
    assert created.root == root.resolve()
    assert (added, kept) == ([PROBLEM], [])
    assert (root / f"{PROBLEM}.py").read_bytes() == problem.stub.read_bytes()
    guide = (root / "README.md").read_text(encoding="utf-8")
    assert "optax-sched watch" in guide and "backups" in guide
    state = json.loads((root / STATE_FILE).read_text(encoding="utf-8"))
    assert state["format"] == STATE_FORMAT == 1
    assert state["current"] == PROBLEM
    assert state["done"] == {} and state["hints"] == {}


def test_init_again_keeps_edited_files_and_restores_deleted_stubs(workspace, kit, problem):
    mine = workspace.file(PROBLEM)
    edit(mine, "# my answer in progress\n")
    edit(workspace.root / "README.md", "my notes\n")
    _, added, kept = Workspace.init(workspace.root, kit)
    assert (added, kept) == ([], [PROBLEM])
    assert mine.read_text(encoding="utf-8") == "# my answer in progress\n"
    assert (workspace.root / "README.md").read_text(encoding="utf-8") == "my notes\n"

    mine.unlink()
    _, added, kept = Workspace.init(workspace.root, kit)
    assert (added, kept) == ([PROBLEM], [])
    assert mine.read_bytes() == problem.stub.read_bytes()


def test_init_again_keeps_the_progress(workspace, kit):
    workspace.mark_done(PROBLEM)
    again, _, _ = Workspace.init(workspace.root, kit)
    assert again.is_done(PROBLEM)


# -- find / open -----------------------------------------------------------------------------
def test_find_from_a_subdirectory(workspace, monkeypatch):
    deeper = workspace.root / "scratch" / "deeper"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    assert Workspace.find().root == workspace.root


def test_find_the_default_folder_from_its_parent(tmp_path, kit, monkeypatch):
    Workspace.init(tmp_path / DEFAULT_FOLDER, kit)
    monkeypatch.chdir(tmp_path)
    assert Workspace.find().root == (tmp_path / DEFAULT_FOLDER).resolve()


def test_find_through_the_environment_variable(workspace, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert Workspace.find() is None
    monkeypatch.setenv("OPTAX_SCHED_WORKSPACE", str(workspace.root))
    assert Workspace.find().root == workspace.root
    # An explicit folder wins over the variable.
    monkeypatch.setenv("OPTAX_SCHED_WORKSPACE", str(elsewhere))
    assert Workspace.find(workspace.root).root == workspace.root


def test_find_a_folder_that_is_not_a_workspace_names_init(tmp_path, monkeypatch):
    monkeypatch.setenv("OPTAX_SCHED_WORKSPACE", str(tmp_path))
    with pytest.raises(WorkspaceError, match="not an optax-sched workspace") as error:
        Workspace.find()
    assert "optax-sched init" in str(error.value)


@pytest.mark.parametrize("content", ["{not json", ""])
def test_a_damaged_state_file_says_the_exercises_are_untouched(workspace, kit, content):
    edit(workspace.file(PROBLEM), "# mine\n")
    edit(workspace.root / STATE_FILE, content)
    for attempt in (
        lambda: Workspace.open(workspace.root),
        lambda: Workspace.find(workspace.root),
        lambda: Workspace.init(workspace.root, kit),
    ):
        with pytest.raises(WorkspaceError, match="damaged") as error:
            attempt()
        assert "your exercise files are untouched" in str(error.value)
    assert workspace.file(PROBLEM).read_text(encoding="utf-8") == "# mine\n"


def test_an_unknown_state_format_is_refused(workspace):
    edit(workspace.root / STATE_FILE, json.dumps({"format": 99}))
    with pytest.raises(WorkspaceError, match="unknown state format"):
        Workspace.open(workspace.root)


def test_save_is_atomic_and_leaves_no_temporary_file(workspace):
    workspace.mark_done(PROBLEM)
    assert sorted(p.name for p in workspace.root.iterdir()) == sorted(
        [STATE_FILE, "README.md", f"{PROBLEM}.py"]
    )
    assert Workspace.open(workspace.root).is_done(PROBLEM)


# -- status / hints / current ----------------------------------------------------------------
def test_status_new_started_done_missing(workspace, problem, kit):
    assert workspace.status(problem) == "new"
    edit(workspace.file(PROBLEM), "def lr_at_step(*args):\n    return 0\n")
    assert workspace.status(problem) == "started"
    workspace.mark_done(PROBLEM)
    assert workspace.status(problem) == "done"
    assert Workspace.open(workspace.root).status(problem) == "done"  # persisted

    other = Workspace.init(workspace.root.parent / "other", kit)[0]
    other.file(PROBLEM).unlink()
    assert other.status(problem) == "missing"


def test_reveal_hint_counts_up_and_stops_at_the_last(workspace, problem):
    total = len(problem.hints)
    assert total >= 2
    shown = [workspace.reveal_hint(problem) for _ in range(total + 2)]
    assert shown == [*range(1, total + 1), total, total]
    assert Workspace.open(workspace.root).state["hints"][PROBLEM] == total


def test_current_follows_the_state_then_the_first_not_done(tmp_path):
    kit = Kit.load(copy_kit(tmp_path / "kit", (PROBLEM, "second")))
    assert kit.ids == (PROBLEM, "second")
    workspace, _, _ = Workspace.init(tmp_path / "ws", kit)
    assert workspace.current(kit).id == PROBLEM

    workspace.set_current("second")
    assert Workspace.open(workspace.root).current(kit).id == "second"

    workspace.set_current("no_such_problem")  # e.g. a problem removed from the kit
    assert workspace.current(kit).id == PROBLEM

    workspace.set_current(PROBLEM)
    workspace.mark_done(PROBLEM)
    assert workspace.current(kit).id == "second"  # a solved current problem moves on
    assert workspace.current(kit, unsolved=False).id == PROBLEM  # unless asked not to

    workspace.mark_done("second")
    assert workspace.current(kit) is None


# -- reset -----------------------------------------------------------------------------------
def backups(workspace: Workspace) -> list[Path]:
    folder = workspace.root / ".optax-sched" / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_reset_backs_up_restores_the_stub_and_unmarks_done(workspace, problem):
    mine = "def lr_at_step(*args):\n    return 'my attempt'\n"
    edit(workspace.file(PROBLEM), mine)
    workspace.mark_done(PROBLEM)

    backup = workspace.reset(problem)

    assert backup is not None and backup.parent == workspace.root / ".optax-sched" / "backups"
    assert backup.name.startswith(f"{PROBLEM}-") and backup.suffix == ".py"
    assert backup.read_text(encoding="utf-8") == mine
    assert workspace.file(PROBLEM).read_bytes() == problem.stub.read_bytes()
    assert not workspace.is_done(PROBLEM)
    assert not Workspace.open(workspace.root).is_done(PROBLEM)  # saved, not only in memory
    assert workspace.status(problem) == "new"


def test_two_resets_in_the_same_second_keep_both_backups(workspace, problem, monkeypatch):
    real = time.strftime

    def frozen(fmt, *args):
        return "20260101-120000" if fmt == "%Y%m%d-%H%M%S" else real(fmt, *args)

    monkeypatch.setattr(time, "strftime", frozen)
    saved = []
    for attempt in ("first attempt", "second attempt", "third attempt"):
        edit(workspace.file(PROBLEM), f"# {attempt}\n")
        saved.append(workspace.reset(problem))
    assert len(set(saved)) == 3
    assert [p.read_text(encoding="utf-8") for p in saved] == [
        "# first attempt\n",
        "# second attempt\n",
        "# third attempt\n",
    ]
    assert backups(workspace) == sorted(saved)


def test_reset_of_an_untouched_or_missing_stub_makes_no_backup(workspace, problem):
    assert workspace.reset(problem) is None
    workspace.file(PROBLEM).unlink()
    assert workspace.reset(problem) is None
    assert workspace.file(PROBLEM).read_bytes() == problem.stub.read_bytes()
    assert backups(workspace) == []


# -- the kit ---------------------------------------------------------------------------------
def test_the_real_problem_lints_clean(kit, problem):
    assert lint(problem, kit) == []


def test_kit_get_suggests_the_close_match(kit):
    with pytest.raises(KitError, match=r"Did you mean 'lr_at_step'\?"):
        kit.get("lr_at_stp")


@pytest.mark.parametrize("use", [find_kit, Kit.load])
def test_a_folder_without_problems_names_the_fix(tmp_path, use):
    (tmp_path / "solutions").mkdir()
    with pytest.raises(KitError) as error:
        use(tmp_path)
    message = str(error.value)
    assert str(tmp_path) in message and "problems/" in message
    assert "OPTAX_SCHED_KIT" in message and "pip install -e" in message


def test_the_kit_variable_is_honoured(tmp_path, monkeypatch):
    copy_kit(tmp_path)
    monkeypatch.setenv("OPTAX_SCHED_KIT", str(tmp_path))
    assert Kit.load().root == tmp_path.resolve()


def _readme(folder: Path) -> Path:
    return folder / "README.md"


def _toml(folder: Path) -> Path:
    return folder / "problem.toml"


def drop_pitfalls(folder: Path) -> None:
    text = _readme(folder).read_text(encoding="utf-8")
    assert "\n## Pitfalls\n" in text
    edit(_readme(folder), text.replace("\n## Pitfalls\n", "\n"))


def hints_without_a_list(folder: Path) -> None:
    text = _readme(folder).read_text(encoding="utf-8")
    head, sep, _ = text.partition("\n## Hints\n")
    assert sep
    edit(_readme(folder), head + sep + "\nThink about what optax counts.\n")


def unlisted_mistake(folder: Path) -> None:
    edit(folder / "mistakes" / "forgot_to_list.py", "def lr_at_step(*args):\n    return 0\n")


def unknown_prerequisite(folder: Path) -> None:
    text = _toml(folder).read_text(encoding="utf-8")
    assert "prerequisites = []" in text
    edit(_toml(folder), text.replace("prerequisites = []", 'prerequisites = ["warmup_basics"]'))


def bad_difficulty(folder: Path) -> None:
    text = _toml(folder).read_text(encoding="utf-8")
    assert 'difficulty = "medium"' in text
    edit(_toml(folder), text.replace('difficulty = "medium"', 'difficulty = "expert"'))


@pytest.mark.parametrize(
    ("breakage", "issue"),
    [
        (drop_pitfalls, "README.md: sections must be exactly"),
        (hints_without_a_list, "the Hints section needs a numbered list"),
        (unlisted_mistake, "mistakes/forgot_to_list.py: not listed in problem.toml"),
        (unknown_prerequisite, "unknown prerequisite 'warmup_basics'"),
        (bad_difficulty, "difficulty 'expert' not in"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_lint_catches_one_breakage_at_a_time(tmp_path, breakage, issue):
    copy_kit(tmp_path)
    assert lint(Kit.load(tmp_path).get(PROBLEM), Kit.load(tmp_path)) == []  # the copy is clean
    breakage(tmp_path / "problems" / PROBLEM)
    kit = Kit.load(tmp_path)
    issues = lint(kit.get(PROBLEM), kit)
    assert len(issues) == 1, issues
    assert issue in issues[0]
