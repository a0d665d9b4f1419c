"""Reference solution for ``one_cycle``: PyTorch's ``OneCycleLR`` (cosine, two phases).

``optax_sched.from_torch("OneCycleLR", ...)`` reproduces PyTorch's class step for step,
phase ends included (checked against rates recorded from PyTorch itself). With concrete
arguments, which is how the grader computes expected values, the reference calls it.
(``optax_sched.one_cycle`` is the library's own variant with rounded, later phase ends:
a different schedule.)

``from_torch`` reads ``total_steps`` and ``pct_start`` in plain Python, so under
``jax.jit`` (every argument traced) the reference evaluates the same two phases with
array operations, exactly as the statement asks of a learner, using the library's
cosine curve shape (``optax_sched._core.shape``). The grader checks that both paths
agree on every case.
"""

import jax
import jax.numpy as jnp

import optax_sched
from optax_sched._core import float_dtype, shape


def _traced(*values) -> bool:
    return any(isinstance(v, jax.core.Tracer) for v in values)


def one_cycle(
    step: int,
    max_lr: float,
    total_steps: int,
    pct_start: float,
    div_factor: float,
    final_div_factor: float,
) -> jax.Array:
    """The learning rate after ``step`` calls to ``OneCycleLR.step()`` (cosine annealing).

    Phase 1 rises from ``max_lr / div_factor`` to ``max_lr`` over steps
    ``0 .. pct_start * total_steps - 1``; phase 2 falls from ``max_lr`` to
    ``max_lr / div_factor / final_div_factor``, reached at step ``total_steps - 1``.

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    args = (step, max_lr, total_steps, pct_start, div_factor, final_div_factor)
    if not _traced(*args):
        schedule = optax_sched.from_torch(
            "OneCycleLR",
            max_lr=max_lr,
            total_steps=int(total_steps),
            pct_start=float(pct_start),  # PyTorch's phase end is this times total - 1
            div_factor=div_factor,
            final_div_factor=final_div_factor,
        )
        return schedule(step)
    return _formula(*args)


@jax.jit  # compiled once per input signature: keeps the grader's per-case jax.grad fast
def _formula(step, max_lr, total_steps, pct_start, div_factor, final_div_factor):
    """The same two phases with array operations only, for traced arguments."""
    dtype = float_dtype()
    t = jnp.asarray(step, dtype)
    total = jnp.asarray(total_steps, dtype)
    initial = max_lr / div_factor
    final = initial / final_div_factor  # divided from the *initial* rate, not max_lr
    # PyTorch's phase ends: the peak at pct_start * total - 1 (a float, not rounded), the
    # end at total - 1. A step equal to the first end still belongs to phase 1.
    up_end = pct_start * total - 1.0
    down_end = total - 1.0
    up = shape("cosine", t, up_end, initial, max_lr)  # initial -> max_lr
    down = shape("cosine", t - up_end, down_end - up_end, max_lr, final)  # max_lr -> final
    return jnp.where(t <= up_end, up, down)
