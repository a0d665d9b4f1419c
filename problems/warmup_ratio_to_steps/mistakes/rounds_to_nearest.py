"""Known mistake: converts the ratio with ``round()`` instead of ``math.ceil``.

Nearest-integer rounding turns 56.25 into 56 (the Trainer says 57) and 0.5 into 0, which
erases a 1% warmup on a 50-step run. Expected verdict: wrong_answer.
"""


def warmup_ratio_to_steps(warmup: int | float, total_steps: int) -> int:
    if isinstance(warmup, float):
        return round(warmup * total_steps)
    return warmup
