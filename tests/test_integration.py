"""Schedules inside real optimizers: optax.adamw, inject_hyperparams and an nnx training loop."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

import optax_sched
from optax_sched.schedules import FACTORIES

SCHEDULES = {
    "constant": lambda: optax_sched.constant(0.05),
    "warmup_constant": lambda: optax_sched.warmup_constant(0.1, warmup_steps=3, init_lr=0.01),
    "warmup_linear": lambda: optax_sched.warmup_linear(0.1, total_steps=8, warmup_steps=2),
    "warmup_cosine": lambda: optax_sched.warmup_cosine(
        0.1, total_steps=8, warmup_steps=3, init_lr=0.01, min_lr=0.02
    ),
    "warmup_polynomial": lambda: optax_sched.warmup_polynomial(
        0.1, total_steps=8, warmup_steps=2, power=2.0, min_lr=0.01
    ),
    "cosine_annealing": lambda: optax_sched.cosine_annealing(0.1, t_max=6, eta_min=0.01),
    "warmup_exponential": lambda: optax_sched.warmup_exponential(
        0.1, decay_rate=0.5, decay_steps=2, warmup_steps=2, min_lr=0.01, staircase=True
    ),
    "step_decay": lambda: optax_sched.step_decay(0.1, step_size=3, gamma=0.5),
    "multi_step_decay": lambda: optax_sched.multi_step_decay(0.1, milestones=[2, 5], gamma=0.5),
    "piecewise_constant": lambda: optax_sched.piecewise_constant([0.1, 0.05, 0.02], [3, 6]),
    "inverse_sqrt": lambda: optax_sched.inverse_sqrt(0.1, warmup_steps=2),
    "warmup_stable_decay": lambda: optax_sched.warmup_stable_decay(
        0.1, total_steps=8, warmup_steps=2, decay_steps=3
    ),
    "cosine_restarts": lambda: optax_sched.cosine_restarts(0.1, period=3, t_mult=2.0),
    "one_cycle": lambda: optax_sched.one_cycle(0.1, total_steps=8, pct_start=0.25),
    "cyclic": lambda: optax_sched.cyclic(0.01, 0.1, step_size_up=2, mode="triangular2"),
    "cycle_decay": lambda: optax_sched.cycle_decay(0.1, steps_per_cycle=3, decay_factor=0.5),
    "multi_stage": lambda: optax_sched.multi_stage(
        [
            optax_sched.warmup_cosine(0.1, total_steps=4, warmup_steps=1, min_lr=0.01),
            (4, lambda t: 0.05 * jnp.ones_like(t, dtype=jnp.float32)),
        ]
    ),
    "resume_at": lambda: optax_sched.resume_at(
        optax_sched.warmup_cosine(0.1, total_steps=20, warmup_steps=5), 7
    ),
}


def test_every_factory_is_exercised_in_an_optimizer():
    assert set(FACTORIES) | {"multi_stage", "resume_at"} == set(SCHEDULES)


def _expected(schedule, n):
    return np.array([float(schedule(k)) for k in range(n)])


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_sgd_applies_schedule_value_at_each_update(name):
    """With SGD the update is exactly -lr(k) * grad, so the rate used can be read back."""
    schedule = SCHEDULES[name]()
    params = {"w": jnp.array([1.0, -2.0, 3.0])}
    grads = {"w": jnp.array([1.0, 1.0, 1.0])}
    tx = optax.sgd(schedule)
    state = tx.init(params)
    update = jax.jit(tx.update)
    used = []
    for _ in range(8):
        updates, state = update(grads, state, params)
        used.append(-float(updates["w"][0]))
    np.testing.assert_allclose(used, _expected(schedule, 8), rtol=1e-6, atol=1e-9)


def test_adamw_accepts_schedule_and_first_step_uses_step_zero_value():
    schedule = optax_sched.warmup_cosine(2e-4, total_steps=10_000, warmup_steps=0.03, min_lr=2e-5)
    params = {"w": jnp.ones(4)}
    tx = optax.adamw(schedule, weight_decay=0.0)
    state = tx.init(params)
    updates, state = tx.update({"w": jnp.ones(4)}, state, params)
    # Step 0 of a warmup from 0 has rate 0: the first update changes nothing.
    np.testing.assert_array_equal(updates["w"], np.zeros(4))
    updates, state = tx.update({"w": jnp.ones(4)}, state, params)
    # Adam's first normalised step is ~1, scaled by the rate at step 1 = 2e-4 / 300.
    np.testing.assert_allclose(-updates["w"], 2e-4 / 300, rtol=1e-3)


def test_inject_hyperparams_reports_rate_of_last_update():
    schedule = optax_sched.warmup_cosine(1e-3, total_steps=20, warmup_steps=5, min_lr=1e-5)
    tx = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule)
    params = {"w": jnp.ones(2)}
    state = tx.init(params)
    step = jax.jit(tx.update)
    for n in range(1, 12):
        _, state = step({"w": jnp.ones(2)}, state, params)
        # After n updates the state holds the rate the n-th update used: schedule(n - 1).
        np.testing.assert_allclose(
            state.hyperparams["learning_rate"], float(schedule(n - 1)), rtol=1e-6
        )


class _Tiny(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.linear = nnx.Linear(3, 1, rngs=rngs)

    def __call__(self, x):
        return self.linear(x)


def test_nnx_optimizer_trains_with_schedule_and_uses_its_rates():
    schedule = optax_sched.warmup_cosine(0.05, total_steps=6, warmup_steps=2, min_lr=0.005)
    model = _Tiny(nnx.Rngs(0))
    optimizer = nnx.Optimizer(
        model, optax.inject_hyperparams(optax.sgd)(learning_rate=schedule), wrt=nnx.Param
    )
    x = jnp.arange(12.0).reshape(4, 3) / 10
    y = jnp.ones((4, 1))

    def loss_fn(m):
        return jnp.mean((m(x) - y) ** 2)

    @nnx.jit
    def train_step(m, opt):
        loss, grads = nnx.value_and_grad(loss_fn)(m)
        opt.update(m, grads)
        return loss, grads

    losses, used, logged = [], [], []
    for _ in range(6):
        before = np.asarray(model.linear.bias[...])
        loss, grads = train_step(model, optimizer)
        after = np.asarray(model.linear.bias[...])
        # Plain SGD: bias_after = bias_before - lr * grad, so lr = delta / -grad.
        used.append(float((before - after)[0] / np.asarray(grads["linear"]["bias"][...])[0]))
        logged.append(float(optimizer.opt_state.hyperparams["learning_rate"][...]))
        losses.append(float(loss))
    expected = [float(schedule(k)) for k in range(6)]
    np.testing.assert_allclose(logged, expected, rtol=1e-6)
    np.testing.assert_allclose(used[1:], expected[1:], rtol=1e-4)  # step 0 has lr 0: 0/grad
    assert used[0] == 0.0
    assert losses[-1] < losses[1], "the model should learn once the warmup has started"


def test_vmapped_learning_rate_sweep_in_one_call():
    lrs = jnp.array([1e-4, 3e-4, 1e-3])
    steps = jnp.array([0, 250, 500, 1000])

    def curve(lr):
        return optax_sched.warmup_cosine(lr, total_steps=1000, warmup_steps=100)(steps)

    sweep = jax.jit(jax.vmap(curve))(lrs)
    assert sweep.shape == (3, 4)
    unit = np.array([float(optax_sched.warmup_cosine(1.0, 1000, 100)(int(s))) for s in steps])
    np.testing.assert_allclose(sweep, np.outer(np.asarray(lrs), unit), rtol=1e-5, atol=1e-12)
