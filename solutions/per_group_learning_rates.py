"""Reference solution for ``per_group_learning_rates``: two parameter groups, two schedules."""

import jax
import jax.numpy as jnp
import optax

import optax_sched

TOTAL_STEPS = 100
WARMUP_STEPS = 10


def _group_labels(params):
    # One label per leaf: the name of the top-level group it lives under ("backbone" or
    # "head"). path[0] is the first key on the way from the root to the leaf.
    return jax.tree_util.tree_map_with_path(lambda path, _: path[0].key, params)


@jax.jit
def _sgd_update_at(params, grads, head_lr, backbone_lr, step):
    # jit is optional (eager gives the same numbers); it only makes the grader's calls cheap.
    head = optax_sched.warmup_cosine(head_lr, total_steps=TOTAL_STEPS, warmup_steps=WARMUP_STEPS)
    backbone = optax_sched.warmup_cosine(
        backbone_lr, total_steps=TOTAL_STEPS, warmup_steps=WARMUP_STEPS
    )
    optimizer = optax.multi_transform(
        {"head": optax.sgd(head), "backbone": optax.sgd(backbone)},
        _group_labels,  # a callable: optax calls it on the params to get the labels tree
    )
    state = optimizer.init(params)
    # A fresh state has count == 0 in every group. Resuming at ``step`` means the optimizer
    # has already made ``step`` updates: set every ``count`` field in the nested state.
    # (Running ``step`` zero-gradient updates gets the same state; momentum-free SGD leaves
    # the parameters untouched by a zero gradient.)
    state = optax.tree_utils.tree_set(state, count=jnp.asarray(step, dtype=jnp.int32))
    # scale_by_learning_rate reads schedule(count) *before* incrementing count, so this
    # update uses lr(step) in each group.
    updates, _ = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates)


def per_group_learning_rates(
    params: dict, grads: dict, head_lr: float, backbone_lr: float, step: int
) -> dict:
    """The parameters after the SGD update at optimizer step ``step``, one schedule per group.

    Both groups follow ``optax_sched.warmup_cosine(peak, total_steps=100, warmup_steps=10)``
    with their own peak: ``head_lr`` for ``params["head"]``, ``backbone_lr`` for
    ``params["backbone"]``. Each leaf moves by ``-lr_group(step) * grad``.

    Returns:
      A dict with the structure of ``params``, every leaf a float32 ``jax.Array``.
    """
    return _sgd_update_at(params, grads, head_lr, backbone_lr, step)
