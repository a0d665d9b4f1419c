"""Reference solution for ``linear_warmup``: optax-sched's linear curve shape, traceable.

``optax_sched.warmup_constant(peak_lr, warmup_steps)`` builds exactly this schedule, but it
checks ``warmup_steps`` in Python when it is built, so it cannot take a traced count (this
problem traces every argument under ``jax.jit``). The reference therefore calls the curve
shape that factory is made of, ``optax_sched._core.shape``: the formula still lives in one
place, and the values are the factory's.
"""

import jax
import jax.numpy as jnp

from optax_sched._core import float_dtype, shape


def linear_warmup(step: int, peak_lr: float, warmup_steps: int) -> jax.Array:
    """``peak_lr * min(step / warmup_steps, 1)``, and ``peak_lr`` at every step when W is 0.

    0.0 at step 0, ``peak_lr`` exactly at step ``warmup_steps``, held after. Works with
    every argument traced (jit), batched in ``step`` (vmap) and differentiated in
    ``peak_lr`` (grad).

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    t = jnp.asarray(step, float_dtype())
    # The "linear" shape is a + (b - a) * clip(t / L, 0, 1): here 0 -> peak_lr over L = W
    # steps, held at peak_lr once t >= L. The length is guarded with max(W, 1) so the
    # division never sees 0 / 0: jnp.where below evaluates (and differentiates) both
    # branches, and a NaN in the unused one would still poison the gradient.
    ramp = shape("linear", t, jnp.maximum(warmup_steps, 1), 0.0, peak_lr)
    # No warmup means no ramp at all: peak_lr from step 0 (optax's linear_schedule with
    # transition_steps=0 would instead return its init_value, 0.0, for ever).
    return jnp.where(jnp.asarray(warmup_steps) > 0, ramp, jnp.asarray(peak_lr, t.dtype))
