"""Mistake: the SGD step written by hand in NumPy.

The numbers are right, but ``p - lr * g`` on NumPy inputs gives NumPy arrays, and the
contract asks for ``jax.Array`` leaves (what ``optax.apply_updates`` returns).
"""


def lora_plus_lr_ratio(params: dict, grads: dict, learning_rate: float, ratio: float) -> dict:
    rates = {"lora_a": learning_rate, "lora_b": learning_rate * ratio}
    return {
        layer: {name: p - rates[name] * grads[layer][name] for name, p in leaves.items()}
        for layer, leaves in params.items()
    }
