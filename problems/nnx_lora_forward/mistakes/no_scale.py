"""Known mistake: trusts ``nnx.LoRA`` to apply the ``alpha / rank`` factor.

``nnx.LoRA(..., base_module=linear)`` returns ``base(x) + x @ lora_a @ lora_b`` with no
scale at all, so this is only right when ``alpha == rank``. Expected verdict: wrong_answer.
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
    lora = nnx.LoRA(d_in, rank, d_out, base_module=base, rngs=rngs)
    lora.lora_a[...] = jnp.asarray(a)
    lora.lora_b[...] = jnp.asarray(b)
    return lora(jnp.asarray(x))
