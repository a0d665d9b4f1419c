"""Known mistake: the offset is applied twice.

The schedule is already shifted (``count + resume_step``), and then it is called with the
global step ``resume_step + local_step`` as well, so it reads step ``2 * resume_step +
local_step``. Resumed at 6000 of a 10_000-step run, local step 0 reads step 12_000: 0.0
instead of 1.13e-4.
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

    def shifted(count):
        return schedule(count + resume_step)

    global_step = resume_step + local_step
    return jnp.asarray(shifted(global_step))
