"""Exercise ``lora_param_count``: how many parameters a set of LoRA adapters trains.

Return the number of trainable LoRA parameters for ``num_layers`` blocks of
``modules_per_layer`` adapted ``d_in x d_out`` matrices at rank ``rank``, as a Python ``int``.

Statement: ``optax-sched show lora_param_count``. Stuck? ``optax-sched hint
lora_param_count`` reveals one hint per call.
"""


def lora_param_count(
    d_in: int, d_out: int, rank: int, num_layers: int, modules_per_layer: int
) -> int:
    # TODO: count the entries of A (d_in x rank) and B (rank x d_out) for one adapted
    # matrix, multiply by the number of adapted matrices, and return a Python int.
    raise NotImplementedError("lora_param_count: replace this line with your solution")
