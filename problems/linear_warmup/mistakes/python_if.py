"""Known mistake: a Python ``if`` on the step (not_jittable under jax.jit)."""

import jax.numpy as jnp


def linear_warmup(step, peak_lr, warmup_steps):
    if step < warmup_steps:
        return jnp.asarray(peak_lr * step / warmup_steps, dtype=jnp.float32)
    return jnp.asarray(peak_lr, dtype=jnp.float32)
