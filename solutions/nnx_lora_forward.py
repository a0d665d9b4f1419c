"""Reference solution for ``nnx_lora_forward``: a frozen base layer plus a scaled LoRA update."""

import functools

import jax
import jax.numpy as jnp
from flax import nnx


# Compiled once per (shapes, rank): the grader calls this 100+ times on a handful of shapes,
# and op-by-op execution would compile every layer-building primitive for each new shape.
@functools.partial(jax.jit, static_argnames="rank")
def nnx_lora_forward(
    x: jax.Array, w: jax.Array, a: jax.Array, b: jax.Array, alpha: float, rank: int
) -> jax.Array:
    """``x @ w + (alpha / rank) * (x @ a) @ b``, built from flax.nnx layers.

    ``nnx.LoRA`` computes ``x @ lora_a @ lora_b`` (plus its ``base_module``, if given) and
    applies no ``alpha / rank`` factor of its own, so the scale is applied here, once, to
    the adapter's output. The base layer is an ``nnx.Linear`` without bias whose kernel is
    ``w``.

    Jittable with ``rank`` static: ``nnx.LoRA`` needs it as a Python int to allocate
    ``lora_a``/``lora_b``; every array and ``alpha`` may be traced.

    Returns:
      A float32 ``jax.Array`` of shape ``(batch, d_out)``.
    """
    d_in, d_out = w.shape
    # The layers' initial values are overwritten below, so zeros initializers skip the
    # random draws; nnx.Rngs is still a required argument.
    rngs, zeros = nnx.Rngs(0), nnx.initializers.zeros
    base = nnx.Linear(d_in, d_out, use_bias=False, kernel_init=zeros, rngs=rngs)
    base.kernel[...] = jnp.asarray(w, jnp.float32)  # flax 0.12: assign with [...]
    # lora_a: (d_in, rank), lora_b: (rank, d_out); nnx.LoRA's defaults are He-uniform and 0.
    lora = nnx.LoRA(d_in, rank, d_out, a_initializer=zeros, rngs=rngs)
    lora.lora_a[...] = jnp.asarray(a, jnp.float32)
    lora.lora_b[...] = jnp.asarray(b, jnp.float32)
    x = jnp.asarray(x, jnp.float32)
    # True division: alpha = 1, rank = 4 is a scale of 0.25 (alpha // rank would be 0).
    scale = alpha / rank
    return base(x) + scale * lora(x)
