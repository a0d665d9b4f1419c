"""Reference solution for ``lr_range_test``: the LR range test's "minimum / 10" suggestion.

Neither optax nor optax_sched implements an LR finder (it is a procedure around a
training loop, not a schedule), so the reference spells the convention out directly, in
float64 NumPy, exactly as the statement defines it. It follows fastai: an exponential
moving average with beta = 0.98 and bias correction, a stop once the smoothed loss
exceeds 4x the best smoothed loss so far, and the learning rate at the smoothed minimum,
divided by 10.
"""

import jax
import jax.numpy as jnp
import numpy as np

BETA = 0.98  # fastai's smoothing factor
STOP_FACTOR = 4.0  # stop once the smoothed loss exceeds 4x the best so far
SAFETY = 10.0  # back off from the minimum by this factor


def lr_range_test(losses: np.ndarray, min_lr: float, max_lr: float) -> jax.Array:
    """The learning rate suggested by an LR range test, as a 0-d float ``jax.Array``.

    Args:
      losses: the training loss recorded at each step while the learning rate grew
        exponentially from ``min_lr`` (step 0) to ``max_lr`` (the last step).
      min_lr: the learning rate at step 0.
      max_lr: the learning rate at the last step.

    Returns:
      A 0-d ``jax.Array``: the learning rate at the minimum of the smoothed loss, / 10.
    """
    losses = np.asarray(losses, dtype=np.float64)
    n = len(losses)
    # Step i used lr_i = min_lr * (max_lr / min_lr) ** (i / (n - 1)): evenly spaced in log.
    lrs = min_lr * (max_lr / min_lr) ** (np.arange(n) / (n - 1))
    average, best, smoothed = 0.0, np.inf, []
    for i, loss in enumerate(losses):
        average = BETA * average + (1 - BETA) * loss
        # The average starts at 0, so early on it is biased towards 0; dividing by
        # 1 - beta**(i + 1) removes that bias (the same correction Adam applies).
        value = average / (1 - BETA ** (i + 1))
        if i > 0 and value > STOP_FACTOR * best:
            break  # the loss is diverging: this step and every later one are ignored
        smoothed.append(value)
        best = min(best, value)
    j = int(np.argmin(smoothed))  # the first step with the lowest smoothed loss
    # dtype=float: JAX's default float dtype (float32 unless x64 is enabled).
    return jnp.asarray(lrs[j] / SAFETY, dtype=float)
