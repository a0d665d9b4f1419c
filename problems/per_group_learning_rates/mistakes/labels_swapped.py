"""Mistake: the transforms dict maps each label to the other group's optimizer.

``multi_transform`` routes by label, so pairing ``"head"`` with the backbone's schedule
(and the reverse) gives the new head the small rate and the backbone the large one.
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
        {"head": optax.sgd(backbone), "backbone": optax.sgd(head)}, labels
    )
    state = optax.tree_utils.tree_set(optimizer.init(params), count=jnp.asarray(step, jnp.int32))
    updates, _ = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates)
