"""Reference solution for ``cosine_annealing_floor``: optax-sched's cosine curve shape.

``optax_sched.cosine_annealing(base_lr, t_max, eta_min)`` builds exactly this schedule (the
closed form of PyTorch's ``CosineAnnealingLR``, held at the floor after ``t_max``), but it
checks ``t_max`` in Python when it is built, so it cannot take a traced count (this problem
traces every argument under ``jax.jit``). The reference therefore calls the curve shape that
factory is made of, ``optax_sched._core.shape``: the formula still lives in one place, and
the values are the factory's.
"""

import jax
import jax.numpy as jnp

from optax_sched._core import float_dtype, shape


def cosine_annealing_floor(step: int, base_lr: float, t_max: int, eta_min: float) -> jax.Array:
    """``eta_min + (base_lr - eta_min) * (1 + cos(pi * min(step, t_max) / t_max)) / 2``.

    ``base_lr`` at step 0, ``eta_min`` exactly at ``t_max`` and held after it (PyTorch's
    formula would follow the cosine back up to ``base_lr`` at ``2 * t_max``). Works with
    every argument traced (jit), batched in ``step`` (vmap) and differentiated in
    ``base_lr`` (grad).

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    t = jnp.asarray(step, float_dtype())
    # The "cosine" shape clips the progress t / t_max to [0, 1] before the cosine, which is
    # what holds the floor; it blends as base_lr * c + eta_min * (1 - c) with
    # c = (1 + cos(pi * progress)) / 2, so the floor comes out exactly at t_max.
    return shape("cosine", t, t_max, base_lr, eta_min)
