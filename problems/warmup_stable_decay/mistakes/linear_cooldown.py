"""Known mistake: a linear cooldown where the 1-sqrt shape was asked.

Same start, same end, different middle: at step 90 of (peak 1e-3, W 10, T 100, D 20,
min_lr 1e-4) it gives 5.5e-4 instead of 3.636e-4.
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
    start = total_steps - decay_steps
    q = jnp.clip((step - start) / decay_steps, 0.0, 1.0)
    cool = min_lr + (peak_lr - min_lr) * (1.0 - q)
    warm = peak_lr * step / jnp.maximum(warmup_steps, 1)
    return jnp.where(step < warmup_steps, warm, jnp.where(step < start, peak_lr, cool))
