"""Known mistake: hands optax ``decay_steps=total_steps`` instead of ``total_steps - warmup``.

That would make the decay really end at ``T`` (optax counts the warmup inside
``decay_steps``), but the exercise's recipe passes ``T - W``, so every cosine value differs:
at step 90 of (peak 1e-3, W 10, T 100) this gives about 3.0e-5 instead of 0.0.
Expected verdict: wrong_answer.
"""

import jax
import jax.numpy as jnp
import optax


def lr_at_step(step: float, peak_lr: float, warmup_steps: float, total_steps: float) -> jax.Array:
    w, t = int(warmup_steps), int(total_steps)
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0, peak_value=peak_lr, warmup_steps=w, decay_steps=t, end_value=0.0
    )
    return jnp.array([float(schedule(int(step)))])
