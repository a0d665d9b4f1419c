"""Known mistake: walking through the cycles with a Python ``while`` loop.

It is correct on plain numbers (and exact, since it only adds integers), but under
``jax.jit`` the loop condition compares traced values and Python cannot decide it
(not_jittable). It would also cost one iteration per cycle.
"""

import jax.numpy as jnp


def sgdr_t_mult(step, base_lr, t_0, t_mult, eta_min):
    start, period = 0, t_0
    while step >= start + period:  # BUG: Python control flow on traced values
        start += period
        period *= t_mult
    local = step - start
    return jnp.asarray(
        eta_min + (base_lr - eta_min) * 0.5 * (1.0 + jnp.cos(jnp.pi * local / period)),
        jnp.float32,
    )
