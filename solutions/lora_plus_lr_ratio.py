"""Reference solution for ``lora_plus_lr_ratio``: LoRA+, i.e. B trains ``ratio`` times faster."""

import jax
import optax


def _a_or_b(path, _leaf) -> str:
    # Label by the leaf's own name, the last key on its path: "lora_a" or "lora_b".
    # Names survive any key order, any number of layers and any shapes; positions do not.
    return path[-1].key


def lora_plus_lr_ratio(params: dict, grads: dict, learning_rate: float, ratio: float) -> dict:
    """The LoRA parameters after one plain SGD step with LoRA+ learning rates.

    Every ``lora_a`` leaf moves by ``-learning_rate * grad``; every ``lora_b`` leaf by
    ``-learning_rate * ratio * grad`` (``ratio`` is LoRA+'s ``eta_B / eta_A``).

    Returns:
      A dict with the structure of ``params``, every leaf a float32 ``jax.Array``.
    """
    optimizer = optax.multi_transform(
        {"lora_a": optax.sgd(learning_rate), "lora_b": optax.sgd(learning_rate * ratio)},
        lambda tree: jax.tree_util.tree_map_with_path(_a_or_b, tree),
    )
    state = optimizer.init(params)
    updates, _ = optimizer.update(grads, state, params)
    # apply_updates returns jax.Arrays in the params' dtype (the updates of a constant-lr
    # SGD on NumPy gradients are themselves NumPy arrays).
    return optax.apply_updates(params, updates)
