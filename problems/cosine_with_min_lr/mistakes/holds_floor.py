"""Known mistake: progress clipped at 1, so the floor is held after ``num_training_steps``.

A sensible schedule (optax's warmup_cosine_decay_schedule does it) but not transformers':
there the cosine keeps turning, and step 145 of (peak 1e-3, W 10, T 100, r 0.1) is back
up at 5.5e-4 instead of 1e-4.
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
    progress = jnp.clip((step - num_warmup_steps) / span, 0.0, 1.0)
    cosine = 0.5 * (1.0 + jnp.cos(jnp.pi * progress))
    factor = min_lr_rate + (1.0 - min_lr_rate) * cosine
    return learning_rate * jnp.where(step < num_warmup_steps, warm, factor)
