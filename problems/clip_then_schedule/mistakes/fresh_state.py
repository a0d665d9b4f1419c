"""Mistake: uses the state straight from init(), whose count is 0, so every answer is computed
at schedule(0) whatever `step` says (and during a warmup from zero, that is all zeros).
"""

import jax
import jax.numpy as jnp
import optax

import optax_sched


def clip_then_schedule(grads, max_norm, peak_lr, warmup_steps, total_steps, step) -> jax.Array:
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    optimizer = optax.chain(
        optax.clip_by_global_norm(max_norm),
        optax.scale_by_schedule(schedule),
        optax.scale(-1.0),
    )
    g = jnp.asarray(grads, dtype=jnp.float32)
    updates, _ = optimizer.update(g, optimizer.init(g))
    return updates
