"""Known mistake: subtracts the warmup from optax's ``decay_steps`` (lr_at_step's recipe).

optax's ``decay_steps`` already counts the warmup, so ``total_steps - warmup_steps`` makes
the cosine reach ``min_lr`` at step ``T - W`` and sit there for the last ``W`` steps: at
step 90 of (peak 1e-3, W 10, T 100, min_lr 1e-4) it gives 1.0e-4 instead of 1.2714e-4.
On short runs (2W >= T) optax refuses to build it at all: for W 10, T 11 it raises
``ValueError: ... requires positive decay_steps, got decay_steps=-9``. The grader reports
errors before wrong values, so the verdict is the crash.
Expected verdict: runtime_error.
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
        decay_steps=total_steps - warmup_steps,
        end_value=min_lr,
    )
    return schedule(step)
