"""Schedule specs: from_config / to_config round trips, spellings, files and errors.

The round trips are checked two ways: the rebuilt schedule equals the original (same
builder, same arguments) and, independently of that equality, gives the same value at
every probe step. The transformers export is checked against learning rates that
transformers itself produced (tests/golden/transformers.json).
"""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from schedules.test_properties import NAMES, SETTINGS, VALID, build

import optax_sched
from optax_sched import config
from optax_sched.config import dump_spec, from_config, load_spec, parse_inline, to_config

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"
HF_CASES = [
    c for c in json.loads((GOLDEN / "transformers.json").read_text())["cases"] if "error" not in c
]
TORCH_CASES = [
    c for c in json.loads((GOLDEN / "torch.json").read_text())["cases"] if "error" not in c
]
PROBES = np.array([0, 1, 2, 3, 5, 10, 17, 50, 99, 100, 101, 333, 1000, 4999, 10_000, 123_456])


def values(schedule) -> np.ndarray:
    return np.asarray(schedule(PROBES), np.float64)


def assert_round_trip(schedule) -> None:
    spec = to_config(schedule)
    documents = [
        yaml.safe_load(dump_spec(spec, "yaml")),  # a plain YAML 1.1 reader, as users have
        json.loads(dump_spec(spec, "json")),
    ]
    for document in documents:
        assert document == spec
        again = from_config(document)
        assert again == schedule
        np.testing.assert_array_equal(values(again), values(schedule))
    assert json.loads(json.dumps(spec)) == spec  # plain data, nothing Python-specific


# -- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_every_native_schedule_round_trips(name, data):
    kwargs = data.draw(VALID[name], label="kwargs")
    assert_round_trip(build(name, kwargs))


@pytest.mark.parametrize("case", HF_CASES, ids=lambda c: f"{c['name']}-{c['num_warmup_steps']}")
def test_transformers_schedules_round_trip_in_transformers_names(case):
    schedule = optax_sched.from_hf(
        case["name"],
        case["learning_rate"],
        num_warmup_steps=case["num_warmup_steps"],
        num_training_steps=case["num_training_steps"],
        **case["kwargs"],
    )
    spec = to_config(schedule)
    assert spec["lr_scheduler_type"] == case["name"]
    assert spec["learning_rate"] == case["learning_rate"]
    assert spec.get("lr_scheduler_kwargs", {}) == case["kwargs"]
    assert_round_trip(schedule)
    # and the spec gives transformers' own numbers
    rebuilt = from_config(spec)
    got = np.asarray(rebuilt(np.arange(case["steps"])), np.float64)
    np.testing.assert_allclose(got, case["lr"], rtol=2e-5, atol=1e-6 * case["learning_rate"])


@pytest.mark.parametrize("case", TORCH_CASES, ids=lambda c: c["name"])
def test_torch_schedules_round_trip(case):
    kwargs = {
        k: (v if k != "schedulers" else [tuple(s) for s in v]) for k, v in case["kwargs"].items()
    }
    schedule = optax_sched.from_torch(case["name"], case.get("base_lr"), **kwargs)
    assert to_config(schedule)["type"] == case["name"]
    assert_round_trip(schedule)


def test_nested_specs_round_trip():
    inner = optax_sched.warmup_cosine(1e-4, total_steps=1000, warmup_steps=50, min_lr=1e-6)
    staged = optax_sched.multi_stage(
        [inner, (500, optax_sched.constant(1e-5)), optax_sched.warmup_linear(5e-5, 100)]
    )
    for schedule in (
        staged,
        optax_sched.resume_at(staged, 700),
        optax_sched.cycle_decay(
            5e-5, 100, decay_factor=0.85, within=optax_sched.warmup_cosine(1.0, 100, 10)
        ),
        optax_sched.from_hf("cosine", 2e-4, num_warmup_steps=0.05, num_training_steps=400),
    ):
        assert_round_trip(schedule)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    lr=st.floats(1e-6, 1e-2),
    total=st.integers(2, 50_000),
    ratio=st.one_of(st.floats(0.0, 0.5), st.integers(0, 1)),
    rate=st.floats(0.0, 1.0),
)
def test_transformers_spec_with_ratio_warmup_round_trips(lr, total, ratio, rate):
    spec = {
        "lr_scheduler_type": "cosine_with_min_lr",
        "learning_rate": lr,
        "warmup_steps": ratio,
        "max_steps": total,
        "lr_scheduler_kwargs": {"min_lr_rate": rate},
    }
    schedule = from_config(spec)
    assert to_config(schedule) == spec
    warmup = math.ceil(ratio * total) if isinstance(ratio, float) else ratio
    assert schedule.phases[-1].start == warmup  # the decay starts after ceil(ratio * T)


def test_equal_specs_give_equal_schedules_and_different_ones_do_not():
    a = from_config({"type": "constant", "lr": 1e-3})
    assert a == optax_sched.constant(1e-3) and hash(a) == hash(optax_sched.constant(1e-3))
    assert a != optax_sched.constant(2e-3)
    assert a != optax_sched.warmup_constant(1e-3, 0)
    assert optax_sched.multi_step_decay(0.1, [1, 2]) == optax_sched.multi_step_decay(0.1, (1, 2))


# -- the spellings -----------------------------------------------------------------------


def test_transformers_fields_build_the_trainers_schedule():
    spec = {
        "lr_scheduler_type": "cosine_with_min_lr",
        "learning_rate": 2e-4,
        "lr_scheduler_kwargs": {"min_lr_rate": 0.1},
        "warmup_steps": 0.03,
        "max_steps": 1000,
    }
    s = from_config(spec)
    # by hand: warmup ceil(0.03 * 1000) = 30 steps, then cosine to 0.1 of the peak
    assert float(s(15)) == pytest.approx(2e-4 * 15 / 30)
    p = (500 - 30) / (1000 - 30)
    expected = 2e-4 * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p)))
    assert float(s(500)) == pytest.approx(expected, rel=1e-5)
    assert float(s(1000)) == pytest.approx(2e-5, rel=1e-5)


def test_type_with_a_transformers_name_takes_flat_kwargs():
    flat = from_config(
        parse_inline(
            "type=cosine_with_min_lr,learning_rate=2e-4,warmup_steps=0.03,max_steps=1000,"
            "min_lr_rate=0.1"
        )
    )
    nested = from_config(
        {
            "lr_scheduler_type": "cosine_with_min_lr",
            "learning_rate": 2e-4,
            "warmup_steps": 0.03,
            "max_steps": 1000,
            "lr_scheduler_kwargs": {"min_lr_rate": 0.1},
        }
    )
    assert flat == nested


def test_run_description_uses_the_trainers_arithmetic():
    # 10,000 examples / batch 8 = 1,250 updates per epoch; 3 epochs = 3,750; warmup 10%
    s = from_config(
        {
            "lr_scheduler_type": "linear",
            "learning_rate": 5e-5,
            "num_train_epochs": 3,
            "dataset_size": 10_000,
            "per_device_train_batch_size": 8,
            "warmup_ratio": 0.1,
        }
    )
    assert to_config(s) == {
        "lr_scheduler_type": "linear",
        "learning_rate": 5e-5,
        "warmup_steps": 375,
        "max_steps": 3750,
    }


def test_a_name_in_both_families_means_the_native_one_under_type():
    native = from_config({"type": "inverse_sqrt", "peak_lr": 1e-3, "warmup_steps": 10})
    assert native.name == "inverse_sqrt"
    hf = from_config({"lr_scheduler_type": "inverse_sqrt", "learning_rate": 1e-3})
    assert hf.name == "from_hf"


def test_kwargs_as_a_json_string_as_transformers_accepts_them():
    fields = {"lr_scheduler_type": "cosine_with_min_lr", "learning_rate": 1e-3, "max_steps": 50}
    as_text = from_config({**fields, "lr_scheduler_kwargs": '{"min_lr_rate": 0.1}'})
    assert as_text == from_config({**fields, "lr_scheduler_kwargs": {"min_lr_rate": 0.1}})
    with pytest.raises(ValueError, match="is a string but not JSON"):
        from_config({**fields, "lr_scheduler_kwargs": "{min_lr_rate: 0.1"})
    linear = {"lr_scheduler_type": "linear", "learning_rate": 1e-3, "max_steps": 50}
    schedule, _ = optax_sched.from_training_args({**linear, "lr_scheduler_kwargs": "{}"})
    assert float(schedule(0)) == pytest.approx(1e-3) and float(schedule(50)) == 0.0


def test_transformers_enum_is_accepted():
    class SchedulerType:  # stands in for transformers.SchedulerType
        value = "linear"

    s = from_config({"lr_scheduler_type": SchedulerType(), "learning_rate": 1e-3, "max_steps": 10})
    assert to_config(s)["lr_scheduler_type"] == "linear"


# -- exporting transformers fields -------------------------------------------------------

#: Native schedules written by hand for golden transformers cases, when one exists.
NATIVE_TWINS = {
    "linear": lambda c: optax_sched.warmup_linear(
        c["learning_rate"], c["num_training_steps"], c["num_warmup_steps"]
    ),
    "cosine": lambda c: optax_sched.warmup_cosine(
        c["learning_rate"], c["num_training_steps"], c["num_warmup_steps"]
    ),
    "constant_with_warmup": lambda c: optax_sched.warmup_constant(
        c["learning_rate"], c["num_warmup_steps"]
    ),
    "cosine_with_min_lr": lambda c: optax_sched.warmup_cosine(
        c["learning_rate"],
        c["num_training_steps"],
        c["num_warmup_steps"],
        min_lr=c["kwargs"].get("min_lr", c["learning_rate"] * c["kwargs"].get("min_lr_rate", 0)),
    ),
}
TWIN_CASES = [
    c
    for c in HF_CASES
    if c["name"] in NATIVE_TWINS
    and c["kwargs"].get("num_cycles", 0.5) == 0.5
    and (c["num_training_steps"] or 1 + c["num_warmup_steps"]) > c["num_warmup_steps"]
]


@pytest.mark.parametrize("case", TWIN_CASES, ids=lambda c: f"{c['name']}-{c['num_warmup_steps']}")
def test_hf_export_matches_what_transformers_computes(case):
    native = NATIVE_TWINS[case["name"]](case)
    fields = to_config(native, hf=True)
    expected_type = case["name"]
    if case["name"] == "cosine_with_min_lr" and not native.params["min_lr"]:
        expected_type = "cosine"
    assert fields["lr_scheduler_type"] == expected_type
    assert fields["learning_rate"] == case["learning_rate"]
    run = case["num_training_steps"] or case["steps"] - 1
    got = np.asarray(native(np.arange(run + 1)), np.float64)
    np.testing.assert_allclose(
        got, case["lr"][: run + 1], rtol=2e-5, atol=1e-6 * case["learning_rate"]
    )


def test_hf_export_of_each_native_family():
    cases = {
        "constant": optax_sched.constant(1e-3),
        "constant_with_warmup": optax_sched.warmup_constant(1e-3, 20),
        "linear": optax_sched.warmup_linear(1e-3, 500, 0.1),
        "cosine": optax_sched.warmup_cosine(1e-3, 500, 25),
        "cosine_with_min_lr": optax_sched.warmup_cosine(1e-3, 500, 25, min_lr=1e-4),
        "polynomial": optax_sched.warmup_polynomial(1e-3, 500, 25, power=2.0, min_lr=1e-5),
        "warmup_stable_decay": optax_sched.warmup_stable_decay(
            1e-3, 1000, 50, decay_steps=0.2, decay_shape="linear"
        ),
    }
    for kind, schedule in cases.items():
        assert to_config(schedule, hf=True)["lr_scheduler_type"] == kind


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (optax_sched.warmup_cosine(1e-3, 500, 25, init_lr=1e-4), "differ at step 0"),
        (
            optax_sched.multi_step_decay(0.1, [10, 20]),
            "no scheduler equivalent to multi_step_decay",
        ),
        (optax_sched.from_torch("StepLR", 0.1, step_size=10), "equivalent to StepLR"),
    ],
)
def test_hf_export_refuses_what_transformers_cannot_do(schedule, message):
    with pytest.raises(ValueError, match=message):
        to_config(schedule, hf=True)


def test_hf_export_keeps_a_ratio_warmup():
    s = optax_sched.warmup_cosine(2e-4, total_steps=1000, warmup_steps=0.03, min_lr=2e-5)
    assert to_config(s, hf=True) == {
        "lr_scheduler_type": "cosine_with_min_lr",
        "learning_rate": 2e-4,
        "warmup_steps": 0.03,
        "max_steps": 1000,
        "lr_scheduler_kwargs": {"min_lr": 2e-5},
    }


# -- documents ---------------------------------------------------------------------------


def test_yaml_reads_exponent_floats_that_yaml_1_1_reads_as_strings(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("type: warmup_cosine\npeak_lr: 2e-4\ntotal_steps: 10_000\nmin_lr: 2E-5\n")
    assert load_spec(str(path)) == {
        "type": "warmup_cosine",
        "peak_lr": 2e-4,
        "total_steps": 10_000,
        "min_lr": 2e-5,
    }


def test_dumped_yaml_is_read_back_by_a_plain_yaml_1_1_reader():
    spec = {"type": "x", "a": 2e-4, "b": 1e-7, "c": 5e-05, "d": 0.1, "e": 1e20, "f": [1, 2]}
    text = dump_spec(spec)
    assert yaml.safe_load(text) == spec
    assert "b: 1.0e-07" in text and "f: [1, 2]" in text


def test_json_file_and_inline_documents(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"type": "constant", "lr": 0.001}))
    assert load_spec(str(path)) == {"type": "constant", "lr": 0.001}
    assert load_spec("{type: constant, lr: 1e-3}") == {"type": "constant", "lr": 1e-3}
    assert load_spec("type=constant,lr=1e-3") == {"type": "constant", "lr": 1e-3}


def test_inline_values_lists_dicts_and_dotted_keys():
    assert parse_inline(
        "type=SequentialLR,base_lr=0.1,schedulers=[[LinearLR, {total_iters: 5}], "
        "[ExponentialLR, {gamma: 0.9}]],milestones=[5]"
    ) == {
        "type": "SequentialLR",
        "base_lr": 0.1,
        "schedulers": [["LinearLR", {"total_iters": 5}], ["ExponentialLR", {"gamma": 0.9}]],
        "milestones": [5],
    }
    assert parse_inline("lr_scheduler_type=cosine,lr_scheduler_kwargs.num_cycles=1") == {
        "lr_scheduler_type": "cosine",
        "lr_scheduler_kwargs": {"num_cycles": 1},
    }
    assert parse_inline("warmup_cosine,peak_lr=1,decay_shape=1-sqrt,three_phase=true") == {
        "type": "warmup_cosine",
        "peak_lr": 1,
        "decay_shape": "1-sqrt",
        "three_phase": True,
    }


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"type": "warmup_cosin"}, "unknown type 'warmup_cosin'. Did you mean 'warmup_cosine'?"),
        ({"type": "warmup_cosine", "peak_lr": 1, "total_step": 10}, "Did you mean 'total_steps'?"),
        ({"type": "warmup_cosine", "peak_lr": 1}, "warmup_cosine needs total_steps"),
        ({"peak_lr": 1}, "has no 'type'"),
        ({"type": "warmup_cosine", "peak_lr": -1, "total_steps": 10}, "peak_lr must be >= 0"),
        ({"type": "constant", "lr": "fast"}, "lr"),
        (
            {"lr_scheduler_type": "cosine", "learning_rate": 1e-3, "num_training_steps": 10},
            "TrainingArguments calls it 'max_steps'",
        ),
        ({"lr_scheduler_type": "cosine", "learning_rate": 1e-3}, "needs max_steps"),
        ({"lr_scheduler_type": "cosin", "learning_rate": 1e-3}, "Did you mean 'cosine'?"),
        (
            {"lr_scheduler_type": "warmup_cosine", "learning_rate": 1e-3},
            "native and PyTorch schedules go under type",
        ),
        (
            {
                "lr_scheduler_type": "cosine_with_min_lr",
                "learning_rate": 1e-3,
                "max_steps": 10,
                "lr_scheduler_kwargs": {"min_lr_ratio": 0.1},
            },
            "Did you mean 'min_lr_rate'?",
        ),
        (
            {"lr_scheduler_type": "linear", "learning_rate": 1e-3, "max_steps": 10, "type": "x"},
            "not both",
        ),
        ({"type": "reduce_lr_on_plateau"}, "follows a metric"),
        ({"type": "lr_at_step"}, "Use type=warmup_cosine"),
        ({"type": "multi_stage", "stages": []}, "non-empty list"),
        (
            {"type": "multi_stage", "stages": [{"steps": 5, "schedule": {"type": "nope"}}]},
            "multi_stage.stages[0]: unknown type 'nope'",
        ),
        ({"type": "CosineAnnealingLR", "base_lr": 0.1, "t_max": 5}, "Did you mean 'T_max'?"),
        ([1, 2], "must be a mapping"),
    ],
)
def test_bad_specs_name_the_field(spec, message):
    with pytest.raises(ValueError) as error:
        from_config(spec)
    text = str(error.value)
    assert message in text
    assert "\n" not in text


def test_type_errors_deep_inside_become_one_line_value_errors():
    with pytest.raises(ValueError, match="from_config"):
        from_config({"type": "multi_step_decay", "base_lr": 0.1, "milestones": 5})


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing.yaml", "missing.yaml: no such file"),
        ("type=constant,lr", "expected key=value"),
        ("type=constant,lr=1,lr=2", "lr is given twice"),
        ("{type: constant, lr: [1,}", "not valid YAML/JSON at line 1"),
    ],
)
def test_bad_documents(source, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        load_spec(source)


def test_bad_files(tmp_path):
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    (tmp_path / "broken.json").write_text('{"type": "constant",\n "lr": }')
    with pytest.raises(ValueError, match="must be a mapping"):
        load_spec(str(tmp_path / "list.yaml"))
    with pytest.raises(ValueError, match="not valid JSON at line 2"):
        load_spec(str(tmp_path / "broken.json"))


def test_to_config_refuses_what_a_spec_cannot_hold():
    with pytest.raises(ValueError, match="carries no description"):
        to_config(lambda step: 0.1)
    wrapped = optax_sched.multi_stage([(10, lambda step: 0.1), optax_sched.constant(1.0)])
    with pytest.raises(ValueError, match=r"stages\[0\] is a Python function"):
        to_config(wrapped)


def test_every_type_is_listed_and_buildable_by_name():
    assert set(config.TYPES) >= set(optax_sched.schedules.FACTORIES)
    assert {"multi_stage", "resume_at", "cosine_with_min_lr", "OneCycleLR", "SequentialLR"} <= set(
        config.TYPES
    )
