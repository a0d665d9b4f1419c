"""Known mistake: the final rate is ``max_lr / final_div_factor``.

PyTorch divides the *initial* rate: ``min_lr = initial_lr / final_div_factor`` with
``initial_lr = max_lr / div_factor``. With the defaults the run should end at 4e-8 (for
max_lr 0.01), not 1e-6, and every step of the decay is a little too high (wrong_answer).
"""

import jax.numpy as jnp


def one_cycle(step, max_lr, total_steps, pct_start, div_factor, final_div_factor):
    t = jnp.asarray(step, jnp.float32)
    initial = max_lr / div_factor
    final = max_lr / final_div_factor  # BUG: should be initial / final_div_factor
    up_end = pct_start * total_steps - 1.0
    down_end = total_steps - 1.0
    p_up = jnp.clip(t / up_end, 0.0, 1.0)
    p_down = jnp.clip((t - up_end) / (down_end - up_end), 0.0, 1.0)
    up = max_lr + (initial - max_lr) * 0.5 * (1.0 + jnp.cos(jnp.pi * p_up))
    down = final + (max_lr - final) * 0.5 * (1.0 + jnp.cos(jnp.pi * p_down))
    return jnp.where(t <= up_end, up, down)
