"""Exercise ``polynomial_decay``: optax's polynomial schedule, traceable in every argument.

Return ``end_lr + (init_lr - end_lr) * (1 - min(step, decay_steps) / decay_steps) ** power``
using ``jax.numpy`` only: under ``jax.jit`` every argument is a traced array.

Statement: ``optax-sched show polynomial_decay``. Stuck? ``optax-sched hint polynomial_decay``
reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def polynomial_decay(
    step: int, init_lr: float, end_lr: float, decay_steps: int, power: float
) -> jax.Array:
    # TODO: clamp the step at decay_steps, turn it into the remaining fraction, raise that
    # fraction (not the learning rate) to the power, and map it onto [end_lr, init_lr].
    raise NotImplementedError("polynomial_decay: replace this line with your solution")
