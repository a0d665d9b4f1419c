"""Known mistake: logs Python floats and returns ``np.array`` of them.

``float(loss)`` and ``float(lr)`` are fine for printing, but ``np.array`` of Python floats
is a float64 NumPy array, not the float32 ``jax.Array`` the contract asks for. The numbers
themselves are right. Expected verdict: contract_mismatch.
"""

import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

import optax_sched


@nnx.jit
def train_step(model, optimizer, x, y):
    def loss_fn(model):
        return jnp.mean((model(x) - y) ** 2)

    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
    return loss, optimizer.opt_state.hyperparams["learning_rate"][...]


def nnx_train_step_with_schedule(
    w, b, x, y, peak_lr: float, warmup_steps: int, total_steps: int, num_steps: int
) -> np.ndarray:
    model = nnx.Linear(w.shape[0], w.shape[1], rngs=nnx.Rngs(0))
    model.kernel[...] = jnp.asarray(w)
    model.bias[...] = jnp.asarray(b)
    schedule = optax_sched.warmup_cosine(peak_lr, total_steps, warmup_steps)
    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)
    x, y = jnp.asarray(x), jnp.asarray(y)
    history = []
    for _ in range(num_steps):
        loss, lr = train_step(model, optimizer, x, y)
        history.append([float(loss), float(lr)])
    return np.array(history)
