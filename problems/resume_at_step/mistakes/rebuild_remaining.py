"""Known mistake: a brand-new schedule sized to the steps that are left.

``total_steps - resume_step`` steps remain, so this builds a warmup + cosine of that length.
It replays the warmup and squeezes a full cosine from the peak into the remainder, instead
of continuing the original curve from where it was. Resumed at 6000 of 10_000 with W 500:
local step 500 gives 3.0e-4 instead of 8.97e-5.
Expected verdict: wrong_answer.
"""

import jax.numpy as jnp
import optax


def resume_at_step(local_step, resume_step, peak_lr, warmup_steps, total_steps):
    remaining = max(total_steps - resume_step, warmup_steps + 1)
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0,
        peak_value=peak_lr,
        warmup_steps=warmup_steps,
        decay_steps=remaining,
        end_value=0.0,
    )
    return jnp.asarray(schedule(local_step))
