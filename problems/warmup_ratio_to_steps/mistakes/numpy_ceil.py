"""Known mistake: rounds up with ``np.ceil``, which returns a NumPy ``float64``.

The numbers are right, but a step count must be a Python ``int``; ``np.ceil(56.25)`` is
``np.float64(57.0)``. (``math.ceil`` returns an ``int``.) Expected verdict: contract_mismatch.
"""

import numpy as np


def warmup_ratio_to_steps(warmup: int | float, total_steps: int) -> int:
    if isinstance(warmup, float):
        return np.ceil(warmup * total_steps)
    return warmup
