"""Exercise ``nnx_train_step_with_schedule``: an nnx training loop driven by an LR schedule.

Build an ``nnx.Linear`` holding ``w``/``b``, an ``nnx.Optimizer`` running
``optax.inject_hyperparams(optax.sgd)`` on ``optax_sched.warmup_cosine``, take ``num_steps``
MSE steps on ``(x, y)`` and return a float32 ``(num_steps, 2)`` array whose row ``k`` is
``[loss before update k, learning rate used by update k]``.

Statement: ``optax-sched show nnx_train_step_with_schedule``. Stuck?
``optax-sched hint nnx_train_step_with_schedule`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import numpy as np
import optax  # noqa: F401
from flax import nnx  # noqa: F401

import optax_sched  # noqa: F401


def nnx_train_step_with_schedule(
    w: np.ndarray,
    b: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    num_steps: int,
) -> jax.Array:
    # TODO: model + optimizer with the schedule injected; an @nnx.jit train step that returns
    # the loss (from nnx.value_and_grad) and the learning rate the update used; stack the rows.
    raise NotImplementedError("nnx_train_step_with_schedule: replace this line with your solution")
