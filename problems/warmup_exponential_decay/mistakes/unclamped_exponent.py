"""Known mistake: the decay branch is evaluated with a negative exponent during warmup.

Before ``warmup_steps`` the exponent ``(step - warmup_steps) / decay_steps`` is negative,
and ``decay_rate ** negative`` can overflow float32 (0.5 ** -990 is inf). ``jnp.where``
still picks the ramp, so every value is right, but ``jax.grad`` differentiates the unused
branch too, and ``0 * inf`` is NaN. Clamp the elapsed steps with
``jnp.maximum(step - warmup_steps, 0)``.
Expected verdict: grad_mismatch.
"""

import jax.numpy as jnp


def warmup_exponential_decay(step, peak_lr, warmup_steps, decay_rate, decay_steps, min_lr):
    ramp = peak_lr * step / jnp.maximum(warmup_steps, 1)
    decayed = jnp.maximum(min_lr, peak_lr * decay_rate ** ((step - warmup_steps) / decay_steps))
    return jnp.where(step < warmup_steps, ramp, decayed)
