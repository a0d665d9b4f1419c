"""Mistake: evaluates schedule(i + 1) for update i, reasoning that the count is i + 1 once the
update has run. The schedule is read at the count BEFORE the increment.
"""

import jax
import jax.numpy as jnp

import optax_sched


def schedule_in_adamw(
    peak_lr: float, warmup_steps: int, total_steps: int, num_updates: int
) -> jax.Array:
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    return jnp.stack([schedule(i + 1) for i in range(num_updates)])
