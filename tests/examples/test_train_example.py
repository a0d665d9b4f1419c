"""examples/train_nnx.py: the one-command run, data parallelism, and its input checks.

Every test starts the example in a fresh Python process: the number of CPU devices JAX
shows is fixed by XLA_FLAGS when jax is first imported, and the pytest process has
imported it already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from PIL import Image

import optax_sched

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "train_nnx.py"
FORCE_8 = "--xla_force_host_platform_device_count=8"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _env(xla_flags: str | None = None) -> dict[str, str]:
    """The test's environment on the CPU backend, with XLA_FLAGS set to exactly this."""
    env = {key: value for key, value in os.environ.items() if key != "XLA_FLAGS"}
    env["JAX_PLATFORMS"] = "cpu"
    if xla_flags is not None:
        env["XLA_FLAGS"] = xla_flags
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


# ---------------------------------------------------------------------------------------
# (a) the one-command run
# ---------------------------------------------------------------------------------------


def test_one_command_run_trains_plots_and_logs_the_schedule(tmp_path):
    png, log = tmp_path / "plots" / "run.png", tmp_path / "run.json"
    peak_lr, min_lr, warmup, steps = 1e-2, 1e-4, 0.05, 60
    args = [
        *(str(EXAMPLE), "--steps", str(steps), "--peak-lr", str(peak_lr)),
        *("--min-lr", str(min_lr), "--warmup", str(warmup)),
        *("--out", str(png), "--log", str(log), "--quiet"),
    ]
    done = _run(args, cwd=tmp_path, env=_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"saved the plot to {png}" in done.stdout

    assert png.read_bytes()[:8] == PNG_SIGNATURE
    with Image.open(png) as image:
        image.verify()
        assert image.format == "PNG"
        assert min(image.size) >= 300

    record = json.loads(log.read_text())
    assert record["step"] == list(range(steps))
    assert len(record["loss"]) == len(record["lr"]) == steps
    assert record["device_count"] == 1
    assert record["config"]["steps"] == steps
    loss = np.asarray(record["loss"])
    assert np.all(np.isfinite(loss))
    # The first batch's loss is about 0.5 and the label noise alone costs 0.01; 60 steps
    # reach about 0.07 (the mean of the last ten batches), so a factor 3 is a loose bound.
    assert loss[-10:].mean() < loss[0] / 3, loss

    # Entry k is the rate update k used: schedule(k) (inject_hyperparams evaluates the
    # schedule at the update count before advancing it).
    schedule = optax_sched.warmup_cosine(
        peak_lr, total_steps=steps, warmup_steps=warmup, min_lr=min_lr
    )
    want = np.asarray(jax.jit(jax.vmap(schedule))(jnp.arange(steps)))
    np.testing.assert_allclose(record["lr"], want, rtol=1e-6, atol=1e-12)
    assert record["lr"][0] == 0.0
    assert record["lr"][3] == pytest.approx(peak_lr)  # ceil(0.05 * 60) = 3 warmup steps


# ---------------------------------------------------------------------------------------
# (b) data parallelism: 8 devices reproduce the 1-device run
# ---------------------------------------------------------------------------------------

# Run in a child process with 8 CPU devices: trains the same config on 1 and on 8 devices
# and writes what the test compares as JSON to argv[2]; checkpoints go under argv[3].
_TWO_RUNS = textwrap.dedent(
    """
    import importlib.util, json, os, sys

    import jax
    import numpy as np
    from flax import nnx
    from jax.sharding import Mesh

    spec = importlib.util.spec_from_file_location("train_nnx_example", sys.argv[1])
    example = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = example  # dataclasses look their module up here
    spec.loader.exec_module(example)
    from optax_sched.train import learning_rate

    out = {"jax_devices": len(jax.devices()), "runs": {}, "resumed": {}}
    for devices in (1, 8):
        config = example.TrainConfig(steps=40, batch=64, hidden=32, devices=devices)
        result = example.train(config)
        lr = learning_rate(result.optimizer)
        states = jax.tree.leaves(nnx.state((result.model, result.optimizer)))
        params = jax.tree.leaves(nnx.state(result.model, nnx.Param))
        out["runs"][devices] = {
            **result.history.to_json(),
            "params": np.concatenate([np.ravel(p) for p in params]).tolist(),
            "state_replicated": all(s.sharding.is_fully_replicated for s in states),
            "lr_devices": len(lr.sharding.device_set),
            "lr_replicated": lr.sharding.is_fully_replicated,
            "lr_shards": [float(shard.data) for shard in lr.addressable_shards],
        }

    # Stopped after 15 steps and resumed from the checkpoint, on 1 and on 8 devices.
    for devices in (1, 8):
        config = example.TrainConfig(steps=40, batch=64, hidden=32, devices=devices)
        where = os.path.join(sys.argv[3], str(devices))
        first = example.train(config, checkpoint_dir=where, save_every=10, stop_after=15)
        again = example.train(config, checkpoint_dir=where)
        params = jax.tree.leaves(nnx.state(again.model, nnx.Param))
        states = jax.tree.leaves(nnx.state((again.model, again.optimizer)))
        out["resumed"][devices] = {
            "first_steps": len(first.history.loss),
            "resumed_from": again.history.resumed_from,
            "loss": again.history.loss,
            "lr": again.history.lr,
            "params": np.concatenate([np.ravel(p) for p in params]).tolist(),
            "state_devices": min(len(s.sharding.device_set) for s in states),
        }

    # Batch 7 as the training loop gets it on one device and on eight: the same numbers.
    teacher_key, data_key, _ = example.make_keys(0)
    teacher = example.make_teacher(teacher_key, 8)
    drawn = {}
    for devices in (1, 8):
        config = example.TrainConfig(batch=64, devices=devices)
        mesh = Mesh(np.array(jax.devices()[:devices]), (example.DATA_AXIS,))
        x, y = example.batch_at(7, teacher, data_key, config, mesh)
        drawn[devices] = (np.asarray(x), np.asarray(y), len(y.addressable_shards))
    out["same_batch"] = all(np.array_equal(a, b) for a, b in zip(drawn[1][:2], drawn[8][:2]))
    out["batch_shards"] = drawn[8][2]

    with open(sys.argv[2], "w") as f:
        json.dump(out, f)
    """
)


def test_eight_devices_reproduce_one_device(tmp_path):
    script, result = tmp_path / "two_runs.py", tmp_path / "two_runs.json"
    script.write_text(_TWO_RUNS)
    checkpoints = tmp_path / "checkpoints"
    done = _run(
        [str(script), str(EXAMPLE), str(result), str(checkpoints)], cwd=tmp_path, env=_env(FORCE_8)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(result.read_text())
    one, eight = out["runs"]["1"], out["runs"]["8"]

    # Eight devices really took part: the mesh, the batch's sharding, the replicated state.
    assert out["jax_devices"] == 8
    assert one["device_count"] == 1 and one["batch_devices"] == 1
    assert eight["device_count"] == 8 and len(set(eight["devices"])) == 8
    assert eight["batch_devices"] == 8 and "'data'" in eight["batch_sharding"]
    assert out["batch_shards"] == 8
    assert out["same_batch"], "the examples of a step depend on the device count"
    assert eight["state_replicated"] and one["state_replicated"]

    # The learning rate comes from the update counter alone: identical bit for bit, and
    # every device holds the same copy of it.
    assert eight["lr"] == one["lr"]
    assert eight["lr_devices"] == 8 and eight["lr_replicated"]
    assert eight["lr_shards"] == [eight["lr"][-1]] * 8

    # The losses are not bit-identical: on eight devices each one reduces its eight
    # examples and an all-reduce adds the partial sums, which rounds differently in
    # float32 from one device's single reduction over 64 (the gradients likewise).
    # Measured on this config: 17 of the 40 losses differ, by at most 1.2e-7 absolute,
    # 3e-7 relative (about 2 ulp); the tolerance leaves a margin of about 7x for other
    # CPUs, whose vector width changes how XLA splits a reduction.
    np.testing.assert_allclose(eight["loss"], one["loss"], rtol=2e-6, atol=0)
    # The parameters carry the same rounding through 40 AdamW steps: measured at most
    # 1.8e-7 absolute, on weights of order 0.1 to 1.
    np.testing.assert_allclose(eight["params"], one["params"], rtol=1e-5, atol=1e-6)

    # A run stopped at step 15 (last checkpoint: step 15) and resumed ends exactly where
    # the uninterrupted run on the same devices ends, and the state comes back replicated.
    for devices, whole in (("1", one), ("8", eight)):
        resumed = out["resumed"][devices]
        assert resumed["first_steps"] == 15 and resumed["resumed_from"] == 15
        assert resumed["lr"] == whole["lr"] and resumed["loss"] == whole["loss"]
        assert resumed["params"] == whole["params"]
        assert resumed["state_devices"] == int(devices)


# ---------------------------------------------------------------------------------------
# (c) bad input: one line saying what is wrong and how to fix it
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--devices", "3", "--batch", "64"],
            "--batch 64 is not divisible by --devices 3: each device takes an equal slice of "
            "the global batch. Use a --batch that is a multiple of 3 (e.g. 66), or --devices "
            "2 or 4.",
            id="batch-not-divisible",
        ),
        pytest.param(
            ["--devices", "16"],
            "--devices 16 asks for more devices than JAX sees (1 cpu device). On CPU, set "
            "XLA_FLAGS=--xla_force_host_platform_device_count=16 in the environment before "
            "starting Python (jax reads it when it is imported), or lower --devices.",
            id="too-few-devices",
        ),
        pytest.param(
            ["--stop-after", "10"],
            "--stop-after without --checkpoint-dir would lose the run; add one.",
            id="stop-without-checkpoints",
        ),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, args, message):
    done = _run([str(EXAMPLE), *args, "--out", str(tmp_path / "x.png")], tmp_path, _env())
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [f"train_nnx.py: error: {message}"]
    assert done.stdout == ""
    assert not (tmp_path / "x.png").exists()
