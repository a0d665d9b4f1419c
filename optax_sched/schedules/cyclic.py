"""Cyclical learning rates: triangular waves between a base and a maximum rate."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from optax_sched import _core, _validate
from optax_sched._core import Phase, Schedule

#: Amplitude policies by their PyTorch name.
MODES = ("triangular", "triangular2", "exp_range")


def cyclic(
    base_lr: jax.typing.ArrayLike,
    max_lr: jax.typing.ArrayLike,
    step_size_up: int,
    step_size_down: int | None = None,
    mode: str = "triangular",
    gamma: jax.typing.ArrayLike = 1.0,
) -> Schedule:
    r"""A triangular wave between ``base_lr`` and ``max_lr`` (PyTorch's ``CyclicLR``).

    Each cycle rises linearly for :math:`U` steps and falls for :math:`D` steps. With
    :math:`c = \lfloor t / (U + D) \rfloor` (0-based) and :math:`x = t \bmod (U + D)`:

    .. math::

      \eta(t) = \eta_{base} + (\eta_{max} - \eta_{base})\, h(x)\, a(t), \qquad
      h(x) = \begin{cases} x / U & x < U \\ 1 - (x - U) / D & x \ge U \end{cases}

    with amplitude :math:`a = 1` (``"triangular"``), :math:`a = 2^{-c}`
    (``"triangular2"``, halved every cycle) or :math:`a = \gamma^{t}` (``"exp_range"``).

    Args:
      base_lr: the lower bound of the wave.
      max_lr: the upper bound, ``>= base_lr``.
      step_size_up: :math:`U`, steps from the bottom to the top, an int ``>= 1``.
      step_size_down: :math:`D`, steps back down; defaults to ``step_size_up``.
      mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
      gamma: the per-step amplitude factor of ``"exp_range"``, in ``(0, 1]``.

    Returns:
      A :class:`~optax_sched.Schedule` (periodic: its ``end_step`` is ``None``).

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.cyclic(0.1, 1.0, step_size_up=10, mode="triangular2")
      >>> [round(float(s(k)), 4) for k in (0, 5, 10, 20, 30, 40)]
      [0.1, 0.55, 1.0, 0.1, 0.55, 0.1]

    References:
      Smith, `Cyclical Learning Rates for Training Neural Networks
      <https://arxiv.org/abs/1506.01186>`_, 2017.
    """
    where = "cyclic"
    _validate.check_choice(where, "mode", mode, MODES)
    _validate.check_lr(where, "base_lr", base_lr)
    _validate.check_lr(where, "max_lr", max_lr)
    _validate.check_not_above(where, "base_lr", base_lr, "max_lr", max_lr)
    up = _validate.check_steps(where, "step_size_up", step_size_up)
    down = (
        up
        if step_size_down is None
        else _validate.check_steps(where, "step_size_down", step_size_down)
    )
    _validate.check_range(
        where, "gamma", gamma, high=1.0, hint="exp_range shrinks the wave by gamma each step."
    )
    period = up + down
    dtype = _core.float_dtype()

    def schedule(step: jax.Array) -> jax.Array:
        step = _core.as_step(step)
        cycle, x = _core.periods_and_phase(jnp.maximum(step, 0), period)
        height = jnp.where(
            x < up,
            _core.shape("linear", x, up, 0.0, 1.0),
            _core.shape("linear", x - up, down, 1.0, 0.0),
        )
        if mode == "triangular2":
            height = height * jnp.exp2(-cycle)
        elif mode == "exp_range":
            t = jnp.maximum(jnp.asarray(step, dtype), 0.0)
            height = height * jnp.power(jnp.asarray(gamma, dtype), t)
        return base_lr + (max_lr - base_lr) * height

    params = {
        "base_lr": base_lr,
        "max_lr": max_lr,
        "step_size_up": up,
        "step_size_down": step_size_down,
        "mode": mode,
        "gamma": gamma,
    }
    return Schedule(schedule, where, params, (Phase("cycles", 0, None),), None)
