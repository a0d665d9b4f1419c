"""Mistake: the mask says which leaves to *exclude*, the opposite of what optax expects.

In optax ``True`` in the mask means "apply the decay here". Marking the excluded leaves
(biases, scales) with True decays exactly the wrong ones and leaves the kernel alone.
"""

import jax
import optax


def weight_decay_mask(params: dict, grads: dict, learning_rate: float, weight_decay: float) -> dict:
    no_decay = jax.tree_util.tree_map_with_path(
        lambda path, _: path[-1].key in ("bias", "scale"), params
    )
    optimizer = optax.adamw(learning_rate, weight_decay=weight_decay, mask=no_decay)
    state = optimizer.init(params)
    updates, _ = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates)
