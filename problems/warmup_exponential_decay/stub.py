"""Exercise ``warmup_exponential_decay``: linear warmup, then continuous exponential decay.

Ramp from 0 to ``peak_lr`` over ``warmup_steps`` steps, then multiply by ``decay_rate``
every ``decay_steps`` steps (continuously, counted from the end of the warmup), never
going below ``min_lr``. It must work under ``jax.jit`` with every argument traced, under
``jax.vmap`` over ``step`` and under ``jax.grad`` with respect to ``peak_lr``.

Statement: ``optax-sched show warmup_exponential_decay``. Stuck? ``optax-sched hint
warmup_exponential_decay`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def warmup_exponential_decay(
    step: int,
    peak_lr: float,
    warmup_steps: int,
    decay_rate: float,
    decay_steps: int,
    min_lr: float,
) -> jax.Array:
    # TODO: compute the warmup value and the decayed value with jnp operations, pick one
    # with jnp.where (no Python `if` on the arguments) and apply the min_lr floor.
    raise NotImplementedError("warmup_exponential_decay: replace this line with your solution")
