"""Mistake: no mask at all, so biases and the norm scale are decayed too.

``optax.adamw`` decays every parameter unless told otherwise (``mask=None``). A LayerNorm
scale of 1 gets pulled towards 0 and every bias shrinks.
"""

import optax


def weight_decay_mask(params: dict, grads: dict, learning_rate: float, weight_decay: float) -> dict:
    optimizer = optax.adamw(learning_rate, weight_decay=weight_decay)
    state = optimizer.init(params)
    updates, _ = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates)
