"""Known mistake: the 1-based cycle number used as a 0-based index.

People say "cycle 1, cycle 2, ..." and ``step // steps_per_cycle + 1`` is that number, but
Python and JAX index from 0: step 0 then reads the second rate (4e-5 instead of 5e-5 in the
statement's example).
Expected verdict: wrong_answer.
"""

import jax.numpy as jnp


def cycle_decay(step, steps_per_cycle, cycle_lrs):
    table = jnp.asarray(cycle_lrs, dtype=jnp.float32)
    cycle = step // steps_per_cycle + 1
    return table[jnp.minimum(cycle, table.shape[0] - 1)]
