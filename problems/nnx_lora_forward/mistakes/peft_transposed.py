"""Known mistake: uses the PyTorch/PEFT layout, ``x @ A.T @ B.T``.

PEFT stores ``lora_A.weight`` as ``(rank, d_in)`` and ``lora_B.weight`` as ``(d_out, rank)``
because ``torch.nn.Linear`` keeps ``(out, in)``. Here ``a`` is ``(d_in, rank)`` and ``b`` is
``(rank, d_out)``, already in flax's ``(in, out)`` order, so the transposes break the
matrix product as soon as ``d_in != rank``. Expected verdict: runtime_error.
"""

import jax
import jax.numpy as jnp


def nnx_lora_forward(
    x: jax.Array, w: jax.Array, a: jax.Array, b: jax.Array, alpha: float, rank: int
) -> jax.Array:
    x, w, a, b = (jnp.asarray(v) for v in (x, w, a, b))
    return x @ w + (alpha / rank) * (x @ a.T) @ b.T
