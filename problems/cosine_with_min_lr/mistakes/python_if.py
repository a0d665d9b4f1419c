"""Known mistake: transformers' lambda copied with its Python ``if`` and ``max``.

Correct numbers when called eagerly, but under ``jax.jit`` the step is a tracer and
``if step < num_warmup_steps`` cannot be decided while tracing.
Expected verdict: not_jittable.
"""

import math

import jax
import jax.numpy as jnp


def cosine_with_min_lr(
    step: int,
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    min_lr_rate: float,
) -> jax.Array:
    if step < num_warmup_steps:
        factor = step / max(1, num_warmup_steps)
    else:
        progress = (step - num_warmup_steps) / max(1, num_training_steps - num_warmup_steps)
        cosine = 0.5 * (1.0 + math.cos(math.pi * progress))
        factor = min_lr_rate + (1.0 - min_lr_rate) * cosine
    return jnp.asarray(learning_rate * factor, dtype=jnp.float32)
