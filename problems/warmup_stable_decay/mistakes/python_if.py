"""Known mistake: the phase chosen with Python ``if`` statements.

Right when called eagerly, but under ``jax.jit`` the step and the counts are tracers and
``if step < warmup_steps`` cannot be decided while tracing.
Expected verdict: not_jittable.
"""

import jax
import jax.numpy as jnp


def warmup_stable_decay(
    step: int,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    decay_steps: int,
    min_lr: float,
) -> jax.Array:
    start = total_steps - decay_steps
    if step < warmup_steps:
        return jnp.asarray(peak_lr * step / warmup_steps, dtype=jnp.float32)
    if step < start:
        return jnp.asarray(peak_lr, dtype=jnp.float32)
    q = min((step - start) / decay_steps, 1.0)
    return min_lr + (peak_lr - min_lr) * (1.0 - jnp.sqrt(q))
