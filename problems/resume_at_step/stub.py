"""Exercise ``resume_at_step``: the learning rate after resuming from a checkpoint.

A warmup + cosine run (0 -> ``peak_lr`` over ``warmup_steps``, cosine to 0 at
``total_steps``) is restarted at global step ``resume_step`` with a fresh optimizer whose
counter starts again at 0. Return the rate the run should use at the new counter's
``local_step``: the original curve, continued, with no second warmup.

Statement: ``optax-sched show resume_at_step``. Stuck? ``optax-sched hint resume_at_step``
reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import optax  # noqa: F401


def resume_at_step(
    local_step: int, resume_step: int, peak_lr: float, warmup_steps: int, total_steps: int
) -> jax.Array:
    # TODO: build the ORIGINAL warmup + cosine schedule (ending at total_steps) and evaluate
    # it at the global step the run has reached; return a 0-d jax.Array.
    raise NotImplementedError("resume_at_step: replace this line with your solution")
