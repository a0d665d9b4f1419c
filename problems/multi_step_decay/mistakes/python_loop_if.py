"""Known mistake: a Python ``if`` inside the loop over milestones.

Looping over a traced 1-D array is fine under jax.jit (its length is known, so the loop is
unrolled), but ``if step >= m`` needs a concrete boolean and raises
TracerBoolConversionError. ``lr = jnp.where(step >= m, lr * gamma, lr)`` in the same loop
would work.
Expected verdict: not_jittable.
"""

import jax.numpy as jnp


def multi_step_decay(step, base_lr, milestones, gamma):
    lr = base_lr
    for m in milestones:
        if step >= m:
            lr = lr * gamma
    return jnp.asarray(lr, dtype=jnp.float32)
