"""Known mistake: divides the rank by alpha instead of alpha by the rank.

It goes unnoticed with ``alpha == r`` (both give 1.0) but ``alpha = 16, r = 8`` gives 0.5
instead of 2.0. Expected verdict: wrong_answer.
"""

import math


def lora_scaling(alpha: float, rank: int, use_rslora: bool) -> float:
    if use_rslora:
        return math.sqrt(rank) / alpha
    return rank / alpha
