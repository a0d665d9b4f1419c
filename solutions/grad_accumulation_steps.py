"""Reference solution for ``grad_accumulation_steps``: the rate of each update under MultiSteps."""

import jax
import jax.numpy as jnp
import optax

import optax_sched


def grad_accumulation_steps(
    peak_lr: float, warmup_steps: int, total_steps: int, k: int, num_micro_batches: int
) -> jax.Array:
    """Per micro-batch call: the rate of the update applied there, or 0.0 if none was.

    ``optax.MultiSteps`` averages ``k`` micro-batch gradients and hands them to the inner
    optimizer once, at the k-th call of each group. It does run the inner ``update`` at
    every call, but keeps the resulting inner state only when it emits; so the inner
    ``inject_hyperparams`` count, and with it the schedule, advances once per optimizer
    update, never per micro-batch. Update ``j`` lands on micro-batch ``j * k + k - 1``
    and uses ``schedule(j)``.

    Returns:
      A float32 ``jax.Array`` of shape ``(num_micro_batches,)``.
    """
    # warmup_steps and total_steps count optimizer updates, not micro-batches.
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    optimizer = optax.MultiSteps(
        optax.inject_hyperparams(optax.sgd)(learning_rate=schedule), every_k_schedule=k
    )
    # MultiSteps picks its branch with lax.cond; called eagerly that cond is traced and
    # compiled again on every call. Jit the update once and reuse it.
    update = jax.jit(optimizer.update)

    params = jnp.zeros(3)
    grads = jnp.ones(3)  # any fixed gradient: the rates do not depend on it
    state = optimizer.init(params)
    rates = []
    for _ in range(num_micro_batches):
        updates, state = update(grads, state, params)  # zeros unless this call emits
        params = optax.apply_updates(params, updates)
        applied = optimizer.has_updated(state)  # True right after the k-th micro-batch
        rate = state.inner_opt_state.hyperparams["learning_rate"]  # set by the last update
        rates.append(jnp.where(applied, rate, 0.0))
    return jnp.stack(rates)
