"""Metric-driven rates against PyTorch's ReduceLROnPlateau and transformers' GreedyLR."""

import json
import pathlib

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import optax_sched
from optax_sched.parity.plateau import greedy_lr, reduce_lr_on_plateau

GOLDEN = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "golden" / "metric_driven.json").read_text()
)
SERIES = GOLDEN["series"]


def _id(case):
    kwargs = ",".join(f"{k}={v}" for k, v in sorted(case["kwargs"].items()))
    return f"{case['kind']}-{case['series']}-{kwargs}"


def _rates(tx, metrics):
    """The rate each update used, read from the scaled update of a unit gradient."""
    state = tx.init({"w": jnp.zeros(1)})
    update = jax.jit(tx.update)
    used = []
    for metric in metrics:
        updates, state = update({"w": jnp.ones(1)}, state, value=metric)
        used.append(-float(updates["w"][0]))
    return np.asarray(used)


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_id)
def test_matches_the_original_on_every_update(case):
    tx = optax_sched.from_hf(case["kind"], case["learning_rate"], **case["kwargs"])
    got = _rates(tx, SERIES[case["series"]])
    np.testing.assert_allclose(got, case["lr"], rtol=2e-6)


def test_golden_cases_change_the_rate():
    # The recorded runs must exercise reductions (and, for greedy, increases and resets).
    assert all(len(set(case["lr"])) > 1 for case in GOLDEN["cases"])
    greedy = [case for case in GOLDEN["cases"] if case["kind"] == "greedy"]
    assert any(max(c["lr"]) > c["learning_rate"] for c in greedy)


def test_from_torch_gives_the_same_transformation():
    metrics = SERIES["loss"]
    a = _rates(optax_sched.from_torch("ReduceLROnPlateau", base_lr=1e-3, patience=3), metrics)
    b = _rates(reduce_lr_on_plateau(1e-3, patience=3), metrics)
    np.testing.assert_array_equal(a, b)


def test_chained_after_adam_and_logged_from_the_state():
    tx = optax.chain(optax.scale_by_adam(), reduce_lr_on_plateau(1e-2, factor=0.5, patience=1))
    params = {"w": jnp.ones(3)}
    state = tx.init(params)
    step = jax.jit(tx.update)
    logged = []
    for loss in [1.0, 1.0, 1.0, 1.0]:
        _, state = step({"w": jnp.ones(3)}, state, params, value=loss)
        logged.append(float(state[-1].lr))
    assert logged == pytest.approx([1e-2, 1e-2, 5e-3, 5e-3])


@pytest.mark.parametrize(
    ("factory", "kwargs", "message"),
    [
        (reduce_lr_on_plateau, {"factor": 1.0}, r"factor must be in \(0, 1\)"),
        (reduce_lr_on_plateau, {"mode": "minimum"}, r"mode must be one of 'min', 'max'"),
        (reduce_lr_on_plateau, {"threshold_mode": "relative"}, r"threshold_mode must be one of"),
        (reduce_lr_on_plateau, {"patience": -1}, r"patience must be >= 0"),
        (greedy_lr, {"min_lr": 1.0, "max_lr": 0.5}, r"min_lr must not exceed max_lr"),
        (greedy_lr, {"window_size": 0}, r"window_size must be >= 1"),
    ],
)
def test_bad_arguments_name_the_argument(factory, kwargs, message):
    with pytest.raises(ValueError, match=message):
        factory(1e-3, **kwargs)


def test_hf_names_reject_step_arguments_and_unknown_keywords():
    with pytest.raises(ValueError, match="takes no num_warmup_steps"):
        optax_sched.from_hf("reduce_lr_on_plateau", 1e-3, num_warmup_steps=10)
    with pytest.raises(ValueError, match="unexpected keyword"):
        optax_sched.from_hf("greedy", 1e-3, patiense=3)
