"""Mistake: uses optax.warmup_cosine_decay_schedule with decay_steps = total - warmup, believing
decay_steps counts only the cosine part. optax counts the warmup inside decay_steps, so the
decay ends warmup_steps updates too early.
"""

import jax
import jax.numpy as jnp
import optax


def schedule_in_adamw(
    peak_lr: float, warmup_steps: int, total_steps: int, num_updates: int
) -> jax.Array:
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0,
        peak_value=peak_lr,
        warmup_steps=warmup_steps,
        decay_steps=total_steps - warmup_steps,
        end_value=0.0,
    )
    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule)
    params = jnp.zeros(3)
    grads = jnp.ones(3)
    state = optimizer.init(params)
    used = []
    for _ in range(num_updates):
        updates, state = optimizer.update(grads, state, params)
        params = optax.apply_updates(params, updates)
        used.append(state.hyperparams["learning_rate"])
    return jnp.stack(used)
