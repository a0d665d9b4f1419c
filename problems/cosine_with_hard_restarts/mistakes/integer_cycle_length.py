"""Known mistake: the cycle length rounded down to whole steps.

``cycle = (T - W) // c`` and ``(step - W) % cycle`` restart every ``cycle`` steps. When
``c`` does not divide ``T - W`` the restarts come early and drift: for W 10, T 100, c 4
the cycles are really 22.5 steps, so this restarts at steps 32, 54, 76 and 98 instead of
at 32.5, 55 and 77.5 (and step 98 should be near 0, not near the peak).
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
    span = jnp.maximum(1, num_training_steps - num_warmup_steps)
    cycle = jnp.maximum(1, span // num_cycles)
    position = jnp.mod(step - num_warmup_steps, cycle) / cycle
    cosine = 0.5 * (1.0 + jnp.cos(jnp.pi * position))
    progress = (step - num_warmup_steps) / span
    decay = jnp.where(progress >= 1.0, 0.0, cosine)
    warm = step / jnp.maximum(1, num_warmup_steps)
    return learning_rate * jnp.where(step < num_warmup_steps, warm, decay)
