"""Constant learning rates, with or without a warmup."""

from __future__ import annotations

import jax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule
from optax_sched.schedules._common import warmup_pieces


def constant(lr: jax.typing.ArrayLike) -> Schedule:
    r"""The same learning rate at every step.

    .. math::

      \eta(t) = \eta

    Args:
      lr: the learning rate, ``>= 0``.

    Returns:
      A :class:`~optax_sched.Schedule` (useful as a stage of :func:`multi_stage`).

    Examples:
      >>> import optax_sched
      >>> float(optax_sched.constant(3e-4)(123))
      0.0003...
    """
    _validate.check_lr("constant", "lr", lr)
    return _core.make(
        "constant", {"lr": lr}, [Piece(0, "constant", 1, lr, label="constant")], end_step=0
    )


def warmup_constant(
    peak_lr: jax.typing.ArrayLike, warmup_steps: int, init_lr: jax.typing.ArrayLike = 0.0
) -> Schedule:
    r"""Linear warmup from ``init_lr`` to ``peak_lr``, then ``peak_lr`` for ever.

    .. math::

      \eta(t) = \begin{cases}
        \eta_0 + (\eta_{peak} - \eta_0)\,\frac{t}{W} & t < W \\
        \eta_{peak} & t \ge W
      \end{cases}

    where :math:`\eta_0` = ``init_lr``, :math:`\eta_{peak}` = ``peak_lr`` and
    :math:`W` = ``warmup_steps``.

    Args:
      peak_lr: the learning rate after warmup.
      warmup_steps: an int number of steps (there is no total to take a fraction of).
        The value at step ``W`` is ``peak_lr``; 0 means no warmup.
      init_lr: the learning rate at step 0, ``<= peak_lr``. A small positive value
        makes the very first update count (with 0 it changes nothing).

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_constant(1e-4, warmup_steps=2000)
      >>> [round(float(s(k)), 9) for k in (0, 500, 1000, 2000, 10_000)]
      [0.0, 2.5e-05, 5e-05, 0.0001, 0.0001]
    """
    where = "warmup_constant"
    _validate.check_lr(where, "peak_lr", peak_lr)
    _validate.check_lr(where, "init_lr", init_lr)
    _validate.check_not_above(where, "init_lr", init_lr, "peak_lr", peak_lr)
    warmup = _validate.resolve_steps(where, "warmup_steps", warmup_steps, None)
    pieces = [
        *warmup_pieces(init_lr, peak_lr, warmup),
        Piece(warmup, "constant", 1, peak_lr, label="constant"),
    ]
    params = {"peak_lr": peak_lr, "warmup_steps": warmup_steps, "init_lr": init_lr}
    return _core.make(where, params, pieces, end_step=warmup)
