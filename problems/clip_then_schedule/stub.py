"""Exercise ``clip_then_schedule``: one SGD update with gradient clipping and a schedule.

Build ``optax.chain(optax.clip_by_global_norm(max_norm), optax.scale_by_schedule(schedule),
optax.scale(-1.0))`` with an ``optax_sched.warmup_cosine`` schedule, put its state at
update ``step`` and return the update it produces for ``grads``.

Statement: ``optax-sched show clip_then_schedule``. Stuck? ``optax-sched hint
clip_then_schedule`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import numpy as np
import optax  # noqa: F401

import optax_sched  # noqa: F401


def clip_then_schedule(
    grads: np.ndarray,
    max_norm: float,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    step: int,
) -> jax.Array:
    # TODO: chain clip -> schedule -> sign flip, set the state's count to `step`, and
    # return the updates for `grads`.
    raise NotImplementedError("clip_then_schedule: replace this line with your solution")
