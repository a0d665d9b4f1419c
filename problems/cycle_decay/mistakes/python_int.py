"""Known mistake: ``int()`` and Python ``min()`` on the step.

Correct with plain numbers, but under ``jax.jit`` the step is a tracer with no value yet,
and ``int(step)`` raises ConcretizationTypeError. Keep the arithmetic in JAX:
``step // steps_per_cycle`` and ``jnp.minimum``.
Expected verdict: not_jittable.
"""

import jax.numpy as jnp


def cycle_decay(step, steps_per_cycle, cycle_lrs):
    cycle = min(int(step) // int(steps_per_cycle), len(cycle_lrs) - 1)
    return jnp.asarray(cycle_lrs[cycle], dtype=jnp.float32)
