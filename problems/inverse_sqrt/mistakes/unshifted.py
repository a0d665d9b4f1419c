"""Known mistake: the decay counts from step 0 instead of from the end of the warmup.

``sqrt(tau / (step + tau))`` is ``sqrt(1/2)`` at ``step = W = tau``: the rate drops by 29%
the moment the warmup ends (wrong_answer).
"""

import jax.numpy as jnp


def inverse_sqrt(step, peak_lr, warmup_steps):
    step = jnp.asarray(step)
    ramp = peak_lr * step / jnp.maximum(warmup_steps, 1)
    tau = jnp.where(warmup_steps > 0, warmup_steps, 10_000)
    decay = peak_lr * jnp.sqrt(tau / (step + tau))
    return jnp.where(step < warmup_steps, ramp, decay)
