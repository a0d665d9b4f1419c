"""Known mistake: decides "ratio or count" with ``warmup <= 1``.

The int ``1`` (one warmup step) then goes down the ratio path and becomes the whole run:
``warmup_ratio_to_steps(1, 100)`` returns 100 instead of 1. Expected verdict: wrong_answer.
"""

import math


def warmup_ratio_to_steps(warmup: int | float, total_steps: int) -> int:
    if warmup <= 1:
        return math.ceil(warmup * total_steps)
    return int(warmup)
