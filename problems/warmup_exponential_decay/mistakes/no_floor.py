"""Known mistake: the ``min_lr`` floor is ignored.

The rate keeps falling towards 0 instead of settling on ``min_lr``: with peak 1e-3,
W = 100, rate 0.5, D = 1000, min_lr = 1e-4 it gives 3.1e-5 at step 5100 instead of 1e-4.
Expected verdict: wrong_answer.
"""

import jax.numpy as jnp


def warmup_exponential_decay(step, peak_lr, warmup_steps, decay_rate, decay_steps, min_lr):
    warm = peak_lr * step / jnp.maximum(warmup_steps, 1)
    decayed = peak_lr * decay_rate ** ((step - warmup_steps) / decay_steps)
    return jnp.where(step < warmup_steps, warm, decayed)
