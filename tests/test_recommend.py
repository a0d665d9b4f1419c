"""recommend: heuristic starting configs, each choice with a reason and a source.

Expectations are computed by hand here (from the guide's rules of thumb and the
Trainer's step arithmetic), and every recommended config must build with
``from_training_args`` into a schedule that peaks at the recommended learning rate
exactly where the recommended warmup ends.
"""

import json
import math

import numpy as np
import pytest

import optax_sched
from optax_sched.recommend import (
    DISCLAIMER,
    RULES,
    Choice,
    Recommendation,
    Risk,
    find_risks,
    gradient_accumulation,
    matched_alpha,
    recommend,
)


def by_field(rec: Recommendation) -> dict[str, Choice]:
    return {c.field: c for c in rec.choices}


def build(rec: Recommendation, **run):
    return optax_sched.from_training_args(rec.config, **run)


# --- the rules of thumb ------------------------------------------------------------


def test_lora_1000_steps():
    rec = recommend(steps=1_000)
    assert rec.config == {
        "learning_rate": 2e-4,
        "lr_scheduler_type": "linear",
        "warmup_steps": 0.03,
        "max_steps": 1_000,
        "per_device_train_batch_size": 4,
        "gradient_accumulation_steps": 4,  # ceil(16 / 4)
    }
    assert rec.plan.total_steps == 1_000
    assert rec.plan.warmup_steps == 30  # 3% of 1,000
    assert rec.plan.effective_batch_size == 16
    assert rec.lora == {"r": 16, "lora_alpha": 32, "use_rslora": False}
    assert rec.risks == ()


def test_full_fine_tuning_is_ten_times_smaller():
    rec = recommend(steps=1_000, mode="full")
    assert rec.config["learning_rate"] == pytest.approx(2e-5)
    assert rec.lora is None
    assert not {"r", "lora_alpha", "use_rslora"} & set(by_field(rec))
    assert rec.risks == ()


@pytest.mark.parametrize("steps", [50, 100, 200, 300])
def test_short_run_gets_an_integer_warmup_floor(steps):
    rec = recommend(steps=steps)
    warmup = rec.config["warmup_steps"]
    assert math.ceil(0.03 * steps) < 10  # 3% would be only a few steps
    assert isinstance(warmup, int) and 10 <= warmup <= 25
    assert rec.plan.warmup_steps == warmup
    assert rec.risks == ()


@pytest.mark.parametrize(("steps", "resolved"), [(301, 10), (400, 12), (499, 15), (10_000, 300)])
def test_ratio_warmup_once_three_percent_reaches_ten_steps(steps, resolved):
    rec = recommend(steps=steps)
    assert rec.config["warmup_steps"] == 0.03
    assert rec.plan.warmup_steps == resolved == math.ceil(0.03 * steps)


@pytest.mark.parametrize(("steps", "warmup"), [(1, 0), (5, 0), (20, 2), (39, 3), (40, 10)])
def test_tiny_runs_warm_up_less_than_the_whole_run(steps, warmup):
    rec = recommend(steps=steps)
    assert rec.config["warmup_steps"] == warmup
    assert warmup < steps and warmup <= 0.25 * steps
    assert rec.risks == ()
    assert "quarter" in by_field(rec)["warmup_steps"].reason or warmup == 10


@pytest.mark.parametrize(
    ("steps", "scheduler"),
    [
        (1_000, "linear"),
        (2_000, "linear"),
        (2_001, "cosine"),
        (5_000, "cosine"),
        (19_999, "cosine"),
        (20_000, "cosine_with_min_lr"),
        (50_000, "cosine_with_min_lr"),
    ],
)
def test_scheduler_by_run_length(steps, scheduler):
    rec = recommend(steps=steps)
    assert rec.config["lr_scheduler_type"] == scheduler
    if scheduler == "cosine_with_min_lr":
        assert rec.config["lr_scheduler_kwargs"] == {"min_lr_rate": 0.1}
    else:
        assert "lr_scheduler_kwargs" not in rec.config


def test_long_run():
    rec = recommend(steps=50_000)
    assert rec.config["lr_scheduler_type"] == "cosine_with_min_lr"
    assert rec.config["lr_scheduler_kwargs"] == {"min_lr_rate": 0.1}
    assert rec.plan.warmup_steps == 1_500
    schedule, _ = build(rec)
    assert float(schedule(50_000)) == pytest.approx(2e-5, rel=1e-5)  # the 10% floor


@pytest.mark.parametrize("keep", [{"stages": 2}, {"resumable": True}])
@pytest.mark.parametrize("steps", [30, 1_000, 5_000])
def test_multi_stage_or_resumable_runs_keep_a_floor(keep, steps):
    rec = recommend(steps=steps, **keep)
    assert rec.config["lr_scheduler_type"] == "cosine_with_min_lr"
    assert rec.config["lr_scheduler_kwargs"] == {"min_lr_rate": 0.1}
    assert rec.risks == ()


@pytest.mark.parametrize(
    ("per_device", "world", "accumulation", "effective"),
    [
        (1, 1, 16, 16),
        (2, 1, 8, 16),
        (3, 1, 6, 18),  # ceil(16 / 3) = 6
        (4, 1, 4, 16),
        (16, 1, 1, 16),
        (32, 1, 1, 32),  # already past 16: no accumulation
        (1, 2, 8, 16),
        (4, 2, 2, 16),
        (16, 2, 1, 32),
    ],
)
def test_gradient_accumulation_targets_sixteen(per_device, world, accumulation, effective):
    assert gradient_accumulation(per_device, world) == accumulation
    rec = recommend(steps=1_000, per_device_batch=per_device, world_size=world)
    assert rec.config["gradient_accumulation_steps"] == accumulation
    assert rec.config["per_device_train_batch_size"] == per_device
    assert rec.plan.effective_batch_size == effective == per_device * accumulation * world


@pytest.mark.parametrize(
    ("dataset_size", "rank", "rslora"),
    [
        (None, 16, False),
        (1, 8, False),
        (499, 8, False),
        (500, 16, False),
        (1_999, 16, False),
        (2_000, 16, False),
        (9_999, 16, False),
        (10_000, 32, False),
        (49_999, 32, False),
        (50_000, 64, False),
        (199_999, 64, False),
        (200_000, 64, True),
        (1_000_000, 64, True),
    ],
)
def test_lora_rank_by_dataset_size(dataset_size, rank, rslora):
    rec = recommend(steps=1_000, dataset_size=dataset_size)
    alpha = round(2 * math.sqrt(rank)) if rslora else 2 * rank
    assert rec.lora == {"r": rank, "lora_alpha": alpha, "use_rslora": rslora}
    assert rec.risks == ()


def test_rslora_gain_matching():
    # Standard LoRA r=16, alpha=32 has gain 32/16 = 2; rsLoRA at r=64 keeps it with
    # alpha = 2 * sqrt(64) = 16, since its gain is alpha/sqrt(r) = 16/8 = 2.
    assert matched_alpha(64, gain=2) == 16
    assert 16 / math.sqrt(64) == 32 / 16
    assert matched_alpha(16) == 8 and matched_alpha(64, gain=1) == 8
    assert recommend(steps=1_000, rank=64, rslora=True).lora == {
        "r": 64,
        "lora_alpha": 16,
        "use_rslora": True,
    }
    # Above rank 64 rsLoRA is switched on (gain-matched) unless the caller says otherwise.
    rec = recommend(steps=1_000, rank=128)
    assert rec.lora == {"r": 128, "lora_alpha": round(2 * math.sqrt(128)), "use_rslora": True}
    assert rec.risks == ()


def test_epochs_over_a_dataset():
    # 10,000 examples, 4 per device: 2,500 micro-batches, 625 updates of 4, 2 epochs.
    rec = recommend(dataset_size=10_000, epochs=2)
    assert rec.config["num_train_epochs"] == 2 and "max_steps" not in rec.config
    assert (rec.plan.updates_per_epoch, rec.plan.total_steps) == (625, 1_250)
    assert rec.plan.warmup_steps == 38  # ceil(0.03 * 1,250)
    assert rec.lora["r"] == 32  # the 10k-50k bucket
    _, plan = build(rec, dataset_size=10_000)
    assert plan == rec.plan


def test_dataset_alone_is_one_epoch_and_world_size_counts():
    # 10,000 / 4 = 2,500 micro-batches over 2 devices = 1,250 each, accumulated 2 at a time.
    rec = recommend(dataset_size=10_000, world_size=2)
    assert rec.config["num_train_epochs"] == 1
    assert rec.config["gradient_accumulation_steps"] == 2
    assert rec.plan.total_steps == 625
    assert "one pass" in by_field(rec)["num_train_epochs"].reason
    _, plan = build(rec, dataset_size=10_000, world_size=2)
    assert plan == rec.plan


def test_steps_with_a_dataset_size_report_the_epochs():
    rec = recommend(steps=1_250, dataset_size=10_000)
    assert rec.config["max_steps"] == 1_250
    assert rec.plan.epochs == 2.0
    assert "2 epochs" in by_field(rec)["max_steps"].reason


# --- the config builds, and peaks where the warmup ends ----------------------------

BUILDS = [
    {"steps": 1_000},
    {"steps": 300},
    {"steps": 20},
    {"steps": 5_000, "mode": "full"},
    {"steps": 50_000},
    {"steps": 800, "stages": 3},
    {"dataset_size": 3_000, "epochs": 3, "per_device_batch": 2, "world_size": 2},
    {"steps": 1_000, "scheduler": "warmup_stable_decay"},
    {"steps": 1_000, "scheduler": "polynomial", "min_lr_rate": 0.1},
    {"steps": 1_000, "scheduler": "constant_with_warmup"},
    {"steps": 1_000, "scheduler": "inverse_sqrt"},
    {"steps": 1_000, "scheduler": "constant"},
    {"steps": 1_000, "min_lr": 1e-5},
    {"steps": 1_000, "learning_rate": 1e-4, "warmup_steps": 50, "scheduler": "cosine"},
]


@pytest.mark.parametrize(
    "kwargs", BUILDS, ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items())
)
def test_config_builds_and_peaks_at_the_learning_rate_when_warmup_ends(kwargs):
    rec = recommend(**kwargs)
    run = {k: kwargs[k] for k in ("dataset_size", "world_size") if k in kwargs}
    schedule, plan = build(rec, **run)
    assert plan == rec.plan
    lr = rec.config["learning_rate"]
    warmup = plan.warmup_steps
    assert float(schedule(warmup)) == pytest.approx(lr, rel=1e-6)
    values = np.asarray(schedule(np.arange(plan.total_steps + 1)))
    assert values.max() == pytest.approx(lr, rel=1e-6)
    if warmup:
        assert values[warmup - 1] < lr
    assert rec.risks == ()


def test_warmup_stable_decay_kwargs():
    # 30 warmup steps, then 970; the last 30% of them (291) decay to 5% of the peak.
    rec = recommend(steps=1_000, scheduler="warmup_stable_decay")
    assert rec.config["lr_scheduler_kwargs"] == {"num_decay_steps": 291, "min_lr_ratio": 0.05}
    schedule, _ = build(rec)
    assert float(schedule(1_000 - 291)) == pytest.approx(2e-4, rel=1e-6)
    assert float(schedule(1_000)) == pytest.approx(1e-5, rel=1e-5)


def test_a_floor_without_a_scheduler_picks_cosine_with_min_lr():
    rec = recommend(steps=1_000, min_lr=1e-5)
    assert rec.config["lr_scheduler_type"] == "cosine_with_min_lr"
    assert rec.config["lr_scheduler_kwargs"] == {"min_lr": 1e-5}


# --- reasons and sources ------------------------------------------------------------


@pytest.mark.parametrize("kwargs", BUILDS[:7])
def test_every_field_has_one_choice_with_a_reason_and_a_source(kwargs):
    rec = recommend(**kwargs)
    fields = [c.field for c in rec.choices]
    assert sorted(fields) == sorted([*rec.config, *(rec.lora or {})])
    for choice in rec.choices:
        assert choice.reason.strip() and choice.source.strip()
        assert choice.value == {**rec.config, **(rec.lora or {})}[choice.field]


def test_sources_name_the_rule_and_say_heuristic():
    choices = by_field(recommend(steps=1_000, dataset_size=5_000))
    heuristic = ("learning_rate", "lr_scheduler_type", "warmup_steps", "r", "lora_alpha")
    for field in (*heuristic, "gradient_accumulation_steps"):
        assert choices[field].source.startswith("heuristic"), field
        assert "seeds/004" in choices[field].source
    assert "learning_rate › Simple Default" in choices["learning_rate"].source
    assert "seeds/002" in choices["learning_rate"].source
    assert "r (lora rank)" in choices["r"].source
    assert "ratio" in choices["warmup_steps"].source
    assert "heuristic" in DISCLAIMER and "not" in DISCLAIMER
    assert recommend(steps=10).disclaimer == DISCLAIMER
    assert all(rule and source for rule, source in RULES)


def test_given_values_are_kept_and_say_so():
    rec = recommend(
        steps=1_000,
        learning_rate=3e-4,
        scheduler="cosine",
        warmup_steps=50,
        rank=8,
        rslora=False,
    )
    assert rec.config["learning_rate"] == 3e-4
    assert rec.config["lr_scheduler_type"] == "cosine"
    assert rec.config["warmup_steps"] == 50
    assert rec.lora == {"r": 8, "lora_alpha": 16, "use_rslora": False}
    choices = by_field(rec)
    for field in ("learning_rate", "lr_scheduler_type", "warmup_steps", "r", "use_rslora"):
        assert choices[field].reason.startswith("given"), field
        assert choices[field].source.startswith("given"), field


def test_to_dict_is_plain_data():
    data = recommend(steps=1_000, warmup_steps=1_000).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["disclaimer"] == DISCLAIMER
    assert data["plan"]["total_steps"] == 1_000
    assert data["risks"][0]["severity"] == "error"


# --- risks: flagged for their trigger, quiet for a safe config ---------------------

SAFE = {
    "learning_rate": 2e-4,
    "lr_scheduler_type": "linear",
    "warmup_steps": 30,
    "max_steps": 1_000,
    "per_device_train_batch_size": 4,
    "gradient_accumulation_steps": 4,
}


def risks(changes=None, total=1_000, **kwargs) -> list[Risk]:
    return find_risks({**SAFE, **(changes or {})}, total_steps=total, **kwargs)


def test_safe_config_has_no_risks():
    assert risks() == []
    assert risks(total=1_000, stages=1, resumable=False, mode="lora") == []


@pytest.mark.parametrize(
    ("changes", "kwargs", "severity", "fragment"),
    [
        ({"warmup_steps": 1_000}, {}, "error", "fills the whole run"),
        ({"warmup_steps": 1_500}, {}, "error", "fills the whole run"),
        ({"warmup_steps": 300}, {}, "warning", "30%"),
        ({"warmup_steps": 0.3}, {}, "warning", "30%"),
        ({"warmup_steps": 0, "warmup_ratio": 0.5}, {}, "warning", "50%"),
        ({"warmup_steps": 5}, {"total": 300}, "warning", "only 5 warmup steps"),
        ({"warmup_steps": 0}, {"total": 100}, "warning", "only 0 warmup steps"),
        ({"learning_rate": 2e-3}, {"mode": "lora"}, "warning", "unusually high for LoRA"),
        ({"learning_rate": 2e-4}, {"mode": "full"}, "warning", "unusually high for full"),
        ({"learning_rate": 2e-3}, {"mode": None}, "warning", "unusually high"),
        ({"per_device_train_batch_size": 1, "gradient_accumulation_steps": 1}, {}, "warning", "1"),
        ({"per_device_train_batch_size": 32}, {"world_size": 4}, "warning", "512"),
        ({"lr_scheduler_type": "constant"}, {}, "warning", "ignores warmup_steps"),
        ({"lr_scheduler_type": "cosin"}, {}, "error", "not a transformers scheduler"),
        ({"learning_rate": "2e-4"}, {}, "error", "PyYAML"),
    ],
)
def test_each_risk_is_flagged(changes, kwargs, severity, fragment):
    total = kwargs.pop("total", 1_000)
    found = risks(changes, total=total, **kwargs)
    assert len(found) == 1, found
    assert found[0].severity == severity
    assert fragment in found[0].message
    assert found[0].fix and found[0].fields


@pytest.mark.parametrize(
    ("changes", "total"),
    [
        ({"warmup_steps": 250}, 1_000),  # exactly a quarter
        ({"warmup_steps": 999}, 1_000_000),
        ({"warmup_steps": 10}, 300),
        ({"warmup_steps": 2}, 30),  # too short for a 10-step floor
        ({"warmup_steps": 5}, 600),  # not a short run
        ({"learning_rate": 1e-3}, 1_000),
        ({"per_device_train_batch_size": 4, "gradient_accumulation_steps": 1}, 1_000),
        ({"per_device_train_batch_size": 64}, 1_000),  # 256
        ({"lr_scheduler_type": "constant", "warmup_steps": 0}, 1_000),
    ],
)
def test_near_misses_are_not_flagged(changes, total):
    assert risks(changes, total=total) == []


def test_full_learning_rate_bound():
    assert risks({"learning_rate": 1e-4}, mode="full") == []
    assert risks({"learning_rate": 2e-3, "r": 16}, mode=None)[0].fields == ("learning_rate",)


@pytest.mark.parametrize(
    ("scheduler", "kwargs", "severity", "fragment"),
    [
        ("cosine_with_min_lr", {"min_lr": 3e-4}, "error", "above the peak"),
        ("cosine_with_min_lr", {"min_lr_rate": 1.5}, "error", "above the peak"),
        ("warmup_stable_decay", {"num_decay_steps": 100, "min_lr_ratio": 2.0}, "error", "above"),
        ("polynomial", {"lr_end": 3e-4}, "error", "above the peak"),
        ("polynomial", {"lr_end": 2e-4}, "error", "rejects"),
        ("cosine_with_min_lr", {"min_lr_rate": 1.0}, "warning", "never decays"),
        ("cosine_with_min_lr", {"min_lr": 2e-4}, "warning", "never decays"),
        ("warmup_stable_decay", {"num_decay_steps": 100, "min_lr_ratio": 1.0}, "warning", "never"),
        ("cosine_with_min_lr", {}, "error", "needs a floor"),
        ("cosine_with_min_lr", {"min_lr": 1e-5, "min_lr_rate": 0.1}, "error", "both"),
    ],
)
def test_floor_risks(scheduler, kwargs, severity, fragment):
    found = risks({"lr_scheduler_type": scheduler, "lr_scheduler_kwargs": kwargs})
    assert [r.severity for r in found] == [severity]
    assert fragment in found[0].message


@pytest.mark.parametrize(
    ("scheduler", "kwargs"),
    [
        ("linear", {}),
        ("cosine", {}),
        ("cosine_with_restarts", {}),
        ("polynomial", {}),  # transformers' default lr_end is 1e-7
        ("warmup_stable_decay", {"num_decay_steps": 100}),  # min_lr_ratio defaults to 0
        ("cosine_with_min_lr", {"min_lr_rate": 0.0}),
    ],
)
@pytest.mark.parametrize("keep", [{"stages": 2}, {"resumable": True}])
def test_decay_to_zero_is_flagged_only_when_training_continues(scheduler, kwargs, keep):
    config = {"lr_scheduler_type": scheduler, "lr_scheduler_kwargs": kwargs}
    assert risks(config) == []
    found = risks(config, **keep)
    assert [r.severity for r in found] == ["warning"]
    assert "zero" in found[0].message
    assert "cosine_with_min_lr" in found[0].fix and "min_lr_rate" in found[0].fix


@pytest.mark.parametrize(
    ("scheduler", "kwargs"),
    [
        ("cosine_with_min_lr", {"min_lr_rate": 0.1}),
        ("warmup_stable_decay", {"num_decay_steps": 100, "min_lr_ratio": 0.1}),
        ("polynomial", {"lr_end": 2e-5}),
        ("constant_with_warmup", {}),
        ("inverse_sqrt", {}),
    ],
)
def test_a_floor_is_safe_for_multi_stage_runs(scheduler, kwargs):
    config = {"lr_scheduler_type": scheduler, "lr_scheduler_kwargs": kwargs}
    assert risks(config, stages=2, resumable=True) == []


def test_kwargs_as_a_json_string_are_read():
    # transformers' TrainingArguments also takes lr_scheduler_kwargs as a JSON string.
    config = {
        "lr_scheduler_type": "cosine_with_min_lr",
        "lr_scheduler_kwargs": '{"min_lr_rate": 1.5}',
    }
    assert "above the peak" in risks(config)[0].message
    config["lr_scheduler_kwargs"] = "min_lr_rate=0.1"
    assert [r.message for r in risks(config)] == [
        "lr_scheduler_kwargs is a string that is not a JSON object."
    ]


def test_epoch_runs_name_num_train_epochs():
    config = {**SAFE, "warmup_steps": 900, "num_train_epochs": 2}
    del config["max_steps"]
    assert find_risks(config, total_steps=1_000)[0].fields == ("warmup_steps", "num_train_epochs")


def test_lora_rank_risks():
    high = risks({"r": 128, "lora_alpha": 256, "use_rslora": False})
    assert [r.fields for r in high] == [("r", "use_rslora", "lora_alpha")]
    # alpha 256 at r 128 is gain 2, kept under rsLoRA by alpha = 2 * sqrt(128) ≈ 23.
    assert "use_rslora=True" in high[0].fix and "lora_alpha=23" in high[0].fix
    assert risks({"r": 128, "lora_alpha": 23, "use_rslora": True}) == []
    assert risks({"r": 64, "lora_alpha": 128, "use_rslora": False}) == []
    loud = risks({"r": 64, "lora_alpha": 128, "use_rslora": True})
    assert len(loud) == 1 and "lora_alpha=16" in loud[0].fix
    assert risks({"r": 64, "lora_alpha": 16, "use_rslora": True}) == []


def test_errors_come_first():
    found = risks({"warmup_steps": 2_000, "learning_rate": 5e-3})
    assert [r.severity for r in found] == ["error", "warning"]


def test_recommend_keeps_risky_user_values_and_flags_them():
    rec = recommend(steps=1_000, warmup_steps=1_000)
    assert rec.config["warmup_steps"] == 1_000
    assert [r.severity for r in rec.risks] == ["error"]

    rec = recommend(steps=1_000, learning_rate=5e-3)
    assert rec.config["learning_rate"] == 5e-3 and rec.risks[0].fields == ("learning_rate",)

    rec = recommend(steps=1_000, mode="full", learning_rate=2e-4)
    assert "full fine-tuning" in rec.risks[0].message

    rec = recommend(steps=1_000, scheduler="linear", stages=2)
    assert "zero" in rec.risks[0].message

    rec = recommend(steps=1_000, min_lr_rate=1.5)
    assert rec.config["lr_scheduler_kwargs"] == {"min_lr_rate": 1.5}
    assert rec.risks[0].severity == "error"

    rec = recommend(steps=1_000, rank=128, rslora=False)
    assert rec.lora == {"r": 128, "lora_alpha": 256, "use_rslora": False}
    assert "use_rslora=True" in rec.risks[0].fix


# --- invalid input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({}, ["steps", "dataset_size"]),
        ({"steps": -5}, ["steps=-5"]),
        ({"steps": 0}, ["steps=0"]),
        ({"steps": 1.5}, ["steps=1.5"]),
        ({"steps": True}, ["steps=True"]),
        ({"dataset_size": -1}, ["dataset_size=-1"]),
        ({"epochs": 2}, ["epochs=2", "dataset_size"]),
        ({"steps": 100, "epochs": 2, "dataset_size": 100}, ["steps=100", "epochs=2"]),
        ({"dataset_size": 100, "epochs": 0}, ["epochs=0"]),
        ({"steps": 100, "mode": "qlora"}, ["mode='qlora'", "'lora'"]),
        ({"steps": 100, "mode": "partial"}, ["mode='partial'"]),
        ({"steps": 100, "scheduler": "cosin"}, ["scheduler='cosin'", "did you mean 'cosine'"]),
        ({"steps": 100, "scheduler": "cosine_min_lr"}, ["'cosine_with_min_lr'"]),
        ({"steps": 100, "scheduler": "reduce_lr_on_plateau"}, ["scheduler="]),
        ({"steps": 100, "min_lr": 1e-5, "min_lr_rate": 0.1}, ["min_lr=1e-05", "min_lr_rate=0.1"]),
        ({"steps": 100, "min_lr_rate": -0.1}, ["min_lr_rate=-0.1"]),
        ({"steps": 100, "scheduler": "linear", "min_lr_rate": 0.1}, ["min_lr_rate", "cosine_with"]),
        ({"steps": 100, "learning_rate": 0}, ["learning_rate=0"]),
        ({"steps": 100, "learning_rate": -1e-4}, ["learning_rate=-0.0001"]),
        ({"steps": 100, "learning_rate": float("nan")}, ["learning_rate=nan"]),
        ({"steps": 100, "warmup_steps": -1}, ["warmup_steps=-1"]),
        ({"steps": 100, "per_device_batch": 0}, ["per_device_batch=0"]),
        ({"steps": 100, "world_size": 0}, ["world_size=0"]),
        ({"steps": 100, "stages": 0}, ["stages=0"]),
        ({"steps": 100, "rank": 0}, ["rank=0"]),
        ({"steps": 100, "mode": "full", "rank": 16}, ["rank=16", "mode='full'"]),
        ({"steps": 100, "mode": "full", "rslora": True}, ["rslora=True"]),
        ({"steps": 100, "rslora": "yes"}, ["rslora='yes'"]),
    ],
)
def test_invalid_input_names_the_field(kwargs, names):
    with pytest.raises(ValueError) as error:
        recommend(**kwargs)
    message = str(error.value)
    assert "\n" not in message
    for name in names:
        assert name in message


def test_find_risks_rejects_a_bad_run_length():
    with pytest.raises(ValueError, match="total_steps=0"):
        find_risks(SAFE, total_steps=0)
