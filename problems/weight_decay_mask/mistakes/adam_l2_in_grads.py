"""Mistake: plain Adam with an L2 penalty folded into the gradient (the pre-AdamW recipe).

Adding ``weight_decay * p`` to the kernel's gradient looks equivalent, but Adam then
divides the sum by its running RMS. On the first step that leaves roughly ``sign(g + wd*p)``:
the decay is normalised away, or worse, flips the sign of the step.
"""

import jax
import optax


def weight_decay_mask(params: dict, grads: dict, learning_rate: float, weight_decay: float) -> dict:
    def with_l2(path, g, p):
        return g + weight_decay * p if path[-1].key == "kernel" else g

    grads = jax.tree_util.tree_map_with_path(with_l2, grads, params)
    optimizer = optax.adam(learning_rate)
    state = optimizer.init(params)
    updates, _ = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates)
