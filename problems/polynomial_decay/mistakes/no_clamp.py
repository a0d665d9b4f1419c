"""Known mistake: no clamp on the step, so the fraction goes negative past decay_steps.

Right up to decay_steps; after it the value rises again (power 2), turns negative
(power 1) or becomes NaN (power 1.5): wrong_answer.
"""

import jax.numpy as jnp


def polynomial_decay(step, init_lr, end_lr, decay_steps, power):
    frac = 1.0 - jnp.asarray(step) / decay_steps
    return end_lr + (init_lr - end_lr) * frac**power
