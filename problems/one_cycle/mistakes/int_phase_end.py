"""Known mistake: the first phase end is rounded down, ``int(pct_start * total) - 1``.

PyTorch keeps it as a float. When ``pct_start * total_steps`` is a whole number nothing
changes, but with 30 steps and pct_start 0.25 the end is 6.5, not 6: the rise is a
little too fast and the whole decay is shifted by half a step (wrong_answer). (Written
with ``jnp.floor`` so that it still traces.)
"""

import jax.numpy as jnp


def one_cycle(step, max_lr, total_steps, pct_start, div_factor, final_div_factor):
    t = jnp.asarray(step, jnp.float32)
    initial = max_lr / div_factor
    final = initial / final_div_factor
    up_end = jnp.floor(pct_start * total_steps) - 1.0  # BUG: PyTorch does not round
    down_end = total_steps - 1.0
    p_up = jnp.clip(t / up_end, 0.0, 1.0)
    p_down = jnp.clip((t - up_end) / (down_end - up_end), 0.0, 1.0)
    up = max_lr + (initial - max_lr) * 0.5 * (1.0 + jnp.cos(jnp.pi * p_up))
    down = final + (max_lr - final) * 0.5 * (1.0 + jnp.cos(jnp.pi * p_down))
    return jnp.where(t <= up_end, up, down)
