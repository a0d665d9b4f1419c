"""Exercise ``lr_range_test``: turn an LR range test's losses into a suggested rate.

Smooth the recorded losses (EMA, beta 0.98, bias-corrected), stop where they blow up,
and return the learning rate at the smoothed minimum divided by 10, as a 0-d float
``jax.Array``.

Statement: ``optax-sched show lr_range_test``. Stuck? ``optax-sched hint lr_range_test``
reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import numpy as np


def lr_range_test(losses: np.ndarray, min_lr: float, max_lr: float) -> jax.Array:
    # TODO: rebuild the learning rate of every step, smooth the losses with a
    # bias-corrected moving average, stop at the first smoothed loss above 4x the best so
    # far, and return (the LR at the smoothed minimum) / 10 as a 0-d float jax.Array.
    raise NotImplementedError("lr_range_test: replace this line with your solution")
