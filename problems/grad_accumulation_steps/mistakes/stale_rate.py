"""Mistake: logs the inner hyperparams after every call without checking whether an update
was applied. On accumulate-only calls the inner state still holds the previous update's
rate (schedule(0) from init before the first update), so those entries are not 0.0.
"""

import jax
import jax.numpy as jnp
import optax

import optax_sched


def grad_accumulation_steps(
    peak_lr: float, warmup_steps: int, total_steps: int, k: int, num_micro_batches: int
) -> jax.Array:
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    optimizer = optax.MultiSteps(
        optax.inject_hyperparams(optax.sgd)(learning_rate=schedule), every_k_schedule=k
    )
    update = jax.jit(optimizer.update)
    params = jnp.zeros(3)
    grads = jnp.ones(3)
    state = optimizer.init(params)
    rates = []
    for _ in range(num_micro_batches):
        updates, state = update(grads, state, params)
        params = optax.apply_updates(params, updates)
        rates.append(state.inner_opt_state.hyperparams["learning_rate"])
    return jnp.stack(rates)
