"""Reference solution for ``schedule_in_adamw``: log the rate AdamW applies at each update."""

import jax
import jax.numpy as jnp
import optax

import optax_sched


def schedule_in_adamw(
    peak_lr: float, warmup_steps: int, total_steps: int, num_updates: int
) -> jax.Array:
    """The learning rate used by each of the first ``num_updates`` updates of AdamW.

    ``optax.inject_hyperparams`` evaluates the schedule at the state's count *before* it
    runs the inner AdamW update, stores that value in ``state.hyperparams`` and then
    increments the count. So the value found in the state returned by update ``i`` is
    ``schedule(i)``: the rate update ``i`` itself used. Reading the state before calling
    update ``i`` gives the previous update's rate instead (or ``schedule(0)`` from init).

    Returns:
      A float32 ``jax.Array`` of shape ``(num_updates,)``.
    """
    # total_steps counts the whole run, warmup included; the floor is reached at total_steps.
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    # inject_hyperparams turns learning_rate into a state entry we can read back.
    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule)

    params = jnp.zeros(3)  # float32 params: the hyperparams are stored in their dtype
    grads = jnp.array([0.5, -1.0, 2.0])  # any fixed gradient; the rate does not depend on it
    state = optimizer.init(params)
    used = []
    for _ in range(num_updates):
        updates, state = optimizer.update(grads, state, params)  # AdamW needs params
        params = optax.apply_updates(params, updates)
        # Read AFTER the update: this is the rate the update just applied.
        used.append(state.hyperparams["learning_rate"])
    return jnp.stack(used)
