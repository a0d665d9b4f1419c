"""Known mistake: multiplies the adapter by ``alpha * rank`` instead of ``alpha / rank``.

With the common ``alpha = 2 * rank`` the adapter is ``rank**2`` times too strong (16x for
rank 4). Only cases with ``b = 0`` or ``alpha = 0`` hide it. Expected verdict: wrong_answer.
"""

import jax
import jax.numpy as jnp
from flax import nnx


def nnx_lora_forward(
    x: jax.Array, w: jax.Array, a: jax.Array, b: jax.Array, alpha: float, rank: int
) -> jax.Array:
    d_in, d_out = w.shape
    rngs = nnx.Rngs(0)
    base = nnx.Linear(d_in, d_out, use_bias=False, rngs=rngs)
    base.kernel[...] = jnp.asarray(w)
    lora = nnx.LoRA(d_in, rank, d_out, rngs=rngs)
    lora.lora_a[...] = jnp.asarray(a)
    lora.lora_b[...] = jnp.asarray(b)
    x = jnp.asarray(x)
    return base(x) + alpha * rank * lora(x)
