"""Reference solution for ``polynomial_decay``: optax-sched's polynomial curve shape.

``optax.polynomial_schedule(init_lr, end_lr, power, decay_steps)`` and
``optax_sched.warmup_polynomial(init_lr, total_steps=decay_steps, power=power,
min_lr=end_lr)`` build this schedule, but both check ``decay_steps`` in Python when they are
built, so neither can take a traced count (this problem traces every argument under
``jax.jit``). The reference therefore calls the curve shape ``warmup_polynomial`` is made
of, ``optax_sched._core.shape``: the formula still lives in one place, and the values are
the factory's.
"""

import jax
import jax.numpy as jnp

from optax_sched._core import float_dtype, shape


def polynomial_decay(
    step: int, init_lr: float, end_lr: float, decay_steps: int, power: float
) -> jax.Array:
    """``end_lr + (init_lr - end_lr) * (1 - min(step, D) / D) ** power``, D = decay_steps.

    ``init_lr`` at step 0, ``end_lr`` exactly at step ``D`` and held after it. Works with
    every argument traced (jit), batched in ``step`` (vmap) and differentiated in
    ``init_lr`` (grad).

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    t = jnp.asarray(step, float_dtype())
    # The "polynomial" shape clips the progress t / D to [0, 1] BEFORE raising 1 - progress
    # to the power: past D the base is 0, not negative, so the value stays at end_lr
    # instead of climbing back up (even powers) or turning into NaN (fractional powers).
    return shape("polynomial", t, decay_steps, init_lr, end_lr, power)
