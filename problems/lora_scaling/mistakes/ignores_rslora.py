"""Known mistake: always uses ``alpha / rank``, ignoring ``use_rslora``.

Right for standard LoRA, but rsLoRA divides by ``sqrt(rank)``: at ``alpha = 16, r = 64`` it
gives 0.25 instead of 2.0. Expected verdict: wrong_answer.
"""


def lora_scaling(alpha: float, rank: int, use_rslora: bool) -> float:
    return alpha / rank
