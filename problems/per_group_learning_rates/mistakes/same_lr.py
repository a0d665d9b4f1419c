"""Mistake: one optimizer for the whole tree, so the backbone trains at the head's rate.

A single ``optax.sgd(schedule)`` knows nothing about groups: the pretrained backbone gets
the high learning rate meant for the freshly initialised head.
"""

import jax.numpy as jnp
import optax

import optax_sched


def per_group_learning_rates(
    params: dict, grads: dict, head_lr: float, backbone_lr: float, step: int
) -> dict:
    schedule = optax_sched.warmup_cosine(head_lr, total_steps=100, warmup_steps=10)
    optimizer = optax.sgd(schedule)
    state = optax.tree_utils.tree_set(optimizer.init(params), count=jnp.asarray(step, jnp.int32))
    updates, _ = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates)
