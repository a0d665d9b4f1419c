"""Known mistake: ``jnp.sqrt`` of the cooldown progress before it is clipped.

Before the cooldown ``q`` is negative, so the cooldown branch is NaN. ``jnp.where`` picks
the other branch and every value is right, but the gradient with respect to ``peak_lr``
flows through both branches: the unselected one contributes 0 * NaN = NaN.
Expected verdict: grad_mismatch.
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
    q = (step - start) / decay_steps
    cool = min_lr + (peak_lr - min_lr) * (1.0 - jnp.sqrt(q))
    cool = jnp.where(step >= total_steps, min_lr, cool)
    warm = peak_lr * step / jnp.maximum(warmup_steps, 1)
    return jnp.where(step < warmup_steps, warm, jnp.where(step < start, peak_lr, cool))
