"""Known mistake: ``min_lr_rate`` used as an absolute learning rate.

The cosine runs from ``learning_rate`` to ``min_lr_rate`` itself, so with
``min_lr_rate = 0.1`` and a peak of 1e-3 the "floor" at step T is 0.1, a hundred times the
peak. transformers' floor is ``min_lr_rate * learning_rate``.
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
    warm = learning_rate * step / jnp.maximum(1, num_warmup_steps)
    span = jnp.maximum(1, num_training_steps - num_warmup_steps)
    progress = (step - num_warmup_steps) / span
    cosine = 0.5 * (1.0 + jnp.cos(jnp.pi * progress))
    decay = min_lr_rate + (learning_rate - min_lr_rate) * cosine
    return jnp.where(step < num_warmup_steps, warm, decay)
