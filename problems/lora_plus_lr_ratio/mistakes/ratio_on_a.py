"""Mistake: the larger learning rate goes to A instead of B.

LoRA+ speeds up the factor that starts at zero, B. Giving ``lr * ratio`` to A (the
randomly initialised factor that reads the wide input) is exactly backwards.
"""

import jax
import optax


def lora_plus_lr_ratio(params: dict, grads: dict, learning_rate: float, ratio: float) -> dict:
    optimizer = optax.multi_transform(
        {"lora_a": optax.sgd(learning_rate * ratio), "lora_b": optax.sgd(learning_rate)},
        lambda tree: jax.tree_util.tree_map_with_path(lambda path, _: path[-1].key, tree),
    )
    updates, _ = optimizer.update(grads, optimizer.init(params), params)
    return optax.apply_updates(params, updates)
