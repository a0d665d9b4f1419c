"""``optax-sched schedules`` and ``optax-sched show``: look at a schedule before training."""

from __future__ import annotations

import ast
import difflib
import inspect
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from optax_sched._core import Schedule
from optax_sched.schedules import FACTORIES

console = Console()
errors = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code=2)


def _parse_value(text: str) -> Any:
    """A Python literal (``2e-4``, ``10_000``, ``[1, 2]``, ``True``, ``None``) or the text."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


#: Public functions that combine or wrap schedules rather than build one from numbers.
COMBINATORS = ("lr_at_step", "multi_stage", "resume_at")


def _factory(name: str) -> Callable[..., Schedule]:
    if name in FACTORIES:
        return FACTORIES[name]
    if name in COMBINATORS:
        raise _fail(
            f"{name} combines or wraps other schedules, so it is used from Python "
            f"(optax_sched.{name}); `show` builds one schedule from numbers. Valid schedules: "
            f"{', '.join(sorted(FACTORIES))}."
        )
    from optax_sched.cli.kit import problem_ids

    problems = problem_ids()
    close = difflib.get_close_matches(name, [*FACTORIES, *problems], n=1)
    hint = ""
    if close:
        kind = "the problem " if close[0] in problems and close[0] not in FACTORIES else ""
        hint = f" Did you mean {kind}{close[0]!r}?"
    raise _fail(
        f"unknown schedule {name!r}.{hint} Valid schedules: {', '.join(sorted(FACTORIES))}."
        + (f" Problems: {', '.join(problems)}." if problems else "")
    )


def _parse_params(factory: Callable[..., Schedule], pairs: list[str]) -> dict[str, Any]:
    accepted = list(inspect.signature(factory).parameters)
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise _fail(f"expected PARAM=VALUE, got {pair!r} (e.g. peak_lr=2e-4).")
        if key not in accepted:
            close = difflib.get_close_matches(key, accepted, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise _fail(
                f"{factory.__name__} has no parameter {key!r}.{hint} "
                f"Its parameters: {', '.join(accepted)}."
            )
        params[key] = _parse_value(text)
    return params


def build(name: str, pairs: list[str]) -> Schedule:
    """Build a schedule from a name and ``PARAM=VALUE`` strings, or exit with a clear error."""
    factory = _factory(name)
    params = _parse_params(factory, pairs)
    missing = [
        p.name
        for p in inspect.signature(factory).parameters.values()
        if p.default is inspect.Parameter.empty and p.name not in params
    ]
    if missing:
        example = " ".join(f"{m}=..." for m in missing)
        raise _fail(f"{name} needs {', '.join(missing)}: add {example}")
    try:
        return factory(**params)
    except (ValueError, TypeError) as error:
        raise _fail(str(error)) from None


def key_steps(schedule: Schedule, points: int) -> list[int]:
    """Phase boundaries plus ``points`` evenly spaced steps over the interesting span."""
    bounds = {0}
    for phase in schedule.phases:
        bounds.add(phase.start)
        if phase.end is not None:
            bounds.add(phase.end)
    horizon = schedule.end_step or max(bounds) or 1000
    if horizon <= 0:
        horizon = 1000
    spread = np.linspace(0, horizon, max(points, 2)).round().astype(int).tolist()
    return sorted(bounds | set(spread))


def plain(text: str) -> str:
    """Docstring markup (``code``, :math:`x`, :func:`f`) as plain terminal text."""
    text = re.sub(r":\w+:`~?([^`]*)`", r"\1", text)
    return text.replace("``", "").replace("\\", "")


def _phase_at(schedule: Schedule, step: int) -> str:
    for phase in schedule.phases:
        if phase.start <= step and (phase.end is None or step < phase.end):
            return phase.name
    return "hold" if schedule.end_step is not None and step >= schedule.end_step else ""


def list_schedules() -> None:
    """List the schedules `show` can build, with their parameters."""
    table = Table(title="optax-sched schedules", show_lines=False)
    table.add_column("name", style="bold cyan")
    table.add_column("parameters")
    table.add_column("what it does")
    for name in sorted(FACTORIES):
        factory = FACTORIES[name]
        params = ", ".join(
            p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
            for p in inspect.signature(factory).parameters.values()
        )
        summary = plain((inspect.getdoc(factory) or "").splitlines()[0])
        table.add_row(name, params, summary)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("schedules")(list_schedules)
