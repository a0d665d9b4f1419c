"""Known mistake: the floor added on top of the cosine instead of interpolated.

``lr * cosine + r * lr`` starts the decay at ``(1 + r) * lr``, above the peak (1.1e-3 at
step W for a 1e-3 peak and r = 0.1). transformers uses ``r + (1 - r) * cosine``.
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
    warm = step / jnp.maximum(1, num_warmup_steps)
    span = jnp.maximum(1, num_training_steps - num_warmup_steps)
    progress = (step - num_warmup_steps) / span
    cosine = 0.5 * (1.0 + jnp.cos(jnp.pi * progress))
    lr = learning_rate * jnp.where(step < num_warmup_steps, warm, cosine)
    return lr + jnp.where(step < num_warmup_steps, 0.0, min_lr_rate * learning_rate)
