"""Write the real libraries' learning rates at every step to JSON, for the parity tests.

Run by hand in an environment with the ``golden`` extra (never in CI)::

    pip install torch==2.13.0 && pip install -e '.[golden]'   # transformers, accelerate
    python tests/golden/generate.py

``torch==2.13.0`` is the CPU build on local disk; any other spelling downloads GBs of CUDA
packages. The JSON is committed; CI checks ``from_hf`` and ``from_torch`` against it
without torch.

The value recorded for step ``k`` is the learning rate in effect for the optimizer update
that follows ``k`` calls to ``scheduler.step()``, i.e. ``optimizer.param_groups[0]["lr"]``.
A configuration the real library rejects (at construction or at some step) is recorded
with the error's type and the step where it happened.
"""

from __future__ import annotations

import json
import pathlib
import warnings

import torch
import transformers
from transformers import get_scheduler

HERE = pathlib.Path(__file__).resolve().parent
LR = 1e-3


def _case(name, warmup, total, steps=None, lr=LR, **kwargs):
    return {
        "name": name,
        "learning_rate": lr,
        "num_warmup_steps": warmup,
        "num_training_steps": total,
        "kwargs": kwargs,
        "steps": steps if steps is not None else max(warmup or 0, total or 0) + 60,
    }


def hf_cases() -> list[dict]:
    cases = []
    for w, t in [(0, 100), (10, 100), (100, 100), (150, 100), (1, 3)]:
        cases.append(_case("linear", w, t))
    for w, t, cycles in [
        (0, 100, 0.5),
        (10, 100, 0.5),
        (10, 100, 0.75),
        (10, 100, 2.0),
        (100, 100, 0.5),
    ]:
        cases.append(_case("cosine", w, t, num_cycles=cycles))
    for w, t, cycles in [(10, 100, 1), (10, 100, 3), (0, 50, 2.5), (20, 20, 2)]:
        cases.append(_case("cosine_with_restarts", w, t, num_cycles=cycles))
    for w, t, end, power in [
        (10, 100, 1e-7, 1.0),
        (0, 100, 1e-7, 2.0),
        (10, 100, 9.9e-4, 0.5),
        (10, 100, 2e-4, 3.0),
        (120, 100, 1e-7, 1.0),
        (100, 100, 1e-7, 1.0),
    ]:
        cases.append(_case("polynomial", w, t, lr_end=end, power=power))
    cases.append(_case("constant", None, None, steps=40))
    cases.append(_case("constant", 10, 100, steps=40))
    for w in (0, 10):
        cases.append(_case("constant_with_warmup", w, None, steps=80))
    for w, ts in [(10, None), (0, None), (10, 50), (25, 7)]:
        kwargs = {} if ts is None else {"timescale": ts}
        cases.append(_case("inverse_sqrt", w, None, steps=300, **kwargs))
    for w, t, kwargs in [
        (10, 100, {"min_lr_rate": 0.1}),
        (0, 100, {"min_lr": 1e-5}),
        (10, 100, {"min_lr_rate": 0.1, "num_cycles": 1.0}),
        (100, 100, {"min_lr_rate": 0.05}),
    ]:
        cases.append(_case("cosine_with_min_lr", w, t, **kwargs))
    for w, t, kwargs in [
        (10, 100, {"min_lr_rate": 0.1}),
        (10, 100, {"min_lr": 2e-5, "warmup_lr_rate": 0.2}),
        (1, 100, {"min_lr_rate": 0.1}),
        (0, 100, {"min_lr_rate": 0.1}),
        (1, 100, {"min_lr_rate": 0.1, "warmup_lr_rate": 0.5}),
        (10, 100, {"min_lr_rate": 0.1, "num_cycles": 1.5}),
    ]:
        cases.append(_case("cosine_warmup_with_min_lr", w, t, **kwargs))
    for warmup_type in ("linear", "cosine", "1-sqrt"):
        for decay_type in ("linear", "cosine", "1-sqrt"):
            cases.append(
                _case(
                    "warmup_stable_decay",
                    10,
                    100,
                    num_decay_steps=20,
                    warmup_type=warmup_type,
                    decay_type=decay_type,
                    min_lr_ratio=0.1,
                )
            )
    for w, t, kwargs in [
        (10, None, {"num_decay_steps": 30, "num_stable_steps": 40}),
        (0, 100, {"num_decay_steps": 25}),
        (10, 100, {"num_decay_steps": 20, "num_cycles": 1.0, "decay_type": "cosine"}),
        (50, 100, {"num_decay_steps": 60, "min_lr_ratio": 0.2}),
        (10, 100, {"num_decay_steps": 0}),
    ]:
        cases.append(_case("warmup_stable_decay", w, t, **kwargs))
    return cases


def _record(out: dict, optimizer, scheduler, steps: int) -> dict:
    """The rate in effect before each of ``steps`` scheduler steps, and any error raised."""
    values = []
    try:
        for _ in range(steps):
            values.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
    except Exception as error:
        # scheduler.step() computes the next step's rate: that step is the one that failed.
        out.update(error=type(error).__name__, error_step=len(values))
    out["lr"] = values
    return out


def run_hf(case: dict) -> dict:
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=case["learning_rate"])
    out = dict(case)
    try:
        scheduler = get_scheduler(
            case["name"],
            optimizer,
            num_warmup_steps=case["num_warmup_steps"],
            num_training_steps=case["num_training_steps"],
            scheduler_specific_kwargs=case["kwargs"],
        )
    except Exception as error:  # recorded, then checked by the parity tests
        out.update(error=type(error).__name__, error_step=None, lr=[])
        return out
    return _record(out, optimizer, scheduler, case["steps"])


def _torch(name, base_lr=0.1, steps=160, **kwargs):
    return {"name": name, "base_lr": base_lr, "kwargs": kwargs, "steps": steps}


def torch_cases() -> list[dict]:
    return [
        _torch("StepLR", step_size=30, gamma=0.1),
        _torch("StepLR", step_size=7, gamma=0.5),
        _torch("StepLR", step_size=10, gamma=1.0),
        _torch("MultiStepLR", milestones=[30, 80], gamma=0.1),
        _torch("MultiStepLR", milestones=[10, 10, 40], gamma=0.5),
        _torch("MultiStepLR", milestones=[50, 20], gamma=0.5),
        _torch("ConstantLR"),
        _torch("ConstantLR", factor=0.5, total_iters=10),
        _torch("ConstantLR", factor=0.0, total_iters=3),
        _torch("LinearLR"),
        _torch("LinearLR", start_factor=1.0, end_factor=0.1, total_iters=20),
        _torch("LinearLR", start_factor=0.1, end_factor=0.0, total_iters=10),
        _torch("ExponentialLR", gamma=0.95),
        _torch("ExponentialLR", gamma=0.5, steps=40),
        _torch("PolynomialLR", total_iters=20, power=1.0),
        _torch("PolynomialLR", total_iters=20, power=2.0),
        _torch("PolynomialLR", total_iters=30, power=0.5),
        _torch("CosineAnnealingLR", T_max=50),
        _torch("CosineAnnealingLR", T_max=50, eta_min=1e-4, steps=220),
        _torch("CosineAnnealingLR", T_max=7, eta_min=0.01),
        _torch("CosineAnnealingWarmRestarts", T_0=10),
        _torch("CosineAnnealingWarmRestarts", T_0=10, T_mult=2, eta_min=1e-4, steps=320),
        _torch("CosineAnnealingWarmRestarts", T_0=7, T_mult=3, steps=300),
        _torch("CosineAnnealingWarmRestarts", T_0=1, T_mult=2, steps=70),
        _torch("CyclicLR", base_lr=1e-4, max_lr=1e-2, step_size_up=10),
        _torch(
            "CyclicLR",
            base_lr=1e-4,
            max_lr=1e-2,
            step_size_up=7,
            step_size_down=3,
            mode="triangular2",
        ),
        _torch("CyclicLR", base_lr=1e-4, max_lr=1e-2, step_size_up=8, mode="exp_range", gamma=0.99),
        _torch("OneCycleLR", base_lr=None, max_lr=1e-2, total_steps=100, steps=103),
        _torch(
            "OneCycleLR",
            base_lr=None,
            max_lr=1e-2,
            total_steps=100,
            anneal_strategy="linear",
            steps=103,
        ),
        _torch(
            "OneCycleLR", base_lr=None, max_lr=1e-2, total_steps=100, three_phase=True, steps=103
        ),
        _torch(
            "OneCycleLR",
            base_lr=None,
            max_lr=1e-2,
            total_steps=60,
            pct_start=0.25,
            div_factor=10.0,
            final_div_factor=100.0,
            steps=63,
        ),
        _torch(
            "OneCycleLR",
            base_lr=None,
            max_lr=1e-2,
            epochs=3,
            steps_per_epoch=11,
            three_phase=True,
            anneal_strategy="linear",
            steps=36,
        ),
        _torch("OneCycleLR", base_lr=None, max_lr=1e-2, total_steps=7, steps=10),
        _torch(
            "SequentialLR",
            schedulers=[
                ["LinearLR", {"start_factor": 0.1, "total_iters": 5}],
                ["ExponentialLR", {"gamma": 0.9}],
            ],
            milestones=[5],
            steps=40,
        ),
        _torch(
            "SequentialLR",
            schedulers=[
                ["ConstantLR", {"factor": 0.5, "total_iters": 10}],
                ["CosineAnnealingLR", {"T_max": 20, "eta_min": 1e-3}],
                ["StepLR", {"step_size": 5, "gamma": 0.5}],
            ],
            milestones=[4, 30],
            steps=60,
        ),
        _torch(
            "SequentialLR",
            schedulers=[
                ["LinearLR", {"start_factor": 0.01, "total_iters": 10}],
                ["CosineAnnealingWarmRestarts", {"T_0": 8, "T_mult": 2}],
            ],
            milestones=[10],
            steps=80,
        ),
        _torch(
            "ChainedScheduler",
            schedulers=[
                ["ConstantLR", {"factor": 0.1, "total_iters": 2}],
                ["ExponentialLR", {"gamma": 0.9}],
            ],
            steps=30,
        ),
        _torch(
            "ChainedScheduler",
            schedulers=[
                ["LinearLR", {"start_factor": 0.2, "total_iters": 8}],
                ["MultiStepLR", {"milestones": [5, 12], "gamma": 0.5}],
                ["PolynomialLR", {"total_iters": 20, "power": 2.0}],
            ],
            steps=30,
        ),
    ]


def run_torch(case: dict) -> dict:
    param = torch.nn.Parameter(torch.zeros(1))
    # CyclicLR and OneCycleLR cycle momentum by default, so the optimizer needs one.
    optimizer = torch.optim.SGD([param], lr=case["base_lr"] or 0.1, momentum=0.9)
    out = dict(case)
    try:
        kwargs = dict(case["kwargs"])
        if case["name"] == "CyclicLR":  # CyclicLR takes base_lr itself and overrides lr
            kwargs["base_lr"] = case["base_lr"]
        if "schedulers" in kwargs:  # composites: build the children on the same optimizer
            kwargs["schedulers"] = [
                getattr(torch.optim.lr_scheduler, child)(optimizer, **child_kwargs)
                for child, child_kwargs in kwargs["schedulers"]
            ]
        if case["name"] == "ChainedScheduler":
            kwargs["optimizer"] = optimizer
            scheduler = torch.optim.lr_scheduler.ChainedScheduler(**kwargs)
        else:
            scheduler = getattr(torch.optim.lr_scheduler, case["name"])(optimizer, **kwargs)
    except Exception as error:
        out.update(error=type(error).__name__, error_step=None, lr=[])
        return out
    return _record(out, optimizer, scheduler, case["steps"])


def plan_cases() -> list[dict]:
    """Trainer runs on one process: dataset size, batch, accumulation, epochs or max_steps."""
    rows = [
        (10_000, 4, 4, 3.0, -1, 0.03, False),
        (5_000, 4, 4, 2.0, -1, 0.03, False),
        (1_001, 8, 3, 1.5, -1, 10, True),
        (50, 8, 1, 3.0, 200, 0.1, False),
        (999, 16, 8, 1.0, -1, 0.5, False),
        (7, 8, 4, 4.0, -1, 0.0, False),
        (1_234, 32, 2, 0.5, -1, 0.07, False),
    ]
    keys = (
        "dataset_size",
        "per_device_train_batch_size",
        "gradient_accumulation_steps",
        "num_train_epochs",
        "max_steps",
        "warmup_steps",
        "dataloader_drop_last",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def run_plan(case: dict) -> dict:
    """What the real Trainer computes (needs accelerate): updates per epoch, total, warmup."""
    import tempfile

    from transformers import Trainer, TrainingArguments

    class Data(torch.utils.data.Dataset):
        def __len__(self):
            return case["dataset_size"]

        def __getitem__(self, i):
            return {"x": torch.zeros(2), "labels": torch.zeros(1)}

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(2, 1)

        def forward(self, x, labels=None):
            return {"loss": ((self.linear(x) - labels) ** 2).mean()}

    fields = {k: v for k, v in case.items() if k != "dataset_size"}
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), report_to=[], use_cpu=True, **fields)
    trainer = Trainer(model=Model(), args=args, train_dataset=Data())
    loader = trainer.get_train_dataloader()
    values = trainer.set_initial_training_values(args, loader)
    total = values[-1]
    return {
        **case,
        "batches_per_epoch": len(loader),
        "updates_per_epoch": values[1],
        "total_steps": total,
        "warmup_steps": args.get_warmup_steps(total),
        "effective_batch_size": values[4],
    }


def metric_series() -> dict[str, list[float]]:
    """Deterministic loss curves: improving then flat with noise, negative, and rising."""
    import random

    rng = random.Random(0)
    falling = [2.0 / (1 + 0.2 * k) + 0.02 * rng.random() for k in range(40)]
    flat = [falling[-1] + 0.05 * rng.random() for _ in range(60)]
    negative = [-1.0 - 0.05 * k + 0.1 * rng.random() for k in range(30)] + [
        -2.4 + 0.1 * rng.random() for _ in range(40)
    ]
    accuracy = [min(0.9, 0.5 + 0.02 * k) + 0.01 * rng.random() for k in range(80)]
    return {"loss": falling + flat, "negative": negative, "accuracy": accuracy}


def metric_cases() -> list[dict]:
    c = []
    for kwargs in (
        {},
        {"patience": 3, "factor": 0.5},
        {"patience": 2, "factor": 0.5, "cooldown": 3, "min_lr": 2e-4},
        {"patience": 2, "threshold_mode": "abs", "threshold": 0.01},
    ):
        c.append({"kind": "reduce_lr_on_plateau", "series": "loss", "kwargs": kwargs})
    c.append({"kind": "reduce_lr_on_plateau", "series": "negative", "kwargs": {"patience": 2}})
    c.append(
        {
            "kind": "reduce_lr_on_plateau",
            "series": "accuracy",
            "kwargs": {"mode": "max", "patience": 2, "factor": 0.5},
        }
    )
    for kwargs in (
        {},
        {"patience": 2, "factor": 0.5, "min_lr": 1e-4, "max_lr": 1e-2},
        {"patience": 2, "factor": 0.7, "cooldown": 2, "warmup": 3, "min_lr": 1e-4},
        {"patience": 1, "factor": 0.5, "min_lr": 5e-4, "reset_start": 2},
        {"patience": 2, "smooth": True, "window_size": 5, "min_lr": 1e-4},
        {"patience": 2, "threshold_mode": "rel", "threshold": 0.01, "min_lr": 1e-4},
    ):
        c.append({"kind": "greedy", "series": "loss", "kwargs": kwargs})
    c.append(
        {
            "kind": "greedy",
            "series": "accuracy",
            "kwargs": {"mode": "max", "patience": 2, "min_lr": 1e-4},
        }
    )
    c.append(
        {
            "kind": "greedy",
            "series": "negative",
            "kwargs": {"patience": 2, "min_lr": 1e-4, "reset_start": 3},
        }
    )
    return c


def run_metric(case: dict, series: dict[str, list[float]]) -> dict:
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=LR)
    scheduler = get_scheduler(case["kind"], optimizer, scheduler_specific_kwargs=case["kwargs"])
    values = []
    for metric in series[case["series"]]:
        values.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step(metric)
    return {**case, "learning_rate": LR, "lr": values}


def _write(name: str, cases: list[dict], **extra: object) -> None:
    document = {
        "generated_by": "tests/golden/generate.py",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "meaning": "lr[k] = optimizer LR after k scheduler.step() calls",
        "cases": cases,
        **extra,
    }
    path = HERE / f"{name}.json"
    path.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {path}")


def main() -> None:
    warnings.simplefilter("ignore")
    _write("transformers", [run_hf(case) for case in hf_cases()])
    _write("torch", [run_torch(case) for case in torch_cases()])
    _write("trainer_plans", [run_plan(case) for case in plan_cases()])
    series = metric_series()
    metric_runs = [run_metric(case, series) for case in metric_cases()]
    _write("metric_driven", metric_runs, series=series)


if __name__ == "__main__":
    main()
