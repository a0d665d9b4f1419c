"""Exact resume and stage transitions through orbax checkpoints.

The reference for every resume is the same run done without interruption: after ``N``
steps, a save, a rebuilt model and optimizer (initialised differently, so nothing
survives by accident), a restore and ``M`` more steps, the rates and the parameters must
equal the uninterrupted ``N + M`` run bit for bit on CPU.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

import optax_sched
from optax_sched.train import Checkpoints, learning_rate, learning_rates, per_group

SCHEDULE = optax_sched.warmup_cosine(3e-3, total_steps=40, warmup_steps=8, min_lr=3e-4)
DATA = jax.random.key(7)


def batch(step: int) -> tuple[jax.Array, jax.Array]:
    """Batch ``step`` depends on the step number only, so a resumed run sees the same data."""
    x = jax.random.normal(jax.random.fold_in(DATA, step), (16, 4))
    return x, jnp.sin(x).sum(axis=1, keepdims=True)


class Net(nnx.Module):
    def __init__(self, seed: int, aligner: bool = False):
        rngs = nnx.Rngs(seed, dropout=seed + 1)
        self.backbone = nnx.Linear(4, 8, rngs=rngs)
        self.drop = nnx.Dropout(0.2, rngs=rngs)  # an RNG stream that must resume too
        self.head = nnx.Linear(8, 1, rngs=rngs)
        self.aligner = nnx.Linear(8, 8, rngs=rngs) if aligner else None

    def __call__(self, x):
        h = nnx.relu(self.backbone(x))
        if self.aligner is not None:
            h = h + self.aligner(h)
        return self.head(self.drop(h))


@nnx.jit
def train_step(model, optimizer, x, y):
    def loss_fn(m):
        return jnp.mean((m(x) - y) ** 2)

    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
    return loss


def build(seed: int, tx=None, aligner: bool = False):
    model = Net(seed, aligner)
    tx = tx or optax.inject_hyperparams(optax.adamw)(learning_rate=SCHEDULE)
    return model, nnx.Optimizer(model, tx, wrt=nnx.Param)


def run(model, optimizer, start: int, stop: int) -> list[float]:
    rates = []
    for step in range(start, stop):
        train_step(model, optimizer, *batch(step))
        rates.append(float(learning_rate(optimizer)))
    return rates


def leaves(model) -> list[np.ndarray]:
    return [np.asarray(x) for x in jax.tree.leaves(nnx.state(model, nnx.Param))]


def assert_bitwise(a: list[np.ndarray], b: list[np.ndarray]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.dtype == y.dtype and np.array_equal(x, y), np.max(np.abs(x - y))


def assert_rates(got: list[float], expected: list) -> None:
    np.testing.assert_allclose(got, np.array(expected, dtype=np.float64), rtol=1e-6, atol=0)


def test_nnx_resume_is_bit_for_bit(tmp_path):
    model, optimizer = build(0)
    uninterrupted = run(model, optimizer, 0, 30)

    first, opt1 = build(0)
    before = run(first, opt1, 0, 12)  # N = 12: still in the cosine's early part
    with Checkpoints(tmp_path, schedule=SCHEDULE) as ckpt:
        ckpt.save(12, model=first, optimizer=opt1)

    resumed, opt2 = build(123)  # a restarted process: different initial values
    with Checkpoints(tmp_path, schedule=SCHEDULE) as ckpt:
        restored = ckpt.restore(model=resumed, optimizer=opt2)
    assert restored.step == 12 and restored["model"] is resumed
    assert float(learning_rate(opt2)) == before[-1]  # not schedule(0): no second warmup
    after = run(resumed, opt2, restored.step, 30)

    assert before + after == uninterrupted
    assert_bitwise(leaves(resumed), leaves(model))
    assert int(opt2.step.get_value()) == 30


def test_resume_mid_accumulation_with_pytrees(tmp_path):
    """optax without nnx, saved between two micro-batches of an accumulated update."""
    tx = optax.MultiSteps(
        optax.inject_hyperparams(optax.sgd)(learning_rate=SCHEDULE), every_k_schedule=3
    )

    def steps(params, state, start, stop):
        for k in range(start, stop):
            grads = {"w": batch(k)[0][:, 0]}
            updates, state = tx.update(grads, state, params)
            params = optax.apply_updates(params, updates)
        return params, state

    init = {"w": jnp.zeros(16)}
    whole, whole_state = steps(init, tx.init(init), 0, 20)
    part, part_state = steps(init, tx.init(init), 0, 7)  # 2 updates and 1 micro-batch
    with Checkpoints(tmp_path) as ckpt:
        ckpt.save(7, params=part, opt_state=part_state)
        fresh = {"w": jnp.ones(16)}
        restored = ckpt.restore(params=fresh, opt_state=tx.init(fresh))
    params, state = steps(restored["params"], restored["opt_state"], restored.step, 20)
    assert np.array_equal(params["w"], whole["w"])
    assert float(learning_rate(state)) == float(learning_rate(whole_state))
    assert int(state.gradient_step) == int(whole_state.gradient_step) == 6


def test_resume_across_a_stage_boundary_of_one_global_schedule(tmp_path):
    """multi_stage counts one global step: saved at the boundary, the resumed run
    continues with stage 2's first rate, exactly as without the interruption."""
    stages = optax_sched.multi_stage(
        [
            optax_sched.warmup_cosine(1e-3, total_steps=10, warmup_steps=2, min_lr=1e-4),
            optax_sched.warmup_cosine(2e-4, total_steps=10, warmup_steps=3, min_lr=2e-5),
        ]
    )
    tx = optax.inject_hyperparams(optax.adamw)(learning_rate=stages)
    model, optimizer = build(0, tx)
    uninterrupted = run(model, optimizer, 0, 20)

    first, opt1 = build(0, tx)
    run(first, opt1, 0, 10)
    with Checkpoints(tmp_path, schedule=stages) as ckpt:
        ckpt.save(10, model=first, optimizer=opt1)
        resumed, opt2 = build(5, tx)
        ckpt.restore(model=resumed, optimizer=opt2)
    after = run(resumed, opt2, 10, 20)
    assert after == uninterrupted[10:]
    assert after[0] == float(stages(10)) == 0.0  # stage 2 begins with its own warmup
    assert_bitwise(leaves(resumed), leaves(model))


def test_new_stage_starts_from_saved_params_with_its_own_schedules(tmp_path):
    """Scenario C of the fine-tuning guide: stage 2 adds an aligner, trains it with a
    warmup at a high rate and the rest at a low rate with its own floor, from 0."""
    model, optimizer = build(0)
    run(model, optimizer, 0, 40)
    with Checkpoints(tmp_path) as ckpt:
        ckpt.save(40, model=model, optimizer=optimizer)

    stage2 = Net(9, aligner=True)
    fresh_aligner = [np.asarray(x) for x in jax.tree.leaves(nnx.state(stage2.aligner, nnx.Param))]
    with Checkpoints(tmp_path) as ckpt:
        transfer = ckpt.restore_params(stage2)
    assert transfer.step == 40
    assert set(transfer.loaded) == {
        "backbone/kernel",
        "backbone/bias",
        "head/kernel",
        "head/bias",
    }
    assert set(transfer.new) == {"aligner/kernel", "aligner/bias"} and transfer.unused == ()
    assert_bitwise(leaves(stage2.backbone), leaves(model.backbone))
    assert_bitwise(leaves(stage2.head), leaves(model.head))
    assert_bitwise(
        [np.asarray(x) for x in jax.tree.leaves(nnx.state(stage2.aligner, nnx.Param))],
        fresh_aligner,
    )

    aligner = optax_sched.warmup_cosine(1e-3, total_steps=20, warmup_steps=5, min_lr=1e-4)
    rest = optax_sched.warmup_cosine(1e-5, total_steps=20, warmup_steps=0, min_lr=2e-6)
    tx = per_group({"aligner/**": aligner, "{backbone,head}/**": rest}, optimizer=optax.adamw)
    opt2 = nnx.Optimizer(stage2, tx, wrt=nnx.Param)
    seen = []
    for step in range(25):
        train_step(stage2, opt2, *batch(100 + step))
        seen.append({k: float(v) for k, v in learning_rates(opt2).items()})
    # each group's rate is its own schedule counted from 0 (jit may differ by an ulp)
    assert_rates([r["aligner/**"] for r in seen], [aligner(k) for k in range(25)])
    assert_rates([r["{backbone,head}/**"] for r in seen], [rest(k) for k in range(25)])
    assert seen[0]["aligner/**"] == 0.0 and seen[-1]["{backbone,head}/**"] == pytest.approx(2e-6)


def test_a_changed_schedule_is_refused_unless_allowed(tmp_path):
    model, optimizer = build(0)
    run(model, optimizer, 0, 5)
    with Checkpoints(tmp_path, schedule=SCHEDULE) as ckpt:
        ckpt.save(5, model=model, optimizer=optimizer)
    longer = optax_sched.warmup_cosine(3e-3, total_steps=80, warmup_steps=8, min_lr=3e-4)
    with Checkpoints(tmp_path, schedule=longer) as ckpt:
        with pytest.raises(ValueError, match=r"total_steps: 40 -> 80.*allow_schedule_change"):
            ckpt.restore(model=Net(1), optimizer=build(1)[1])
        m2, o2 = build(1, optax.inject_hyperparams(optax.adamw)(learning_rate=longer))
        assert ckpt.restore(model=m2, optimizer=o2, allow_schedule_change=True).step == 5
    train_step(m2, o2, *batch(5))
    assert float(learning_rate(o2)) == float(longer(5))  # the new curve, at the saved step


def test_a_differently_built_optimizer_is_named(tmp_path):
    model = Net(0)
    plain = nnx.Optimizer(model, optax.adamw(SCHEDULE), wrt=nnx.Param)
    with Checkpoints(tmp_path) as ckpt:
        ckpt.save(0, model=model, optimizer=plain)
        with pytest.raises(ValueError, match=r"'optimizer' does not match.*hyperparams"):
            ckpt.restore(model=Net(1), optimizer=build(1)[1])
        with pytest.raises(ValueError, match=r"holds \['model', 'optimizer'\]; got \['model'\]"):
            ckpt.restore(model=Net(1))
        with pytest.raises(FileNotFoundError, match=r"no checkpoint for step 3.*\[0\]"):
            ckpt.restore(3, model=Net(1), optimizer=plain)


def test_restore_params_refuses_to_guess(tmp_path):
    with Checkpoints(tmp_path) as ckpt:
        assert ckpt.latest_step is None
        with pytest.raises(FileNotFoundError, match=r"no checkpoint in .*latest_step"):
            ckpt.restore_params(Net(0))
        ckpt.save(1, params={"encoder": {"w": jnp.ones((2, 3))}, "head": {"w": jnp.ones(3)}})
        with pytest.raises(ValueError, match=r"parameters the target does not: encoder/w"):
            ckpt.restore_params({"enc": {"w": jnp.zeros((2, 3))}, "head": {"w": jnp.zeros(3)}})
        renamed = ckpt.restore_params(
            {"enc": {"w": jnp.zeros((2, 3))}, "head": {"w": jnp.zeros(3)}}, allow_unused=True
        )
        assert renamed.loaded == ("head/w",) and renamed.new == ("enc/w",)
        assert np.array_equal(renamed.params["head"]["w"], np.ones(3))
        assert np.array_equal(renamed.params["enc"]["w"], np.zeros((2, 3)))
        with pytest.raises(ValueError, match=r"shapes differ: encoder/w \(2, 3\) -> \(3, 2\)"):
            ckpt.restore_params({"encoder": {"w": jnp.zeros((3, 2))}, "head": {"w": jnp.zeros(3)}})
        with pytest.raises(ValueError, match="no parameter of the target"):
            ckpt.restore_params({"other": jnp.zeros(2)}, allow_unused=True)


def test_keep_and_bad_arguments(tmp_path):
    with Checkpoints(tmp_path, keep=2) as ckpt:
        for step in (10, 20, 30):
            ckpt.save(step, params={"w": jnp.full(2, float(step))})
        assert ckpt.steps == [20, 30] and ckpt.latest_step == 30
        assert float(ckpt.restore(params={"w": jnp.zeros(2)})["params"]["w"][0]) == 30.0
        assert float(ckpt.restore(20, params={"w": jnp.zeros(2)})["params"]["w"][0]) == 20.0
        with pytest.raises(ValueError, match="step must be an int >= 0"):
            ckpt.save(-1, params={})
        with pytest.raises(ValueError, match="nothing to save"):
            ckpt.save(40)
    with pytest.raises(ValueError, match="keep must be a positive int"):
        Checkpoints(tmp_path, keep=0)
