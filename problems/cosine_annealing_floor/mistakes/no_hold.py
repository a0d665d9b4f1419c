"""Known mistake: PyTorch's closed form with no clamp (wrong_answer past t_max).

``cos`` is periodic, so after t_max the value climbs back up to base_lr at 2 * t_max
instead of staying on the floor.
"""

import jax.numpy as jnp


def cosine_annealing_floor(step, base_lr, t_max, eta_min):
    progress = jnp.asarray(step) / t_max
    return eta_min + (base_lr - eta_min) * (1 + jnp.cos(jnp.pi * progress)) / 2
