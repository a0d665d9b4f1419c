"""Known mistake: a Python ``for`` over the stages with an ``if`` on the traced step.

Called with concrete numbers it gives the right values, but under ``jax.jit`` the
comparison ``step < end`` is a tracer and ``if`` cannot branch on it (not_jittable).
"""

import jax.numpy as jnp


def multi_stage_schedule(step, stage_lengths, peak_lrs, min_lrs, warmup_steps):
    start = 0
    for j in range(3):
        end = start + stage_lengths[j]
        if step < end or j == 2:  # BUG: Python branching on a traced value
            t = jnp.asarray(step - start, jnp.float32)
            w = jnp.asarray(warmup_steps, jnp.float32)
            length = jnp.asarray(stage_lengths[j], jnp.float32)
            peak, floor = peak_lrs[j], min_lrs[j]
            p = jnp.clip((t - w) / (length - w), 0.0, 1.0)
            cosine = floor + (peak - floor) * 0.5 * (1.0 + jnp.cos(jnp.pi * p))
            return jnp.where(t < w, peak * t / w, cosine)
        start = end
