"""Known mistake: the position in the cycle is ``step % period`` instead of ``step - start``.

That is right when every cycle has the same length (``t_mult = 1``), but with growing
periods the cycles do not start at multiples of the current period: at step 15 of the
T_0=10, T_mult=2 schedule the local step is 5, not 15 (wrong_answer).
"""

import jax.numpy as jnp


def sgdr_t_mult(step, base_lr, t_0, t_mult, eta_min):
    t = jnp.asarray(step, jnp.float32)
    p = jnp.asarray(t_0, jnp.float32)
    m = jnp.asarray(t_mult, jnp.float32)
    equal = m == 1.0
    safe_m = jnp.where(equal, 2.0, m)

    def start(k):
        return jnp.where(equal, k * p, jnp.round(p * (safe_m**k - 1.0) / (safe_m - 1.0)))

    n = jnp.where(
        equal, jnp.floor(t / p), jnp.floor(jnp.log1p(t * (safe_m - 1.0) / p) / jnp.log(safe_m))
    )
    n = jnp.where(start(n + 1.0) <= t, n + 1.0, n)
    n = jnp.where(start(n) > t, n - 1.0, n)
    period = p * jnp.where(equal, 1.0, safe_m**n)
    local = jnp.mod(t, period)  # BUG: the cycle starts at start(n), not at a multiple
    return eta_min + (base_lr - eta_min) * 0.5 * (1.0 + jnp.cos(jnp.pi * local / period))
