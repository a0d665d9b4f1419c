"""The schedule calculator: ``plan``, ``show``, ``compare``, ``export`` and ``recommend``.

Every command takes schedules as SPECs (see :mod:`optax_sched.config`): a YAML or JSON
file, an inline ``type=warmup_cosine,peak_lr=2e-4,...`` string, or a schedule name
followed by ``PARAM=VALUE`` words. A bad spec prints one line naming the field and
exits with code 2.
"""

from __future__ import annotations

import difflib
import json
import pathlib
from collections.abc import Sequence
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from optax_sched import config, inspect
from optax_sched._core import Schedule

console = Console()
errors = Console(stderr=True)

PngOption = Annotated[
    pathlib.Path | None, typer.Option("--png", help="Also write the plot as a PNG file.")
]
SvgOption = Annotated[
    pathlib.Path | None, typer.Option("--svg", help="Also write the plot as an SVG file.")
]
StopOption = Annotated[
    int | None,
    typer.Option("--until", min=1, help="Last step to show (default: where the schedule ends)."),
]
StepsOption = Annotated[
    str | None,
    typer.Option("--steps", help="Comma-separated steps for the table instead of key steps."),
]
PointsOption = Annotated[int, typer.Option("--points", min=2, help="Evenly spaced rows.")]
LogOption = Annotated[bool, typer.Option("--log", help="Logarithmic learning-rate axis.")]
NoPlotOption = Annotated[bool, typer.Option("--no-plot", help="Skip the terminal plot.")]


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


def _looks_like_document(text: str) -> bool:
    return (
        "=" in text
        or text.lstrip().startswith("{")
        or pathlib.Path(text).suffix.lower() in (".yaml", ".yml", ".json")
        or pathlib.Path(text).is_file()
    )


def spec_from_words(words: Sequence[str]) -> dict[str, Any]:
    """A spec from command-line words: ``SPEC [KEY=VALUE ...]`` or ``NAME KEY=VALUE ...``.

    Words after the first override or add fields (a dotted key nests:
    ``lr_scheduler_kwargs.min_lr_rate=0.2``).
    """
    first, *rest = words
    spec = config.load_spec(first) if _looks_like_document(first) else {"type": first}
    for word in rest:
        if "=" not in word:
            raise ValueError(
                f"expected key=value after the spec, got {word!r} (e.g. total_steps=10_000)."
            )
        extra = config.parse_inline(word, origin=word.partition("=")[0])
        _merge(spec, extra)
    return spec


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def build(words: Sequence[str], *, trainer: bool = False) -> tuple[dict[str, Any], Schedule]:
    """The spec and schedule for command-line words, or exit 2 with one clear line.

    With ``trainer``, the spec is a whole TrainingArguments/SFTConfig document: the
    fields that do not shape the schedule (``output_dir``, ``logging_steps``...) are
    ignored, as :func:`~optax_sched.from_training_args` does.
    """
    try:
        spec = spec_from_words(words)
        if trainer:
            from optax_sched.parity.training_args import from_training_args

            return spec, from_training_args(spec)[0]
        return spec, config.from_config(spec, where=_origin(words[0]))
    except ValueError as error:
        message = str(error)
        if "unknown type" in message and "Did you mean" not in message:
            message += _problem_hint(str(words[0]))
        raise _fail(message) from None


def _origin(first: str) -> str:
    path = pathlib.Path(first)
    return first if path.suffix.lower() in (".yaml", ".yml", ".json") else "spec"


def _problem_hint(name: str) -> str:
    """For a name that is no schedule, the closest exercise id (``show`` shows both)."""
    from optax_sched.cli.kit import problem_ids

    close = difflib.get_close_matches(name, problem_ids(), n=1)
    return (
        f" Did you mean the problem {close[0]!r}? (`optax-sched show {close[0]}`)" if close else ""
    )


def _key_steps(schedule: Schedule, stop: int, points: int) -> list[int]:
    """Phase boundaries plus ``points`` evenly spaced steps in ``[0, stop]``."""
    bounds = {0, stop}
    for phase in schedule.phases:
        bounds.update(b for b in (phase.start, phase.end) if b is not None and b <= stop)
    spread = np.linspace(0, stop, max(points, 2)).round().astype(int).tolist()
    return sorted(bounds | set(spread))


def _phase_at(schedule: Schedule, step: int) -> str:
    for phase in schedule.phases:
        if phase.start <= step and (phase.end is None or step < phase.end):
            return phase.name
    return "hold" if schedule.end_step is not None and step >= schedule.end_step else ""


def _parse_steps(text: str) -> list[int]:
    try:
        return [int(s.strip().replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise _fail(f"--steps must be comma-separated ints; got {text!r}.") from None


def _warmup(text: str) -> int | float:
    """``--warmup``: an int number of steps (``300``, ``1_000``) or a ratio below 1 (``0.03``)."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise _fail(f"--warmup must be an int number of steps or a ratio; got {text!r}.") from None
    if value >= 1 and value.is_integer():
        return int(value)
    return value


def _fmt(value: float) -> str:
    return f"{value:.4e}"


def _summary_lines(schedule: Schedule, summary: inspect.Summary) -> list[str]:
    lines = [f"peak        {_fmt(summary.peak)} at step {summary.peak_step:,}"]
    if summary.warmup_end is not None:
        lines.append(f"warmup      ends at step {summary.warmup_end:,}")
    if summary.floor_step is not None:
        lines.append(f"floor       {_fmt(summary.final)} from step {summary.floor_step:,} on")
    else:
        lines.append(f"at the end  {_fmt(summary.final)} at step {summary.stop:,} (still moving)")
    kind = "" if summary.area_exact else " (trapezoid estimate)"
    lines.append(
        f"LR budget   {summary.area:.4g} = sum of the rate over steps 0..{summary.stop:,}"
        f"{kind}; mean {_fmt(summary.mean)}"
    )
    return lines


def _cycle_rows(schedule: Schedule, stop: int) -> list[inspect.Cycle]:
    try:
        return inspect.cycle_table(schedule, stop)
    except ValueError:
        return []


def _write_plots(
    labelled: list[tuple[str, Schedule]], png: pathlib.Path | None, svg: pathlib.Path | None, **kw
) -> None:
    from optax_sched import plot

    for path in (png, svg):
        if path is None:
            continue
        try:
            written = plot.save(labelled, path, **kw)
        except OSError as error:
            raise _fail(f"cannot write {path}: {error.strerror or error}.") from None
        console.print(f"wrote {written}", highlight=False)


def _check_plot_paths(png: pathlib.Path | None, svg: pathlib.Path | None) -> None:
    """Fail before any work when --png/--svg name a file of the wrong kind."""
    for path, suffix in ((png, ".png"), (svg, ".svg")):
        if path is not None and path.suffix.lower() != suffix:
            raise _fail(f"--{suffix[1:]} needs a file name ending in {suffix}; got {str(path)!r}.")


def _terminal_plot(labelled: list[tuple[str, Schedule]], stop: int, log: bool) -> None:
    from optax_sched import plot

    width = max(40, min(console.width, 110))
    text = plot.terminal(labelled, stop=stop, width=width, height=16, log=log)
    console.print(text, highlight=False, markup=False, soft_wrap=True)


def show(
    spec: Annotated[
        list[str],
        typer.Argument(
            help="SPEC [KEY=VALUE ...]: a YAML/JSON file, type=NAME,KEY=VALUE,..., or NAME "
            "KEY=VALUE ... (see `schedules`). A problem id shows its statement.",
            show_default=False,
            metavar="SPEC",
        ),
    ],
    steps: StepsOption = None,
    points: PointsOption = 11,
    until: StopOption = None,
    png: PngOption = None,
    svg: SvgOption = None,
    log: LogOption = False,
    no_plot: NoPlotOption = False,
    trainer: Annotated[
        bool,
        typer.Option(
            "--trainer",
            help="SPEC is a whole TrainingArguments/SFTConfig file: ignore the fields that do "
            "not shape the schedule (add dataset_size=N when it counts epochs).",
        ),
    ] = False,
) -> None:
    """Print a schedule at its key steps, its peak, floor and LR budget, and a plot.

    Examples: optax-sched show warmup_cosine peak_lr=2e-4 total_steps=10_000
    warmup_steps=0.03 min_lr=2e-5 · optax-sched show run.yaml --png lr.png ·
    optax-sched show lr_at_step (a problem's statement)
    """
    from optax_sched.cli import kit

    _check_plot_paths(png, svg)
    if len(spec) == 1 and not steps and not _looks_like_document(spec[0]):
        if kit.is_problem(spec[0]):
            kit.show_problem(spec[0])
            return
    _, schedule = build(spec, trainer=trainer)
    stop = until or inspect.horizon(schedule)
    at = _parse_steps(steps) if steps else _key_steps(schedule, stop, points)
    _, values = inspect.sample(schedule, steps=np.asarray(at, np.int64))
    peak = float(values.max()) if len(values) else 0.0
    table = Table(title=escape(repr(schedule)), title_justify="left")
    table.add_column("step", justify="right", style="cyan")
    table.add_column("learning rate", justify="right")
    table.add_column("phase")
    table.add_column("", justify="left")
    for step, value in zip(at, values, strict=True):
        bar = "█" * round(30 * float(value) / peak) if peak > 0 else ""
        table.add_row(f"{step:,}", _fmt(float(value)), _phase_at(schedule, step), bar)
    console.print(table)
    summary = inspect.summarise(schedule, stop)
    for line in _summary_lines(schedule, summary):
        console.print(line, highlight=False)
    cycles = _cycle_rows(schedule, stop)
    if len(cycles) > 1:
        console.print(_cycle_table([("learning rate", cycles)], first_only=False))
    if not no_plot:
        _terminal_plot([(repr(schedule), schedule)], stop, log)
    _write_plots([(repr(schedule), schedule)], png, svg, stop=until, log=log)


def _cycle_table(columns: list[tuple[str, list[inspect.Cycle]]], *, first_only: bool) -> Table:
    """Cycles as rows; one column per schedule (its cycle's starting rate) or detail columns."""
    table = Table(title="per cycle", title_justify="left")
    table.add_column("cycle", justify="right", style="cyan")
    table.add_column("steps", justify="right")
    if first_only:
        for label, _ in columns:
            table.add_column(escape(label), justify="right")
    else:
        for name in ("starts at", "peak", "lowest", "mean"):
            table.add_column(name, justify="right")
    reference = columns[0][1]
    count = max(len(rows) for _, rows in columns)
    shown = list(range(count)) if count <= 12 else [*range(10), count - 1]
    for i in shown:
        if shown and i == count - 1 and count > 12:
            table.add_row("…", "", *([""] * (len(table.columns) - 2)))
        span = f"{reference[i].start:,}-{reference[i].end - 1:,}" if i < len(reference) else ""
        if first_only:
            cells = [_fmt(rows[i].first) if i < len(rows) else "" for _, rows in columns]
        else:
            row = columns[0][1][i]
            cells = [_fmt(row.first), _fmt(row.peak), _fmt(row.lowest), _fmt(row.mean)]
        table.add_row(str(i + 1), span, *cells)
    return table


def _short(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def compare(
    specs: Annotated[
        list[str],
        typer.Argument(
            help="Two or more SPECs, each a YAML/JSON file or type=NAME,KEY=VALUE,...",
            show_default=False,
            metavar="SPEC",
        ),
    ],
    steps: StepsOption = None,
    points: PointsOption = 11,
    until: StopOption = None,
    png: PngOption = None,
    svg: SvgOption = None,
    log: LogOption = False,
    no_plot: NoPlotOption = False,
) -> None:
    """Overlay several schedules: values side by side, budgets, per-cycle rates, a plot.

    Example: optax-sched compare type=cycle_decay,base_lr=5e-5,steps_per_cycle=100
    type=cycle_decay,base_lr=5e-5,steps_per_cycle=100,decay_factor=0.85 --until 499
    """
    if len(specs) < 2:
        raise _fail("compare needs at least two SPECs (use `show` for one).")
    _check_plot_paths(png, svg)
    built = [build([word]) for word in specs]
    schedules = [s for _, s in built]
    from optax_sched.plot import distinguish

    labels, title = distinguish(schedules) or (list(specs), f"{len(schedules)} schedules")
    labelled = list(zip(labels, schedules, strict=True))
    stop = until or max(inspect.horizon(s) for s in schedules)
    if steps:
        at = _parse_steps(steps)
    else:
        at = sorted(set().union(*(_key_steps(s, stop, points) for s in schedules)))
        if len(at) > 3 * points:  # many phase boundaries: evenly spaced rows read better
            at = sorted(set(np.linspace(0, stop, points).round().astype(int).tolist()))
    table = Table(title=f"{len(schedules)} schedules", title_justify="left")
    table.add_column("step", justify="right", style="cyan")
    for label in labels:
        table.add_column(escape(label), justify="right")
    columns = [inspect.sample(s, steps=np.asarray(at, np.int64))[1] for s in schedules]
    for i, step in enumerate(at):
        table.add_row(f"{step:,}", *(_fmt(float(c[i])) for c in columns))
    console.print(table)
    summaries = [inspect.summarise(s, stop) for s in schedules]
    budget = Table(title=f"over steps 0..{stop:,}", title_justify="left")
    for name in ("schedule", "peak", "at step", "final", "floor from", "LR budget", "vs first"):
        budget.add_column(name, justify="left" if name == "schedule" else "right")
    base = summaries[0].area
    for label, summary in zip(labels, summaries, strict=True):
        ratio = f"{summary.area / base:.3f}x" if base else "-"
        floor = "-" if summary.floor_step is None else f"{summary.floor_step:,}"
        budget.add_row(
            escape(label),
            _fmt(summary.peak),
            f"{summary.peak_step:,}",
            _fmt(summary.final),
            floor,
            f"{summary.area:.4g}",
            ratio,
        )
    console.print(budget)
    cycles = [_cycle_rows(s, stop) for s in schedules]
    if all(len(c) > 1 for c in cycles):
        console.print(_cycle_table(list(zip(labels, cycles, strict=True)), first_only=True))
    if not no_plot:
        _terminal_plot(labelled, stop, log)
    _write_plots(labelled, png, svg, stop=until, log=log, title=title)


def export(
    spec: Annotated[
        list[str],
        typer.Argument(
            help="SPEC [KEY=VALUE ...], as for `show`.", show_default=False, metavar="SPEC"
        ),
    ],
    format: Annotated[
        str, typer.Option("--format", "-f", help="yaml or json.", case_sensitive=False)
    ] = "yaml",
    hf: Annotated[
        bool,
        typer.Option(
            "--hf",
            help="Write transformers TrainingArguments/SFTConfig fields (learning_rate, "
            "lr_scheduler_type, lr_scheduler_kwargs, warmup_steps, max_steps).",
        ),
    ] = False,
) -> None:
    """Print the config block of a schedule, ready to paste into a YAML/JSON config.

    The block builds the same schedule again with `optax_sched.from_config` (or, with
    --hf, the same learning rate at every step in a transformers/TRL run).
    """
    format = format.lower()
    if format not in ("yaml", "json"):
        raise _fail(f"--format must be yaml or json; got {format!r}.")
    _, schedule = build(spec)
    try:
        block = config.to_config(schedule, hf=hf)
    except ValueError as error:
        raise _fail(str(error).replace("(hf=False)", "(without --hf)")) from None
    text = config.dump_spec(block, format)
    if format == "yaml":
        if hf:
            note = "# transformers TrainingArguments / TRL SFTConfig fields"
            if block.get("lr_scheduler_type", "").startswith("cosine") and "max_steps" in block:
                note += (
                    f"\n# (transformers' cosine rises again after max_steps={block['max_steps']}:"
                    " stop the run there)"
                )
        else:
            note = "# optax_sched.from_config(yaml.safe_load(...)) builds this schedule"
        text = f"{note}\n{text}"
    typer.echo(text, nl=False)


#: training_plan's argument names as the `plan` command's flags, for its error messages.
_PLAN_FLAGS = {
    "per_device_train_batch_size": "--batch-size",
    "gradient_accumulation_steps": "--grad-accum",
    "dataloader_drop_last": "--drop-last",
    "num_train_epochs": "--epochs",
    "dataset_size": "--dataset-size",
    "world_size": "--devices",
    "warmup_steps": "--warmup",
    "max_steps": "--max-steps",
}


def plan(
    dataset_size: Annotated[
        int | None, typer.Option("--dataset-size", "-n", min=1, help="Training examples.")
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", "-b", min=1, help="Micro-batch size per device.")
    ] = 8,
    grad_accum: Annotated[
        int, typer.Option("--grad-accum", "-g", min=1, help="Micro-batches per optimizer update.")
    ] = 1,
    devices: Annotated[
        int, typer.Option("--devices", "-d", min=1, help="Data-parallel devices (world size).")
    ] = 1,
    epochs: Annotated[float, typer.Option("--epochs", "-e", help="Passes over the data.")] = 3.0,
    max_steps: Annotated[
        int | None,
        typer.Option(
            "--max-steps", min=1, help="Run length in optimizer updates (wins over --epochs)."
        ),
    ] = None,
    warmup: Annotated[
        str, typer.Option("--warmup", "-w", help="Warmup: int steps, or a ratio below 1 (0.03).")
    ] = "0",
    drop_last: Annotated[
        bool, typer.Option("--drop-last", help="Drop the last incomplete batch.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Training length in optimizer updates: steps per epoch, total steps, warmup steps.

    Schedules count optimizer updates, not micro-batches: with gradient accumulation
    and several devices one update consumes batch x accumulation x devices examples.
    Rounds exactly as transformers' Trainer does.

    Example: optax-sched plan --dataset-size 10000 --batch-size 4 --grad-accum 4
    --epochs 3 --warmup 0.03
    """
    from optax_sched.plan import training_plan

    warmup_steps = _warmup(warmup)
    try:
        result = training_plan(
            max_steps=max_steps or -1,
            num_train_epochs=epochs,
            dataset_size=dataset_size,
            per_device_train_batch_size=batch_size,
            gradient_accumulation_steps=grad_accum,
            world_size=devices,
            warmup_steps=warmup_steps,
            dataloader_drop_last=drop_last,
        )
    except ValueError as error:
        message = str(error).replace("training_plan: ", "")
        for field, flag in _PLAN_FLAGS.items():
            message = message.replace(f"{field}=...", flag).replace(field, flag)
        raise _fail(message) from None
    if as_json:
        import dataclasses

        typer.echo(json.dumps(dataclasses.asdict(result), indent=2))
        return
    table = Table(title="training plan (optimizer updates)", title_justify="left")
    table.add_column("", style="cyan")
    table.add_column("value", justify="right")
    table.add_column("how")
    table.add_row(
        "effective batch",
        f"{result.effective_batch_size:,}",
        f"{batch_size} per device x {grad_accum} accumulation x {devices} device(s)",
    )
    if result.batches_per_epoch is not None:
        table.add_row(
            "micro-batches per device per epoch",
            f"{result.batches_per_epoch:,}",
            f"{dataset_size:,} examples / {batch_size} / {devices} device(s), "
            + ("dropping the last batch" if drop_last else "rounded up"),
        )
        table.add_row(
            "optimizer steps per epoch",
            f"{result.updates_per_epoch:,}",
            f"micro-batches / {grad_accum}, rounded up",
        )
    how = f"max_steps={max_steps}" if max_steps else f"ceil({epochs:g} epochs x steps per epoch)"
    table.add_row("total optimizer steps", f"{result.total_steps:,}", how)
    if result.epochs is not None:
        table.add_row("epochs", f"{result.epochs:.4g}", "")
    warm_how = (
        f"ceil({warmup_steps:g} x total steps)"
        if isinstance(warmup_steps, float) and warmup_steps < 1
        else "as given"
    )
    table.add_row("warmup steps", f"{result.warmup_steps:,}", warm_how)
    console.print(table)
    console.print(
        f"Schedules count optimizer updates: total_steps={result.total_steps}, "
        f"warmup_steps={result.warmup_steps}.",
        highlight=False,
    )


def recommend(
    steps: Annotated[
        int | None, typer.Option("--steps", min=1, help="Run length in optimizer updates.")
    ] = None,
    lora: Annotated[
        bool, typer.Option("--lora/--full", help="LoRA/QLoRA adapters, or full fine-tuning.")
    ] = True,
    dataset_size: Annotated[
        int | None, typer.Option("--dataset-size", "-n", min=1, help="Training examples.")
    ] = None,
    epochs: Annotated[
        float | None, typer.Option("--epochs", help="Passes over the data (with --dataset-size).")
    ] = None,
    batch_size: Annotated[
        int,
        typer.Option("--batch-size", "-b", min=1, help="Micro-batch size that fits per device."),
    ] = 4,
    devices: Annotated[int, typer.Option("--devices", "-d", min=1, help="Devices.")] = 1,
    lr: Annotated[
        float | None, typer.Option("--lr", help="Your learning rate (kept, and checked).")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Your lr_scheduler_type (kept, and checked).")
    ] = None,
    warmup: Annotated[
        str | None, typer.Option("--warmup", help="Your warmup: int steps or a ratio below 1.")
    ] = None,
    min_lr_rate: Annotated[
        float | None, typer.Option("--min-lr-rate", help="Your floor as a fraction of the peak.")
    ] = None,
    min_lr: Annotated[
        float | None, typer.Option("--min-lr", help="Your floor as an absolute rate.")
    ] = None,
    rank: Annotated[int | None, typer.Option("--rank", min=1, help="Your LoRA rank.")] = None,
    rslora: Annotated[
        bool | None, typer.Option("--rslora/--no-rslora", help="Rank-stabilised LoRA scaling.")
    ] = None,
    stages: Annotated[
        int, typer.Option("--stages", min=1, help="Training stages run one after another.")
    ] = 1,
    resumable: Annotated[
        bool, typer.Option("--resumable", help="The run will be stopped and resumed.")
    ] = False,
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="Print only the config: yaml or json.")
    ] = None,
) -> None:
    """A starting configuration with the reason and source of each choice, and risk flags.

    These are rules of thumb from published fine-tuning guides, a place to start a
    sweep from, not tuned values. Anything you pass is kept and checked for risky
    combinations (warmup longer than the run, a floor above the peak, decay to zero
    in a multi-stage or resumed run, ...).

    Example: optax-sched recommend --steps 3000 --lora --dataset-size 8000
    """
    from optax_sched import recommend as engine

    warmup_value = None if warmup is None else _warmup(warmup)
    try:
        result = engine.recommend(
            steps=steps,
            mode="lora" if lora else "full",
            dataset_size=dataset_size,
            epochs=epochs,
            per_device_batch=batch_size,
            world_size=devices,
            learning_rate=lr,
            scheduler=scheduler,
            warmup_steps=warmup_value,
            min_lr_rate=min_lr_rate,
            min_lr=min_lr,
            rank=rank,
            rslora=rslora,
            stages=stages,
            resumable=resumable,
        )
    except ValueError as error:
        raise _fail(str(error)) from None
    block = dict(result.config)
    if result.lora:
        block = {**block, "lora": dict(result.lora)}
    if format:
        if format.lower() not in ("yaml", "json"):
            raise _fail(f"--format must be yaml or json; got {format!r}.")
        typer.echo(config.dump_spec(block, format.lower()), nl=False)
        return
    console.print(
        "[bold]Heuristic starting point[/] (rules of thumb with their sources, not tuned "
        f"values) for {result.plan.total_steps:,} optimizer steps:"
    )
    table = Table(show_lines=True)
    table.add_column("field", style="cyan")
    table.add_column("value", justify="right")
    table.add_column("why")
    table.add_column("source", style="dim")
    for choice in result.choices:
        table.add_row(
            escape(choice.field),
            escape(_short(choice.value)),
            escape(choice.reason),
            escape(choice.source),
        )
    console.print(table)
    if result.risks:
        for risk in result.risks:
            colour = "red" if risk.severity == "error" else "yellow"
            console.print(
                f"[bold {colour}]{risk.severity}:[/] {escape(risk.message)} "
                f"[dim]fix:[/] {escape(risk.fix)}"
            )
    else:
        console.print("[green]No risky combinations found.[/]")
    console.print("\nPaste into your SFTConfig / TrainingArguments (and LoraConfig):")
    console.print(config.dump_spec(block, "yaml"), highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add the calculator's commands to the app."""
    app.command("show")(show)
    app.command("compare")(compare)
    app.command("plan")(plan)
    app.command("export")(export)
    app.command("recommend")(recommend)
