"""Known mistake: two complete formulas, one for t_mult == 1 and one for t_mult > 1, picked
with a single ``jnp.where`` at the end.

The values are right (the NaN branch is never selected), but ``jnp.where`` computes both
branches and differentiates both: with ``t_mult = 1`` the growing-period branch is NaN,
and its zero cotangent times a NaN derivative makes ``jax.grad`` with respect to base_lr
NaN (grad_mismatch).
"""

import jax.numpy as jnp


def sgdr_t_mult(step, base_lr, t_0, t_mult, eta_min):
    t = jnp.asarray(step, jnp.float32)
    p = jnp.asarray(t_0, jnp.float32)
    m = jnp.asarray(t_mult, jnp.float32)

    # Equal periods: cycle n starts at n * t_0.
    k = jnp.floor(t / p)
    k = jnp.where((k + 1.0) * p <= t, k + 1.0, k)
    k = jnp.where(k * p > t, k - 1.0, k)
    equal = eta_min + (base_lr - eta_min) * 0.5 * (1.0 + jnp.cos(jnp.pi * (t - k * p) / p))

    # Growing periods: NaN everywhere when m == 1 (0 / 0).
    def start(i):
        return jnp.round(p * (m**i - 1.0) / (m - 1.0))

    n = jnp.floor(jnp.log1p(t * (m - 1.0) / p) / jnp.log(m))
    n = jnp.where(start(n + 1.0) <= t, n + 1.0, n)
    n = jnp.where(start(n) > t, n - 1.0, n)
    local, period = t - start(n), p * m**n
    growing = eta_min + (base_lr - eta_min) * 0.5 * (1.0 + jnp.cos(jnp.pi * local / period))
    return jnp.where(m == 1.0, equal, growing)  # BUG: the unselected branch is still NaN
