"""Known mistake: ``cos(pi * c * progress)`` with no modulo.

That is a smooth wave: after each minimum it climbs back gradually instead of jumping to
the peak. At the first restart (step 40 for W 10, T 100, c 3) it gives 0.0 instead of the
full learning rate.
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
    progress = (step - num_warmup_steps) / jnp.maximum(1, num_training_steps - num_warmup_steps)
    cosine = 0.5 * (1.0 + jnp.cos(jnp.pi * num_cycles * progress))
    decay = jnp.where(progress >= 1.0, 0.0, cosine)
    warm = step / jnp.maximum(1, num_warmup_steps)
    return learning_rate * jnp.where(step < num_warmup_steps, warm, decay)
