"""Exercise ``schedule_in_adamw``: which learning rate did each AdamW update use?

Wrap ``optax.adamw`` in ``optax.inject_hyperparams`` with an ``optax_sched.warmup_cosine``
schedule, run ``num_updates`` updates, and return the rate each update applied as a
float32 ``jax.Array`` of shape ``(num_updates,)``.

Statement: ``optax-sched show schedule_in_adamw``. Stuck? ``optax-sched hint
schedule_in_adamw`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import optax  # noqa: F401

import optax_sched  # noqa: F401


def schedule_in_adamw(
    peak_lr: float, warmup_steps: int, total_steps: int, num_updates: int
) -> jax.Array:
    # TODO: build the schedule, wrap optax.adamw with optax.inject_hyperparams, run
    # num_updates updates on small fixed params and grads, and collect the learning rate
    # that each update used from state.hyperparams["learning_rate"].
    raise NotImplementedError("schedule_in_adamw: replace this line with your solution")
