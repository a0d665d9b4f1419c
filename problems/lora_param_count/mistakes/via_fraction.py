"""Known mistake: computes the trainable fraction first and multiplies it back, giving a float.

``full * (r * (d_in + d_out) / (d_in * d_out))`` is the right size, but ``/`` makes it a
Python ``float`` (and can round it). Parameter counts are ints. Expected verdict:
contract_mismatch.
"""


def lora_param_count(
    d_in: int, d_out: int, rank: int, num_layers: int, modules_per_layer: int
) -> int:
    full = num_layers * modules_per_layer * d_in * d_out
    fraction = rank * (d_in + d_out) / (d_in * d_out)
    return full * fraction
