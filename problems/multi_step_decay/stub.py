"""Exercise ``multi_step_decay``: PyTorch's MultiStepLR as a jittable closed form.

Return ``base_lr * gamma ** k`` where ``k`` is the number of milestones at or before
``step``. It must work under ``jax.jit`` with every argument traced (the milestones
included), under ``jax.vmap`` over ``step`` and under ``jax.grad`` with respect to
``base_lr``.

Statement: ``optax-sched show multi_step_decay``. Stuck? ``optax-sched hint
multi_step_decay`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import numpy as np


def multi_step_decay(step: int, base_lr: float, milestones: np.ndarray, gamma: float) -> jax.Array:
    # TODO: count the milestones m with m <= step using jnp operations (no Python `if` on
    # traced values) and return base_lr * gamma ** count as a 0-d jax.Array.
    raise NotImplementedError("multi_step_decay: replace this line with your solution")
