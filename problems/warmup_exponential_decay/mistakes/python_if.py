"""Known mistake: a Python ``if`` picks the phase; under jax.jit the step is traced.

Correct when called with plain numbers, but ``jax.jit`` cannot decide ``step <
warmup_steps`` while tracing and raises TracerBoolConversionError.
Expected verdict: not_jittable.
"""

import jax.numpy as jnp


def warmup_exponential_decay(step, peak_lr, warmup_steps, decay_rate, decay_steps, min_lr):
    if step < warmup_steps:
        return jnp.asarray(peak_lr * step / warmup_steps, dtype=jnp.float32)
    decayed = peak_lr * decay_rate ** ((step - warmup_steps) / decay_steps)
    return jnp.maximum(jnp.float32(min_lr), jnp.float32(decayed))
