"""Exercise ``cycle_decay``: a learning rate per training cycle, read from a table.

Cycle ``c`` (counted from 0) covers steps ``c * steps_per_cycle`` to ``(c + 1) *
steps_per_cycle - 1`` and runs at ``cycle_lrs[c]``; after the table's last cycle its last
rate is held. It must work under ``jax.jit`` with every argument traced and under
``jax.vmap`` over ``step``.

Statement: ``optax-sched show cycle_decay``. Stuck? ``optax-sched hint cycle_decay``
reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import numpy as np


def cycle_decay(step: int, steps_per_cycle: int, cycle_lrs: np.ndarray) -> jax.Array:
    # TODO: find the cycle index of `step` with jnp operations, clamp it to the table's
    # last entry, and return that entry of cycle_lrs as a 0-d jax.Array.
    raise NotImplementedError("cycle_decay: replace this line with your solution")
