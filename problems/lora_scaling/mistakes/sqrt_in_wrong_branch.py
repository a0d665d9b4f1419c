"""Known mistake: puts the square root in the standard branch and the plain ratio in rsLoRA's.

``lora_scaling(16, 8, False)`` gives 5.657 instead of 2.0, and the rsLoRA branch is as wrong
the other way. Expected verdict: wrong_answer.
"""

import math


def lora_scaling(alpha: float, rank: int, use_rslora: bool) -> float:
    if use_rslora:
        return alpha / rank
    return alpha / math.sqrt(rank)
