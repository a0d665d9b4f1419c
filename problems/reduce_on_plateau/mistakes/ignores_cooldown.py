"""Mistake: drops the cooldown argument (so it defaults to 0). After a reduction the counting
starts again at once, and a long plateau is cut every `patience` updates instead of every
`cooldown + patience`.
"""

import jax
import jax.numpy as jnp
import numpy as np
from optax import contrib


def reduce_on_plateau(losses, factor, patience, cooldown) -> jax.Array:
    transform = contrib.reduce_on_plateau(factor=factor, patience=patience)
    params = jnp.zeros(1)
    state = transform.init(params)
    update = jax.jit(transform.update)
    scales = []
    for loss in np.asarray(losses, dtype=np.float32):
        _, state = update(params, state, value=loss)
        scales.append(state.scale)
    return jnp.stack(scales)
