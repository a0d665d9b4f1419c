"""Linear and polynomial decay after a warmup."""

from __future__ import annotations

import jax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule
from optax_sched.schedules._common import check_warmup_decay, warmup_pieces


def warmup_polynomial(
    peak_lr: jax.typing.ArrayLike,
    total_steps: int,
    warmup_steps: int | float = 0,
    power: float = 1.0,
    init_lr: jax.typing.ArrayLike = 0.0,
    min_lr: jax.typing.ArrayLike = 0.0,
) -> Schedule:
    r"""Linear warmup, then polynomial decay to ``min_lr`` at ``total_steps``.

    .. math::

      \eta(t) = \begin{cases}
        \eta_0 + (\eta_{peak} - \eta_0)\,\frac{t}{W} & t < W \\
        \eta_{min} + (\eta_{peak} - \eta_{min})
            \left(1 - \frac{t - W}{T - W}\right)^{p} & W \le t < T \\
        \eta_{min} & t \ge T
      \end{cases}

    where :math:`p` = ``power``, :math:`W` = ``warmup_steps``, :math:`T` =
    ``total_steps``. ``power=1`` is linear decay; ``power=2`` drops fast early and
    flattens near the floor; ``power=0.5`` stays high longer.

    Args:
      peak_lr: the learning rate at the end of warmup.
      total_steps: the number of optimizer updates in the run, warmup included; the
        floor is reached exactly here and held after.
      warmup_steps: an int number of steps, or a float in ``[0, 1)`` for a fraction of
        ``total_steps`` (rounded up).
      power: the exponent :math:`p > 0`.
      init_lr: the learning rate at step 0, ``<= peak_lr``.
      min_lr: the floor, ``<= peak_lr``.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_polynomial(1.0, total_steps=110, warmup_steps=10, power=2.0)
      >>> [round(float(s(k)), 4) for k in (0, 10, 60, 110)]
      [0.0, 1.0, 0.25, 0.0]
    """
    where = "warmup_polynomial"
    total, warmup = check_warmup_decay(where, peak_lr, total_steps, warmup_steps, init_lr, min_lr)
    _validate.check_range(where, "power", power)
    pieces = [
        *warmup_pieces(init_lr, peak_lr, warmup),
        Piece(warmup, "polynomial", total - warmup, peak_lr, min_lr, power, label="decay"),
    ]
    params = {
        "peak_lr": peak_lr,
        "total_steps": total_steps,
        "warmup_steps": warmup_steps,
        "power": power,
        "init_lr": init_lr,
        "min_lr": min_lr,
    }
    return _core.make(where, params, pieces, end_step=total)


def warmup_linear(
    peak_lr: jax.typing.ArrayLike,
    total_steps: int,
    warmup_steps: int | float = 0,
    init_lr: jax.typing.ArrayLike = 0.0,
    min_lr: jax.typing.ArrayLike = 0.0,
) -> Schedule:
    r"""Linear warmup, then linear decay to ``min_lr`` at ``total_steps``.

    .. math::

      \eta(t) = \begin{cases}
        \eta_0 + (\eta_{peak} - \eta_0)\,\frac{t}{W} & t < W \\
        \eta_{peak} + (\eta_{min} - \eta_{peak})\,\frac{t - W}{T - W} & W \le t < T \\
        \eta_{min} & t \ge T
      \end{cases}

    Decaying linearly all the way to zero ("D2Z") is a strong default for LLM training
    (Bergsma et al., `Straight to Zero <https://arxiv.org/abs/2502.15938>`_, 2025).

    Args:
      peak_lr: the learning rate at the end of warmup.
      total_steps: the number of optimizer updates in the run, warmup included.
      warmup_steps: an int number of steps, or a float in ``[0, 1)`` for a fraction of
        ``total_steps`` (rounded up).
      init_lr: the learning rate at step 0, ``<= peak_lr``.
      min_lr: the floor reached at ``total_steps``, ``<= peak_lr``.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_linear(1.0, total_steps=100, warmup_steps=0.1)
      >>> [round(float(s(k)), 4) for k in (0, 5, 10, 55, 100, 200)]
      [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """
    where = "warmup_linear"
    total, warmup = check_warmup_decay(where, peak_lr, total_steps, warmup_steps, init_lr, min_lr)
    pieces = [
        *warmup_pieces(init_lr, peak_lr, warmup),
        Piece(warmup, "linear", total - warmup, peak_lr, min_lr, label="decay"),
    ]
    params = {
        "peak_lr": peak_lr,
        "total_steps": total_steps,
        "warmup_steps": warmup_steps,
        "init_lr": init_lr,
        "min_lr": min_lr,
    }
    return _core.make(where, params, pieces, end_step=total)
