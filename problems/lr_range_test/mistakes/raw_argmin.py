"""Known mistake: the suggestion comes from the raw (unsmoothed) minimum.

The smoothed loss still decides when to stop, but the minimum is taken over the recorded
losses themselves. Noise makes the raw minimum jump around, and the smoothed minimum
lags it by several steps, so the suggested LR is different (wrong_answer).
"""

import jax.numpy as jnp
import numpy as np


def lr_range_test(losses, min_lr, max_lr):
    losses = np.asarray(losses, dtype=np.float64)
    n = len(losses)
    lrs = min_lr * (max_lr / min_lr) ** (np.arange(n) / (n - 1))
    average, best, kept = 0.0, np.inf, 0
    for i, loss in enumerate(losses):
        average = 0.98 * average + 0.02 * loss
        value = average / (1 - 0.98 ** (i + 1))
        if i > 0 and value > 4 * best:
            break
        kept += 1
        best = min(best, value)
    j = int(np.argmin(losses[:kept]))  # BUG: should be the argmin of the smoothed losses
    return jnp.asarray(lrs[j] / 10, dtype=jnp.float32)
