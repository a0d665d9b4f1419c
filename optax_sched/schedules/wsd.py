"""Warmup-stable-decay (trapezoidal) schedules."""

from __future__ import annotations

import jax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule
from optax_sched.schedules._common import check_warmup_decay, warmup_pieces

#: Decay shapes by their transformers name.
DECAY_SHAPES = {"linear": "linear", "cosine": "cosine", "1-sqrt": "one_minus_sqrt"}
#: Warmup shapes by their transformers name.
WARMUP_SHAPES = {"linear": "linear", "cosine": "cosine"}


def warmup_stable_decay(
    peak_lr: jax.typing.ArrayLike,
    total_steps: int,
    warmup_steps: int | float = 0,
    decay_steps: int | float = 0.2,
    init_lr: jax.typing.ArrayLike = 0.0,
    min_lr: jax.typing.ArrayLike = 0.0,
    decay_shape: str = "1-sqrt",
    warmup_shape: str = "linear",
) -> Schedule:
    r"""Warmup to ``peak_lr``, hold it, then cool down to ``min_lr`` at ``total_steps``.

    With :math:`W` = warmup, :math:`S = T - W - D` stable steps, :math:`D` =
    ``decay_steps`` and progress :math:`p = (t - W - S) / D` through the cooldown:

    .. math::

      \eta(t) = \begin{cases}
        \text{warmup from } \eta_0 \text{ to } \eta_{peak} & t < W \\
        \eta_{peak} & W \le t < W + S \\
        \eta_{min} + (\eta_{peak} - \eta_{min})\, f(p) & W + S \le t < T \\
        \eta_{min} & t \ge T
      \end{cases}

    with the cooldown shape :math:`f(p) = 1 - p` (``"linear"``),
    :math:`\tfrac{1}{2}(1 + \cos \pi p)` (``"cosine"``) or :math:`1 - \sqrt{p}`
    (``"1-sqrt"``). The run length need not be fixed in advance: the stable phase can be
    extended, and a cooldown branched off any checkpoint.

    Args:
      peak_lr: the learning rate of the stable phase.
      total_steps: the number of optimizer updates in the run, warmup included.
      warmup_steps: an int number of steps, or a float in ``[0, 1)`` for a fraction of
        ``total_steps`` (rounded up).
      decay_steps: the cooldown length, an int or a fraction of ``total_steps`` (rounded
        up). Default 0.2: cooldowns of 10-20% of the run match cosine (Hägele et al.).
      init_lr: the learning rate at step 0, ``<= peak_lr``.
      min_lr: the floor reached at ``total_steps``, ``<= peak_lr``.
      decay_shape: ``"1-sqrt"`` (default, the best shape in Hägele et al.), ``"linear"``
        or ``"cosine"``.
      warmup_shape: ``"linear"`` or ``"cosine"``.

    Returns:
      A :class:`~optax_sched.Schedule` with phases warmup, stable and decay.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_stable_decay(1.0, total_steps=100, warmup_steps=10,
      ...                                     decay_steps=20, decay_shape="linear")
      >>> [round(float(s(k)), 4) for k in (0, 10, 79, 80, 90, 100)]
      [0.0, 1.0, 1.0, 1.0, 0.5, 0.0]

    References:
      Hu et al., `MiniCPM <https://arxiv.org/abs/2404.06395>`_, 2024; Hägele et al.,
      `Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations
      <https://arxiv.org/abs/2405.18392>`_, 2024.
    """
    where = "warmup_stable_decay"
    decay_kind = DECAY_SHAPES[
        _validate.check_choice(where, "decay_shape", decay_shape, list(DECAY_SHAPES))
    ]
    warmup_kind = WARMUP_SHAPES[
        _validate.check_choice(where, "warmup_shape", warmup_shape, list(WARMUP_SHAPES))
    ]
    total = _validate.check_steps(where, "total_steps", total_steps)
    decay = _validate.resolve_steps(where, "decay_steps", decay_steps, total)
    if decay < 1:
        raise ValueError(
            f"{where}: decay_steps must be >= 1 step; got decay_steps={decay_steps!r}."
        )
    total, warmup = check_warmup_decay(
        where, peak_lr, total_steps, warmup_steps, init_lr, min_lr, reserved=decay
    )
    stable_start = total - decay
    pieces = warmup_pieces(init_lr, peak_lr, warmup, warmup_kind)
    if stable_start > warmup:
        pieces.append(Piece(warmup, "constant", 1, peak_lr, label="stable"))
    pieces.append(Piece(stable_start, decay_kind, decay, peak_lr, min_lr, label="decay"))
    params = {
        "peak_lr": peak_lr,
        "total_steps": total_steps,
        "warmup_steps": warmup_steps,
        "decay_steps": decay_steps,
        "init_lr": init_lr,
        "min_lr": min_lr,
        "decay_shape": decay_shape,
        "warmup_shape": warmup_shape,
    }
    return _core.make(where, params, pieces, end_step=total)
