"""Exercise ``lora_scaling``: the constant a LoRA adapter's output is multiplied by.

Return PEFT's scale for ``lora_alpha = alpha`` and ``r = rank``, standard or rsLoRA, as a
Python ``float``.

Statement: ``optax-sched show lora_scaling``. Stuck? ``optax-sched hint lora_scaling``
reveals one hint per call.
"""

import math  # noqa: F401


def lora_scaling(alpha: float, rank: int, use_rslora: bool) -> float:
    # TODO: divide alpha by the rank (standard LoRA) or by its square root (rsLoRA) and
    # return the result as a Python float.
    raise NotImplementedError("lora_scaling: replace this line with your solution")
