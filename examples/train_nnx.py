"""Train a small flax.nnx MLP with an optax-sched learning-rate schedule, on one or many devices.

What this example shows:

* ``optax_sched.warmup_cosine`` (linear warmup, then a cosine decay down to a floor) driving
  ``optax.inject_hyperparams(optax.adamw)``, so that the rate each update used can be read
  back with ``optax_sched.train.learning_rate(optimizer)`` and logged next to the loss;
* data that depends only on the step number: batch ``k`` is drawn from
  ``jax.random.fold_in(data_key, k)`` for the whole (global) batch, so a run can restart at
  any step and a data-parallel run trains on exactly the same examples;
* data parallelism with JAX's own tools: a ``Mesh`` with one ``"data"`` axis over the first
  ``--devices`` devices, the global batch split along it, the model and optimizer state
  replicated, and one ``nnx.jit`` train step that XLA partitions (it inserts the gradient
  all-reduce itself);
* exact resume with ``optax_sched.train.Checkpoints`` (orbax): ``--checkpoint-dir DIR``
  saves every ``--save-every`` steps, and the same command run again continues from the
  latest checkpoint, ending bit for bit where an uninterrupted run ends (``--stop-after N``
  stops early, as a crash or a pre-empted job would);
* a live progress bar (step, loss, lr), a JSON log, and a PNG of the loss and lr curves.

The model learns a fixed random "teacher" network from noisy samples, so it runs anywhere
in a few seconds on a CPU. Run it from the repository root::

    python examples/train_nnx.py

On a CPU, JAX shows several devices only when told to before it is imported, so the
data-parallel run on 8 simulated devices is::

    XLA_FLAGS=--xla_force_host_platform_device_count=8 python examples/train_nnx.py --devices 8

Both runs log the same learning rates, and the same losses up to float32 rounding (the
gradient is summed in a different order when it is split over devices).

Stop a run part-way and resume it::

    python examples/train_nnx.py --checkpoint-dir runs/demo --stop-after 300
    python examples/train_nnx.py --checkpoint-dir runs/demo

``train(config)`` is the importable entry point; the command line in ``main`` only parses
options into a :class:`TrainConfig`. Resuming needs nothing but the restored model and
optimizer and the step number: the optimizer's own update counter carries the schedule's
position, and the data of every later step is reproduced from its step number alone.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
import typer
from flax import nnx
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P
from matplotlib.figure import Figure
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import optax_sched
from optax_sched.train import Checkpoints, learning_rate

DATA_AXIS = "data"
FORCE_DEVICES_FLAG = "--xla_force_host_platform_device_count"


# ---------------------------------------------------------------------------------------
# Configuration and results
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a run: same config, same numbers (up to device count)."""

    steps: int = 600  # optimizer updates in the run, warmup included
    batch: int = 64  # global batch size, split evenly over the devices
    peak_lr: float = 1e-2
    warmup: int | float = 0.05  # a fraction of `steps` in [0, 1), or a number of steps
    min_lr: float = 1e-4  # the floor the cosine reaches at the last step
    weight_decay: float = 1e-4
    devices: int = 1
    seed: int = 0
    in_dim: int = 8
    hidden: int = 64
    noise: float = 0.1  # std of the label noise, so the best reachable loss is about 0.01


@dataclasses.dataclass
class History:
    """What a run logged, one entry per update.

    Entry ``k`` belongs to update ``k`` (counting from 0): ``loss[k]`` is the loss on batch
    ``k`` just before the update, and ``lr[k]`` the rate the update used, i.e.
    ``schedule(k)``.
    """

    config: TrainConfig
    schedule: str
    devices: list[str]
    batch_sharding: str = ""
    batch_devices: int = 0  # how many devices the global batch was really split across
    resumed_from: int | None = None  # the checkpoint step this process started from
    step: list[int] = dataclasses.field(default_factory=list)
    loss: list[float] = dataclasses.field(default_factory=list)
    lr: list[float] = dataclasses.field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: the config, the devices, and the per-step lists."""
        return {
            "config": dataclasses.asdict(self.config),
            "schedule": self.schedule,
            "platform": jax.default_backend(),
            "device_count": len(self.devices),
            "devices": self.devices,
            "batch_sharding": self.batch_sharding,
            "batch_devices": self.batch_devices,
            "resumed_from": self.resumed_from,
            "seconds": self.seconds,
            "step": self.step,
            "loss": self.loss,
            "lr": self.lr,
        }


@dataclasses.dataclass
class TrainResult:
    """The log of a run, and the trained model and optimizer (e.g. to checkpoint them)."""

    history: History
    model: MLP
    optimizer: nnx.Optimizer
    mesh: Mesh


# ---------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------


def check_config(config: TrainConfig) -> None:
    """Raise ``ValueError`` with a one-line, actionable message if ``config`` cannot run."""
    for name in ("steps", "batch", "devices", "in_dim", "hidden"):
        value = getattr(config, name)
        if value < 1:
            where = f"--{name}" if name in ("steps", "batch", "devices") else f"config.{name}"
            raise ValueError(f"{where} must be at least 1; got {value}.")
    if config.noise < 0:
        raise ValueError(f"config.noise (the label noise's std) must be >= 0; got {config.noise}.")
    if config.batch % config.devices:
        below = max(n for n in range(1, config.devices) if config.batch % n == 0)
        above = [n for n in range(config.devices + 1, config.batch + 1) if config.batch % n == 0]
        others = f"{below} or {above[0]}" if above else str(below)
        bigger = -(-config.batch // config.devices) * config.devices
        raise ValueError(
            f"--batch {config.batch} is not divisible by --devices {config.devices}: each "
            "device takes an equal slice of the global batch. Use a --batch that is a "
            f"multiple of {config.devices} (e.g. {bigger}), or --devices {others}."
        )
    available = jax.devices()
    if config.devices > len(available):
        found = f"{len(available)} {available[0].platform} device{'s' * (len(available) > 1)}"
        raise ValueError(
            f"--devices {config.devices} asks for more devices than JAX sees ({found}). On "
            f"CPU, set XLA_FLAGS={FORCE_DEVICES_FLAG}={config.devices} in the environment "
            "before starting Python (jax reads it when it is imported), or lower --devices."
        )
    make_schedule(config)  # the schedule's own checks: lr range, warmup length, floor


# ---------------------------------------------------------------------------------------
# Data: a fixed random teacher network, sampled by step number
# ---------------------------------------------------------------------------------------


def make_keys(seed: int) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Independent keys for the teacher, the data stream and the model's initialisation."""
    teacher_key, data_key, model_key = jax.random.split(jax.random.key(seed), 3)
    return teacher_key, data_key, model_key


@functools.partial(jax.jit, static_argnums=(1, 2))
def make_teacher(key: jax.Array, in_dim: int, width: int = 32) -> dict[str, jax.Array]:
    """The weights of a random one-hidden-layer network, with outputs of order one."""
    k1, k2 = jax.random.split(key)
    return {
        "w1": jax.random.normal(k1, (in_dim, width)) / math.sqrt(in_dim),
        "w2": jax.random.normal(k2, (width, 1)) * math.sqrt(2.0 / width),
    }


@functools.partial(jax.jit, static_argnames=("batch", "noise"))
def make_batch(
    teacher: dict[str, jax.Array], data_key: jax.Array, step: int, *, batch: int, noise: float
) -> tuple[jax.Array, jax.Array]:
    """The global batch of ``step``: inputs ``x`` and noisy teacher outputs ``y``.

    It depends on nothing but the keys, the step number and the batch size, so any step
    can be regenerated on its own (to resume a run) and every device count trains on the
    same examples.
    """
    key_x, key_noise = jax.random.split(jax.random.fold_in(data_key, step))
    x = jax.random.normal(key_x, (batch, teacher["w1"].shape[0]))
    y = jnp.sin(1.5 * x @ teacher["w1"]) @ teacher["w2"]
    return x, y + noise * jax.random.normal(key_noise, y.shape)


def batch_at(
    step: int, teacher: dict[str, jax.Array], data_key: jax.Array, config: TrainConfig, mesh: Mesh
) -> tuple[jax.Array, jax.Array]:
    """The global batch of ``step``, split along the mesh's ``"data"`` axis.

    The batch is computed whole, by the same single-device program whatever the mesh,
    and only then split, the way a host-side data loader hands batches over. (Computing
    it directly sharded would also work, but each device would then evaluate the teacher
    on its own slice, and XLA may round a matmul over 8 rows differently from one over
    64: the labels would differ in the last bit from one device count to another.)
    """
    x, y = make_batch(teacher, data_key, step, batch=config.batch, noise=config.noise)
    return jax.device_put((x, y), NamedSharding(mesh, P(DATA_AXIS)))


# ---------------------------------------------------------------------------------------
# Model, schedule and optimizer
# ---------------------------------------------------------------------------------------


class MLP(nnx.Module):
    """Two hidden GELU layers and a linear read-out."""

    def __init__(self, in_dim: int, hidden: int, out_dim: int, *, rngs: nnx.Rngs) -> None:
        self.layer1 = nnx.Linear(in_dim, hidden, rngs=rngs)
        self.layer2 = nnx.Linear(hidden, hidden, rngs=rngs)
        self.head = nnx.Linear(hidden, out_dim, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        x = nnx.gelu(self.layer1(x))
        x = nnx.gelu(self.layer2(x))
        return self.head(x)


def _warmup_steps(warmup: int | float) -> int | float:
    """A whole number >= 1 counts steps; anything else is a fraction of the run."""
    if isinstance(warmup, float) and warmup >= 1 and warmup.is_integer():
        return int(warmup)
    return warmup


def make_schedule(config: TrainConfig) -> optax_sched.Schedule:
    """Linear warmup to ``peak_lr``, then a cosine down to ``min_lr`` at the last step."""
    return optax_sched.warmup_cosine(
        config.peak_lr,
        total_steps=config.steps,
        warmup_steps=_warmup_steps(config.warmup),
        min_lr=config.min_lr,
    )


def build(config: TrainConfig, mesh: Mesh, model_key: jax.Array) -> tuple[MLP, nnx.Optimizer]:
    """A fresh model and optimizer, with every array replicated on each device of ``mesh``."""
    # PartitionSpec() splits along no mesh axis: a full copy on every device.
    replicated = NamedSharding(mesh, P())

    # Built inside one jitted function, the initialisation compiles once instead of
    # dispatching each small op eagerly, and the sharding constraint makes it place its
    # results straight onto the devices.
    @nnx.jit
    def create(key: jax.Array) -> tuple[MLP, nnx.Optimizer]:
        model = MLP(config.in_dim, config.hidden, 1, rngs=nnx.Rngs(params=key))
        tx = optax.inject_hyperparams(optax.adamw)(
            learning_rate=make_schedule(config), weight_decay=config.weight_decay
        )
        optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)
        state = nnx.state((model, optimizer))
        nnx.update((model, optimizer), jax.lax.with_sharding_constraint(state, replicated))
        return model, optimizer

    return create(model_key)


@nnx.jit
def train_step(
    model: MLP, optimizer: nnx.Optimizer, x: jax.Array, y: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """One AdamW update on the batch ``(x, y)``; returns the loss before it and its rate.

    Nothing here mentions devices: the batch arrives split along the ``"data"`` axis and
    the parameters replicated, and XLA partitions the computation to match, summing the
    per-device gradients with an all-reduce.
    """

    def loss_fn(model: MLP) -> jax.Array:
        return jnp.mean((model(x) - y) ** 2)

    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
    return loss, learning_rate(optimizer)


# ---------------------------------------------------------------------------------------
# The training loop
# ---------------------------------------------------------------------------------------


def _reporter(
    total: int, quiet: bool, console: Console
) -> tuple[Callable[[int, float, float], None], Callable[[], None]]:
    """A ``(step, loss, lr)`` callback that shows progress, plus a function that ends it.

    On a terminal it is a live rich progress bar; when the output is a file or a pipe it
    prints a plain line about every tenth of the run instead (a live bar would only
    produce escape codes there); with ``quiet`` it shows nothing.
    """
    if quiet:
        return (lambda step, loss, lr: None), (lambda: None)
    if not console.is_terminal:
        every = max(1, total // 10)

        def plain(step: int, loss: float, lr: float) -> None:
            if (step + 1) % every == 0 or step + 1 == total:
                print(f"step {step + 1:>6}/{total}  loss {loss:.4g}  lr {lr:.3e}", flush=True)

        return plain, (lambda: None)

    progress = Progress(
        TextColumn("step"),
        MofNCompleteColumn(),
        BarColumn(),
        TextColumn("loss {task.fields[loss]:.4g}  lr {task.fields[lr]:.3e}"),
        TimeElapsedColumn(),
        console=console,
    )
    task = progress.add_task("train", total=total, loss=float("nan"), lr=0.0)
    progress.start()

    def live(step: int, loss: float, lr: float) -> None:
        progress.update(task, completed=step + 1, loss=loss, lr=lr)

    return live, progress.stop


def train(
    config: TrainConfig,
    *,
    checkpoint_dir: str | Path | None = None,
    save_every: int | None = None,
    stop_after: int | None = None,
    quiet: bool = True,
    console: Console | None = None,
) -> TrainResult:
    """Train the MLP on the teacher's data as ``config`` says, and return the log and model.

    Args:
      config: the run; checked first with :func:`check_config` (``ValueError`` if bad).
      checkpoint_dir: save checkpoints here, and first resume from the latest one if
        there is one (its config must be ``config``).
      save_every: steps between checkpoints (default: a quarter of the run); the last
        step done is always saved.
      stop_after: stop once this many steps are done in all, as an interrupted job would.
      quiet: show no progress (the default, for use from code and tests).
      console: where the progress goes; a rich ``Console`` on stdout if not given.

    Returns:
      A :class:`TrainResult`: the :class:`History` and the trained model and optimizer,
      replicated on the ``config.devices`` first devices of ``jax.devices()``.
    """
    check_config(config)
    mesh = Mesh(np.array(jax.devices()[: config.devices]), (DATA_AXIS,))
    teacher_key, data_key, model_key = make_keys(config.seed)
    teacher = make_teacher(teacher_key, config.in_dim)
    model, optimizer = build(config, mesh, model_key)
    history = History(
        config=config,
        schedule=repr(make_schedule(config)),
        devices=[str(d) for d in mesh.devices.flat],
    )

    ckpt = None
    start_step = 0
    if checkpoint_dir is not None:
        ckpt = Checkpoints(checkpoint_dir, schedule=make_schedule(config))
        if ckpt.latest_step is not None:
            start_step = resume(ckpt, config, model, optimizer, history)
            if not quiet:
                print(f"resuming from the checkpoint at step {start_step} in {checkpoint_dir}")
    stop = config.steps if stop_after is None else min(stop_after, config.steps)
    every = save_every or max(1, config.steps // 4)

    report, finish = _reporter(config.steps, quiet, console or Console())
    # Binds the model and optimizer once, so each call skips re-walking their object graph
    # (nnx.jit's per-call overhead); they are still updated in place.
    step_fn = nnx.cached_partial(train_step, model, optimizer)
    started = time.perf_counter()
    try:
        for step in range(start_step, stop):
            x, y = batch_at(step, teacher, data_key, config, mesh)
            if step == start_step:
                history.batch_sharding = str(x.sharding.spec)
                history.batch_devices = len(x.sharding.device_set)
            loss, lr = step_fn(x, y)
            loss, lr = float(loss), float(lr)
            history.step.append(step)
            history.loss.append(loss)
            history.lr.append(lr)
            report(step, loss, lr)
            if ckpt is not None and ((step + 1) % every == 0 or step + 1 == stop):
                save(ckpt, step + 1, model, optimizer, history)
    finally:
        finish()
        if ckpt is not None:
            ckpt.close()
    history.seconds = time.perf_counter() - started
    return TrainResult(history=history, model=model, optimizer=optimizer, mesh=mesh)


def save(
    ckpt: Checkpoints, step: int, model: MLP, optimizer: nnx.Optimizer, history: History
) -> None:
    """Checkpoint the run after ``step`` updates, with its log so far beside it."""
    ckpt.save(step, model=model, optimizer=optimizer)
    log = {"config": dataclasses.asdict(history.config), "loss": history.loss, "lr": history.lr}
    (Path(ckpt.directory) / "history.json").write_text(json.dumps(log))


def resume(
    ckpt: Checkpoints, config: TrainConfig, model: MLP, optimizer: nnx.Optimizer, history: History
) -> int:
    """Restore the latest checkpoint into ``model`` and ``optimizer``; return its step.

    The schedule is checked by ``Checkpoints`` itself; the rest of the config (batch,
    seed, model size) decides the data and the model, so it has to match too.
    """
    path = Path(ckpt.directory) / "history.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    if saved and saved["config"] != dataclasses.asdict(config):
        changed = {
            k: (v, getattr(config, k))
            for k, v in saved["config"].items()
            if v != getattr(config, k)
        }
        raise ValueError(
            f"{ckpt.directory} holds a run with another config ({changed}, saved -> now). "
            "Use the saved options, or another --checkpoint-dir for a new run."
        )
    step = ckpt.restore(model=model, optimizer=optimizer).step
    history.resumed_from = step
    history.step = list(range(step))
    history.loss = saved.get("loss", [math.nan] * step)[:step]
    history.lr = saved.get("lr", [math.nan] * step)[:step]
    return step


# ---------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------


def plot(history: History, path: Path) -> Path:
    """Save the loss (log scale) above the learning rate, sharing the step axis."""
    fig = Figure(figsize=(8, 6), layout="constrained")
    ax_loss, ax_lr = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    ax_loss.plot(
        history.step, history.loss, color="tab:blue", alpha=0.35, lw=0.8, label="per batch"
    )
    window = max(1, len(history.loss) // 40)
    if window > 1:  # a running mean shows the trend through the per-batch noise
        smooth = np.convolve(history.loss, np.ones(window) / window, mode="valid")
        label = f"mean of {window} batches"
        ax_loss.plot(history.step[window - 1 :], smooth, color="tab:blue", lw=1.5, label=label)
    if history.config.noise > 0:  # the label noise's variance: no model can go lower
        floor = history.config.noise**2
        ax_loss.axhline(floor, color="gray", linestyle="--", lw=1, label="noise floor")
    ax_loss.legend(fontsize=8)
    ax_loss.set_yscale("log")
    ax_loss.set_ylabel("training loss (MSE)")
    ax_loss.grid(True, which="both", alpha=0.3)
    ax_lr.plot(history.step, history.lr, color="tab:orange", lw=1.5)
    ax_lr.set_ylabel("learning rate")
    ax_lr.set_xlabel("step")
    ax_lr.set_ylim(bottom=0)
    ax_lr.grid(True, alpha=0.3)
    ax_lr.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
    warmup_end = make_schedule(history.config).phases[0].end
    if 0 < warmup_end < history.config.steps:
        for ax in (ax_loss, ax_lr):
            ax.axvline(warmup_end, color="gray", linestyle=":", linewidth=1)
        ax_lr.annotate(
            "end of warmup",
            (warmup_end, 0),
            xytext=(4, 4),
            textcoords="offset points",
            color="gray",
            fontsize=8,
        )
    devices = len(history.devices)
    fig.suptitle(
        f"{history.schedule}\nAdamW, batch {history.config.batch} on {devices} "
        f"{jax.default_backend()} device{'s' if devices > 1 else ''}",
        fontsize=9,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    return path


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------

cli = typer.Typer(add_completion=False)
_DEFAULTS = TrainConfig()


def _fail(message: str) -> typer.Exit:
    typer.echo(f"train_nnx.py: error: {message}", err=True)
    return typer.Exit(code=2)


@cli.command()
def main(
    steps: Annotated[
        int, typer.Option(help="Optimizer updates, warmup included.")
    ] = _DEFAULTS.steps,
    batch: Annotated[
        int, typer.Option(help="Global batch size (split over devices).")
    ] = _DEFAULTS.batch,
    peak_lr: Annotated[
        float, typer.Option(help="Learning rate at the end of warmup.")
    ] = _DEFAULTS.peak_lr,
    warmup: Annotated[
        float, typer.Option(help="Warmup: a fraction of --steps in [0, 1), or whole steps.")
    ] = _DEFAULTS.warmup,
    min_lr: Annotated[float, typer.Option(help="The floor the cosine ends on.")] = _DEFAULTS.min_lr,
    devices: Annotated[
        int, typer.Option(help="Data-parallel over the first N devices.")
    ] = _DEFAULTS.devices,
    seed: Annotated[
        int, typer.Option(help="Seed for the teacher, data and model.")
    ] = _DEFAULTS.seed,
    out: Annotated[Path, typer.Option(help="Where to save the PNG plot.")] = Path("train_nnx.png"),
    log: Annotated[
        Path | None, typer.Option(help="Also write the per-step log as JSON here.")
    ] = None,
    checkpoint_dir: Annotated[
        Path | None,
        typer.Option(help="Save checkpoints here; resume from the latest one if present."),
    ] = None,
    save_every: Annotated[
        int | None, typer.Option(help="Steps between checkpoints (default: a quarter of the run).")
    ] = None,
    stop_after: Annotated[
        int | None, typer.Option(help="Stop after this many steps in all, as if interrupted.")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="No progress bar or progress lines.")] = False,
) -> None:
    """Train a small flax.nnx MLP with warmup + cosine; plot its loss and learning rate."""
    config = TrainConfig(
        steps=steps,
        batch=batch,
        peak_lr=peak_lr,
        warmup=warmup,
        min_lr=min_lr,
        devices=devices,
        seed=seed,
    )
    for name, value in (("--save-every", save_every), ("--stop-after", stop_after)):
        if value is not None and value < 1:
            raise _fail(f"{name} must be at least 1; got {value}.")
    if stop_after is not None and checkpoint_dir is None:
        raise _fail("--stop-after without --checkpoint-dir would lose the run; add one.")
    try:
        check_config(config)
        console = Console()
        result = train(
            config,
            checkpoint_dir=checkpoint_dir,
            save_every=save_every,
            stop_after=stop_after,
            quiet=quiet,
            console=console,
        )
    except ValueError as error:
        raise _fail(str(error)) from None
    history = result.history
    done, first = len(history.loss), history.resumed_from or 0
    if done < config.steps:
        print(f"stopped after {done} of {config.steps} steps; run again to resume.")
    if not history.loss:
        return
    print(
        f"steps {first}-{done} of {config.steps} on {len(history.devices)} device(s) in "
        f"{history.seconds:.1f} s: loss {history.loss[0]:.4g} -> {history.loss[-1]:.4g}, "
        f"final lr {history.lr[-1]:.3e}"
    )
    print(f"saved the plot to {plot(history, out)}")
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(json.dumps(history.to_json(), indent=1))
        print(f"saved the log to {log}")


if __name__ == "__main__":
    cli()
