"""Exercise ``inverse_sqrt``: transformers' inverse-square-root schedule, traceable.

Return the linear warmup for ``step < warmup_steps``, then
``peak_lr * sqrt(tau / (step - warmup_steps + tau))`` with ``tau = warmup_steps`` (or
10,000 when ``warmup_steps == 0``), using ``jax.numpy`` only: every argument may be traced.

Statement: ``optax-sched show inverse_sqrt``. Stuck? ``optax-sched hint inverse_sqrt``
reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def inverse_sqrt(step: int, peak_lr: float, warmup_steps: int) -> jax.Array:
    # TODO: compute the warmup ramp and the shifted inverse-sqrt decay (both NaN-free for
    # every input), pick the timescale with jnp.where, and select the phase with jnp.where.
    raise NotImplementedError("inverse_sqrt: replace this line with your solution")
