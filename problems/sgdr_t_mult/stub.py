"""Exercise ``sgdr_t_mult``: cosine annealing with warm restarts and growing periods.

Return PyTorch ``CosineAnnealingWarmRestarts``' learning rate at ``step``, in closed form:
cycle ``n`` lasts ``t_0 * t_mult**n`` steps. Everything must work with every argument
traced under ``jax.jit``, including ``t_mult == 1``.

Statement: ``optax-sched show sgdr_t_mult``. Stuck? ``optax-sched hint sgdr_t_mult``
reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401


def sgdr_t_mult(step: int, base_lr: float, t_0: int, t_mult: int, eta_min: float) -> jax.Array:
    # TODO: find the cycle index n in closed form (a log for t_mult > 1, a division for
    # t_mult == 1, no Python loop), correct it against the exact cycle starts, then
    # evaluate the cosine at step - start(n) over the period t_0 * t_mult**n.
    raise NotImplementedError("sgdr_t_mult: replace this line with your solution")
