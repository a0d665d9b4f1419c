"""Exercise ``cosine_with_hard_restarts``: transformers' cosine_with_restarts in jnp.

Return ``learning_rate * factor(step)`` of transformers' ``cosine_with_restarts``
scheduler: linear warmup from 0, then ``num_cycles`` cosine decays that each restart at
the full learning rate, and 0 from the end of training on. It must work under jax.jit
with every argument traced, under jax.vmap over ``step`` and under jax.grad in
``learning_rate``.

Statement: ``optax-sched show cosine_with_hard_restarts``. Stuck? ``optax-sched hint
cosine_with_hard_restarts`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def cosine_with_hard_restarts(
    step: int,
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: int,
) -> jax.Array:
    # TODO: compute the warmup factor and the restarting cosine factor with jnp (the
    # position in the current cycle is (num_cycles * progress) % 1.0, and the value is 0
    # once progress >= 1), pick one with jnp.where and scale by learning_rate.
    raise NotImplementedError("cosine_with_hard_restarts: replace this line with your solution")
