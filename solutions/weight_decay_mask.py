"""Reference solution for ``weight_decay_mask``: one AdamW step that decays kernels only."""

import jax
import optax


def _is_kernel(path, _leaf) -> bool:
    # ``path`` is a tuple of keys from the root, e.g. (DictKey('dense'), DictKey('kernel')).
    # Decide by the leaf's own name, so the rule survives any amount of nesting.
    return path[-1].key == "kernel"


@jax.jit
def _adamw_step(params, grads, learning_rate, weight_decay):
    # jit is optional here (the eager version gives the same numbers); it only makes the
    # grader's many calls cheap. The mask depends on the tree's *structure*, which jit
    # treats as static, so it is built once per compilation.
    mask = jax.tree_util.tree_map_with_path(_is_kernel, params)  # True = decay this leaf
    optimizer = optax.adamw(learning_rate, weight_decay=weight_decay, mask=mask)
    state = optimizer.init(params)
    # add_decayed_weights reads the current parameters, so ``params`` must be passed here.
    updates, _ = optimizer.update(grads, state, params)
    # apply_updates adds the updates leaf by leaf (the updates already carry the minus sign).
    return optax.apply_updates(params, updates)


def weight_decay_mask(params: dict, grads: dict, learning_rate: float, weight_decay: float) -> dict:
    """The parameters after one ``optax.adamw`` update whose weight decay skips biases/scales.

    ``optax.adamw`` is ``scale_by_adam -> add_decayed_weights(weight_decay, mask) ->
    scale_by_learning_rate``: the decay is added to Adam's *normalised* step, then both are
    multiplied by ``-learning_rate``. For a masked-in leaf the update is
    ``-lr * (adam_step + weight_decay * p)``; for a masked-out leaf it is ``-lr * adam_step``.

    Returns:
      A dict with the same nested structure as ``params`` (``dense.kernel``, ``dense.bias``,
      ``norm.scale``), each leaf a float32 ``jax.Array``.
    """
    return _adamw_step(params, grads, learning_rate, weight_decay)
