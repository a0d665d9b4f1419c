"""Known mistake: the right number, returned as a Python float.

``float(...)`` turns the 0-d array into a plain Python number; the contract asks for a 0-d
``jax.Array``.
Expected verdict: contract_mismatch.
"""

import optax


def resume_at_step(local_step, resume_step, peak_lr, warmup_steps, total_steps):
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0,
        peak_value=peak_lr,
        warmup_steps=warmup_steps,
        decay_steps=total_steps,
        end_value=0.0,
    )
    return float(schedule(resume_step + local_step))
