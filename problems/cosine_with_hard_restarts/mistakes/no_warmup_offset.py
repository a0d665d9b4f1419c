"""Known mistake: progress measured from step 0 (``step / T``), ignoring the warmup.

The cycles are counted from the start of the run, so the decay begins part-way into the
first cycle and every restart moves (for W 10, T 100, c 3 they fall at 33.3 and 66.7
instead of at 40 and 70).
Expected verdict: wrong_answer.
"""

import jax
import jax.numpy as jnp


def cosine_with_hard_restarts(
    step: int,
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: int,
) -> jax.Array:
    progress = step / jnp.maximum(1, num_training_steps)
    cosine = 0.5 * (1.0 + jnp.cos(jnp.pi * ((num_cycles * progress) % 1.0)))
    decay = jnp.where(progress >= 1.0, 0.0, cosine)
    warm = step / jnp.maximum(1, num_warmup_steps)
    return learning_rate * jnp.where(step < num_warmup_steps, warm, decay)
