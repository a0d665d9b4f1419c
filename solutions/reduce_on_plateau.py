"""Reference solution for ``reduce_on_plateau``: the scale of optax.contrib.reduce_on_plateau."""

import jax
import jax.numpy as jnp
import numpy as np
from optax import contrib


def reduce_on_plateau(losses: np.ndarray, factor: float, patience: int, cooldown: int) -> jax.Array:
    """The ``scale`` in the state after feeding each loss to ``reduce_on_plateau``.

    optax's rules (optax/contrib/_reduce_on_plateau.py, accumulation_size=1): a loss
    improves when ``loss < (1 - rtol) * best - atol`` (defaults rtol=1e-4, atol=0). Each
    non-improving loss adds one to ``plateau_count``; when it *reaches* ``patience`` the
    scale is multiplied by ``factor`` in that same update and the count restarts. After a
    reduction, the next ``cooldown`` updates neither count nor reduce (``best`` still
    follows improvements).

    Returns:
      A float32 ``jax.Array`` of shape ``(len(losses),)``.
    """
    transform = contrib.reduce_on_plateau(factor=factor, patience=patience, cooldown=cooldown)
    params = jnp.zeros(1)  # float32: the scale takes the params' dtype
    state = transform.init(params)
    # The update uses lax.cond; eagerly it is re-compiled on every call. Jit it once.
    update = jax.jit(transform.update)
    scales = []
    for loss in np.asarray(losses, dtype=np.float32):
        _, state = update(params, state, value=loss)  # the "updates" here are a dummy
        scales.append(state.scale)  # read AFTER: the scale this update applied
    return jnp.stack(scales)
