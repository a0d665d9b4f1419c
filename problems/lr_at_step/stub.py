"""Exercise ``lr_at_step``: read optax's warmup + cosine schedule at a single step.

Build ``optax.warmup_cosine_decay_schedule`` exactly as the statement describes and return
its value at ``int(step)`` as a ``jax.Array`` of shape ``(1,)``.

Statement: ``optax-sched show lr_at_step``. Stuck? ``optax-sched hint lr_at_step`` reveals
one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import optax  # noqa: F401


def lr_at_step(step: float, peak_lr: float, warmup_steps: float, total_steps: float) -> jax.Array:
    # TODO: cast the counts with int(), build the optax schedule with decay_steps = T - W,
    # evaluate it at int(step) and return the value as a (1,) jax.Array.
    raise NotImplementedError("lr_at_step: replace this line with your solution")
