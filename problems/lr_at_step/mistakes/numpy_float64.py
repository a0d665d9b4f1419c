"""Known mistake: re-derives the schedule by hand in float64 and returns a NumPy array.

The numbers agree with optax to well within tolerance (the piecewise formula below is what
the recipe computes), but ``np.array([v])`` is a float64 NumPy array, not the float32
``jax.Array`` the contract asks for. Expected verdict: contract_mismatch.
"""

import math

import numpy as np


def lr_at_step(step: float, peak_lr: float, warmup_steps: float, total_steps: float) -> np.ndarray:
    s, w, t = int(step), int(warmup_steps), int(total_steps)
    if s < w:
        v = peak_lr * s / w
    elif s < t - w:
        v = peak_lr * 0.5 * (1.0 + math.cos(math.pi * (s - w) / (t - 2 * w)))
    else:
        v = 0.0
    return np.array([v])
