"""Mistake: places each update at the FIRST micro-batch of its group (i % k == 0). MultiSteps
returns zeros while it accumulates and applies the averaged update at the k-th call.
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
        applied = i % k == 0
        rates.append(schedule(i // k) if applied else jnp.zeros([], jnp.float32))
    return jnp.stack(rates)
