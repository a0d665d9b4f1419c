"""Known mistake: a Python ``if`` to hold the floor (not_jittable under jax.jit)."""

import jax.numpy as jnp


def cosine_annealing_floor(step, base_lr, t_max, eta_min):
    if step >= t_max:
        return jnp.asarray(eta_min, dtype=jnp.float32)
    progress = jnp.asarray(step) / t_max
    return eta_min + (base_lr - eta_min) * (1 + jnp.cos(jnp.pi * progress)) / 2
