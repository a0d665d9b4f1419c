"""Known mistake: the warmup divides by ``warmup_steps`` without a guard.

With ``warmup_steps == 0`` the warmup branch is never selected, but ``jnp.where``
evaluates it anyway; on the plain Python numbers of an eager call
``peak_lr * step / warmup_steps`` raises ZeroDivisionError (traced, it would be NaN or
inf and poison the gradient).
Expected verdict: runtime_error.
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
    q = jnp.clip((step - start) / decay_steps, 0.0, 1.0)
    cool = min_lr + (peak_lr - min_lr) * (1.0 - jnp.sqrt(q))
    warm = peak_lr * step / warmup_steps
    return jnp.where(step < warmup_steps, warm, jnp.where(step < start, peak_lr, cool))
