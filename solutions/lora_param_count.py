"""Reference solution for ``lora_param_count``: trainable numbers in a stack of LoRA adapters."""


def lora_param_count(
    d_in: int, d_out: int, rank: int, num_layers: int, modules_per_layer: int
) -> int:
    """Trainable LoRA parameters for ``num_layers * modules_per_layer`` adapted matrices.

    Each ``d_in x d_out`` matrix gets ``A`` (``d_in x r``) and ``B`` (``r x d_out``) and no
    bias: ``r * (d_in + d_out)`` numbers, against ``d_in * d_out`` for full fine-tuning.
    This matches counting the ``nnx.LoRAParam`` leaves of ``flax.nnx.LoRALinear`` modules
    of those shapes. No library holds this formula, so it is written out here.

    Returns:
      A Python ``int`` (only ``*`` and ``+`` on ints, so no conversion is needed).
    """
    per_matrix = rank * (d_in + d_out)  # A has d_in * r entries, B has r * d_out
    return num_layers * modules_per_layer * per_matrix
