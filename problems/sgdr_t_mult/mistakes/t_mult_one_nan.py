"""Known mistake: only the growing-period closed form, so ``t_mult = 1`` gives NaN.

With ``t_mult = 1`` the cycle index needs ``log(1 + 0) / log(1) = 0 / 0`` and the cycle
start ``t_0 * (1 - 1) / (1 - 1)``: every value is NaN, although equal periods are the
most common setting of all (PyTorch's default T_mult=1) (wrong_answer).
"""

import jax.numpy as jnp


def sgdr_t_mult(step, base_lr, t_0, t_mult, eta_min):
    t = jnp.asarray(step, jnp.float32)
    p = jnp.asarray(t_0, jnp.float32)
    m = jnp.asarray(t_mult, jnp.float32)

    def start(k):
        return p * (m**k - 1.0) / (m - 1.0)  # BUG: 0 / 0 when t_mult == 1

    n = jnp.floor(jnp.log1p(t * (m - 1.0) / p) / jnp.log(m))
    n = jnp.where(start(n + 1.0) <= t, n + 1.0, n)
    n = jnp.where(start(n) > t, n - 1.0, n)
    local, period = t - start(n), p * m**n
    return eta_min + (base_lr - eta_min) * 0.5 * (1.0 + jnp.cos(jnp.pi * local / period))
