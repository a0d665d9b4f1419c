"""Known mistake: does the maths in float64 NumPy and returns a NumPy array.

The numbers are right (to well within tolerance), but the result is a float64
``numpy.ndarray``, not the float32 ``jax.Array`` the contract asks for (and NumPy cannot
run under ``jax.jit``). Expected verdict: contract_mismatch.
"""

import numpy as np


def nnx_lora_forward(x, w, a, b, alpha: float, rank: int) -> np.ndarray:
    x, w, a, b = (np.asarray(v, dtype=np.float64) for v in (x, w, a, b))
    return x @ w + (alpha / rank) * (x @ a) @ b
