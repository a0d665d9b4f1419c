"""Mistake: the state is moved to ``count = step + 1``, so the update reads lr(step + 1).

This comes from assuming optax increments its counter *before* reading the schedule (or
from counting updates from 1). optax reads ``schedule(count)`` and then increments, so
the update made with ``count == step`` is the one that uses ``lr(step)``.
"""

import jax
import jax.numpy as jnp
import optax

import optax_sched


def per_group_learning_rates(
    params: dict, grads: dict, head_lr: float, backbone_lr: float, step: int
) -> dict:
    head = optax_sched.warmup_cosine(head_lr, total_steps=100, warmup_steps=10)
    backbone = optax_sched.warmup_cosine(backbone_lr, total_steps=100, warmup_steps=10)
    labels = jax.tree_util.tree_map_with_path(lambda path, _: path[0].key, params)
    optimizer = optax.multi_transform(
        {"head": optax.sgd(head), "backbone": optax.sgd(backbone)}, labels
    )
    count = jnp.asarray(step + 1, jnp.int32)
    state = optax.tree_utils.tree_set(optimizer.init(params), count=count)
    updates, _ = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates)
