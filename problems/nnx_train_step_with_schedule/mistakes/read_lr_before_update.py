"""Known mistake: reads the learning rate from the optimizer state *before* the update.

``inject_hyperparams`` writes ``schedule(count)`` into ``opt_state.hyperparams`` during
``update``. Before update ``k`` the state still holds the rate of update ``k - 1`` (init
fills in ``schedule(0)``), so the logged column lags one step behind the rates really used:
row 0 happens to be right, every later row is the previous one. Expected verdict:
wrong_answer.
"""

import jax
import jax.numpy as jnp
import optax
from flax import nnx

import optax_sched


@nnx.jit
def train_step(model, optimizer, x, y):
    def loss_fn(model):
        return jnp.mean((model(x) - y) ** 2)

    lr = optimizer.opt_state.hyperparams["learning_rate"][...]  # too early
    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
    return jnp.stack([loss, lr])


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
