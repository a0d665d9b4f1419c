"""Reference solution for ``lr_at_step``: the exercise's warmup + cosine recipe, literally."""

import jax
import jax.numpy as jnp
import optax


def lr_at_step(step: float, peak_lr: float, warmup_steps: float, total_steps: float) -> jax.Array:
    """The learning rate at ``int(step)`` of the exercise's warmup + cosine schedule.

    optax's ``decay_steps`` is the length of the whole schedule, warmup included, so the
    recipe's ``decay_steps = T - W`` leaves the cosine only ``T - 2W`` steps: the value hits
    0 at step ``T - W`` and stays there. That is the graded contract, so it is built as is;
    it needs ``2 * W < T`` (otherwise optax raises ``ValueError`` while building it).

    Not jittable over its arguments: the ``int()`` casts need concrete numbers.

    Returns:
      A ``jax.Array`` of shape ``(1,)`` in JAX's default float dtype (float32).
    """
    # The counts arrive as floats; int() truncates (12.7 -> 12), which is the contract.
    w, t = int(warmup_steps), int(total_steps)
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0,
        peak_value=peak_lr,
        warmup_steps=w,  # linear ramp 0 -> peak_lr over steps [0, w)
        decay_steps=t - w,  # optax counts the warmup inside this: the floor comes at t - w
        end_value=0.0,
    )
    # schedule(...) is a 0-d array; float() then a one-element list gives shape (1,).
    return jnp.array([float(schedule(int(step)))])
