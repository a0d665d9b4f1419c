"""Known mistake: gives the optimizer ``peak_lr`` itself instead of the schedule.

``optax.inject_hyperparams(optax.sgd)(learning_rate=peak_lr)`` is a valid optimizer with a
constant rate: every update, including the first, runs at the peak, so both the losses and
the logged rates differ from the scheduled run. Expected verdict: wrong_answer.
"""

import jax
import jax.numpy as jnp
import optax
from flax import nnx


@nnx.jit
def train_step(model, optimizer, x, y):
    def loss_fn(model):
        return jnp.mean((model(x) - y) ** 2)

    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
    return jnp.stack([loss, optimizer.opt_state.hyperparams["learning_rate"][...]])


def nnx_train_step_with_schedule(
    w, b, x, y, peak_lr: float, warmup_steps: int, total_steps: int, num_steps: int
) -> jax.Array:
    model = nnx.Linear(w.shape[0], w.shape[1], rngs=nnx.Rngs(0))
    model.kernel[...] = jnp.asarray(w)
    model.bias[...] = jnp.asarray(b)
    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=peak_lr)  # no schedule
    optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)
    x, y = jnp.asarray(x), jnp.asarray(y)
    return jnp.stack([train_step(model, optimizer, x, y) for _ in range(num_steps)])
