"""Known mistake: the right number, wrapped in a ``(1,)`` array as lr_at_step wanted.

This problem's contract is the schedule's own 0-d array (shape ``()``).
Expected verdict: contract_mismatch.
"""

import jax
import jax.numpy as jnp
import optax


def warmup_cosine_total_steps(
    step: int, peak_lr: float, warmup_steps: int, total_steps: int, min_lr: float
) -> jax.Array:
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0,
        peak_value=peak_lr,
        warmup_steps=warmup_steps,
        decay_steps=total_steps,
        end_value=min_lr,
    )
    return jnp.array([float(schedule(step))])
