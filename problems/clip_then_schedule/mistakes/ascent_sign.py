"""Mistake: forgets optax.scale(-1.0). scale_by_schedule only multiplies by a positive rate,
so the result points up the gradient: +lr * clipped(g), a step of gradient ascent.
"""

import jax
import jax.numpy as jnp
import optax

import optax_sched


def clip_then_schedule(grads, max_norm, peak_lr, warmup_steps, total_steps, step) -> jax.Array:
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    optimizer = optax.chain(optax.clip_by_global_norm(max_norm), optax.scale_by_schedule(schedule))
    g = jnp.asarray(grads, dtype=jnp.float32)
    state = optax.tree.set(optimizer.init(g), count=jnp.asarray(step, dtype=jnp.int32))
    updates, _ = optimizer.update(g, state)
    return updates
