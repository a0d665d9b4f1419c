"""Mistake: clips each element to [-max_norm, max_norm] (optax.clip, i.e. clip by value)
instead of rescaling the whole vector by its global L2 norm. The direction changes and a
vector of many moderate entries is not clipped at all.
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
        optax.clip(max_norm),
        optax.scale_by_schedule(schedule),
        optax.scale(-1.0),
    )
    g = jnp.asarray(grads, dtype=jnp.float32)
    state = optax.tree.set(optimizer.init(g), count=jnp.asarray(step, dtype=jnp.int32))
    updates, _ = optimizer.update(g, state)
    return updates
