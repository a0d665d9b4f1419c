"""Known mistake: reads ``min_lr`` as a fraction of the peak (like transformers' min_lr_rate).

``end_value = min_lr * peak_lr`` puts the floor at 1e-7 instead of 1e-4 for
(peak 1e-3, min_lr 1e-4); ``min_lr`` is already an absolute learning rate.
Expected verdict: wrong_answer.
"""

import jax
import optax


def warmup_cosine_total_steps(
    step: int, peak_lr: float, warmup_steps: int, total_steps: int, min_lr: float
) -> jax.Array:
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0,
        peak_value=peak_lr,
        warmup_steps=warmup_steps,
        decay_steps=total_steps,
        end_value=min_lr * peak_lr,
    )
    return schedule(step)
