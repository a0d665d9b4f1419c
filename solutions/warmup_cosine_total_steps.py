"""Reference solution for ``warmup_cosine_total_steps``: warmup + cosine ending on a floor."""

import jax

import optax_sched


def warmup_cosine_total_steps(
    step: int, peak_lr: float, warmup_steps: int, total_steps: int, min_lr: float
) -> jax.Array:
    """The learning rate at ``step`` of a warmup + cosine run of ``total_steps`` steps.

    Linear ramp 0 -> ``peak_lr`` over ``[0, warmup_steps)``, then half a cosine from
    ``peak_lr`` to ``min_lr`` that arrives exactly at ``total_steps``; ``min_lr`` after.

    optax_sched's ``warmup_cosine`` counts ``total_steps`` from step 0, warmup included,
    just like optax's ``decay_steps``: it equals
    ``optax.warmup_cosine_decay_schedule(0.0, peak_lr, warmup_steps,
    decay_steps=total_steps, end_value=min_lr)`` to float32 rounding. Nothing is
    subtracted: ``decay_steps = total_steps - warmup_steps`` would end the decay early.

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    # warmup_steps arrives as a Python int, so it is a step count (a float below 1 would
    # be read as a fraction of total_steps); min_lr is an absolute floor, not a ratio.
    schedule = optax_sched.warmup_cosine(peak_lr, total_steps, warmup_steps, min_lr=min_lr)
    return schedule(step)
