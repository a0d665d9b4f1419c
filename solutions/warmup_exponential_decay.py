"""Reference solution for ``warmup_exponential_decay``: optax-sched's two curve shapes, joined.

``optax_sched.warmup_exponential(peak_lr, decay_rate, decay_steps, warmup_steps,
min_lr=min_lr)`` builds exactly this schedule, but it checks its step counts in Python when
it is built, so it cannot take ``warmup_steps`` or ``decay_steps`` as traced arrays (this
problem traces every argument under ``jax.jit``). The reference therefore calls the curve
shapes that factory is made of, ``optax_sched._core.shape``, and joins them with
``jnp.where``: the formulas still live in one place, and the values are the factory's.
"""

import jax
import jax.numpy as jnp

from optax_sched._core import float_dtype, shape


def warmup_exponential_decay(
    step: int,
    peak_lr: float,
    warmup_steps: int,
    decay_rate: float,
    decay_steps: int,
    min_lr: float,
) -> jax.Array:
    """Linear warmup from 0 to ``peak_lr``, then ``peak_lr * decay_rate ** ((step - W) / D)``.

    The exponent counts from the END of the warmup (step ``W``), so the value is exactly
    ``peak_lr`` at ``W``; the decay is continuous (not a staircase) and never goes below
    ``min_lr``. Works with every argument traced (jit), batched in ``step`` (vmap) and
    differentiated in ``peak_lr`` (grad).

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    dtype = float_dtype()
    step = jnp.asarray(step)
    # Warmup: a straight line 0 -> peak_lr over W steps. The length is guarded with
    # max(W, 1): with no warmup this branch is never selected, but jnp.where still
    # differentiates it, and 0 / 0 there would turn the gradient into NaN.
    ramp = shape("linear", jnp.asarray(step, dtype), jnp.maximum(warmup_steps, 1), 0.0, peak_lr)
    # Decay: max(min_lr, peak_lr * decay_rate ** (t / D)) with t counted from W, not from 0.
    since_warmup = jnp.maximum(jnp.asarray(step - warmup_steps, dtype), 0.0)
    decayed = shape("exponential", since_warmup, decay_steps, peak_lr, min_lr, decay_rate)
    # The step at W itself already belongs to the decay (its value there is peak_lr).
    return jnp.where(step < warmup_steps, ramp, decayed)
