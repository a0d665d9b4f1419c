"""Known mistake: ``peak_lr / sqrt(step)``, no timescale and no shift (wrong_answer).

At the end of a 100-step warmup it gives peak_lr / 10: the curve falls off a cliff.
"""

import jax.numpy as jnp


def inverse_sqrt(step, peak_lr, warmup_steps):
    step = jnp.asarray(step)
    ramp = peak_lr * step / jnp.maximum(warmup_steps, 1)
    decay = peak_lr / jnp.sqrt(jnp.maximum(step, 1))
    return jnp.where(step < warmup_steps, ramp, decay)
