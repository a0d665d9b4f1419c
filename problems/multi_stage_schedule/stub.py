"""Exercise ``multi_stage_schedule``: a warmup + cosine per training stage, traceable.

Return the learning rate at global ``step`` of a three-stage run in which every stage has
its own linear warmup (from 0) and its own cosine decay to its own floor, each stage
seeing only its local step. Everything must work with every argument traced under
``jax.jit``.

Statement: ``optax-sched show multi_stage_schedule``. Stuck? ``optax-sched hint
multi_stage_schedule`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import numpy as np


def multi_stage_schedule(
    step: int,
    stage_lengths: np.ndarray,
    peak_lrs: np.ndarray,
    min_lrs: np.ndarray,
    warmup_steps: int,
) -> jax.Array:
    # TODO: find the stage that holds `step` (cumulative stage ends + jnp.searchsorted),
    # gather that stage's length, peak and floor, shift `step` to the stage's local step,
    # then evaluate warmup + cosine with jnp.where / jnp.clip (no Python `if` or `for`).
    raise NotImplementedError("multi_stage_schedule: replace this line with your solution")
