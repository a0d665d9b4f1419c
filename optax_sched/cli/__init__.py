"""The ``optax-sched`` command line: one typer app, one module per concept."""

from __future__ import annotations

import typer

from optax_sched.cli import calculator, kit, schedules

app = typer.Typer(
    name="optax-sched",
    help=(
        "Validated, jittable learning-rate schedules for optax and flax.nnx, and a "
        "self-graded exercise kit."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
schedules.register(app)
calculator.register(app)
kit.register(app)


def main() -> None:
    """Entry point of the ``optax-sched`` console script."""
    app()
