"""Known mistake: the decay exponent is counted from step 0, not from the end of warmup.

``decay_rate ** (step / decay_steps)`` has already shrunk by the time the warmup ends, so
the schedule jumps down at ``step == warmup_steps`` and never touches ``peak_lr``: with
peak 1e-3, W = 100, rate 0.5, D = 1000 it gives 9.33e-4 at step 100 instead of 1.0e-3.
Expected verdict: wrong_answer.
"""

import jax.numpy as jnp


def warmup_exponential_decay(step, peak_lr, warmup_steps, decay_rate, decay_steps, min_lr):
    warm = peak_lr * step / jnp.maximum(warmup_steps, 1)
    decayed = jnp.maximum(min_lr, peak_lr * decay_rate ** (step / decay_steps))
    return jnp.where(step < warmup_steps, warm, decayed)
