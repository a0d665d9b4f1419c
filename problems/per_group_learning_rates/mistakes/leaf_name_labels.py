"""Mistake: labels taken from the leaf's own name (``"kernel"``, ``"bias"``), not its group.

``path[-1]`` is the last key on the path; the group is the first, ``path[0]``. optax finds
labels ``"kernel"`` and ``"bias"`` with no transform behind them and raises ``ValueError:
Some parameters have no corresponding transformation.``
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
    labels = jax.tree_util.tree_map_with_path(lambda path, _: path[-1].key, params)
    optimizer = optax.multi_transform(
        {"head": optax.sgd(head), "backbone": optax.sgd(backbone)}, labels
    )
    state = optax.tree_utils.tree_set(optimizer.init(params), count=jnp.asarray(step, jnp.int32))
    updates, _ = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates)
