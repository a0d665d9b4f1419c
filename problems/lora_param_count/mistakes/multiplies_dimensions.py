"""Known mistake: counts ``r * d_in * d_out`` per matrix, as if the adapter were r full copies.

For a 4096 x 4096 matrix at r = 16 that is 268,435,456, sixteen times the full matrix,
instead of 131,072. Expected verdict: wrong_answer.
"""


def lora_param_count(
    d_in: int, d_out: int, rank: int, num_layers: int, modules_per_layer: int
) -> int:
    return num_layers * modules_per_layer * rank * d_in * d_out
