"""Known mistake: converts the ratio with ``int()``, which truncates instead of rounding up.

``int(0.03 * 1875)`` is 56 where the Trainer uses 57, and ``int(0.29 * 100)`` is 28 because
the float product is 28.999999999999996. Expected verdict: wrong_answer.
"""


def warmup_ratio_to_steps(warmup: int | float, total_steps: int) -> int:
    if isinstance(warmup, float):
        return int(warmup * total_steps)
    return warmup
