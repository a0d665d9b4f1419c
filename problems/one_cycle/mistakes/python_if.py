"""Known mistake: choosing the phase with a Python ``if`` on the traced step.

Right on plain numbers, but under ``jax.jit`` the comparison is a tracer and Python
cannot branch on it (not_jittable). Use ``jnp.where``.
"""

import jax.numpy as jnp


def one_cycle(step, max_lr, total_steps, pct_start, div_factor, final_div_factor):
    initial = max_lr / div_factor
    final = initial / final_div_factor
    up_end = pct_start * total_steps - 1.0
    down_end = total_steps - 1.0
    if step <= up_end:  # BUG: Python branching on a traced value
        p = step / up_end
        value = max_lr + (initial - max_lr) * 0.5 * (1.0 + jnp.cos(jnp.pi * p))
    else:
        p = (step - up_end) / (down_end - up_end)
        value = final + (max_lr - final) * 0.5 * (1.0 + jnp.cos(jnp.pi * p))
    return jnp.asarray(value, jnp.float32)
