"""Mistake: the right rates, returned as a Python list of floats instead of a jax.Array."""

import jax.numpy as jnp
import optax

import optax_sched


def schedule_in_adamw(peak_lr: float, warmup_steps: int, total_steps: int, num_updates: int):
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule)
    params = jnp.zeros(3)
    grads = jnp.ones(3)
    state = optimizer.init(params)
    used = []
    for _ in range(num_updates):
        updates, state = optimizer.update(grads, state, params)
        params = optax.apply_updates(params, updates)
        used.append(float(state.hyperparams["learning_rate"]))
    return used
