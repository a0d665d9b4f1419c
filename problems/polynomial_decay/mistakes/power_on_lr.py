"""Known mistake: the power is applied to the scaled learning rate, not to the fraction."""

import jax.numpy as jnp


def polynomial_decay(step, init_lr, end_lr, decay_steps, power):
    frac = 1.0 - jnp.minimum(step, decay_steps) / decay_steps
    return end_lr + ((init_lr - end_lr) * frac) ** power
