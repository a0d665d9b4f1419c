"""Mistake: returns the optimizer's updates instead of the updated parameters.

``optimizer.update`` gives the *change* to apply (already negated and scaled by the
learning rate). Nothing has moved until ``optax.apply_updates(params, updates)`` adds it.
"""

import jax
import optax


def weight_decay_mask(params: dict, grads: dict, learning_rate: float, weight_decay: float) -> dict:
    mask = jax.tree_util.tree_map_with_path(lambda path, _: path[-1].key == "kernel", params)
    optimizer = optax.adamw(learning_rate, weight_decay=weight_decay, mask=mask)
    state = optimizer.init(params)
    updates, _ = optimizer.update(grads, state, params)
    return updates
