"""Mistake: labels each layer's leaves by their position in the dict, not by their names.

``a_name, b_name = layer`` assumes ``lora_a`` always comes first. When a layer lists
``lora_b`` first, B gets A's learning rate and A gets B's.
"""

import optax


def lora_plus_lr_ratio(params: dict, grads: dict, learning_rate: float, ratio: float) -> dict:
    labels = {}
    for name, layer in params.items():
        first, second = layer  # the dict's keys, in insertion order
        labels[name] = {first: "a", second: "b"}
    optimizer = optax.multi_transform(
        {"a": optax.sgd(learning_rate), "b": optax.sgd(learning_rate * ratio)}, labels
    )
    updates, _ = optimizer.update(grads, optimizer.init(params), params)
    return optax.apply_updates(params, updates)
