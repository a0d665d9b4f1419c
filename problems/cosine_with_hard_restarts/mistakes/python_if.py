"""Known mistake: transformers' lambda copied with its Python ``if`` statements.

Right when called eagerly, but under ``jax.jit`` the step is a tracer and
``if step < num_warmup_steps`` cannot be decided while tracing.
Expected verdict: not_jittable.
"""

import math

import jax
import jax.numpy as jnp


def cosine_with_hard_restarts(
    step: int,
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: int,
) -> jax.Array:
    if step < num_warmup_steps:
        return jnp.asarray(learning_rate * step / max(1, num_warmup_steps), dtype=jnp.float32)
    progress = (step - num_warmup_steps) / max(1, num_training_steps - num_warmup_steps)
    if progress >= 1.0:
        return jnp.asarray(0.0, dtype=jnp.float32)
    factor = 0.5 * (1.0 + math.cos(math.pi * ((num_cycles * progress) % 1.0)))
    return jnp.asarray(learning_rate * factor, dtype=jnp.float32)
