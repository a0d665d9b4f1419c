"""Known mistake: the exponent is the INDEX of the last milestone passed, not the count.

``searchsorted(...) - 1`` is the position of the last milestone <= step (-1 before the
first one), which is the right thing to look a value up in a table of segments, but here
it is used as the exponent: before the first milestone it gives ``base_lr / gamma``
(0.5 instead of 0.05 for base 0.05, gamma 0.1), and every later value is one factor of
gamma too large.
Expected verdict: wrong_answer.
"""

import jax.numpy as jnp


def multi_step_decay(step, base_lr, milestones, gamma):
    last = jnp.searchsorted(jnp.asarray(milestones), step, side="right") - 1
    return base_lr * gamma ** last.astype(jnp.float32)
