"""Known mistake: the count is made with NumPy, so the result is a NumPy float64.

The milestones arrive as a NumPy array; with a plain int step, ``step >= milestones`` is a
NumPy bool array and ``.sum()`` a NumPy int, so the whole expression stays in NumPy and
returns ``numpy.float64``, not a ``jax.Array`` (under jit it would work, because there the
milestones are traced). Count with ``jnp.sum`` or ``jnp.searchsorted``.
Expected verdict: contract_mismatch.
"""


def multi_step_decay(step, base_lr, milestones, gamma):
    passed = (step >= milestones).sum()
    return base_lr * gamma**passed
