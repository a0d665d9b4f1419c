"""Exercise ``warmup_ratio_to_steps``: a warmup given as a step count or a ratio, in steps.

Return the warmup length as a Python ``int``: an int ``warmup`` unchanged, a float ratio
converted the way transformers' ``Trainer`` converts it.

Statement: ``optax-sched show warmup_ratio_to_steps``. Stuck? ``optax-sched hint
warmup_ratio_to_steps`` reveals one hint per call.
"""

import math  # noqa: F401

import optax_sched  # noqa: F401


def warmup_ratio_to_steps(warmup: int | float, total_steps: int) -> int:
    # TODO: return an int warmup as it is; turn a float ratio into whole steps, rounding up
    # exactly as transformers does, and return a Python int.
    raise NotImplementedError("warmup_ratio_to_steps: replace this line with your solution")
