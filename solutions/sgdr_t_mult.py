"""Reference solution for ``sgdr_t_mult``: SGDR with growing periods (CosineAnnealingWarmRestarts).

The library's version of this schedule is ``optax_sched.cosine_restarts(base_lr, t_0,
t_mult=t_mult, min_lr=eta_min)`` (``optax_sched.from_torch("CosineAnnealingWarmRestarts",
...)`` is the same object under PyTorch's names, checked against PyTorch's own values).
It cannot serve here: it reads ``t_0`` and ``t_mult`` in plain Python to tabulate the
cycle starts, so it rejects traced values, and building that table for every graded case
costs seconds of compilation. The reference therefore evaluates the closed form with
array operations, exactly as the statement asks of a learner, and leaves the cosine
itself to the library's curve shape (``optax_sched._core.shape``). It agrees with
``cosine_restarts`` on every restart step and the step before it for
``1 <= t_0 <= 1000``, ``1 <= t_mult <= 10``, steps up to 1,000,000.
"""

import jax
import jax.numpy as jnp

from optax_sched._core import float_dtype, shape


def sgdr_t_mult(step: int, base_lr: float, t_0: int, t_mult: int, eta_min: float) -> jax.Array:
    """Cosine annealing with warm restarts whose periods grow by ``t_mult``.

    Cycle ``n`` (from 0) lasts ``t_0 * t_mult**n`` steps and starts at
    ``t_0 * (t_mult**n - 1) / (t_mult - 1)`` (``n * t_0`` when ``t_mult == 1``); inside it
    the value falls from ``base_lr`` to ``eta_min`` along half a cosine, and jumps back to
    ``base_lr`` at the next start.

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    return _closed_form(step, base_lr, t_0, t_mult, eta_min)


@jax.jit  # compiled once per input signature, so grading 100+ cases stays fast
def _closed_form(step, base_lr, t_0, t_mult, eta_min):
    dtype = float_dtype()
    t = jnp.asarray(step, dtype)
    period = jnp.asarray(t_0, dtype)
    m = jnp.asarray(t_mult, dtype)
    equal = m == 1.0
    # Double where: the growing-period formula divides by m - 1 and log(m). Replace m by
    # a harmless 2 *before* using it when m == 1, so no branch ever computes 0 / 0
    # (jnp.where evaluates both branches, and a NaN there poisons gradients).
    safe_m = jnp.where(equal, 2.0, m)

    def start(k):
        # Cycle starts are whole numbers. Rounding removes the last-ulp errors of pow and
        # of the division (under vmap XLA may turn "/ (m - 1)" into "* (1 / (m - 1))",
        # which makes 3 * 7 / 7 come out as 3.0000002).
        growing = jnp.round(period * (safe_m**k - 1.0) / (safe_m - 1.0))
        return jnp.where(equal, k * period, growing)

    n = jnp.where(
        equal,
        jnp.floor(t / period),
        jnp.floor(jnp.log1p(t * (safe_m - 1.0) / period) / jnp.log(safe_m)),
    )
    # float32 logs can put a restart step in the previous cycle, or the step before a
    # restart in the next one: correct n by one either way against the exact integer
    # starts (whole numbers below 2**24 are exact in float32).
    n = jnp.where(start(n + 1.0) <= t, n + 1.0, n)
    n = jnp.where(start(n) > t, n - 1.0, n)
    length = jnp.round(period * jnp.where(equal, 1.0, safe_m**n))
    return shape("cosine", t - start(n), length, base_lr, eta_min)
