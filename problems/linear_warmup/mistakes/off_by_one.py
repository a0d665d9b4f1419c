"""Known mistake: counting steps from 1, ``(step + 1) / W`` (wrong_answer at step 0)."""

import jax.numpy as jnp


def linear_warmup(step, peak_lr, warmup_steps):
    step = jnp.asarray(step)
    frac = jnp.minimum((step + 1) / jnp.maximum(warmup_steps, 1), 1.0)
    return peak_lr * jnp.where(warmup_steps > 0, frac, 1.0)
