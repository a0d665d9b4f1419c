"""Exercise ``weight_decay_mask``: one AdamW step that decays the kernel only.

Build ``optax.adamw`` with a ``mask`` so that weight decay applies to ``dense.kernel`` but
not to ``dense.bias`` or ``norm.scale``, take one update from a fresh optimizer state and
return the updated parameters (same nested dict structure as ``params``).

Statement: ``optax-sched show weight_decay_mask``. Stuck? ``optax-sched hint
weight_decay_mask`` reveals one hint per call.
"""

import jax  # noqa: F401
import optax  # noqa: F401


def weight_decay_mask(params: dict, grads: dict, learning_rate: float, weight_decay: float) -> dict:
    # TODO: build a bool mask (True only for kernels), create optax.adamw(learning_rate,
    # weight_decay=weight_decay, mask=...), init it on params, run one update with the
    # grads (and params!) and return optax.apply_updates(params, updates).
    raise NotImplementedError("weight_decay_mask: replace this line with your solution")
