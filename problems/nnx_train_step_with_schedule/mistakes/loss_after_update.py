"""Known mistake: logs the loss measured *after* the update.

The loss returned by ``nnx.value_and_grad`` is the one the gradients were computed at,
i.e. before the update. Evaluating the model again after ``optimizer.update`` shifts the
loss column one step ahead (row 0 should be the untouched model's loss). Expected verdict:
wrong_answer.
"""

import jax
import jax.numpy as jnp
import optax
from flax import nnx

import optax_sched


def loss_fn(model, x, y):
    return jnp.mean((model(x) - y) ** 2)


@nnx.jit
def train_step(model, optimizer, x, y):
    grads = nnx.grad(loss_fn)(model, x, y)
    optimizer.update(model, grads)
    loss = loss_fn(model, x, y)  # the updated model's loss
    return jnp.stack([loss, optimizer.opt_state.hyperparams["learning_rate"][...]])


def nnx_train_step_with_schedule(
    w, b, x, y, peak_lr: float, warmup_steps: int, total_steps: int, num_steps: int
) -> jax.Array:
    model = nnx.Linear(w.shape[0], w.shape[1], rngs=nnx.Rngs(0))
    model.kernel[...] = jnp.asarray(w)
    model.bias[...] = jnp.asarray(b)
    schedule = optax_sched.warmup_cosine(peak_lr, total_steps, warmup_steps)
    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)
    x, y = jnp.asarray(x), jnp.asarray(y)
    return jnp.stack([train_step(model, optimizer, x, y) for _ in range(num_steps)])
