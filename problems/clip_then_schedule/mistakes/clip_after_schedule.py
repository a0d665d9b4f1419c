"""Mistake: scales by the schedule first and clips afterwards. The threshold then applies to
lr * g rather than g: with a small rate almost nothing gets clipped, and the effective
clipping threshold changes as the schedule moves.
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
        optax.scale_by_schedule(schedule),
        optax.clip_by_global_norm(max_norm),
        optax.scale(-1.0),
    )
    g = jnp.asarray(grads, dtype=jnp.float32)
    state = optax.tree.set(optimizer.init(g), count=jnp.asarray(step, dtype=jnp.int32))
    updates, _ = optimizer.update(g, state)
    return updates
