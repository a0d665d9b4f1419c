"""Mistake: the ratio multiplies the learning rate of both factors.

That is just plain LoRA with a learning rate ``ratio`` times larger; the point of LoRA+ is
the *difference* between the two rates, ``eta_B / eta_A == ratio``.
"""

import optax


def lora_plus_lr_ratio(params: dict, grads: dict, learning_rate: float, ratio: float) -> dict:
    optimizer = optax.sgd(learning_rate * ratio)
    updates, _ = optimizer.update(grads, optimizer.init(params), params)
    return optax.apply_updates(params, updates)
