"""Known mistake: the textbook closed form in float32, without correcting the cycle index.

``floor(log1p(step * (m - 1) / t_0) / log(m))`` is exact on paper, but float32 logs are
not: at step 81,910 of the T_0=10, T_mult=2 schedule the ratio comes out as 12.999999,
so restart 13 is read as the last step of cycle 12 and gives eta_min instead of base_lr
(wrong_answer). The equal-period case is handled, so only the restarts fail.
"""

import jax.numpy as jnp


def sgdr_t_mult(step, base_lr, t_0, t_mult, eta_min):
    t = jnp.asarray(step, jnp.float32)
    p = jnp.asarray(t_0, jnp.float32)
    m = jnp.asarray(t_mult, jnp.float32)
    equal = m == 1.0
    safe_m = jnp.where(equal, 2.0, m)
    n = jnp.where(
        equal, jnp.floor(t / p), jnp.floor(jnp.log1p(t * (safe_m - 1.0) / p) / jnp.log(safe_m))
    )
    # BUG: no check of n against the exact cycle starts
    start = jnp.where(equal, n * p, p * (safe_m**n - 1.0) / (safe_m - 1.0))
    period = p * jnp.where(equal, 1.0, safe_m**n)
    local = t - start
    return eta_min + (base_lr - eta_min) * 0.5 * (1.0 + jnp.cos(jnp.pi * local / period))
