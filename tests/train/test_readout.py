"""Reading the learning rate out of optimizer states, checked against the rate each
update really applied (SGD: the parameter change divided by the gradient)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

import optax_sched
from optax_sched.train import learning_rate, learning_rates

SCHEDULE = optax_sched.warmup_cosine(0.1, total_steps=20, warmup_steps=4, min_lr=0.01)
GRAD = {"w": jnp.full(3, 2.0)}


def applied_rates(tx, steps, readout=learning_rate):
    """(rate each SGD step applied, rate read from the state after it), per step."""
    params = {"w": jnp.zeros(3)}
    state = tx.init(params)
    applied, read = [], []
    for _ in range(steps):
        updates, state = tx.update(GRAD, state, params)
        new = optax.apply_updates(params, updates)
        applied.append(float((params["w"][0] - new["w"][0]) / GRAD["w"][0]))
        read.append(float(readout(state)))
        params = new
    return np.array(applied), np.array(read)


def test_readout_is_the_rate_the_last_update_used():
    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=SCHEDULE)
    applied, read = applied_rates(tx, 25)
    expected = [float(SCHEDULE(k)) for k in range(25)]  # update k uses schedule(k)
    np.testing.assert_allclose(applied, expected, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(read, applied, rtol=1e-5, atol=1e-9)
    assert float(learning_rate(tx.init({"w": jnp.zeros(3)}))) == float(SCHEDULE(0))


def test_readout_inside_a_chain_and_under_jit():
    tx = optax.chain(
        optax.clip_by_global_norm(100.0),
        optax.inject_hyperparams(optax.sgd)(learning_rate=SCHEDULE),
    )
    applied, read = applied_rates(tx, 8, readout=jax.jit(learning_rate))
    np.testing.assert_allclose(read, applied, rtol=1e-5, atol=1e-9)


def test_accumulation_advances_the_schedule_once_per_update():
    every = 3
    tx = optax.MultiSteps(
        optax.inject_hyperparams(optax.sgd)(learning_rate=SCHEDULE), every_k_schedule=every
    )
    applied, read = applied_rates(tx, 4 * every)
    # the parameters move only on every 3rd micro-batch, by the rate of update j
    updates = [float(SCHEDULE(j)) for j in range(4)]
    expected_applied = [updates[i // every] if i % every == every - 1 else 0.0 for i in range(12)]
    np.testing.assert_allclose(applied, expected_applied, rtol=1e-5, atol=1e-9)
    # the readout holds the last update's rate between updates (schedule(0) before any)
    expected_read = [updates[max((i + 1) // every - 1, 0)] for i in range(12)]
    np.testing.assert_allclose(read, expected_read, rtol=1e-5, atol=1e-9)


def test_the_schedule_outside_multisteps_counts_micro_batches():
    """The pitfall the README warns about: wrapped the other way round, the schedule
    sees the micro-batch counter and runs ``every`` times too fast."""
    every = 3
    wrong = optax.inject_hyperparams(
        lambda learning_rate: optax.MultiSteps(
            optax.sgd(learning_rate), every_k_schedule=every
        ).gradient_transformation()
    )(learning_rate=SCHEDULE)
    applied, _ = applied_rates(wrong, 4 * every)
    at_updates = applied[every - 1 :: every]
    np.testing.assert_allclose(
        at_updates, [float(SCHEDULE(every * j + every - 1)) for j in range(4)], rtol=1e-5
    )
    assert not np.allclose(at_updates, [float(SCHEDULE(j)) for j in range(4)])
    # a plain schedule inside MultiSteps is counted per update, like the recipe
    right = optax.MultiSteps(optax.sgd(SCHEDULE), every_k_schedule=every)
    applied, _ = applied_rates(right, 4 * every, readout=lambda state: 0.0)
    np.testing.assert_allclose(
        applied[every - 1 :: every], [float(SCHEDULE(j)) for j in range(4)], rtol=1e-5
    )


def test_one_rate_per_group_of_multi_transform():
    tx = optax.multi_transform(
        {
            "head": optax.inject_hyperparams(optax.sgd)(learning_rate=SCHEDULE),
            "body": optax.inject_hyperparams(optax.sgd)(learning_rate=1e-4),
        },
        {"w": "head", "b": "body"},
    )
    params = {"w": jnp.zeros(2), "b": jnp.zeros(2)}
    state = tx.init(params)
    for _ in range(6):
        _, state = tx.update({"w": jnp.ones(2), "b": jnp.ones(2)}, state, params)
    rates = learning_rates(state)
    assert set(rates) == {"head", "body"}
    assert float(rates["head"]) == pytest.approx(float(SCHEDULE(5)))
    assert float(rates["body"]) == pytest.approx(1e-4)
    with pytest.raises(ValueError, match=r"holds 2 values of 'learning_rate'.*learning_rates"):
        learning_rate(state)


def test_nnx_optimizer():
    model = nnx.Linear(3, 1, rngs=nnx.Rngs(0))
    optimizer = nnx.Optimizer(
        model, optax.inject_hyperparams(optax.adamw)(learning_rate=SCHEDULE), wrt=nnx.Param
    )

    @nnx.jit
    def step(model, optimizer, x):
        grads = nnx.grad(lambda m: jnp.mean(m(x) ** 2))(model)
        optimizer.update(model, grads)
        return learning_rate(optimizer)

    x = jnp.ones((4, 3))
    logged = [float(step(model, optimizer, x)) for _ in range(6)]
    np.testing.assert_allclose(logged, [float(SCHEDULE(k)) for k in range(6)], rtol=1e-6)
    assert float(learning_rate(optimizer)) == pytest.approx(float(SCHEDULE(5)))


def test_other_hyperparameters_and_the_missing_case():
    tx = optax.inject_hyperparams(optax.adamw)(learning_rate=SCHEDULE, weight_decay=0.05)
    state = tx.init({"w": jnp.zeros(2)})
    assert float(learning_rate(state, "weight_decay")) == pytest.approx(0.05)
    plain = optax.adamw(SCHEDULE).init({"w": jnp.zeros(2)})
    with pytest.raises(ValueError, match=r"optax.inject_hyperparams\(optax.adamw\)"):
        learning_rate(plain)
    assert learning_rates(plain) == {}


def test_the_cheap_readout_from_the_update_counter():
    """No inject_hyperparams: the rate comes from scale_by_schedule's counter."""

    def readout(state):
        return learning_rate(state, schedule=SCHEDULE)

    applied, read = applied_rates(optax.sgd(SCHEDULE), 25, readout=readout)
    np.testing.assert_allclose(read, applied, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(read, [float(SCHEDULE(k)) for k in range(25)], rtol=1e-6)
    # inside MultiSteps the counter is per update, like the injected readout
    every = 3
    accumulated = optax.MultiSteps(optax.sgd(SCHEDULE), every_k_schedule=every)
    _, cheap = applied_rates(accumulated, 4 * every, readout=jax.jit(readout))
    injected = optax.MultiSteps(
        optax.inject_hyperparams(optax.sgd)(learning_rate=SCHEDULE), every_k_schedule=every
    )
    _, read = applied_rates(injected, 4 * every)
    np.testing.assert_allclose(cheap, read, rtol=1e-6)
    assert float(readout(optax.adamw(SCHEDULE).init({"w": jnp.zeros(2)}))) == float(SCHEDULE(0))


def test_the_cheap_readout_in_nnx_and_its_errors():
    model = nnx.Linear(3, 1, rngs=nnx.Rngs(0))
    optimizer = nnx.Optimizer(model, optax.adamw(SCHEDULE), wrt=nnx.Param)
    for _ in range(3):
        optimizer.update(model, nnx.grad(lambda m: m(jnp.ones((2, 3))).sum())(model))
    assert float(learning_rate(optimizer, schedule=SCHEDULE)) == float(SCHEDULE(2))

    with pytest.raises(ValueError, match=r"found 0.*constant rate"):
        learning_rate(optax.adamw(1e-3).init({"w": jnp.zeros(2)}), schedule=SCHEDULE)
    two = optax.multi_transform(
        {"a": optax.sgd(SCHEDULE), "b": optax.sgd(SCHEDULE)}, {"w": "a", "b": "b"}
    ).init({"w": jnp.zeros(2), "b": jnp.zeros(2)})
    with pytest.raises(ValueError, match=r"found 2 \(at 'a', 'b'.*learning_rates"):
        learning_rate(two, schedule=SCHEDULE)
    with pytest.raises(ValueError, match="computes the learning rate only"):
        learning_rate(two, "weight_decay", schedule=SCHEDULE)
