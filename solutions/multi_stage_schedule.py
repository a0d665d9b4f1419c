"""Reference solution for ``multi_stage_schedule``: three warmup + cosine stages, back to back.

optax_sched already has both halves of this recipe: ``warmup_cosine`` is one stage (a
linear warmup from 0 to the stage's peak, then a cosine to the stage's floor, reached at
the stage's last step + 1) and ``multi_stage`` chains stages so that each one sees its own
local step. With concrete stage lengths (how the grader computes expected values) the
reference simply builds that.

Those factories check their step counts in plain Python, so they cannot be built from
traced counts. Under ``jax.jit`` (every argument traced) the reference therefore does
what the statement asks of a learner: find the stage with a search over the cumulative
ends, shift to the local step, and evaluate the library's own curve shapes
(``optax_sched._core.shape``, the one place the linear and cosine formulas live). The
grader checks that both paths agree on every case.
"""

import jax
import jax.numpy as jnp
import numpy as np

import optax_sched
from optax_sched._core import float_dtype, shape


def _traced(*values) -> bool:
    return any(isinstance(v, jax.core.Tracer) for v in values)


def multi_stage_schedule(
    step: int,
    stage_lengths: np.ndarray,
    peak_lrs: np.ndarray,
    min_lrs: np.ndarray,
    warmup_steps: int,
) -> jax.Array:
    """The learning rate at global ``step`` of a three-stage warmup + cosine run.

    Stage ``j`` starts at ``B_j = sum(stage_lengths[:j])`` and evaluates its own warmup +
    cosine at the local step ``step - B_j``: 0 at its first step, its peak after
    ``warmup_steps``, its floor at local step ``stage_lengths[j]`` (which is already the
    next stage's first step, where the next warmup restarts from 0). After the last stage
    its floor is held.

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    if not _traced(step, stage_lengths, peak_lrs, min_lrs, warmup_steps):
        stages = [
            optax_sched.warmup_cosine(
                float(peak_lrs[j]),
                total_steps=int(stage_lengths[j]),  # the stage's length, warmup included
                warmup_steps=int(warmup_steps),  # an int: a float would be read as a ratio
                init_lr=0.0,  # every stage warms up from 0, like a fresh optax/HF schedule
                min_lr=float(min_lrs[j]),
            )
            for j in range(len(stage_lengths))
        ]
        # multi_stage starts stage j at B_j and hands it step - B_j; the last stage runs
        # on past its end, so its floor is held for ever.
        return optax_sched.multi_stage(stages)(step)

    return _formula(step, stage_lengths, peak_lrs, min_lrs, warmup_steps)


@jax.jit  # compiled once per input signature: keeps the grader's per-case jax.grad fast
def _formula(step, stage_lengths, peak_lrs, min_lrs, warmup_steps):
    """The same schedule with array operations only, for traced arguments."""
    dtype = float_dtype()
    lengths = jnp.asarray(stage_lengths)
    ends = jnp.cumsum(lengths)
    # side="right": a step equal to a stage's end already belongs to the next stage.
    # Steps past the last end stay in the last stage (index clipped to 2).
    j = jnp.minimum(jnp.searchsorted(ends, step, side="right"), len(lengths) - 1)
    local = (step - (ends[j] - lengths[j])).astype(dtype)  # the stage's own step
    w = jnp.asarray(warmup_steps, dtype)
    peak, floor = jnp.asarray(peak_lrs)[j], jnp.asarray(min_lrs)[j]
    ramp = shape("linear", local, w, 0.0, peak)  # 0 -> peak over w steps
    # The cosine's local step and length both exclude the warmup; shape() clips the
    # progress to [0, 1], which holds the floor after the last stage.
    cosine = shape("cosine", local - w, lengths[j].astype(dtype) - w, peak, floor)
    return jnp.where(local < w, ramp, cosine)
