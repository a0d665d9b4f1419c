"""Exercise ``cosine_annealing_floor``: PyTorch's cosine annealing, held at its floor.

Return ``eta_min + (base_lr - eta_min) * (1 + cos(pi * min(step, t_max) / t_max)) / 2``
using ``jax.numpy`` only: under ``jax.jit`` every argument is a traced array.

Statement: ``optax-sched show cosine_annealing_floor``. Stuck?
``optax-sched hint cosine_annealing_floor`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def cosine_annealing_floor(step: int, base_lr: float, t_max: int, eta_min: float) -> jax.Array:
    # TODO: clamp the step at t_max, turn it into a progress in [0, 1], and blend between
    # base_lr and eta_min with (1 + cos(pi * progress)) / 2, using jnp only.
    raise NotImplementedError("cosine_annealing_floor: replace this line with your solution")
