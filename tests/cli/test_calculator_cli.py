"""The calculator commands (show, compare, export, plan, recommend) as a user types them."""

from __future__ import annotations

import json
import math
import re

import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

import optax_sched
from optax_sched.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def _ok(*args: str) -> str:
    result = _run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def _rows(output: str) -> dict[str, str]:
    return dict(re.findall(r"│\s+([\d,]+) │\s+([\d.e+-]+) │", output))


# -- show ---------------------------------------------------------------------------------


def test_readme_main_command():
    output = _ok(
        "show",
        "warmup_cosine",
        "peak_lr=2e-4",
        "total_steps=10_000",
        "warmup_steps=0.03",
        "min_lr=2e-5",
    )
    rows = _rows(output)
    assert rows["0"] == "0.0000e+00"
    assert rows["300"] == "2.0000e-04"  # warmup of ceil(0.03 * 10_000) = 300 steps
    assert rows["10,000"] == "2.0000e-05"
    assert "peak        2.0000e-04 at step 300" in output
    assert "floor       2.0000e-05 from step 10,000 on" in output
    assert "LR budget" in output
    assert "optimizer step" in output or "┤" in output or "│" in output  # the terminal plot


def test_show_accepts_inline_file_and_legacy_spellings(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text(
        "lr_scheduler_type: cosine_with_min_lr\nlearning_rate: 2e-4\nwarmup_steps: 0.03\n"
        "max_steps: 1000\nlr_scheduler_kwargs: {min_lr_rate: 0.1}\n"
    )
    inline = (
        "type=cosine_with_min_lr,learning_rate=2e-4,warmup_steps=0.03,max_steps=1000,"
        "min_lr_rate=0.1"
    )
    tables = [
        _rows(_ok("show", str(path), "--no-plot", "--steps", "0,30,1000")),
        _rows(_ok("show", inline, "--no-plot", "--steps", "0,30,1000")),
    ]
    assert tables[0] == tables[1] == {"0": "0.0000e+00", "30": "2.0000e-04", "1,000": "2.0000e-05"}
    # words after the spec override its fields
    override = _rows(_ok("show", str(path), "learning_rate=1e-4", "--no-plot", "--steps", "30"))
    assert override == {"30": "1.0000e-04"}


def test_show_a_whole_sftconfig_file_with_trainer(tmp_path):
    path = tmp_path / "sft.yaml"
    path.write_text(
        "output_dir: out\nlearning_rate: 2e-4\nlr_scheduler_type: cosine_with_min_lr\n"
        "lr_scheduler_kwargs: {min_lr_rate: 0.1}\nwarmup_steps: 0.03\nnum_train_epochs: 2\n"
        "per_device_train_batch_size: 4\ngradient_accumulation_steps: 4\nlogging_steps: 10\n"
    )
    strict = _run("show", str(path), "dataset_size=5000")
    assert strict.exit_code == 2 and "--trainer" in strict.output
    # by hand: ceil(5000 / 4) = 1250 micro-batches, / 4 = 313 updates, x 2 = 626; warmup 19
    output = _ok("show", str(path), "dataset_size=5000", "--trainer", "--steps", "19,626")
    assert _rows(output) == {"19": "2.0000e-04", "626": "2.0000e-05"}


def test_show_explicit_steps():
    output = _ok(
        "show",
        "cycle_decay",
        "base_lr=5e-5",
        "steps_per_cycle=100",
        "decay_factor=0.85",
        "--steps",
        "0,200,400",
        "--no-plot",
    )
    for value in ("5.0000e-05", "3.6125e-05", "2.6100e-05"):
        assert value in output


def test_show_prints_a_cycle_table_for_restarts():
    output = _ok("show", "type=cosine_restarts,peak_lr=1,period=100,t_mult=2", "--no-plot")
    assert "per cycle" in output
    assert re.search(r"│\s+2 │\s+100-299 │", output)  # the second cycle runs 200 steps


def test_show_writes_png_and_svg(tmp_path):
    png, svg = tmp_path / "lr.png", tmp_path / "lr.svg"
    output = _ok(
        "show",
        "type=warmup_stable_decay,peak_lr=3e-4,total_steps=2000,warmup_steps=100",
        "--png",
        str(png),
        "--svg",
        str(svg),
        "--no-plot",
    )
    assert f"wrote {png}" in output.replace("\n", "")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(png) as image:
        width, height = image.size
    assert width > 600 and 300 < height < width
    assert "<svg" in svg.read_text()[:500]


def test_show_of_a_problem_id_prints_its_statement():
    output = _ok("show", "lr_at_step")
    assert "Signature" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "warmup_cosin", "peak_lr=1"], "Did you mean 'warmup_cosine'"),
        (["show", "warmup_cosine", "peak_lr=1", "total_step=10"], "Did you mean 'total_steps'"),
        (["show", "warmup_cosine", "peak_lr=1"], "needs total_steps"),
        (["show", "warmup_cosine", "peak_lr"], "expected key=value after the spec"),
        (
            ["show", "warmup_cosine", "peak_lr=1", "total_steps=10", "warmup_steps=20"],
            "warmup_steps must be < total_steps",
        ),
        (["show", "warmup_cosine", "peak_lr=-1", "total_steps=10"], "peak_lr must be >= 0"),
        (["show", "constant", "lr=1", "--steps", "a,b"], "--steps must be comma-separated ints"),
        (["show", "multi_stage"], "multi_stage needs stages"),
        (
            ["show", "warmup_cosine", "peak_lr=1", "total_steps=10", "warmup_steps=1.5"],
            "e.g. 0.015 for 1.5%",
        ),
        (["show", "lr_at_stepp"], "the problem 'lr_at_step'"),
        (["show", "missing.yaml"], "missing.yaml: no such file"),
        (
            ["show", "type=constant,lr=1", "--png", "x.jpg"],
            "--png needs a file name ending in .png",
        ),
        (
            ["show", "lr_scheduler_type=cosine,learning_rate=1e-3"],
            "cosine decays over the whole run, so it needs max_steps",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1  # one line (the terminal wraps it)


def test_bad_yaml_file_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("type: warmup_cosine\npeak_lr: [1,\n")
    result = _run("show", str(path))
    assert result.exit_code == 2
    assert "not valid YAML/JSON at line" in result.output


def test_bad_field_in_a_file_is_named_with_the_file(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("type: warmup_cosine\npeak_lr: 1e-4\ntotal_steps: 100\nwarmup: 10\n")
    result = _run("show", str(path))
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert f"{path}: warmup_cosine has no field 'warmup'. Did you mean 'warmup_steps'?" in text


# -- compare ------------------------------------------------------------------------------

DECAYS = [
    "type=cycle_decay,base_lr=5e-5,steps_per_cycle=100",
    "type=cycle_decay,base_lr=5e-5,steps_per_cycle=100,decay_factor=0.95",
    "type=cycle_decay,base_lr=5e-5,steps_per_cycle=100,decay_factor=0.85",
    "type=cycle_decay,base_lr=5e-5,steps_per_cycle=100,decay_factor=0.70",
]


def test_compare_the_per_cycle_decays_over_five_cycles(tmp_path):
    png = tmp_path / "decays.png"
    output = _ok("compare", *DECAYS, "--until", "499", "--png", str(png))
    assert "per cycle" in output
    for label in ("decay_factor=1", "decay_factor=0.95", "decay_factor=0.85", "decay_factor=0.7"):
        assert label in output
    cycle_rows = {
        m[0]: m[1:]
        for m in re.findall(r"│\s+(\d) │\s+[\d,]+-[\d,]+ │" + r"\s+([\d.e+-]+) │" * 4, output)
    }
    for cycle in (1, 3, 5):
        expected = [f"{5e-5 * f ** (cycle - 1):.4e}" for f in (1.0, 0.95, 0.85, 0.70)]
        assert list(cycle_rows[str(cycle)]) == expected
    budget = re.search(r"decay_factor=0\.7\s+│.*│\s+([\d.]+)x", output)
    expected_ratio = sum(0.7**c for c in range(5)) / 5  # LR budget relative to constant
    assert float(budget.group(1)) == pytest.approx(expected_ratio, abs=1e-3)
    assert png.stat().st_size > 10_000


def test_compare_needs_two_specs():
    result = _run("compare", DECAYS[0])
    assert result.exit_code == 2 and "at least two" in result.output


def test_compare_labels_fall_back_to_the_specs_when_types_differ():
    output = _ok(
        "compare",
        "type=warmup_cosine,peak_lr=1e-3,total_steps=100",
        "type=warmup_linear,peak_lr=1e-3,total_steps=100",
        "--no-plot",
    )
    assert "type=warmup_cosine" in output and "type=warmup_linear" in output


# -- export -------------------------------------------------------------------------------


def test_export_yaml_builds_the_same_schedule_again():
    spec = "type=warmup_cosine,peak_lr=2e-4,total_steps=10_000,warmup_steps=0.03,min_lr=2e-5"
    text = _ok("export", spec)
    assert text.startswith("# ")
    document = yaml.safe_load(text)
    assert document["type"] == "warmup_cosine" and document["min_lr"] == 2e-5
    assert optax_sched.from_config(document) == optax_sched.warmup_cosine(
        2e-4, 10_000, 0.03, min_lr=2e-5
    )


def test_export_json_is_one_document():
    text = _ok("export", "type=multi_step_decay,base_lr=0.1,milestones=[30,60]", "-f", "json")
    assert json.loads(text) == {
        "type": "multi_step_decay",
        "base_lr": 0.1,
        "milestones": [30, 60],
        "gamma": 0.1,
    }


def test_export_hf_gives_trainingarguments_fields():
    text = _ok(
        "export",
        "warmup_cosine",
        "peak_lr=2e-4",
        "total_steps=10_000",
        "warmup_steps=0.03",
        "min_lr=2e-5",
        "--hf",
    )
    assert yaml.safe_load(text) == {
        "lr_scheduler_type": "cosine_with_min_lr",
        "learning_rate": 2e-4,
        "warmup_steps": 0.03,
        "max_steps": 10_000,
        "lr_scheduler_kwargs": {"min_lr": 2e-5},
    }
    assert "rises again after max_steps" in text


def test_export_hf_refuses_without_an_equivalent():
    result = _run("export", "type=cyclic,base_lr=0.1,max_lr=1,step_size_up=10", "--hf")
    assert result.exit_code == 2
    assert "no scheduler equivalent to cyclic" in " ".join(result.output.split())


def test_export_rejects_an_unknown_format():
    result = _run("export", "type=constant,lr=1", "--format", "toml")
    assert result.exit_code == 2 and "--format must be yaml or json" in result.output


# -- plan ---------------------------------------------------------------------------------


def test_plan_counts_optimizer_updates():
    output = _ok("plan", "-n", "10000", "-b", "4", "-g", "4", "--epochs", "3", "--warmup", "0.03")
    # by hand: ceil(10000 / 4) = 2500 micro-batches; / 4 = 625 updates per epoch; x 3
    assert re.search(r"optimizer steps per epoch\s+│\s+625", output)
    assert re.search(r"total optimizer steps\s+│\s+1,875", output)
    assert re.search(r"warmup steps\s+│\s+57", output)  # ceil(0.03 * 1875) = 57
    assert "total_steps=1875, warmup_steps=57" in output


def test_plan_json_with_devices_and_drop_last():
    text = _ok(
        "plan",
        "-n",
        "1001",
        "-b",
        "8",
        "-d",
        "2",
        "-g",
        "3",
        "--epochs",
        "2",
        "--drop-last",
        "--warmup",
        "10",
        "--json",
    )
    plan = json.loads(text)
    batches = (1001 // 8) // 2  # 62 full micro-batches per device
    updates = math.ceil(batches / 3)
    assert plan["batches_per_epoch"] == batches and plan["updates_per_epoch"] == updates
    assert plan["total_steps"] == 2 * updates and plan["warmup_steps"] == 10
    assert plan["effective_batch_size"] == 8 * 2 * 3


def test_plan_max_steps_without_a_dataset():
    output = _ok("plan", "--max-steps", "5000", "--warmup", "0.1")
    assert re.search(r"total optimizer steps\s+│\s+5,000", output)
    assert re.search(r"warmup steps\s+│\s+500", output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "--epochs", "2"], "needs --dataset-size"),
        (["plan", "--max-steps", "10", "--warmup", "fast"], "--warmup must be an int"),
        (["plan", "-n", "10", "-b", "0"], "Invalid value for '--batch-size'"),
    ],
)
def test_plan_errors(args, message):
    result = _run(*args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


# -- recommend ----------------------------------------------------------------------------


def test_recommend_labels_its_heuristics_and_their_sources():
    output = _ok("recommend", "--steps", "1000", "--lora")
    text = " ".join(output.split())
    assert "Heuristic starting point" in text and "not tuned values" in text
    assert "learning_rate" in text and "2e-04" in text.replace("0.0002", "2e-04")
    assert "seeds/004" in text or "guide" in text
    assert "lr_scheduler_type:" in output  # the block to paste


def test_recommend_flags_risky_combinations():
    output = _ok(
        "recommend", "--steps", "100", "--warmup", "200", "--scheduler", "linear", "--stages", "2"
    )
    text = " ".join(output.split())
    assert "error:" in text and "warning:" in text
    assert "fix:" in text


def test_recommend_config_only_builds_the_trainers_schedule():
    text = _ok("recommend", "--steps", "3000", "--full", "--format", "yaml")
    document = yaml.safe_load(text)
    schedule, plan = optax_sched.from_training_args(
        {k: v for k, v in document.items() if k != "lora"}
    )
    assert plan.total_steps == 3000
    assert float(schedule(plan.warmup_steps)) == pytest.approx(document["learning_rate"])
    assert "lora" not in document


def test_recommend_flags_a_floor_above_the_peak():
    output = _ok("recommend", "--steps", "5000", "--lr", "1e-4", "--min-lr", "2e-4")
    assert "error:" in output and "min_lr" in output


def test_recommend_needs_a_run_length():
    result = _run("recommend")
    assert result.exit_code == 2
    assert "steps" in result.output and "dataset" in result.output
