"""Known mistake: counts only ``A`` (``d_in x r``) and forgets ``B`` (``r x d_out``).

``B`` starts at zero but is trained like ``A``; leaving it out halves the count of a square
matrix and is further off for a non-square one. Expected verdict: wrong_answer.
"""


def lora_param_count(
    d_in: int, d_out: int, rank: int, num_layers: int, modules_per_layer: int
) -> int:
    return num_layers * modules_per_layer * rank * d_in
