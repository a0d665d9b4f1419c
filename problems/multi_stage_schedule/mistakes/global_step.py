"""Known mistake: each stage is evaluated at the global step instead of its local step.

The stage index is right, but ``step`` is never shifted by the stage's start, so from
stage 2 on every value is read far past the stage's own end: its floor (wrong_answer).
"""

import jax.numpy as jnp


def multi_stage_schedule(step, stage_lengths, peak_lrs, min_lrs, warmup_steps):
    stage_lengths = jnp.asarray(stage_lengths)
    peak_lrs, min_lrs = jnp.asarray(peak_lrs), jnp.asarray(min_lrs)
    ends = jnp.cumsum(stage_lengths)
    j = jnp.minimum(jnp.searchsorted(ends, step, side="right"), 2)
    t = jnp.asarray(step, jnp.float32)  # BUG: should be step - (ends[j] - stage_lengths[j])
    w = jnp.asarray(warmup_steps, jnp.float32)
    length = stage_lengths[j].astype(jnp.float32)
    peak, floor = peak_lrs[j], min_lrs[j]
    ramp = peak * t / w
    p = jnp.clip((t - w) / (length - w), 0.0, 1.0)
    cosine = floor + (peak - floor) * 0.5 * (1.0 + jnp.cos(jnp.pi * p))
    return jnp.where(t < w, ramp, cosine)
