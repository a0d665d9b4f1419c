"""Exercise ``warmup_stable_decay``: linear warmup, flat peak, then a 1-sqrt cooldown.

Return the learning rate at ``step`` of a warmup-stable-decay schedule whose cooldown of
``decay_steps`` steps ends at ``total_steps`` on ``min_lr``. It must work under jax.jit
with every argument traced, under jax.vmap over ``step`` and under jax.grad in
``peak_lr``.

Statement: ``optax-sched show warmup_stable_decay``. Stuck? ``optax-sched hint
warmup_stable_decay`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def warmup_stable_decay(
    step: int,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    decay_steps: int,
    min_lr: float,
) -> jax.Array:
    # TODO: compute the warmup, stable and 1-sqrt cooldown values with jnp (clip the
    # cooldown progress into [0, 1] before the square root) and choose with jnp.where.
    raise NotImplementedError("warmup_stable_decay: replace this line with your solution")
