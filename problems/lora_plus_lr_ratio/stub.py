"""Exercise ``lora_plus_lr_ratio``: one SGD step with LoRA+ learning rates.

Every ``lora_a`` leaf trains at ``learning_rate``, every ``lora_b`` leaf at
``learning_rate * ratio``. Build it with ``optax.multi_transform`` and labels taken from
the parameter names, take one step and return the updated parameters.

Statement: ``optax-sched show lora_plus_lr_ratio``. Stuck? ``optax-sched hint
lora_plus_lr_ratio`` reveals one hint per call.
"""

import jax  # noqa: F401
import optax  # noqa: F401


def lora_plus_lr_ratio(params: dict, grads: dict, learning_rate: float, ratio: float) -> dict:
    # TODO: label every leaf "lora_a" or "lora_b" from its name, map the labels to
    # optax.sgd(learning_rate) and optax.sgd(learning_rate * ratio) with
    # optax.multi_transform, run one update and return optax.apply_updates(params, updates).
    raise NotImplementedError("lora_plus_lr_ratio: replace this line with your solution")
