"""``from_training_args``: a TrainingArguments or SFTConfig, as the Trainer's schedule."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Any

from optax_sched._core import Schedule
from optax_sched.parity.hf import from_hf
from optax_sched.plan import TrainingPlan, training_plan

#: The TrainingArguments fields that decide the schedule, with transformers' defaults.
FIELDS: dict[str, Any] = {
    "learning_rate": 5e-5,
    "lr_scheduler_type": "linear",
    "lr_scheduler_kwargs": None,
    "warmup_steps": 0,
    "warmup_ratio": None,
    "max_steps": -1,
    "num_train_epochs": 3.0,
    "per_device_train_batch_size": 8,
    "gradient_accumulation_steps": 1,
    "dataloader_drop_last": False,
}
#: Facts about the run that TrainingArguments does not hold.
RUN_FIELDS = ("dataset_size", "world_size")


def resolve_warmup_ratio(where: str, warmup: Any, ratio: Any) -> Any:
    """``warmup_steps``, or transformers 4's ``warmup_ratio`` when that is given instead."""
    if not ratio:
        return warmup
    if warmup:
        raise ValueError(
            f"{where}: got both warmup_steps={warmup!r} and warmup_ratio={ratio!r}; pass one "
            "(in transformers 5, warmup_steps below 1 is the ratio)."
        )
    if not 0 <= ratio < 1:
        raise ValueError(f"{where}: warmup_ratio must be in [0, 1); got {ratio!r}.")
    return float(ratio)


def scheduler_kwargs(where: str, value: Any) -> dict[str, Any]:
    """``lr_scheduler_kwargs`` as a dict: transformers also takes it as a JSON string
    (``--lr_scheduler_kwargs '{"min_lr_rate": 0.1}'`` on a command line)."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except json.JSONDecodeError as error:
            raise ValueError(
                f"{where}: lr_scheduler_kwargs={value!r} is a string but not JSON ({error.msg}); "
                'write it as a mapping, e.g. {"min_lr_rate": 0.1}.'
            ) from None
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(
            f"{where}: lr_scheduler_kwargs must be a mapping such as {{'min_lr_rate': 0.1}}; "
            f"got {value!r}."
        )
    return dict(value)


def from_training_args(args: Any = None, /, **fields: Any) -> tuple[Schedule, TrainingPlan]:
    r"""The schedule a transformers ``Trainer`` would build, and the plan it would follow.

    Takes the fields of a ``TrainingArguments`` / TRL ``SFTConfig`` (as the object itself,
    a dict such as a loaded YAML config, or keywords) plus two facts about the run that
    those configs do not hold, ``dataset_size`` and ``world_size``. The training length
    is computed as the ``Trainer`` computes it (see :func:`optax_sched.plan.training_plan`),
    the warmup as ``TrainingArguments.get_warmup_steps`` does (an int ``>= 1`` is a step
    count, a float below 1 a ratio rounded up), and the schedule is
    :func:`~optax_sched.from_hf` of ``lr_scheduler_type`` with ``lr_scheduler_kwargs``.

    .. math::

      \eta(k) = \texttt{learning\_rate} \cdot
        \texttt{lr\_lambda}_{\,\texttt{lr\_scheduler\_type}}(k;\ W, T)

    ``warmup_ratio`` (removed in transformers 5, still in older configs) is accepted: a
    ratio of the total, used when ``warmup_steps`` is 0. Fields that do not affect the
    schedule (``output_dir``, ``logging_steps``, ...) are ignored, but a misspelling of
    one that does (``warmup_step``) is an error.

    Args:
      args: a ``TrainingArguments``-like object or a mapping of its fields (optional).
      **fields: fields given directly (they override ``args``), plus ``dataset_size``
        and ``world_size``.

    Returns:
      ``(schedule, plan)``: a :class:`~optax_sched.Schedule` and the
      :class:`~optax_sched.plan.TrainingPlan` with total and warmup steps.

    Examples:
      >>> import optax_sched
      >>> schedule, plan = optax_sched.from_training_args({
      ...     "learning_rate": 2e-4, "lr_scheduler_type": "cosine_with_min_lr",
      ...     "lr_scheduler_kwargs": {"min_lr_rate": 0.1}, "warmup_steps": 0.03,
      ...     "num_train_epochs": 2, "per_device_train_batch_size": 4,
      ...     "gradient_accumulation_steps": 4, "output_dir": "out"}, dataset_size=5_000)
      >>> plan.total_steps, plan.warmup_steps
      (626, 19)
    """
    where = "from_training_args"
    given: dict[str, Any] = {}
    if isinstance(args, Mapping):
        given.update(args)
    elif args is not None:
        given.update({k: getattr(args, k) for k in FIELDS if hasattr(args, k)})
    given.update(fields)
    known = [*FIELDS, *RUN_FIELDS]
    for key in given:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.85)
        if close:
            raise ValueError(
                f"{where}: unknown field {key!r}; did you mean {close[0]!r}? The fields that "
                f"shape the schedule are: {', '.join(known)}."
            )
    values = {k: given.get(k, default) for k, default in FIELDS.items()}
    name = getattr(values["lr_scheduler_type"], "value", values["lr_scheduler_type"])
    warmup = resolve_warmup_ratio(where, values["warmup_steps"], values["warmup_ratio"])
    plan = training_plan(
        max_steps=values["max_steps"],
        num_train_epochs=values["num_train_epochs"],
        dataset_size=given.get("dataset_size"),
        per_device_train_batch_size=values["per_device_train_batch_size"],
        gradient_accumulation_steps=values["gradient_accumulation_steps"],
        world_size=given.get("world_size", 1),
        warmup_steps=warmup,
        dataloader_drop_last=values["dataloader_drop_last"],
    )
    kwargs = scheduler_kwargs(where, values["lr_scheduler_kwargs"])
    schedule = from_hf(
        name,
        values["learning_rate"],
        num_warmup_steps=plan.warmup_steps,
        num_training_steps=plan.total_steps,
        **kwargs,
    )
    return schedule, plan
