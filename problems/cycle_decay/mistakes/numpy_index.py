"""Known mistake: indexing the NumPy table itself.

``cycle_lrs`` arrives as a NumPy array. Indexing it with a JAX integer works (NumPy accepts
any integer-like index), but the result is a ``numpy.float64``, not a ``jax.Array``. Under
jit the table is traced and this would pass, which makes the bug easy to miss. Convert
the table with ``jnp.asarray`` first.
Expected verdict: contract_mismatch.
"""

import jax.numpy as jnp


def cycle_decay(step, steps_per_cycle, cycle_lrs):
    cycle = jnp.minimum(step // steps_per_cycle, len(cycle_lrs) - 1)
    return cycle_lrs[cycle]
