"""Exercise ``cosine_with_min_lr``: transformers' warmup + cosine with a floor, in jnp.

Return ``learning_rate * factor(step)`` of transformers' ``cosine_with_min_lr`` scheduler
(linear warmup from 0, half a cosine down to ``min_lr_rate * learning_rate``, no clipping
after ``num_training_steps``). It must work under jax.jit with every argument traced,
under jax.vmap over ``step`` and under jax.grad in ``learning_rate``.

Statement: ``optax-sched show cosine_with_min_lr``. Stuck? ``optax-sched hint
cosine_with_min_lr`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def cosine_with_min_lr(
    step: int,
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    min_lr_rate: float,
) -> jax.Array:
    # TODO: compute the warmup factor and the floored cosine factor with jnp, choose one
    # with jnp.where (no Python `if` on the arguments) and scale by learning_rate.
    raise NotImplementedError("cosine_with_min_lr: replace this line with your solution")
