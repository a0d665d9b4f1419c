"""Known mistake: the floor is forgotten, so the rate decays to exactly 0 (wrong_answer)."""

import jax.numpy as jnp


def cosine_annealing_floor(step, base_lr, t_max, eta_min):
    progress = jnp.minimum(step, t_max) / t_max
    return base_lr * (1 + jnp.cos(jnp.pi * progress)) / 2
