"""Known mistake: everything right except that the cycle starts are not rounded.

Called case by case the division ``t_0 * (m**n - 1) / (m - 1)`` is exact, so every value
matches. Under ``jax.vmap`` the divisor is shared by the whole batch and XLA multiplies by
``1 / (m - 1)`` instead: with t_0=10, t_mult=8 the start of cycle 2 becomes 90.00001, and
step 90 (a restart) is read as the last step of cycle 1 (vmap_mismatch).
"""

import jax.numpy as jnp


def sgdr_t_mult(step, base_lr, t_0, t_mult, eta_min):
    t = jnp.asarray(step, jnp.float32)
    p = jnp.asarray(t_0, jnp.float32)
    m = jnp.asarray(t_mult, jnp.float32)
    equal = m == 1.0
    safe_m = jnp.where(equal, 2.0, m)

    def start(k):
        # BUG: no jnp.round, so a last-ulp error can move a restart
        return jnp.where(equal, k * p, p * (safe_m**k - 1.0) / (safe_m - 1.0))

    n = jnp.where(
        equal, jnp.floor(t / p), jnp.floor(jnp.log1p(t * (safe_m - 1.0) / p) / jnp.log(safe_m))
    )
    n = jnp.where(start(n + 1.0) <= t, n + 1.0, n)
    n = jnp.where(start(n) > t, n - 1.0, n)
    period = p * jnp.where(equal, 1.0, safe_m**n)
    return eta_min + (base_lr - eta_min) * 0.5 * (1.0 + jnp.cos(jnp.pi * (t - start(n)) / period))
