"""Known mistake: building optax.polynomial_schedule inside the function (not_jittable).

Eagerly this is exactly the reference; under jax.jit its constructor evaluates
``transition_steps <= 0`` in Python on a traced decay_steps and fails.
"""

import jax.numpy as jnp
import optax


def polynomial_decay(step, init_lr, end_lr, decay_steps, power):
    schedule = optax.polynomial_schedule(init_lr, end_lr, power, decay_steps)
    return jnp.asarray(schedule(step), dtype=jnp.float32)
