"""Exercise ``per_group_learning_rates``: a new head and a pretrained backbone, two schedules.

Build ``optax.multi_transform`` with one ``optax.sgd`` per group (``"head"`` and
``"backbone"``), each driven by ``optax_sched.warmup_cosine(peak, total_steps=100,
warmup_steps=10)`` with that group's peak, bring the optimizer state to ``step`` and return
the parameters after that one update.

Statement: ``optax-sched show per_group_learning_rates``. Stuck? ``optax-sched hint
per_group_learning_rates`` reveals one hint per call.
"""

import jax  # noqa: F401
import jax.numpy as jnp  # noqa: F401
import optax  # noqa: F401

import optax_sched  # noqa: F401


def per_group_learning_rates(
    params: dict, grads: dict, head_lr: float, backbone_lr: float, step: int
) -> dict:
    # TODO: label every leaf with its group ("head" or "backbone"), build
    # optax.multi_transform({"head": optax.sgd(...), "backbone": optax.sgd(...)}, labels),
    # init it, move its state to count == step, run one update and apply it to params.
    raise NotImplementedError("per_group_learning_rates: replace this line with your solution")
