"""Mistake: counts the schedule per micro-batch. The update at call i is logged with
schedule(i), as if the schedule advanced on every call; MultiSteps only advances it when an
update is applied, so the right rate is schedule(i // k).
"""

import jax
import jax.numpy as jnp

import optax_sched


def grad_accumulation_steps(
    peak_lr: float, warmup_steps: int, total_steps: int, k: int, num_micro_batches: int
) -> jax.Array:
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    rates = []
    for i in range(num_micro_batches):
        applied = (i + 1) % k == 0  # the update position is right
        rates.append(schedule(i) if applied else jnp.zeros([], jnp.float32))
    return jnp.stack(rates)
