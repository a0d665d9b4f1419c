"""Known mistake: eta_min used like optax's ``alpha``, a fraction of base_lr (wrong_answer).

``optax.cosine_decay_schedule(init_value, decay_steps, alpha)`` ends at
``alpha * init_value``; here eta_min is already a learning rate, so the floor ends up at
``eta_min * base_lr`` (1e-8 instead of 1e-5 in the worked example).
"""

import jax.numpy as jnp


def cosine_annealing_floor(step, base_lr, t_max, eta_min):
    progress = jnp.minimum(step, t_max) / t_max
    cosine = (1 + jnp.cos(jnp.pi * progress)) / 2
    return base_lr * ((1 - eta_min) * cosine + eta_min)
