"""Exercise ``grad_accumulation_steps``: which rate does each accumulated update use?

Wrap ``optax.inject_hyperparams(optax.sgd)`` with an ``optax_sched.warmup_cosine``
schedule in ``optax.MultiSteps(..., every_k_schedule=k)``, feed it ``num_micro_batches``
micro-batch gradients and return, per call, the rate of the update applied at that call
(0.0 where the call only accumulates) as a float32 ``jax.Array``.

Statement: ``optax-sched show grad_accumulation_steps``. Stuck? ``optax-sched hint
grad_accumulation_steps`` reveals one hint per call.
"""

import jax
import jax.numpy as jnp  # noqa: F401
import optax  # noqa: F401

import optax_sched  # noqa: F401


def grad_accumulation_steps(
    peak_lr: float, warmup_steps: int, total_steps: int, k: int, num_micro_batches: int
) -> jax.Array:
    # TODO: build the MultiSteps optimizer, jit its update once, call it num_micro_batches
    # times, and after each call record the inner learning rate if an update was applied
    # (optimizer.has_updated(state)), else 0.0.
    raise NotImplementedError("grad_accumulation_steps: replace this line with your solution")
