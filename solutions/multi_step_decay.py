"""Reference solution for ``multi_step_decay``: PyTorch's MultiStepLR in closed form.

``optax_sched.multi_step_decay(base_lr, list(milestones), gamma)`` builds the same schedule,
but it validates the milestones in Python when it is built (sorted, positive ints), so it
cannot take them as a traced array, and this problem traces every argument under
``jax.jit``. PyTorch's own closed form is one line,
``base_lr * gamma ** bisect_right(milestones, step)``; ``jnp.searchsorted(side="right")``
is ``bisect_right`` for arrays. The values agree with optax-sched's factory and with
``torch.optim.lr_scheduler.MultiStepLR`` (the step on a milestone is already decayed).
"""

import jax
import jax.numpy as jnp
import numpy as np


def multi_step_decay(step: int, base_lr: float, milestones: np.ndarray, gamma: float) -> jax.Array:
    """``base_lr * gamma ** (number of milestones m with m <= step)``.

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    # side="right" counts the milestones <= step (bisect_right): at step == m the decay
    # has happened. side="left" would count only m < step, one step late.
    passed = jnp.searchsorted(jnp.asarray(milestones), step, side="right")
    # A traced integer exponent is fine: jnp.power works elementwise in float.
    return base_lr * jnp.power(gamma, passed.astype(jnp.result_type(float)))
