"""Known mistake: the right number, returned as a plain Python float.

The statement asks for a 0-d float32 ``jax.Array`` (shape ``()``), the form a training
script can feed straight into ``optax.adamw``; a bare ``float`` is rejected
(contract_mismatch).
"""

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
    return float(lrs[int(np.argmin(smoothed))] / 10)  # BUG: not a jax.Array
