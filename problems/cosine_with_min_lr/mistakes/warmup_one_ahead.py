"""Known mistake: the warmup runs one step ahead, ``(step + 1) / W``.

That is the convention of transformers' other scheduler, ``cosine_warmup_with_min_lr``
(its first update already uses ``1 / W`` of the peak). ``cosine_with_min_lr`` starts at
exactly 0.0: step 0 must give 0.0, not 1e-4 (peak 1e-3, W = 10).
Expected verdict: wrong_answer.
"""

import jax
import jax.numpy as jnp


def cosine_with_min_lr(
    step: int,
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    min_lr_rate: float,
) -> jax.Array:
    warm = (step + 1) / jnp.maximum(1, num_warmup_steps)
    span = jnp.maximum(1, num_training_steps - num_warmup_steps)
    progress = (step - num_warmup_steps) / span
    cosine = 0.5 * (1.0 + jnp.cos(jnp.pi * progress))
    factor = min_lr_rate + (1.0 - min_lr_rate) * cosine
    return learning_rate * jnp.where(step < num_warmup_steps, warm, factor)
