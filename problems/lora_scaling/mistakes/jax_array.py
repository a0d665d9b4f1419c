"""Known mistake: computes the scale with ``jax.numpy`` and returns the 0-d ``jax.Array``.

The number is right (in float32), but the scale is a config-time constant and the contract
asks for a plain Python ``float``. Expected verdict: contract_mismatch.
"""

import jax.numpy as jnp


def lora_scaling(alpha: float, rank: int, use_rslora: bool) -> float:
    denominator = jnp.sqrt(rank) if use_rslora else jnp.asarray(rank, dtype=jnp.float32)
    return alpha / denominator
