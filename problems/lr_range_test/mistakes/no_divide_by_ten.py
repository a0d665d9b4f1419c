"""Known mistake: returns the learning rate at the minimum itself.

At the smoothed minimum the loss has stopped improving: that rate is already at the
edge of divergence. The rule backs off by a factor of 10 (wrong_answer).
"""

import jax.numpy as jnp
import numpy as np


def lr_range_test(losses, min_lr, max_lr):
    losses = np.asarray(losses, dtype=np.float64)
    n = len(losses)
    lrs = min_lr * (max_lr / min_lr) ** (np.arange(n) / (n - 1))
    average, best, smoothed = 0.0, np.inf, []
    for i, loss in enumerate(losses):
        average = 0.98 * average + 0.02 * loss
        value = average / (1 - 0.98 ** (i + 1))
        if i > 0 and value > 4 * best:
            break
        smoothed.append(value)
        best = min(best, value)
    return jnp.asarray(lrs[int(np.argmin(smoothed))], dtype=jnp.float32)  # BUG: no / 10
