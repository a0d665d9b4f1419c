"""Known mistake: reads the step with ``round()`` where the contract says ``int()``.

``int()`` truncates, ``round()`` goes to the nearest integer, so any step whose fraction is
above one half lands one step later: 5.7 is evaluated at 6 (6.0e-4) instead of 5 (5.0e-4)
with peak 1e-3 and a 10-step warmup. Expected verdict: wrong_answer.
"""

import jax
import jax.numpy as jnp
import optax


def lr_at_step(step: float, peak_lr: float, warmup_steps: float, total_steps: float) -> jax.Array:
    w, t = int(warmup_steps), int(total_steps)
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0, peak_value=peak_lr, warmup_steps=w, decay_steps=t - w, end_value=0.0
    )
    return jnp.array([float(schedule(round(step)))])
