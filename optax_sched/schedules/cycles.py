"""Per-cycle learning rates: one rate (or one peak) per training cycle."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import jax
import jax.numpy as jnp

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule


def cycle_decay(
    base_lr: jax.typing.ArrayLike | None,
    steps_per_cycle: int,
    decay_factor: jax.typing.ArrayLike = 1.0,
    lrs: Sequence[jax.typing.ArrayLike] | None = None,
    within: Callable[[jax.Array], jax.Array] | None = None,
) -> Schedule:
    r"""A rate per training cycle: decayed by a factor, or read from a table.

    Cycle :math:`c = \lfloor t / N \rfloor + 1` (1-based, :math:`N` =
    ``steps_per_cycle``) runs at

    .. math::

      \eta_c = \begin{cases}
        \eta_{base}\, \gamma^{\,c - 1} & \text{with a decay factor } \gamma \\
        \mathrm{lrs}[\min(c, n) - 1] & \text{with a table of } n \text{ rates}
      \end{cases}

    so with a table the last entry is held once it runs out. With ``within``, each
    cycle also follows a shape of its own, scaled by the cycle's rate:
    :math:`\eta(t) = \eta_c \cdot \mathrm{within}(t \bmod N)`; pass a schedule that
    peaks at 1, e.g. ``warmup_cosine(1.0, total_steps=N, warmup_steps=50, min_lr=0.1)``.

    Args:
      base_lr: the rate of the first cycle. With ``lrs`` it may be ``None`` (else it
        must equal ``lrs[0]``).
      steps_per_cycle: :math:`N`, optimizer updates per cycle, an int ``>= 1``.
      decay_factor: :math:`\gamma \in (0, 1]`, e.g. 0.95 gentle, 0.85 standard, 0.70
        aggressive; 1.0 keeps every cycle at ``base_lr``.
      lrs: an explicit rate per cycle (instead of a decay factor).
      within: an optional within-cycle multiplier, called with the step inside the
        cycle (``0 .. N-1``). A :class:`~optax_sched.Schedule` longer than ``N`` steps
        is rejected, because its end would never be reached.

    Returns:
      A :class:`~optax_sched.Schedule`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.cycle_decay(5e-5, steps_per_cycle=100, decay_factor=0.85)
      >>> [f"{float(s(100 * (c - 1))):.2e}" for c in (1, 3, 5)]
      ['5.00e-05', '3.61e-05', '2.61e-05']
      >>> t = optax_sched.cycle_decay(None, 100, lrs=[5e-5, 4e-5, 3e-5])
      >>> [f"{float(t(k)):.0e}" for k in (0, 150, 250, 10_000)]
      ['5e-05', '4e-05', '3e-05', '3e-05']
    """
    where = "cycle_decay"
    spc = _validate.check_steps(where, "steps_per_cycle", steps_per_cycle)
    if lrs is not None:
        lrs = list(lrs)
        if not lrs:
            raise ValueError(f"{where}: lrs must hold at least one rate; got lrs=[].")
        for i, lr in enumerate(lrs):
            _validate.check_lr(where, f"lrs[{i}]", lr)
        if _validate.concrete(decay_factor) not in (None, 1.0):
            raise ValueError(
                f"{where}: pass either lrs or decay_factor, not both; got decay_factor="
                f"{decay_factor!r} with lrs={lrs!r}. The table already gives every cycle's rate."
            )
        if base_lr is not None:
            _validate.check_lr(where, "base_lr", base_lr)
            first, given = _validate.concrete(lrs[0]), _validate.concrete(base_lr)
            if first is not None and given is not None and first != given:
                raise ValueError(
                    f"{where}: base_lr={base_lr!r} but lrs[0]={lrs[0]!r}; the first cycle runs "
                    "at lrs[0]. Pass base_lr=None (or equal to lrs[0]) with a table."
                )
        pieces = [
            Piece(i * spc, "constant", 1, lr, label=f"cycle {i + 1}") for i, lr in enumerate(lrs)
        ]
        table_end = (len(lrs) - 1) * spc
    else:
        if base_lr is None:
            raise ValueError(f"{where}: base_lr is required unless a table lrs=[...] is given.")
        _validate.check_lr(where, "base_lr", base_lr)
        _validate.check_range(
            where,
            "decay_factor",
            decay_factor,
            high=1.0,
            hint="It multiplies each cycle's rate: 0.85 is a standard start, 1.0 keeps it "
            "constant; for rates that grow, pass an explicit table lrs=[...].",
        )
        pieces = [Piece(0, "staircase", spc, base_lr, 0.0, decay_factor, label="cycles")]
        table_end = 0 if _validate.concrete(decay_factor) == 1.0 else None
    params = {
        "base_lr": base_lr,
        "steps_per_cycle": spc,
        "decay_factor": decay_factor,
        "lrs": lrs,
        "within": within,
    }
    table = _core.make(where, params, pieces, end_step=table_end)
    if within is None:
        return table
    if not callable(within):
        raise ValueError(
            f"{where}: within must be a schedule (a callable step -> value); got {within!r}."
        )
    inner_end = getattr(within, "end_step", None)
    if inner_end is not None and inner_end > spc:
        raise ValueError(
            f"{where}: the within-cycle schedule settles at step {inner_end} but a cycle lasts "
            f"steps_per_cycle={spc}, so its end would never be reached. Build it for "
            f"total_steps={spc}."
        )
    dtype = _core.float_dtype()

    def schedule(step: jax.Array) -> jax.Array:
        local = jnp.mod(jnp.maximum(step, 0), spc)
        return table.fn(step) * jnp.asarray(within(local), dtype)

    return Schedule(schedule, where, params, _core.phases_of(pieces, None), None)
