"""Mistake: records state.scale BEFORE each update. optax applies (and stores) the reduced scale
in the very update whose loss triggered it, so this log lags one update behind.
"""

import jax
import jax.numpy as jnp
import numpy as np
from optax import contrib


def reduce_on_plateau(losses, factor, patience, cooldown) -> jax.Array:
    transform = contrib.reduce_on_plateau(factor=factor, patience=patience, cooldown=cooldown)
    params = jnp.zeros(1)
    state = transform.init(params)
    update = jax.jit(transform.update)
    scales = []
    for loss in np.asarray(losses, dtype=np.float32):
        scales.append(state.scale)
        _, state = update(params, state, value=loss)
    return jnp.stack(scales)
