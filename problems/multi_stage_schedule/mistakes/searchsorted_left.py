"""Known mistake: ``jnp.searchsorted(..., side="left")`` finds the stage one step late.

With the cumulative ends ``[1000, 2000, 3000]``, ``side="left"`` maps step 1000 to stage 1
(local step 1000, its floor) although stage 2 starts there (local step 0, value 0.0).
Every step strictly inside a stage is right, so only the boundaries fail (wrong_answer).
"""

import jax.numpy as jnp


def multi_stage_schedule(step, stage_lengths, peak_lrs, min_lrs, warmup_steps):
    stage_lengths = jnp.asarray(stage_lengths)
    peak_lrs, min_lrs = jnp.asarray(peak_lrs), jnp.asarray(min_lrs)
    ends = jnp.cumsum(stage_lengths)
    j = jnp.minimum(jnp.searchsorted(ends, step, side="left"), 2)  # BUG: side="right"
    start = ends[j] - stage_lengths[j]
    t = (step - start).astype(jnp.float32)
    w = jnp.asarray(warmup_steps, jnp.float32)
    length = stage_lengths[j].astype(jnp.float32)
    peak, floor = peak_lrs[j], min_lrs[j]
    ramp = peak * t / w
    p = jnp.clip((t - w) / (length - w), 0.0, 1.0)
    cosine = floor + (peak - floor) * 0.5 * (1.0 + jnp.cos(jnp.pi * p))
    return jnp.where(t < w, ramp, cosine)
