"""from_torch against the learning rates PyTorch itself produced (tests/golden/torch.json)."""

import json
import pathlib

import jax
import numpy as np
import pytest

import optax_sched
from optax_sched.parity.torch import COMPOSITES, KWARGS, NOT_STEP_FUNCTIONS

GOLDEN = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "golden" / "torch.json").read_text()
)
CASES = GOLDEN["cases"]
# OneCycleLR raises one step past total_steps: that is its end, not a crash to reproduce.
PAST_THE_END = [c for c in CASES if c.get("error") and c["name"] == "OneCycleLR"]
CRASHES = [c for c in CASES if c.get("error") and c["name"] != "OneCycleLR"]
RUNS = [c for c in CASES if not c.get("error") or c["name"] == "OneCycleLR"]


def _id(case):
    kwargs = ",".join(f"{k}={v}" for k, v in sorted(case["kwargs"].items()))
    return f"{case['name']}-{kwargs}"


def _build(case):
    return optax_sched.from_torch(case["name"], base_lr=case["base_lr"], **case["kwargs"])


def test_golden_file_covers_every_class():
    assert {case["name"] for case in CASES} == set(KWARGS) | set(COMPOSITES)
    assert GOLDEN["versions"]["torch"].startswith("2.")


@pytest.mark.parametrize("case", RUNS, ids=_id)
def test_matches_torch_at_every_step(case):
    expected = np.asarray(case["lr"])
    got = np.asarray(jax.jit(_build(case))(np.arange(len(expected))), dtype=np.float64)
    scale = max(case["base_lr"] or 0.0, case["kwargs"].get("max_lr", 0.0))  # the peak rate
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6 * scale)


@pytest.mark.parametrize("case", PAST_THE_END, ids=_id)
def test_one_cycle_holds_its_last_value_where_torch_raises(case):
    schedule = _build(case)
    last = case["error_step"] - 1  # total_steps: the last step torch evaluates
    assert float(schedule(last + 1)) == float(schedule(last)) == float(schedule(10 * last))


@pytest.mark.parametrize("case", CRASHES, ids=_id)
def test_configurations_torch_crashes_on_are_rejected_up_front(case):
    with pytest.raises(ValueError, match="factor must be in"):
        _build(case)


@pytest.mark.parametrize(
    ("name", "base_lr", "kwargs", "message"),
    [
        (
            "StepLr",
            0.1,
            {"step_size": 3},
            r"unknown scheduler name='StepLr'. Did you mean 'StepLR'",
        ),
        ("StepLR", 0.1, {"step": 3}, r"unexpected keyword 'step'.*step_size"),
        ("StepLR", 0.1, {"step_size": 3, "last_epoch": 5}, r"'last_epoch' \(resume by evaluating"),
        ("StepLR", None, {"step_size": 3}, r"requires base_lr"),
        ("StepLR", 0.1, {}, r"requires step_size"),
        ("StepLR", 0.1, {"step_size": 3, "gamma": -0.5}, r"gamma must be in \(0, inf\]"),
        ("MultiStepLR", 0.1, {"milestones": [10, -5]}, r"milestones\[1\] must be >= 0"),
        ("LinearLR", 0.1, {"start_factor": 0.0}, r"start_factor must be in \(0, 1\]"),
        ("CosineAnnealingLR", 0.1, {"T_max": 0}, r"T_max must be >= 1"),
        ("CosineAnnealingWarmRestarts", 0.1, {"T_0": 10, "T_mult": 1.5}, r"T_mult must be an int"),
        ("CyclicLR", 0.1, {"max_lr": 0.01}, r"base_lr must not exceed max_lr"),
        ("OneCycleLR", None, {"max_lr": 0.1}, r"requires total_steps, or epochs"),
        (
            "OneCycleLR",
            None,
            {"max_lr": 0.1, "total_steps": 10, "pct_start": 1},
            r"must be a float",
        ),
        ("OneCycleLR", None, {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.0}, r"no length"),
        (
            "OneCycleLR",
            None,
            {"max_lr": 0.1, "total_steps": 10, "anneal_strategy": "cosine"},
            r"anneal_strategy must be one of 'cos', 'linear'",
        ),
    ],
)
def test_bad_configurations_name_the_argument(name, base_lr, kwargs, message):
    with pytest.raises(ValueError, match=message):
        optax_sched.from_torch(name, base_lr=base_lr, **kwargs)


@pytest.mark.parametrize("name", sorted(NOT_STEP_FUNCTIONS))
def test_classes_without_a_closed_form_say_what_to_use(name):
    with pytest.raises(ValueError, match="not a closed-form function of the step"):
        optax_sched.from_torch(name, base_lr=0.1)


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        (
            "SequentialLR",
            {"schedulers": [], "milestones": []},
            r"non-empty list of \(name, kwargs\)",
        ),
        (
            "SequentialLR",
            {
                "schedulers": [("StepLR", {"step_size": 2}), ("ExponentialLR", {"gamma": 0.9})],
                "milestones": [5, 9],
            },
            r"one milestone fewer than schedulers",
        ),
        (
            "SequentialLR",
            {
                "schedulers": [("StepLR", {"step_size": 2}), ("ExponentialLR", {"gamma": 0.9})],
                "milestones": [0],
            },
            r"milestones\[0\] must be >= 1",
        ),
        (
            "ChainedScheduler",
            {"schedulers": [("CosineAnnealingLR", {"T_max": 5})]},
            r"cannot be composed here exactly; allowed: StepLR",
        ),
        (
            "ChainedScheduler",
            {"schedulers": ["StepLR"]},
            r"schedulers\[0\] must be a \(name, kwargs\)",
        ),
    ],
)
def test_composites_check_their_parts(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        optax_sched.from_torch(name, base_lr=0.1, **kwargs)


def test_sequential_recipe_with_multi_stage():
    # torch: SequentialLR([LinearLR(start_factor=0.1, total_iters=5), ExponentialLR(0.9)],
    # milestones=[5]); the second scheduler starts counting at the milestone.
    warm = optax_sched.from_torch("LinearLR", base_lr=0.1, start_factor=0.1, total_iters=5)
    decay = optax_sched.from_torch("ExponentialLR", base_lr=0.1, gamma=0.9)
    s = optax_sched.multi_stage([(5, warm), decay])
    expected = [0.1 * (0.1 + 0.9 * k / 5) for k in range(5)] + [0.1 * 0.9**k for k in range(10)]
    np.testing.assert_allclose(s(np.arange(15)), expected, rtol=1e-6)
