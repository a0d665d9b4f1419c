"""Reference solution for ``cycle_decay``: a table lookup with a clamped cycle index.

``optax_sched.cycle_decay(None, steps_per_cycle, lrs=list(cycle_lrs))`` builds the same
schedule, but it checks ``steps_per_cycle`` in Python when it is built (it must be a
concrete int), and this problem traces every argument under ``jax.jit``. So the lookup is
written out; its values agree with that factory's.
"""

import jax
import jax.numpy as jnp
import numpy as np


def cycle_decay(step: int, steps_per_cycle: int, cycle_lrs: np.ndarray) -> jax.Array:
    """``cycle_lrs[min(step // steps_per_cycle, len(cycle_lrs) - 1)]``.

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    # jnp, not NumPy: indexing the NumPy table directly would return a NumPy scalar.
    table = jnp.asarray(cycle_lrs, dtype=jnp.result_type(float))
    # 0-based cycle index; integer floor division stays exact for int steps.
    cycle = step // steps_per_cycle
    # Hold the last rate once the table runs out. The length is a static shape, so this
    # is a plain Python int even under jit. (JAX would clamp an out-of-range gather by
    # itself, but saying it explicitly does not depend on the indexing mode.)
    last = table.shape[0] - 1
    return table[jnp.minimum(cycle, last)]
