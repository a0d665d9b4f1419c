"""Known mistake: forgets the floor and decays to ``end_value=0.0``.

The length is right (``decay_steps=total_steps``) but ``min_lr`` is never passed, so the
value at ``total_steps`` is 0.0 instead of ``min_lr``.
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
        end_value=0.0,
    )
    return schedule(step)
