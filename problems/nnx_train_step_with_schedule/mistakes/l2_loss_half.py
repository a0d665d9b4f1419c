"""Known mistake: uses ``optax.l2_loss`` as the mean squared error.

``optax.l2_loss`` is ``0.5 * (pred - target) ** 2``: its mean is half the MSE, and its
gradients are half as large, so both the logged losses and the whole trajectory differ.
``optax.squared_error`` is the one without the 1/2. Expected verdict: wrong_answer.
"""

import jax
import jax.numpy as jnp
import optax
from flax import nnx

import optax_sched


@nnx.jit
def train_step(model, optimizer, x, y):
    def loss_fn(model):
        return optax.l2_loss(model(x), y).mean()

    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
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
