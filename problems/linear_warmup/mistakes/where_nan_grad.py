"""Known mistake: divide first, select with jnp.where after (NaN gradient at W = 0).

The values are right everywhere, but jnp.where evaluates both branches: at step 0 with
warmup_steps 0 the ramp branch is 0 / 0 = nan, and its (zero) cotangent times nan is nan.
"""

import jax.numpy as jnp


def linear_warmup(step, peak_lr, warmup_steps):
    t = jnp.asarray(step, dtype=jnp.float32)
    w = jnp.asarray(warmup_steps, dtype=jnp.float32)
    return jnp.where(w == 0, peak_lr, peak_lr * jnp.minimum(t / w, 1.0))
