"""Known mistake: the phases end at ``pct_start * total_steps`` and ``total_steps``.

That is the textbook picture (and the convention of ``optax_sched.one_cycle``), but
PyTorch's ``OneCycleLR`` ends its phases one step earlier, at ``pct_start * total - 1``
and ``total - 1``. The peak comes a step late and the final value is never reached
within the run: at step 99 of 100 this gives 5.07e-6 instead of 4e-8 (wrong_answer).
"""

import jax.numpy as jnp


def one_cycle(step, max_lr, total_steps, pct_start, div_factor, final_div_factor):
    t = jnp.asarray(step, jnp.float32)
    initial = max_lr / div_factor
    final = initial / final_div_factor
    up_end = pct_start * total_steps  # BUG: PyTorch uses pct_start * total_steps - 1
    down_end = jnp.asarray(total_steps, jnp.float32)  # BUG: PyTorch uses total_steps - 1
    p_up = jnp.clip(t / up_end, 0.0, 1.0)
    p_down = jnp.clip((t - up_end) / (down_end - up_end), 0.0, 1.0)
    up = max_lr + (initial - max_lr) * 0.5 * (1.0 + jnp.cos(jnp.pi * p_up))
    down = final + (max_lr - final) * 0.5 * (1.0 + jnp.cos(jnp.pi * p_down))
    return jnp.where(t <= up_end, up, down)
