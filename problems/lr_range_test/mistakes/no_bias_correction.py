"""Known mistake: the moving average is used without bias correction.

The average starts at 0, so after one step it is only 2% of the first loss and it takes
dozens of steps to catch up. Uncorrected, the smallest "smoothed" loss is almost always
step 0, and the suggestion collapses to min_lr / 10 (wrong_answer).
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
        value = average  # BUG: should be average / (1 - 0.98 ** (i + 1))
        if i > 0 and value > 4 * best:
            break
        smoothed.append(value)
        best = min(best, value)
    return jnp.asarray(lrs[int(np.argmin(smoothed))] / 10, dtype=jnp.float32)
