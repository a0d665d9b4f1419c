"""training_plan against what transformers' Trainer computed (tests/golden/trainer_plans.json)."""

import json
import math
import pathlib

import pytest

from optax_sched.plan import training_plan

GOLDEN = json.loads(
    (pathlib.Path(__file__).resolve().parent / "golden" / "trainer_plans.json").read_text()
)
INPUTS = (
    "dataset_size",
    "per_device_train_batch_size",
    "gradient_accumulation_steps",
    "num_train_epochs",
    "max_steps",
    "warmup_steps",
    "dataloader_drop_last",
)


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: str(list(c.values())[:7]))
def test_matches_the_real_trainer(case):
    plan = training_plan(**{k: case[k] for k in INPUTS})
    assert plan.batches_per_epoch == case["batches_per_epoch"]
    assert plan.updates_per_epoch == case["updates_per_epoch"]
    assert plan.total_steps == case["total_steps"]
    assert plan.warmup_steps == case["warmup_steps"]
    assert plan.effective_batch_size == case["effective_batch_size"]


@pytest.mark.parametrize(("n", "b", "w", "g"), [(10_000, 4, 8, 2), (1001, 8, 3, 1), (5, 2, 4, 1)])
def test_devices_split_the_batches_evenly_rounding_up(n, b, w, g):
    # Each of w devices sees ceil(ceil(n / b) / w) batches (accelerate's even_batches).
    plan = training_plan(
        dataset_size=n,
        per_device_train_batch_size=b,
        world_size=w,
        gradient_accumulation_steps=g,
        num_train_epochs=1,
    )
    batches = math.ceil(math.ceil(n / b) / w)
    assert plan.batches_per_epoch == batches
    assert plan.updates_per_epoch == max(math.ceil(batches / g), 1)
    assert plan.effective_batch_size == b * w * g


def test_max_steps_needs_no_dataset():
    plan = training_plan(max_steps=500, warmup_steps=0.1)
    assert (plan.total_steps, plan.warmup_steps, plan.updates_per_epoch) == (500, 50, None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, r"needs dataset_size"),
        ({"dataset_size": 0}, r"dataset_size must be >= 1"),
        ({"dataset_size": 10, "per_device_train_batch_size": 0}, r"per_device_train_batch_size"),
        ({"max_steps": 10.0}, r"max_steps must be an int"),
        ({"max_steps": 10, "warmup_steps": -1}, r"warmup_steps must be >= 0"),
        ({"dataset_size": 10, "num_train_epochs": 0}, r"num_train_epochs must be in"),
        (
            {"dataset_size": 3, "per_device_train_batch_size": 4, "dataloader_drop_last": True},
            r"no full batch",
        ),
    ],
)
def test_bad_plans_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        training_plan(**kwargs)
