"""Mistake: logs state.hyperparams BEFORE the update, so every entry lags one update behind.

inject_hyperparams refreshes the stored rate inside update; before the call the state still
holds the previous update's rate (schedule(0) from init before update 0).
"""

import jax
import jax.numpy as jnp
import optax

import optax_sched


def schedule_in_adamw(
    peak_lr: float, warmup_steps: int, total_steps: int, num_updates: int
) -> jax.Array:
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule)
    params = jnp.zeros(3)
    grads = jnp.ones(3)
    state = optimizer.init(params)
    used = []
    for _ in range(num_updates):
        used.append(state.hyperparams["learning_rate"])  # "the rate about to be used"
        updates, state = optimizer.update(grads, state, params)
        params = optax.apply_updates(params, updates)
    return jnp.stack(used)
