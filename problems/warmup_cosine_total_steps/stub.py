"""Exercise ``warmup_cosine_total_steps``: warmup + cosine to a floor, ending at total_steps.

Build a schedule that ramps from 0 to ``peak_lr`` over ``warmup_steps``, then follows a
cosine down to ``min_lr`` reached exactly at ``total_steps``, and return its value at
``step`` as a 0-d ``jax.Array``.

Statement: ``optax-sched show warmup_cosine_total_steps``. Stuck?
``optax-sched hint warmup_cosine_total_steps`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import optax  # noqa: F401


def warmup_cosine_total_steps(
    step: int, peak_lr: float, warmup_steps: int, total_steps: int, min_lr: float
) -> jax.Array:
    # TODO: build optax's warmup + cosine schedule so that the cosine ends at total_steps
    # on min_lr, evaluate it at step and return the 0-d array it gives.
    raise NotImplementedError("warmup_cosine_total_steps: replace this line with your solution")
