"""Reference solution for ``clip_then_schedule``: one clipped, scheduled SGD update."""

import jax
import jax.numpy as jnp
import numpy as np
import optax

import optax_sched


def clip_then_schedule(
    grads: np.ndarray,
    max_norm: float,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    step: int,
) -> jax.Array:
    """The update ``-lr(step) * clip_by_global_norm(grads, max_norm)``, computed by optax.

    The chain clips the raw gradient first (so ``max_norm`` is a threshold on gradients,
    independent of the learning rate), then multiplies by the schedule's value at the
    state's count, then flips the sign (a descent step).

    ``scale_by_schedule`` reads its rate from ``state.count``: the number of updates already
    applied. Setting that count to ``step`` is what restoring a checkpoint does; running
    ``step`` dummy updates would reach the same state in O(step) time.

    Returns:
      A float32 ``jax.Array`` with the shape of ``grads``.
    """
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    optimizer = optax.chain(
        optax.clip_by_global_norm(max_norm),  # 1. rescale g if ||g||_2 > max_norm
        optax.scale_by_schedule(schedule),  # 2. multiply by schedule(count)
        optax.scale(-1.0),  # 3. descend: updates are added to the params
    )
    g = jnp.asarray(grads, dtype=jnp.float32)
    state = optimizer.init(g)
    # Only ScaleByScheduleState has a `count` field; put the optimizer at update `step`.
    state = optax.tree.set(state, count=jnp.asarray(step, dtype=jnp.int32))
    updates, _ = optimizer.update(g, state)
    return updates
