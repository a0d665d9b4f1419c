"""Known mistake: ``jnp.take`` with an index past the end of the table.

``jnp.take`` defaults to ``mode="fill"``: an out-of-bounds read returns NaN instead of
raising or clamping. With 5 cycles of 100 steps, step 500 asks for cycle 5 and gets NaN
instead of the last rate. Clamp first with ``jnp.minimum(cycle, len(cycle_lrs) - 1)``.
Expected verdict: wrong_answer.
"""

import jax.numpy as jnp


def cycle_decay(step, steps_per_cycle, cycle_lrs):
    return jnp.take(jnp.asarray(cycle_lrs, dtype=jnp.float32), step // steps_per_cycle)
