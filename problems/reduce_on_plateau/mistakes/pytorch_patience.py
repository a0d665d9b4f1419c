"""Mistake: PyTorch's ReduceLROnPlateau rule (optax_sched.parity.plateau.reduce_lr_on_plateau),
which reduces only when the bad-update count EXCEEDS patience. optax.contrib reduces as soon
as the count reaches patience, one update earlier.
"""

import jax
import jax.numpy as jnp
import numpy as np

from optax_sched.parity.plateau import reduce_lr_on_plateau


def reduce_on_plateau(losses, factor, patience, cooldown) -> jax.Array:
    transform = reduce_lr_on_plateau(
        1.0, factor=factor, patience=patience, threshold=1e-4, cooldown=cooldown
    )
    params = jnp.zeros(1)
    state = transform.init(params)
    update = jax.jit(transform.update)
    rates = []
    for loss in np.asarray(losses, dtype=np.float32):
        _, state = update(params, state, value=loss)
        rates.append(state.lr)
    return jnp.stack(rates)
