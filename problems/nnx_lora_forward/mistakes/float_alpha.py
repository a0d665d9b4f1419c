"""Known mistake: turns ``alpha`` into a Python number with ``float()``.

Eagerly this is harmless, but under ``jax.jit`` ``alpha`` is a tracer with no concrete
value, so ``float(alpha)`` raises ``ConcretizationTypeError``. Keep the scale as an array
expression: ``alpha / rank``. Expected verdict: not_jittable.
"""

import jax
import jax.numpy as jnp
from flax import nnx


def nnx_lora_forward(
    x: jax.Array, w: jax.Array, a: jax.Array, b: jax.Array, alpha: float, rank: int
) -> jax.Array:
    scale = float(alpha) / rank
    d_in, d_out = w.shape
    rngs = nnx.Rngs(0)
    base = nnx.Linear(d_in, d_out, use_bias=False, rngs=rngs)
    base.kernel[...] = jnp.asarray(w)
    lora = nnx.LoRA(d_in, rank, d_out, rngs=rngs)
    lora.lora_a[...] = jnp.asarray(a)
    lora.lora_b[...] = jnp.asarray(b)
    x = jnp.asarray(x)
    return base(x) + scale * lora(x)
