"""Exercise ``linear_warmup``: a linear warmup that works under jit, vmap and grad.

Return ``peak_lr * step / warmup_steps`` during the warmup and ``peak_lr`` from
``warmup_steps`` on (and at every step when ``warmup_steps == 0``), using ``jax.numpy``
only: every argument may be a traced array.

Statement: ``optax-sched show linear_warmup``. Stuck? ``optax-sched hint linear_warmup``
reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def linear_warmup(step: int, peak_lr: float, warmup_steps: int) -> jax.Array:
    # TODO: build the ramp fraction min(step / warmup_steps, 1) with jnp (no Python `if`),
    # make warmup_steps == 0 give 1.0 without ever dividing by zero, multiply by peak_lr.
    raise NotImplementedError("linear_warmup: replace this line with your solution")
