"""Known mistake: a Python ``if`` to hold the floor (not_jittable under jax.jit)."""

import jax.numpy as jnp


def polynomial_decay(step, init_lr, end_lr, decay_steps, power):
    if step >= decay_steps:
        return jnp.asarray(end_lr, dtype=jnp.float32)
    frac = 1.0 - jnp.asarray(step) / decay_steps
    return end_lr + (init_lr - end_lr) * frac**power
