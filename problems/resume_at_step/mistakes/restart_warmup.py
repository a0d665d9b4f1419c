"""Known mistake: the rebuilt schedule is read at the new optimizer's own counter.

After a restart the fresh optimizer counts from 0, so the schedule replays its warmup and
then climbs back to the peak. With peak 3e-4, W 500, T 10_000, resumed at 6000: local step
0 gives 0.0 instead of 1.13e-4, and local step 500 gives 3.0e-4 instead of 8.97e-5.
Expected verdict: wrong_answer.
"""

import jax.numpy as jnp
import optax


def resume_at_step(local_step, resume_step, peak_lr, warmup_steps, total_steps):
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0,
        peak_value=peak_lr,
        warmup_steps=warmup_steps,
        decay_steps=total_steps,
        end_value=0.0,
    )
    return jnp.asarray(schedule(local_step))
