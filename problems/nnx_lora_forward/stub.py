"""Exercise ``nnx_lora_forward``: the forward pass of a LoRA-adapted linear layer in flax.nnx.

Return ``x @ w + (alpha / rank) * (x @ a) @ b`` as a float32 ``jax.Array`` of shape
``(batch, d_out)``, preferably built from ``nnx.Linear`` and ``nnx.LoRA``. It must also work
under ``jax.jit`` (``rank`` static, everything else traced), ``jax.vmap`` over ``x`` and
``jax.grad`` with respect to ``alpha``.

Statement: ``optax-sched show nnx_lora_forward``. Stuck? ``optax-sched hint nnx_lora_forward``
reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
from flax import nnx  # noqa: F401


def nnx_lora_forward(
    x: jax.Array, w: jax.Array, a: jax.Array, b: jax.Array, alpha: float, rank: int
) -> jax.Array:
    # TODO: a bias-free nnx.Linear holding w, an nnx.LoRA holding a and b, and the
    # alpha / rank factor that nnx.LoRA does not apply for you.
    raise NotImplementedError("nnx_lora_forward: replace this line with your solution")
