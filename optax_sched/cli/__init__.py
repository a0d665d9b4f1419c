"""The ``optax-sched`` command line: one typer app, one module per concept."""

from __future__ import annotations

import gc

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
    from optax_sched.kit import _fork

    # Everything imported so far lives until the process ends: leave it out of garbage
    # collection. Exiting then skips traversing it (~0.2 s with JAX loaded), and a forked
    # runner child shares those pages instead of copying them.
    gc.freeze()
    # This process is the command itself, not a library caller: its first runner child
    # may be forked from it, JAX already imported (see optax_sched.kit._fork).
    _fork.allow()
    app()
