"""Reference solution for ``nnx_train_step_with_schedule``: a scheduled SGD loop in flax.nnx."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

import optax_sched


def _mse(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    # Mean over every element (batch and outputs); no 1/2 factor (optax.l2_loss has one).
    return jnp.mean((model(x) - y) ** 2)


@nnx.jit
def _train_step(
    model: nnx.Linear, optimizer: nnx.Optimizer, x: jax.Array, y: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """One update; returns (loss before it, learning rate it used)."""
    # The loss comes from the same forward pass as the gradients: the parameters before
    # this update.
    loss, grads = nnx.value_and_grad(_mse)(model, x, y)
    # Evaluates schedule(count), steps the parameters, stores that value in
    # opt_state.hyperparams and increments count (and optimizer.step).
    optimizer.update(model, grads)
    # Read AFTER the update: now it holds the rate this update used. Before the update it
    # still holds the previous update's rate (schedule(0) from init for the first one).
    lr = optimizer.opt_state.hyperparams["learning_rate"][...]
    return loss, lr


def nnx_train_step_with_schedule(
    w: np.ndarray,
    b: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    num_steps: int,
) -> jax.Array:
    """Train ``nnx.Linear`` with SGD on a warmup + cosine schedule; log loss and rate.

    Row ``k`` of the result is ``[loss before update k, learning rate of update k]``, and the
    rate of update ``k`` is ``schedule(k)``: ``inject_hyperparams`` evaluates the schedule at
    its count before incrementing it, and both counters start at 0.

    ``nnx.jit`` compiles the step once per call here (the optimizer carries a new schedule
    each time); within a call the ``num_steps`` updates reuse that compilation.

    Returns:
      A float32 ``jax.Array`` of shape ``(num_steps, 2)``.
    """
    d_in, d_out = np.shape(w)
    model = nnx.Linear(d_in, d_out, rngs=nnx.Rngs(0))  # initial values replaced next
    model.kernel[...] = jnp.asarray(w, jnp.float32)
    model.bias[...] = jnp.asarray(b, jnp.float32)

    # total_steps counts the whole run, warmup included; the floor (0) comes at total_steps.
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=total_steps, warmup_steps=warmup_steps
    )
    # inject_hyperparams keeps learning_rate in the optimizer state, where it can be read.
    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)

    x, y = jnp.asarray(x, jnp.float32), jnp.asarray(y, jnp.float32)
    rows = [jnp.stack(_train_step(model, optimizer, x, y)) for _ in range(num_steps)]
    return jnp.stack(rows)
