"""Reference solution for ``inverse_sqrt``: optax-sched's linear and rsqrt curve shapes.

``optax_sched.inverse_sqrt(peak_lr, warmup_steps)`` builds exactly this schedule
(transformers' ``get_inverse_sqrt_schedule`` with its default timescale), but it checks
``warmup_steps`` in Python when it is built, so it cannot take a traced count (this problem
traces every argument under ``jax.jit``). The reference therefore calls the curve shapes
that factory is made of, ``optax_sched._core.shape``, and joins them with ``jnp.where``:
the formulas still live in one place, and the values are the factory's.
"""

import jax
import jax.numpy as jnp

from optax_sched._core import float_dtype, shape

#: transformers' timescale when there is no warmup (``timescale = num_warmup_steps or
#: 10_000``); optax_sched.inverse_sqrt uses the same default.
NO_WARMUP_TIMESCALE = 10_000


def inverse_sqrt(step: int, peak_lr: float, warmup_steps: int) -> jax.Array:
    """Linear warmup to ``peak_lr``, then ``peak_lr * sqrt(tau / (step - W + tau))``.

    ``tau`` (the timescale) is ``warmup_steps``, or 10,000 when there is no warmup. The
    value is continuous at step ``W``, halves ``3 * tau`` steps later and never reaches 0.
    Works with every argument traced (jit), batched in ``step`` (vmap) and differentiated
    in ``peak_lr`` (grad).

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    dtype = float_dtype()
    step = jnp.asarray(step)
    warmup = jnp.asarray(warmup_steps)
    # Warmup: 0 -> peak_lr over W steps. max(W, 1) keeps 0 / 0 out of the branch that
    # jnp.where discards when W is 0 (it is still differentiated, and NaN would leak).
    ramp = shape("linear", jnp.asarray(step, dtype), jnp.maximum(warmup, 1), 0.0, peak_lr)
    # Decay: peak_lr * sqrt(tau / (t + tau)) with t counted from the END of the warmup, so
    # it starts at exactly peak_lr where the ramp stops.
    tau = jnp.where(warmup > 0, warmup, NO_WARMUP_TIMESCALE)
    since_warmup = jnp.maximum(jnp.asarray(step - warmup, dtype), 0.0)
    decay = shape("rsqrt", since_warmup, tau, peak_lr, 0.0)
    # Step W itself already belongs to the decay (its value there is peak_lr).
    return jnp.where(step < warmup, ramp, decay)
