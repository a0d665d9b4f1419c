"""Known mistake: a Python ``if`` to choose the phase (not_jittable under jax.jit)."""

import jax.numpy as jnp


def inverse_sqrt(step, peak_lr, warmup_steps):
    if step < warmup_steps:
        return jnp.asarray(peak_lr * step / warmup_steps, dtype=jnp.float32)
    tau = warmup_steps if warmup_steps > 0 else 10_000
    return peak_lr * jnp.sqrt(tau / (step - warmup_steps + tau))
