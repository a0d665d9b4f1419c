"""Known mistake: the whole recording is searched; the 4x stopping rule is ignored.

After a loss spike the test should be over: a real finder stops training there. Searching
every step lets losses recorded after the divergence (a later, lower plateau) win
(wrong_answer).
"""

import jax.numpy as jnp
import numpy as np


def lr_range_test(losses, min_lr, max_lr):
    losses = np.asarray(losses, dtype=np.float64)
    n = len(losses)
    lrs = min_lr * (max_lr / min_lr) ** (np.arange(n) / (n - 1))
    i = np.arange(n)
    # Vectorised EMA with bias correction: every step, no stopping rule (BUG).
    weights = 0.02 * 0.98 ** (i[:, None] - i[None, :]) * (i[None, :] <= i[:, None])
    smoothed = (weights @ losses) / (1 - 0.98 ** (i + 1))
    return jnp.asarray(lrs[int(np.argmin(smoothed))] / 10, dtype=jnp.float32)
