"""Known mistake: no ``progress >= 1`` guard.

At step T, ``num_cycles * progress`` is a whole number, so the modulo sends the position
back to 0 and the full learning rate returns on the last step (and the cycles go on
after it). transformers returns 0 from T on.
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
    cosine = 0.5 * (1.0 + jnp.cos(jnp.pi * ((num_cycles * progress) % 1.0)))
    warm = step / jnp.maximum(1, num_warmup_steps)
    return learning_rate * jnp.where(step < num_warmup_steps, warm, cosine)
