"""Cosine schedules: closed-form annealing, warmup + cosine, and the seed exercise."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule
from optax_sched.schedules._common import check_warmup_decay, warmup_pieces


def cosine_annealing(
    base_lr: jax.typing.ArrayLike, t_max: int, eta_min: jax.typing.ArrayLike = 0.0
) -> Schedule:
    r"""Cosine annealing from ``base_lr`` to the floor ``eta_min`` over ``t_max`` steps.

    The closed form of PyTorch's ``CosineAnnealingLR``, except that the floor is held
    after ``t_max`` instead of climbing back up (PyTorch's curve keeps following the
    cosine past ``t_max``), so a resumed or longer run never restarts its decay by
    accident:

    .. math::

      \eta(t) = \begin{cases}
        \eta_{min} + (\eta_{base} - \eta_{min})\,\tfrac{1}{2}
            \left(1 + \cos\frac{\pi t}{T_{max}}\right) & t < T_{max} \\
        \eta_{min} & t \ge T_{max}
      \end{cases}

    where :math:`\eta_{base}` = ``base_lr``, :math:`\eta_{min}` = ``eta_min`` and
    :math:`T_{max}` = ``t_max``.

    Args:
      base_lr: the learning rate at step 0.
      t_max: the number of steps the decay lasts; the floor is reached at ``t_max``.
      eta_min: the floor, ``0 <= eta_min <= base_lr``. A non-zero floor keeps a resumed
        or next-stage run learning.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.cosine_annealing(5e-4, t_max=1000, eta_min=1e-6)
      >>> print(f"{float(s(0)):.3g} {float(s(500)):.3g} {float(s(1000)):.3g} {float(s(5000)):.3g}")
      0.0005 0.00025 1e-06 1e-06

    References:
      Loshchilov & Hutter, `SGDR: Stochastic Gradient Descent with Warm Restarts
      <https://arxiv.org/abs/1608.03983>`_, 2017.
    """
    where = "cosine_annealing"
    _validate.check_lr(where, "base_lr", base_lr)
    _validate.check_lr(where, "eta_min", eta_min)
    _validate.check_not_above(where, "eta_min", eta_min, "base_lr", base_lr)
    t_max = _validate.check_steps(where, "t_max", t_max)
    pieces = [Piece(0, "cosine", t_max, base_lr, eta_min, label="decay")]
    params = {"base_lr": base_lr, "t_max": t_max, "eta_min": eta_min}
    return _core.make(where, params, pieces, end_step=t_max)


def warmup_cosine(
    peak_lr: jax.typing.ArrayLike,
    total_steps: int,
    warmup_steps: int | float = 0,
    init_lr: jax.typing.ArrayLike = 0.0,
    min_lr: jax.typing.ArrayLike = 0.0,
) -> Schedule:
    r"""Linear warmup to ``peak_lr``, then cosine decay to ``min_lr`` at ``total_steps``.

    ``total_steps`` is the length of the whole run, warmup included: the floor is reached
    exactly at ``total_steps`` and held after it. (optax's
    ``warmup_cosine_decay_schedule`` uses the same convention under the name
    ``decay_steps``; passing it ``total_steps - warmup_steps`` ends the decay early.)

    .. math::

      \eta(t) = \begin{cases}
        \eta_0 + (\eta_{peak} - \eta_0)\, \frac{t}{W} & t < W \\
        \eta_{min} + (\eta_{peak} - \eta_{min})\,\tfrac{1}{2}
            \left(1 + \cos\left(\pi\,\frac{t - W}{T - W}\right)\right) & W \le t < T \\
        \eta_{min} & t \ge T
      \end{cases}

    where :math:`\eta_0` = ``init_lr``, :math:`\eta_{peak}` = ``peak_lr``,
    :math:`\eta_{min}` = ``min_lr``, :math:`W` = ``warmup_steps`` and :math:`T` =
    ``total_steps``.

    Args:
      peak_lr: the learning rate at the end of warmup.
      total_steps: the number of optimizer updates in the run, warmup included.
      warmup_steps: an int number of steps, or a float in ``[0, 1)`` giving a fraction
        of ``total_steps``, rounded up: ``ceil(fraction * total_steps)`` (transformers'
        rounding; 0.03 of 10,000 steps is 300, 0.03 of 1,001 is 31). Must leave at least
        one decay step.
      init_lr: the learning rate at step 0, ``<= peak_lr``.
      min_lr: the floor reached at ``total_steps``, ``<= peak_lr``.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_cosine(2e-4, total_steps=10_000, warmup_steps=0.03, min_lr=2e-5)
      >>> s.phases[0]
      Phase(name='warmup', start=0, end=300)
      >>> print(f"{float(s(300)):.3g} {float(s(10_000)):.3g}")
      0.0002 2e-05

    References:
      Loshchilov & Hutter, `SGDR <https://arxiv.org/abs/1608.03983>`_, 2017; Goyal et
      al., `Accurate, Large Minibatch SGD <https://arxiv.org/abs/1706.02677>`_, 2017.
    """
    where = "warmup_cosine"
    total, warmup = check_warmup_decay(where, peak_lr, total_steps, warmup_steps, init_lr, min_lr)
    pieces = [
        *warmup_pieces(init_lr, peak_lr, warmup),
        Piece(warmup, "cosine", total - warmup, peak_lr, min_lr, label="decay"),
    ]
    params = {
        "peak_lr": peak_lr,
        "total_steps": total_steps,
        "warmup_steps": warmup_steps,
        "init_lr": init_lr,
        "min_lr": min_lr,
    }
    return _core.make(where, params, pieces, end_step=total)


def lr_at_step(step: float, peak_lr: float, warmup_steps: float, total_steps: float) -> jax.Array:
    r"""The seed exercise: optax's warmup + cosine evaluated at one step, as a ``(1,)`` array.

    Follows the exercise's recipe literally (and is what the kit grades against)::

      w, total = int(warmup_steps), int(total_steps)
      schedule = optax.warmup_cosine_decay_schedule(
          init_value=0.0, peak_value=peak_lr, warmup_steps=w,
          decay_steps=total - w, end_value=0.0)
      return jnp.array([float(schedule(int(step)))])

    **What optax really does with this.** optax's ``decay_steps`` is the length of the
    whole schedule, warmup *included*, so passing ``total - w`` makes the cosine run over
    ``total - 2w`` steps: the value reaches 0 at step ``total - w``, not at ``total``,
    and stays 0 for the last ``w`` steps:

    .. math::

      \eta(t) = \begin{cases}
        \eta_{peak}\, t / w & t < w \\
        \eta_{peak}\,\tfrac{1}{2}\left(1 + \cos\left(\pi\,
            \frac{t - w}{\mathrm{total} - 2w}\right)\right) & w \le t < \mathrm{total} - w \\
        0 & t \ge \mathrm{total} - w
      \end{cases}

    It therefore needs ``2 * w < total`` (optax itself would fail with a message about
    its internal ``decay_steps``). For a schedule that really ends at ``total_steps``
    use :func:`warmup_cosine`.

    Args:
      step: the step to evaluate, cast with ``int()`` (truncates towards zero).
      peak_lr: the learning rate at the end of warmup, ``>= 0``.
      warmup_steps: warmup length, cast with ``int()``; ``0 <= int(warmup_steps)``.
      total_steps: cast with ``int()``; ``2 * int(warmup_steps) < int(total_steps)``.

    Returns:
      A float32 array of shape ``(1,)``. Not jittable: it calls ``float()`` on the value,
      exactly as the exercise asks.

    Examples:
      >>> import optax_sched
      >>> optax_sched.lr_at_step(10.0, 1e-3, 10.0, 100.0)
      Array([0.001], dtype=float32)
      >>> optax_sched.lr_at_step(90.0, 1e-3, 10.0, 100.0)  # already 0, 10 steps early
      Array([0.], dtype=float32)
    """
    where = "lr_at_step"
    _validate.check_lr(where, "peak_lr", peak_lr)
    w, total = int(warmup_steps), int(total_steps)
    if w < 0:
        raise ValueError(
            f"{where}: int(warmup_steps) must be >= 0; got warmup_steps={warmup_steps!r}."
        )
    if 2 * w >= total:
        raise ValueError(
            f"{where}: needs 2 * int(warmup_steps) < int(total_steps); got warmup_steps="
            f"{warmup_steps!r}, total_steps={total_steps!r}. The exercise passes "
            f"decay_steps=total_steps - warmup_steps = {total - w} to optax, whose "
            "decay_steps already includes the warmup, leaving no room for the cosine. "
            "Raise total_steps or shorten the warmup."
        )
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0, peak_value=peak_lr, warmup_steps=w, decay_steps=total - w, end_value=0.0
    )
    return jnp.array([float(schedule(int(step)))])
