"""Known mistake: timescale ``max(W, 1)`` instead of transformers' 10,000 when W is 0.

Right whenever there is a warmup; with none, the rate halves after 3 steps (wrong_answer).
"""

import jax.numpy as jnp


def inverse_sqrt(step, peak_lr, warmup_steps):
    step = jnp.asarray(step)
    tau = jnp.maximum(warmup_steps, 1)
    ramp = peak_lr * step / tau
    since = jnp.maximum(step - warmup_steps, 0)
    decay = peak_lr * jnp.sqrt(tau / (since + tau))
    return jnp.where(step < warmup_steps, ramp, decay)
