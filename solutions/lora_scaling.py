"""Reference solution for ``lora_scaling``: PEFT's adapter scale, standard or rank-stabilised."""

import math


def lora_scaling(alpha: float, rank: int, use_rslora: bool) -> float:
    """The constant PEFT multiplies a LoRA adapter's output by.

    Standard LoRA divides by the rank, ``alpha / r``; rsLoRA divides by its square root,
    ``alpha / sqrt(r)``, which keeps the adapter's update size steady as ``r`` grows (the
    product ``A @ B`` sums ``r`` rank-one terms, whose size grows like ``sqrt(r)``).

    This is PEFT's rule (``LoraLayer.update_layer``), not something optax or optax-sched
    implements, so it is computed here directly. ``flax.nnx.LoRA`` applies no scale of its
    own: multiply its output by this value to match a PEFT adapter.

    Returns:
      A Python ``float``.
    """
    if use_rslora:
        return alpha / math.sqrt(rank)  # rank-stabilised: divide by sqrt(r)
    return alpha / rank  # standard LoRA: true division, a float even for int inputs
