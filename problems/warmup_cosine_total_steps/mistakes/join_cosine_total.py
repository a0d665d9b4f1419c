"""Known mistake: joins a warmup with ``optax.cosine_decay_schedule(decay_steps=total_steps)``.

The stand-alone cosine constructor counts only the decay (and restarts its own step
counter at the join), so the cosine ends at ``W + T`` instead of ``T``: at step 100 of
(peak 1e-3, W 10, T 100, min_lr 1e-4) it gives 1.2202e-4 instead of 1.0e-4. The floor
itself is right: ``alpha`` is a fraction of ``init_value``, hence ``min_lr / peak_lr``.
Expected verdict: wrong_answer.
"""

import jax
import optax


def warmup_cosine_total_steps(
    step: int, peak_lr: float, warmup_steps: int, total_steps: int, min_lr: float
) -> jax.Array:
    warmup = optax.linear_schedule(0.0, peak_lr, warmup_steps)
    decay = optax.cosine_decay_schedule(peak_lr, decay_steps=total_steps, alpha=min_lr / peak_lr)
    return optax.join_schedules([warmup, decay], boundaries=[warmup_steps])(step)
