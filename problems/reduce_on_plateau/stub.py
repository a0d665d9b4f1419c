"""Exercise ``reduce_on_plateau``: follow optax.contrib.reduce_on_plateau's scale.

Feed the losses one by one to ``optax.contrib.reduce_on_plateau(factor=..., patience=...,
cooldown=...)`` (other arguments at their defaults) and return the ``scale`` found in its
state after each update, as a float32 ``jax.Array`` of shape ``(len(losses),)``.

Statement: ``optax-sched show reduce_on_plateau``. Stuck? ``optax-sched hint
reduce_on_plateau`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import numpy as np
from optax import contrib  # noqa: F401


def reduce_on_plateau(losses: np.ndarray, factor: float, patience: int, cooldown: int) -> jax.Array:
    # TODO: build the transformation, jit its update once, call it with value=loss for each
    # loss, and collect state.scale after every call.
    raise NotImplementedError("reduce_on_plateau: replace this line with your solution")
