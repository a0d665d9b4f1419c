"""Known mistake: the stable phase taken as ``total_steps - decay_steps`` steps long.

Adding that after the warmup starts the cooldown at ``W + T - D`` (step 90 instead of 80
for W 10, T 100, D 20), and the cooldown then runs past the end of training: at step 90
this gives the peak, 1e-3, instead of 3.636e-4.
Expected verdict: wrong_answer.
"""

import jax
import jax.numpy as jnp


def warmup_stable_decay(
    step: int,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    decay_steps: int,
    min_lr: float,
) -> jax.Array:
    stable_steps = total_steps - decay_steps
    start = warmup_steps + stable_steps
    q = jnp.clip((step - start) / decay_steps, 0.0, 1.0)
    cool = min_lr + (peak_lr - min_lr) * (1.0 - jnp.sqrt(q))
    warm = peak_lr * step / jnp.maximum(warmup_steps, 1)
    return jnp.where(step < warmup_steps, warm, jnp.where(step < start, peak_lr, cool))
