"""Known mistake: an unguarded division hidden in the branch ``jnp.where`` throws away.

Turning the counts into arrays avoids Python's ZeroDivisionError, and the values are right
(``jnp.where`` drops the NaN of ``0 / 0``). But ``jax.grad`` differentiates both branches:
the unused one contributes ``0 * NaN = NaN``, so with ``warmup_steps = 0`` the gradient in
``peak_lr`` is NaN instead of 1. Guard the divisor: ``jnp.maximum(warmup_steps, 1)``.
Expected verdict: grad_mismatch.
"""

import jax.numpy as jnp


def warmup_exponential_decay(step, peak_lr, warmup_steps, decay_rate, decay_steps, min_lr):
    step = jnp.asarray(step)
    warmup_steps = jnp.asarray(warmup_steps)
    warm = peak_lr * step / warmup_steps
    since = jnp.maximum(step - warmup_steps, 0)
    decayed = jnp.maximum(min_lr, peak_lr * decay_rate ** (since / decay_steps))
    return jnp.where(step < warmup_steps, warm, decayed)
