"""Known mistake: the cosine's progress is not clipped at 1, so the last floor is not held.

Inside each stage this is exact, but after the last stage ends the cosine keeps turning
and climbs back towards the peak (PyTorch's ``CosineAnnealingLR`` does this too); the
schedule should hold the last stage's floor for ever (wrong_answer).
"""

import jax.numpy as jnp


def multi_stage_schedule(step, stage_lengths, peak_lrs, min_lrs, warmup_steps):
    stage_lengths = jnp.asarray(stage_lengths)
    peak_lrs, min_lrs = jnp.asarray(peak_lrs), jnp.asarray(min_lrs)
    ends = jnp.cumsum(stage_lengths)
    j = jnp.minimum(jnp.searchsorted(ends, step, side="right"), 2)
    start = ends[j] - stage_lengths[j]
    t = (step - start).astype(jnp.float32)
    w = jnp.asarray(warmup_steps, jnp.float32)
    length = stage_lengths[j].astype(jnp.float32)
    peak, floor = peak_lrs[j], min_lrs[j]
    p = (t - w) / (length - w)  # BUG: no jnp.clip(..., 0, 1)
    cosine = floor + (peak - floor) * 0.5 * (1.0 + jnp.cos(jnp.pi * p))
    return jnp.where(t < w, peak * t / w, cosine)
