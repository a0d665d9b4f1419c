"""Known mistake: ``step / warmup_steps`` with plain Python numbers and no guard.

Both branches are computed before ``jnp.where`` chooses one, so the warmup ratio is
evaluated even when there is no warmup. Called with Python ints and ``warmup_steps = 0``,
``0 / 0`` raises ZeroDivisionError. Guard the divisor with ``jnp.maximum(warmup_steps, 1)``.
Expected verdict: runtime_error.
"""

import jax.numpy as jnp


def warmup_exponential_decay(step, peak_lr, warmup_steps, decay_rate, decay_steps, min_lr):
    warm = peak_lr * (step / warmup_steps)
    decayed = jnp.maximum(min_lr, peak_lr * decay_rate ** ((step - warmup_steps) / decay_steps))
    return jnp.where(step < warmup_steps, warm, decayed)
