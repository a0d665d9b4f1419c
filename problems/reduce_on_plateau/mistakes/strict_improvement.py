"""Mistake: a hand-written plateau loop that calls any decrease an improvement (loss < best).
optax requires loss < (1 - rtol) * best with rtol = 1e-4, so a decrease smaller than 0.01%
still counts as a plateau step. Everything else follows optax's rules.
"""

import jax
import jax.numpy as jnp


def reduce_on_plateau(losses, factor, patience, cooldown) -> jax.Array:
    best, count, cooling, scale = float("inf"), 0, 0, 1.0
    scales = []
    for loss in losses:
        loss = float(loss)
        improved = loss < best  # the bug: no rtol margin
        if improved:
            best = loss
        count = 0 if improved else count + 1
        if cooling > 0:
            cooling -= 1
            count = 0
        elif count == patience:
            scale *= factor
            count = 0
            cooling = cooldown
        scales.append(scale)
    return jnp.asarray(scales, dtype=jnp.float32)
