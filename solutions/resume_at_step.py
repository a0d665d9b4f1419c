"""Reference solution for ``resume_at_step``: the original schedule, shifted by the resume point."""

import jax

import optax_sched


def resume_at_step(
    local_step: int, resume_step: int, peak_lr: float, warmup_steps: int, total_steps: int
) -> jax.Array:
    """The rate at ``local_step`` of a fresh optimizer that resumes at global ``resume_step``.

    The run keeps the schedule it started with (linear warmup 0 -> ``peak_lr`` over
    ``warmup_steps``, cosine to 0 at ``total_steps``, warmup included in the total) and only
    its step counter restarted, so the value is that schedule at ``resume_step +
    local_step``. ``optax_sched.resume_at`` is exactly this shift, ``s'(t) = s(t + k)``.

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    original = optax_sched.warmup_cosine(peak_lr, total_steps, warmup_steps)
    # Shift, do not rebuild: the new counter's 0 is the old counter's resume_step.
    resumed = optax_sched.resume_at(original, resume_step)
    return resumed(local_step)
