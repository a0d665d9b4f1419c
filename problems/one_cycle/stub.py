"""Exercise ``one_cycle``: PyTorch's OneCycleLR (cosine, two phases) in closed form.

Return the learning rate after ``step`` calls to ``OneCycleLR.step()``: a cosine rise from
``max_lr / div_factor`` to ``max_lr``, then a cosine fall to the final rate, with PyTorch's
exact phase ends. Everything must work with every argument traced under ``jax.jit``.

Statement: ``optax-sched show one_cycle``. Stuck? ``optax-sched hint one_cycle`` reveals
one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def one_cycle(
    step: int,
    max_lr: float,
    total_steps: int,
    pct_start: float,
    div_factor: float,
    final_div_factor: float,
) -> jax.Array:
    # TODO: compute the start and final rates and PyTorch's two phase ends, evaluate both
    # cosine phases at `step`, and select one with jnp.where (no Python `if`).
    raise NotImplementedError("one_cycle: replace this line with your solution")
