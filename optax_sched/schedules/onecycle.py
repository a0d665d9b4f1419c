"""The one-cycle policy: up to a maximum, then far below the start."""

from __future__ import annotations

import jax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule

#: Annealing shapes by their PyTorch name.
ANNEAL = {"cos": "cosine", "linear": "linear"}


def one_cycle(
    max_lr: jax.typing.ArrayLike,
    total_steps: int,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    anneal_strategy: str = "cos",
    three_phase: bool = False,
) -> Schedule:
    r"""Smith's one-cycle policy, with PyTorch ``OneCycleLR``'s parameters.

    Starting at :math:`\eta_0 = \eta_{max} / d` it rises to :math:`\eta_{max}` over
    :math:`U = \lceil \text{pct\_start} \cdot T \rceil` steps, then anneals to
    :math:`\eta_{end} = \eta_0 / d_{final}`, reached exactly at ``total_steps`` and held
    after it (PyTorch raises an error past the end instead):

    .. math::

      \eta(t) = \begin{cases}
        \mathrm{anneal}(\eta_0 \to \eta_{max},\ t / U) & t < U \\
        \mathrm{anneal}(\eta_{max} \to \eta_{end},\ (t - U)/(T - U)) & U \le t < T \\
        \eta_{end} & t \ge T
      \end{cases}

    ``anneal`` is cosine, :math:`b + (a - b)\tfrac{1}{2}(1 + \cos \pi p)`, or linear.
    With ``three_phase=True`` the second phase returns to :math:`\eta_0` over another
    :math:`U` steps and the third anneals from :math:`\eta_0` to :math:`\eta_{end}`.
    (PyTorch places its phase ends one step earlier, at ``pct_start * T - 1``; the
    parity layer reproduces that exactly.)

    Args:
      max_lr: the peak learning rate.
      total_steps: the number of optimizer updates, an int ``>= 2``.
      pct_start: the fraction of ``total_steps`` spent rising, in ``(0, 1)``.
      div_factor: :math:`d \ge 1`; the start is ``max_lr / div_factor``.
      final_div_factor: :math:`d_{final} \ge 1`; the end is ``start / final_div_factor``.
      anneal_strategy: ``"cos"`` or ``"linear"``.
      three_phase: use the three-phase variant described above.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.one_cycle(1.0, total_steps=100, pct_start=0.25, div_factor=10,
      ...                           final_div_factor=100)
      >>> [round(float(s(k)), 4) for k in (0, 25, 100)]
      [0.1, 1.0, 0.001]

    References:
      Smith & Topin, `Super-Convergence <https://arxiv.org/abs/1708.07120>`_, 2017.
    """
    where = "one_cycle"
    kind = ANNEAL[_validate.check_choice(where, "anneal_strategy", anneal_strategy, list(ANNEAL))]
    _validate.check_lr(where, "max_lr", max_lr)
    total = _validate.check_steps(where, "total_steps", total_steps, minimum=2)
    _validate.check_range(where, "pct_start", pct_start, high=1.0, high_inclusive=False)
    for name, value in (("div_factor", div_factor), ("final_div_factor", final_div_factor)):
        _validate.check_range(
            where,
            name,
            value,
            low=1.0,
            low_inclusive=True,
            hint="It divides the learning rate, so it must be at least 1.",
        )
    up = _validate.resolve_steps(where, "pct_start", float(pct_start), total)
    phases_needed = 3 if three_phase else 2
    if (phases_needed - 1) * up >= total:
        raise ValueError(
            f"{where}: pct_start={pct_start!r} leaves no steps for the last phase of "
            f"total_steps={total} ({phases_needed - 1} x {up} rising/falling steps). Lower "
            "pct_start or raise total_steps."
        )
    start_lr = max_lr / div_factor
    end_lr = start_lr / final_div_factor
    pieces = [Piece(0, kind, up, start_lr, max_lr, label="warmup")]
    if three_phase:
        pieces.append(Piece(up, kind, up, max_lr, start_lr, label="decay"))
        pieces.append(Piece(2 * up, kind, total - 2 * up, start_lr, end_lr, label="annihilation"))
    else:
        pieces.append(Piece(up, kind, total - up, max_lr, end_lr, label="decay"))
    params = {
        "max_lr": max_lr,
        "total_steps": total_steps,
        "pct_start": pct_start,
        "div_factor": div_factor,
        "final_div_factor": final_div_factor,
        "anneal_strategy": anneal_strategy,
        "three_phase": three_phase,
    }
    return _core.make(where, params, pieces, end_step=total)
