"""from_training_args: a TrainingArguments-style config becomes the Trainer's schedule."""

import types

import numpy as np
import pytest

import optax_sched

SFT = {
    "learning_rate": 2e-4,
    "lr_scheduler_type": "cosine_with_min_lr",
    "lr_scheduler_kwargs": {"min_lr_rate": 0.1},
    "warmup_steps": 0.03,
    "num_train_epochs": 2,
    "per_device_train_batch_size": 4,
    "gradient_accumulation_steps": 4,
    "output_dir": "out",  # unrelated fields are ignored
    "logging_steps": 10,
}


def test_mapping_gives_trainer_plan_and_hf_schedule():
    schedule, plan = optax_sched.from_training_args(SFT, dataset_size=5_000)
    # Same numbers as the real Trainer for this run (tests/golden/trainer_plans.json).
    assert (plan.updates_per_epoch, plan.total_steps, plan.warmup_steps) == (313, 626, 19)
    expected = optax_sched.from_hf(
        "cosine_with_min_lr", 2e-4, num_warmup_steps=19, num_training_steps=626, min_lr_rate=0.1
    )
    steps = np.arange(0, 700, 7)
    np.testing.assert_array_equal(schedule(steps), expected(steps))


def test_object_with_attributes_and_keyword_overrides():
    args = types.SimpleNamespace(**{k: v for k, v in SFT.items() if k != "logging_steps"})
    _, plan = optax_sched.from_training_args(args, dataset_size=5_000, max_steps=100)
    assert (plan.total_steps, plan.warmup_steps) == (100, 3)


def test_defaults_are_transformers_defaults():
    schedule, plan = optax_sched.from_training_args(dataset_size=80)
    # linear, lr 5e-5, 3 epochs of ceil(80 / 8) = 10 updates, no warmup.
    assert plan.total_steps == 30 and plan.warmup_steps == 0
    assert float(schedule(0)) == pytest.approx(5e-5)
    assert float(schedule(15)) == pytest.approx(2.5e-5)


def test_warmup_ratio_from_older_configs():
    _, plan = optax_sched.from_training_args(max_steps=1001, warmup_ratio=0.03)
    assert plan.warmup_steps == 31


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"max_steps": 10, "warmup_step": 3},
            r"unknown field 'warmup_step'; did you mean 'warmup_steps'",
        ),
        (
            {"max_steps": 10, "warmup_steps": 2, "warmup_ratio": 0.1},
            r"both warmup_steps=2 and warmup_ratio",
        ),
        ({"max_steps": 10, "warmup_ratio": 1.5}, r"warmup_ratio must be in \[0, 1\)"),
        ({"max_steps": 10, "lr_scheduler_type": "cosin"}, r"Did you mean 'cosine'"),
        ({"num_train_epochs": 1}, r"needs dataset_size"),
    ],
)
def test_bad_configs_are_explained(fields, message):
    with pytest.raises(ValueError, match=message):
        optax_sched.from_training_args(fields)
