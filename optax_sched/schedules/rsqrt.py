"""Inverse square root decay (the original Transformer's schedule)."""

from __future__ import annotations

import jax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule
from optax_sched.schedules._common import warmup_pieces


def inverse_sqrt(
    peak_lr: jax.typing.ArrayLike,
    warmup_steps: int = 0,
    timescale: int | None = None,
    init_lr: jax.typing.ArrayLike = 0.0,
) -> Schedule:
    r"""Linear warmup, then decay proportional to one over the square root of the step.

    .. math::

      \eta(t) = \begin{cases}
        \eta_0 + (\eta_{peak} - \eta_0)\,\frac{t}{W} & t < W \\
        \eta_{peak}\,\sqrt{\dfrac{\tau}{t - W + \tau}} & t \ge W
      \end{cases}

    where :math:`\tau` = ``timescale``. The value is continuous at :math:`t = W`, halves
    after :math:`3\tau` more steps and never reaches zero. This is transformers'
    ``inverse_sqrt`` (itself from big_vision's ``rsqrt``); with :math:`\tau = W` it is
    the Transformer's :math:`\propto \min(t^{-1/2}, t\,W^{-3/2})` after warmup.

    Args:
      peak_lr: the learning rate at the end of warmup.
      warmup_steps: an int number of steps.
      timescale: :math:`\tau`, an int ``>= 1``; defaults to ``warmup_steps``, or 10,000
        when there is no warmup (transformers' default).
      init_lr: the learning rate at step 0, ``<= peak_lr``.

    Returns:
      A :class:`~optax_sched.Schedule` (its ``end_step`` is ``None``: it never settles).

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.inverse_sqrt(1.0, warmup_steps=100)
      >>> [round(float(s(k)), 4) for k in (0, 50, 100, 400)]
      [0.0, 0.5, 1.0, 0.5]

    References:
      Vaswani et al., `Attention Is All You Need <https://arxiv.org/abs/1706.03762>`_, 2017.
    """
    where = "inverse_sqrt"
    _validate.check_lr(where, "peak_lr", peak_lr)
    _validate.check_lr(where, "init_lr", init_lr)
    _validate.check_not_above(where, "init_lr", init_lr, "peak_lr", peak_lr)
    warmup = _validate.resolve_steps(where, "warmup_steps", warmup_steps, None)
    if timescale is None:
        tau = warmup or 10_000
    else:
        tau = _validate.check_steps(where, "timescale", timescale)
    pieces = [
        *warmup_pieces(init_lr, peak_lr, warmup),
        Piece(warmup, "rsqrt", tau, peak_lr, label="decay"),
    ]
    params = {
        "peak_lr": peak_lr,
        "warmup_steps": warmup_steps,
        "timescale": timescale,
        "init_lr": init_lr,
    }
    return _core.make(where, params, pieces, end_step=None)
