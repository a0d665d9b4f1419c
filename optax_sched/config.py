"""Schedules as data: build one from a dict, YAML or JSON document, and write it back.

A *spec* is a plain mapping. Two spellings are accepted:

* **transformers' names** (the ``TrainingArguments`` / TRL ``SFTConfig`` fields), so a
  config block moves between a transformers run and a JAX run unchanged::

      lr_scheduler_type: cosine_with_min_lr
      learning_rate: 2.0e-4
      lr_scheduler_kwargs: {min_lr_rate: 0.1}
      warmup_steps: 0.03          # an int number of steps, or a ratio below 1
      max_steps: 10000

  This builds :func:`~optax_sched.from_hf`, the Trainer's schedule step for step. The run
  may instead be described by ``num_train_epochs``, ``dataset_size``,
  ``per_device_train_batch_size``, ``gradient_accumulation_steps``, ``world_size`` and
  ``dataloader_drop_last`` (see :func:`~optax_sched.from_training_args`);
  ``warmup_ratio`` (transformers 4) is read as a ratio warmup.

* **a type and its arguments**, for every native schedule, PyTorch's schedulers and the
  transformers names::

      {"type": "warmup_cosine", "peak_lr": 2e-4, "total_steps": 10_000,
       "warmup_steps": 0.03, "min_lr": 2e-5}
      {"type": "CosineAnnealingLR", "base_lr": 0.1, "T_max": 50}
      {"type": "multi_stage", "stages": [{...}, {"steps": 500, "schedule": {...}}]}

  A transformers name under ``type`` may take its ``lr_scheduler_kwargs`` flattened
  (``type: cosine_with_min_lr, min_lr_rate: 0.1``). Where a name is both native and
  transformers' (``constant``, ``inverse_sqrt``, ``warmup_stable_decay``), ``type``
  means the native schedule and ``lr_scheduler_type`` transformers'.

:func:`to_config` writes a schedule back (transformers' names for a transformers
schedule), and ``from_config(to_config(s)) == s`` for every schedule built from numbers.
With ``hf=True`` it writes the transformers fields of an equivalent transformers
schedule, after checking step by step that the two agree. :func:`load_spec` reads a
spec from a YAML/JSON file, YAML/JSON text or an inline ``type=...,key=value`` string.
"""

from __future__ import annotations

import difflib
import inspect
import json
import math
import os
import pathlib
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from optax_sched import _validate
from optax_sched._core import Schedule
from optax_sched.parity import hf as _hf
from optax_sched.parity import torch as _torch
from optax_sched.parity.training_args import FIELDS as _TRAINER_FIELDS
from optax_sched.parity.training_args import RUN_FIELDS as _RUN_FIELDS
from optax_sched.parity.training_args import (
    from_training_args,
    resolve_warmup_ratio,
    scheduler_kwargs,
)
from optax_sched.schedules import FACTORIES, multi_stage, resume_at

__all__ = [
    "HF_KEYS",
    "TYPES",
    "dump_spec",
    "from_config",
    "load_spec",
    "parse_inline",
    "to_config",
]

#: Schedules that combine or wrap other schedules, built from nested specs.
COMBINATORS = ("multi_stage", "resume_at")
#: transformers scheduler names that are step functions (the metric-driven ones are not).
HF_TYPES = tuple(_hf.KWARGS)
#: PyTorch scheduler classes that are step functions.
TORCH_TYPES = (*_torch.KWARGS, *_torch.COMPOSITES)
#: Every ``type`` a spec may name.
TYPES = tuple(dict.fromkeys([*sorted(FACTORIES), *COMBINATORS, *HF_TYPES, *TORCH_TYPES]).keys())
#: The transformers fields a spec in transformers' spelling may hold.
HF_KEYS = tuple(
    dict.fromkeys(["lr_scheduler_type", "learning_rate", *_TRAINER_FIELDS, *_RUN_FIELDS])
)
#: Fields that describe the run rather than the schedule (they need the Trainer's plan).
_PLAN_KEYS = (
    "num_train_epochs",
    "per_device_train_batch_size",
    "gradient_accumulation_steps",
    "dataloader_drop_last",
    *_RUN_FIELDS,
)
#: Names from other libraries' APIs that people write in a transformers-style spec.
_HF_SYNONYMS = {
    "num_training_steps": "max_steps",
    "num_warmup_steps": "warmup_steps",
    "scheduler": "lr_scheduler_type",
    "lr": "learning_rate",
}
#: What the metric-driven schedulers are, for the error that says why they are not specs.
_METRIC_DRIVEN = (*_hf.STATEFUL, "ReduceLROnPlateau")


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _suggest(name: str, valid: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def _check_keys(where: str, what: str, keys: Any, accepted: tuple[str, ...] | list[str]) -> None:
    for key in keys:
        if key not in accepted:
            transformers = "lr_scheduler_type" in accepted
            synonym = _HF_SYNONYMS.get(key) if transformers else None
            hint = (
                f" transformers' TrainingArguments calls it {synonym!r}."
                if synonym
                else _suggest(str(key), accepted)
            )
            if transformers and not hint:
                hint = (
                    " (A whole TrainingArguments/SFTConfig? Keep its schedule fields, or use "
                    "optax_sched.from_training_args / `optax-sched show FILE --trainer`, which "
                    "ignore the others.)"
                )
            raise _fail(
                where,
                f"{what} has no field {key!r}.{hint} Its fields: {', '.join(accepted)}.",
            )


# ------------------------------------------------------------------------------------
# from_config
# ------------------------------------------------------------------------------------


def from_config(spec: Mapping[str, Any], *, where: str = "from_config") -> Schedule:
    """Build a schedule from a spec (a mapping; see the module docs for the spellings).

    Args:
      spec: ``{"type": name, **arguments}``, or transformers' fields
        (``lr_scheduler_type``, ``learning_rate``, ``warmup_steps``, ``max_steps``,
        ``lr_scheduler_kwargs``, ...). Nested schedules (``multi_stage`` stages,
        ``resume_at``'s schedule, ``cycle_decay``'s ``within``) are specs too.
      where: the name used at the start of error messages (the spec's origin).

    Returns:
      A :class:`~optax_sched.Schedule`.

    Raises:
      ValueError: one line naming the bad field: an unknown type or field (with the
        valid ones and a close match), a missing argument, or a value the schedule
        rejects.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.from_config({"lr_scheduler_type": "cosine_with_min_lr",
      ...     "learning_rate": 2e-4, "warmup_steps": 0.03, "max_steps": 1000,
      ...     "lr_scheduler_kwargs": {"min_lr_rate": 0.1}})
      >>> [f"{float(s(k)):.2e}" for k in (0, 30, 1000)]
      ['0.00e+00', '2.00e-04', '2.00e-05']
      >>> optax_sched.from_config(optax_sched.to_config(s)) == s
      True
    """
    if isinstance(spec, Schedule):
        return spec
    if not isinstance(spec, Mapping):
        raise _fail(
            where,
            f"a schedule spec must be a mapping like {{'type': 'warmup_cosine', ...}}; got "
            f"{spec!r}.",
        )
    if "lr_scheduler_type" in spec:
        if "type" in spec:
            raise _fail(
                where,
                f"give type={spec['type']!r} or lr_scheduler_type={spec['lr_scheduler_type']!r}, "
                "not both (lr_scheduler_type is transformers' spelling of type).",
            )
        return _from_hf_fields(where, dict(spec))
    if "type" not in spec:
        raise _fail(
            where,
            "the spec has no 'type' (or transformers' 'lr_scheduler_type'); add e.g. "
            f"type=warmup_cosine. Valid types: {', '.join(TYPES)}.",
        )
    kind = spec["type"]
    kind = getattr(kind, "value", kind)  # a transformers SchedulerType enum
    args = {k: v for k, v in spec.items() if k != "type"}
    if kind in FACTORIES:
        return _native(where, kind, args)
    if kind == "multi_stage":
        return _multi_stage(where, args)
    if kind == "resume_at":
        _check_keys(where, "resume_at", args, ("schedule", "step"))
        _require(where, "resume_at", args, ("schedule", "step"))
        inner = from_config(args["schedule"], where=f"{where}: resume_at.schedule")
        return resume_at(inner, args["step"])
    if kind in HF_TYPES:
        return _from_hf_type(where, kind, args)
    if kind in TORCH_TYPES:
        return _from_torch(where, kind, args)
    if kind in _METRIC_DRIVEN:
        raise _fail(
            where,
            f"{kind} follows a metric, not the step, so it is an optax transformation rather "
            "than a schedule: build it with optax_sched.from_hf / from_torch and pass the loss "
            "to update().",
        )
    if kind == "lr_at_step":
        raise _fail(
            where,
            "lr_at_step is a function of (step, peak_lr, warmup_steps, total_steps), not a "
            "schedule; its schedule is optax's warmup_cosine_decay_schedule. "
            "Use type=warmup_cosine.",
        )
    raise _fail(
        where,
        f"unknown type {kind!r}.{_suggest(str(kind), TYPES)} Valid types: {', '.join(TYPES)}.",
    )


def _require(where: str, what: str, args: Mapping[str, Any], required: tuple[str, ...]) -> None:
    missing = [k for k in required if k not in args]
    if missing:
        example = ", ".join(f"{m}=..." for m in missing)
        raise _fail(where, f"{what} needs {', '.join(missing)}: add {example}")


def _native(where: str, kind: str, args: dict[str, Any]) -> Schedule:
    factory = FACTORIES[kind]
    parameters = inspect.signature(factory).parameters
    _check_keys(where, kind, args, tuple(parameters))
    required = tuple(p.name for p in parameters.values() if p.default is inspect.Parameter.empty)
    _require(where, kind, args, required)
    if kind == "cycle_decay" and isinstance(args.get("within"), Mapping):
        args["within"] = from_config(args["within"], where=f"{where}: cycle_decay.within")
    return _call(where, factory, **args)


def _call(where: str, factory: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return factory(*args, **kwargs)
    except TypeError as error:  # a wrong kind of value deep inside (e.g. a str as a number)
        raise _fail(where, str(error)) from None


def _multi_stage(where: str, args: dict[str, Any]) -> Schedule:
    _check_keys(where, "multi_stage", args, ("stages",))
    _require(where, "multi_stage", args, ("stages",))
    stages = args["stages"]
    if not isinstance(stages, list | tuple) or not stages:
        raise _fail(where, f"multi_stage.stages must be a non-empty list of specs; got {stages!r}.")
    built: list[Any] = []
    for i, stage in enumerate(stages):
        at = f"{where}: multi_stage.stages[{i}]"
        if isinstance(stage, Mapping) and "schedule" in stage:
            _check_keys(at, "a stage", stage, ("steps", "schedule"))
            _require(at, "a stage", stage, ("steps", "schedule"))
            built.append((stage["steps"], from_config(stage["schedule"], where=at)))
        elif isinstance(stage, list | tuple) and len(stage) == 2:
            built.append((stage[0], from_config(stage[1], where=at)))
        else:
            built.append(from_config(stage, where=at))
    return multi_stage(built)


def _from_torch(where: str, kind: str, args: dict[str, Any]) -> Schedule:
    own = _torch.KWARGS.get(kind) or _torch.COMPOSITES[kind]
    accepted = own if kind == "OneCycleLR" else ("base_lr", *own)  # OneCycleLR has max_lr
    _check_keys(where, kind, args, accepted)
    if "schedulers" in args:  # YAML gives [name, kwargs] lists; from_torch takes pairs
        args["schedulers"] = [
            tuple(s) if isinstance(s, list | tuple) else s for s in args["schedulers"]
        ]
    base_lr = args.pop("base_lr", None)
    return _call(where, _torch.from_torch, kind, base_lr, **args)


def _from_hf_type(where: str, kind: str, args: dict[str, Any]) -> Schedule:
    """``type: <transformers name>``, with its kwargs nested or flattened."""
    kwargs = scheduler_kwargs(where, args.pop("lr_scheduler_kwargs", None))
    fields = {}
    for key, value in args.items():
        if key in HF_KEYS:
            fields[key] = value
        elif key in _hf.KWARGS[kind]:
            kwargs[key] = value
        else:
            accepted = [*_hf.KWARGS[kind], *HF_KEYS[1:]]
            _check_keys(where, kind, [key], accepted)
    fields["lr_scheduler_type"] = kind
    if kwargs:
        fields["lr_scheduler_kwargs"] = kwargs
    return _from_hf_fields(where, fields)


def _from_hf_fields(where: str, fields: dict[str, Any]) -> Schedule:
    """transformers' ``TrainingArguments`` fields -> the Trainer's schedule."""
    _check_keys(where, "a transformers spec", fields, HF_KEYS)
    kind = getattr(fields["lr_scheduler_type"], "value", fields["lr_scheduler_type"])
    if kind in _METRIC_DRIVEN:
        return from_config({"type": kind}, where=where)  # raises: not a step function
    if kind not in HF_TYPES:
        others = " (native and PyTorch schedules go under type=...)" if kind in TYPES else ""
        raise _fail(
            where,
            f"unknown lr_scheduler_type {kind!r}{others}.{_suggest(str(kind), HF_TYPES)} "
            f"transformers' schedulers: {', '.join(HF_TYPES)}.",
        )
    if "learning_rate" not in fields:
        raise _fail(where, f"{kind} needs learning_rate (the peak rate): add learning_rate=....")
    kwargs = scheduler_kwargs(where, fields.get("lr_scheduler_kwargs"))
    fields["lr_scheduler_kwargs"] = kwargs
    _check_keys(where, f"lr_scheduler_kwargs of {kind}", kwargs, _hf.KWARGS[kind])
    # transformers' default warmup is 0 steps; "constant" has no warmup and keeps None.
    warmup = fields.get("warmup_steps", None if kind == "constant" else 0)
    warmup = resolve_warmup_ratio(where, warmup, fields.get("warmup_ratio"))
    if any(k in fields for k in _PLAN_KEYS):
        given = {k: v for k, v in fields.items() if k != "warmup_ratio"}
        given["warmup_steps"] = warmup
        try:
            schedule, _ = from_training_args(given)
        except ValueError as error:
            raise _fail(where, str(error)) from None
        return schedule
    total = fields.get("max_steps")
    if total is not None and total == -1:
        total = None
    if total is None and kind in _hf.NEED_TOTAL:
        raise _fail(
            where,
            f"{kind} decays over the whole run, so it needs max_steps (the total optimizer "
            "steps), or num_train_epochs with dataset_size.",
        )
    if isinstance(warmup, int | float) and not isinstance(warmup, bool) and warmup >= 1:
        warmup = int(warmup) if float(warmup).is_integer() else warmup
    return _call(where, _hf.from_hf, kind, fields["learning_rate"], warmup, total, **dict(kwargs))


# ------------------------------------------------------------------------------------
# to_config
# ------------------------------------------------------------------------------------


def to_config(schedule: Schedule, *, hf: bool = False) -> dict[str, Any]:
    """The spec of a schedule: ``from_config(to_config(s)) == s``.

    Args:
      schedule: a :class:`~optax_sched.Schedule` built by an optax_sched factory,
        ``from_hf``, ``from_torch``, ``multi_stage``, ``resume_at`` or ``from_config``.
      hf: write transformers' ``TrainingArguments`` / ``SFTConfig`` fields instead
        (``learning_rate``, ``lr_scheduler_type``, ``lr_scheduler_kwargs``,
        ``warmup_steps``, ``max_steps``). For a native schedule this is the
        transformers schedule that gives the same value at every step of the run,
        checked step by step.

    Returns:
      A dict of plain Python values (numbers, strings, lists, dicts), ready for
      ``yaml.safe_dump`` or ``json.dumps``.

    Raises:
      ValueError: the schedule holds something a spec cannot (a Python function, a
        traced value), or ``hf=True`` and transformers has no schedule that matches
        it (the message says at which step they differ).

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_cosine(2e-4, total_steps=1000, warmup_steps=0.03, min_lr=2e-5)
      >>> from optax_sched.config import dump_spec
      >>> print(dump_spec(optax_sched.to_config(s)), end="")
      type: warmup_cosine
      peak_lr: 0.0002
      total_steps: 1000
      warmup_steps: 0.03
      init_lr: 0.0
      min_lr: 2.0e-05
      >>> print(dump_spec(optax_sched.to_config(s, hf=True)), end="")
      lr_scheduler_type: cosine_with_min_lr
      learning_rate: 0.0002
      warmup_steps: 0.03
      max_steps: 1000
      lr_scheduler_kwargs:
        min_lr: 2.0e-05
    """
    if not isinstance(schedule, Schedule):
        raise ValueError(
            f"to_config: takes a Schedule built by optax_sched (a factory, from_hf, from_torch, "
            f"from_config); got {schedule!r}, which carries no description of itself."
        )
    if hf:
        return _hf_equivalent(schedule)
    return _spec(schedule, "schedule")


def _plain(value: Any, field: str) -> Any:
    """A parameter as a plain YAML/JSON value."""
    if isinstance(value, Schedule):
        return _spec(value, field)
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{field}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, f"{field}[{i}]") for i, v in enumerate(value)]
    if _validate.is_traced(value):
        raise ValueError(
            f"to_config: {field} is a traced value (built inside jit/vmap); a spec needs "
            "concrete numbers. Build the schedule outside the transformation to export it."
        )
    if callable(value):
        raise ValueError(
            f"to_config: {field} is a Python function ({value!r}), which a spec cannot hold. "
            "Pass an optax_sched schedule instead (e.g. warmup_cosine(1.0, total_steps=N, "
            "...)) so it can be written out."
        )
    array = np.asarray(value)
    if array.dtype.kind in "biuf":
        return array.item() if array.shape == () else array.tolist()
    raise ValueError(f"to_config: {field}={value!r} is not a number, string or list.")


def _spec(schedule: Schedule, field: str) -> dict[str, Any]:
    name, params = schedule.name, dict(schedule.params)
    if name == "from_hf":
        kind = params.pop("name")
        out: dict[str, Any] = {
            "lr_scheduler_type": kind,
            "learning_rate": _plain(params.pop("learning_rate"), f"{field}.learning_rate"),
        }
        warmup, total = params.pop("num_warmup_steps"), params.pop("num_training_steps")
        if warmup is not None:
            out["warmup_steps"] = _plain(warmup, f"{field}.warmup_steps")
        if total is not None:
            out["max_steps"] = _plain(total, f"{field}.max_steps")
        if params:
            out["lr_scheduler_kwargs"] = _plain(params, f"{field}.lr_scheduler_kwargs")
        return out
    if name == "from_torch":
        out = {"type": params.pop("name")}
        if params.get("base_lr", 0) is None:
            params.pop("base_lr")
        out.update(_plain(params, field))
        return out
    if name == "multi_stage":
        stages = []
        for i, stage in enumerate(params["stages"]):
            at = f"{field}.stages[{i}]"
            if isinstance(stage, Schedule):
                stages.append(_spec(stage, at))
            else:
                steps, inner = stage
                stages.append({"steps": _plain(steps, at), "schedule": _plain(inner, at)})
        return {"type": name, "stages": stages}
    if name == "resume_at":
        return {
            "type": name,
            "schedule": _plain(params["schedule"], f"{field}.schedule"),
            "step": params["step"],
        }
    if name in FACTORIES:
        defaults = inspect.signature(FACTORIES[name]).parameters
        out = {"type": name}
        for key, value in params.items():
            if value is None and defaults[key].default is None:
                continue  # an optional argument left out
            out[key] = _plain(value, f"{field}.{key}")
        return out
    raise ValueError(f"to_config: a {name!r} schedule has no spec form ({field}).")


#: Native schedules and the transformers schedule that may match them, as spec builders.
def _hf_candidate(schedule: Schedule) -> dict[str, Any] | None:
    p = dict(schedule.params)
    name = schedule.name
    if name == "constant":
        return {"lr_scheduler_type": "constant", "learning_rate": p["lr"]}
    if name == "warmup_constant":
        return {
            "lr_scheduler_type": "constant_with_warmup",
            "learning_rate": p["peak_lr"],
            "warmup_steps": p["warmup_steps"],
        }
    base = {
        "learning_rate": p.get("peak_lr"),
        "warmup_steps": p.get("warmup_steps", 0),
        "max_steps": p.get("total_steps"),
    }
    if name == "warmup_linear":
        return {"lr_scheduler_type": "linear", **base}
    if name == "warmup_cosine":
        if not p["min_lr"]:
            return {"lr_scheduler_type": "cosine", **base}
        kwargs = {"min_lr": p["min_lr"]}
        return {"lr_scheduler_type": "cosine_with_min_lr", **base, "lr_scheduler_kwargs": kwargs}
    if name == "warmup_polynomial":
        kwargs = {"lr_end": p["min_lr"], "power": p["power"]}
        return {"lr_scheduler_type": "polynomial", **base, "lr_scheduler_kwargs": kwargs}
    if name == "inverse_sqrt":
        spec = {"lr_scheduler_type": "inverse_sqrt", **base}
        del spec["max_steps"]
        if p["timescale"] is not None:
            spec["lr_scheduler_kwargs"] = {"timescale": p["timescale"]}
        return spec
    if name == "warmup_stable_decay":
        total = p["total_steps"]
        decay = _validate.resolve_steps(name, "decay_steps", p["decay_steps"], total)
        peak = _validate.concrete(p["peak_lr"])
        kwargs = {
            "num_decay_steps": decay,
            "warmup_type": p["warmup_shape"],
            "decay_type": p["decay_shape"],
            "min_lr_ratio": (_validate.concrete(p["min_lr"]) / peak) if peak else 0.0,
        }
        return {"lr_scheduler_type": "warmup_stable_decay", **base, "lr_scheduler_kwargs": kwargs}
    return None


def _hf_equivalent(schedule: Schedule) -> dict[str, Any]:
    if schedule.name == "from_hf":
        return _spec(schedule, "schedule")
    candidate = _hf_candidate(schedule)
    if candidate is None:
        shown = schedule.params["name"] if schedule.name == "from_torch" else schedule.name
        raise ValueError(
            f"to_config(hf=True): transformers has no scheduler equivalent to "
            f"{shown}; export the native spec instead (hf=False). transformers' "
            f"schedulers: {', '.join(HF_TYPES)}."
        )
    candidate = _plain(candidate, "schedule")
    try:
        twin = from_config(candidate, where="to_config(hf=True)")
    except ValueError as error:
        raise ValueError(
            f"to_config(hf=True): {schedule!r} has no transformers equivalent ({error})"
        ) from None
    _check_same(schedule, twin, candidate["lr_scheduler_type"])
    return candidate


def _check_same(schedule: Schedule, twin: Schedule, kind: str) -> None:
    """Raise unless ``schedule`` and ``twin`` agree at every step of the run."""
    from optax_sched.inspect import horizon, sample

    stop = schedule.end_step if schedule.end_step is not None else horizon(schedule)
    steps, ours = sample(schedule, stop, num=min(stop + 1, 200_001))
    _, theirs = sample(twin, steps=steps)
    scale = max(float(np.abs(ours).max()), 1e-30)
    bad = np.nonzero(~np.isclose(ours, theirs, rtol=1e-5, atol=1e-6 * scale))[0]
    if bad.size:
        k = int(steps[bad[0]])
        raise ValueError(
            f"to_config(hf=True): transformers' {kind} is the closest scheduler to "
            f"{schedule!r}, but they differ at step {k} ({ours[bad[0]]:.6g} here, "
            f"{theirs[bad[0]]:.6g} in transformers), e.g. a warmup that does not start at 0 "
            "or a floor transformers cannot express. Export the native spec instead."
        )


# ------------------------------------------------------------------------------------
# Reading and writing spec documents
# ------------------------------------------------------------------------------------


def _yaml_loader() -> type:
    """A safe YAML loader that reads ``2e-4`` as a float (YAML 1.1 reads it as a string)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:\d[\d_]*)(?:\.[\d_]*)?[eE][-+]?\d+$"),
        list("-+0123456789"),
    )
    return Loader


def _load_text(text: str, origin: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ValueError(f"{origin}: not valid YAML/JSON{where}: {problem}.") from None


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside brackets, braces or quotes."""
    parts, depth, quote, current = [], 0, "", []
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{(":
            depth += 1
        elif char in "]})":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_inline(text: str, *, origin: str = "spec") -> dict[str, Any]:
    """An inline spec ``type=warmup_cosine,peak_lr=2e-4,total_steps=10_000`` as a dict.

    Values are read as YAML scalars and flow collections (``2e-4``, ``10_000``, ``true``,
    ``[100, 200]``, ``{min_lr_rate: 0.1}``); a dotted key nests
    (``lr_scheduler_kwargs.min_lr_rate=0.1``); a first item without ``=`` is the type
    (``warmup_cosine,peak_lr=...``).

    Examples:
      >>> from optax_sched.config import parse_inline
      >>> parse_inline("type=multi_step_decay,base_lr=0.1,milestones=[30, 60]")
      {'type': 'multi_step_decay', 'base_lr': 0.1, 'milestones': [30, 60]}
    """
    spec: dict[str, Any] = {}
    for i, part in enumerate(_split_top_level(text)):
        key, sep, value = part.partition("=")
        key = key.strip().replace("-", "_") if sep else key.strip()
        if not sep:
            if i == 0 and re.fullmatch(r"[A-Za-z_][\w]*", key):
                spec["type"] = key
                continue
            raise ValueError(
                f"{origin}: expected key=value, got {part!r} "
                "(e.g. type=warmup_cosine,peak_lr=2e-4,total_steps=1000)."
            )
        if not key:
            raise ValueError(f"{origin}: {part!r} has no key before '='.")
        parsed = _load_text(value, f"{origin}: {key}") if value.strip() else ""
        target = spec
        *parents, leaf = key.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
            if not isinstance(target, dict):
                raise ValueError(f"{origin}: {parent} is set twice, as a value and as a group.")
        if leaf in target:
            raise ValueError(f"{origin}: {key} is given twice.")
        target[leaf] = parsed
    if not spec:
        raise ValueError(f"{origin}: empty spec; write e.g. type=warmup_cosine,peak_lr=2e-4,...")
    return spec


def load_spec(source: str | os.PathLike[str]) -> dict[str, Any]:
    """A spec from a YAML/JSON file, a YAML/JSON mapping, or an inline string.

    Args:
      source: a path to a ``.yaml``/``.yml``/``.json`` file, a document such as
        ``{type: constant, lr: 0.001}``, or ``type=constant,lr=1e-3``.

    Returns:
      The spec as a dict (build it with :func:`from_config`).

    Raises:
      ValueError: a missing file, a syntax error (with its line), or a document that is
        not a mapping.
    """
    text = os.fspath(source)
    path = pathlib.Path(text)
    looks_like_file = path.suffix.lower() in (".yaml", ".yml", ".json")
    if looks_like_file or (len(text) < 4096 and "=" not in text and path.is_file()):
        if not path.is_file():
            raise ValueError(f"{text}: no such file.")
        document = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".json":
            try:
                spec = json.loads(document)
            except json.JSONDecodeError as error:
                raise ValueError(
                    f"{text}: not valid JSON at line {error.lineno}, column {error.colno}: "
                    f"{error.msg}."
                ) from None
        else:
            spec = _load_text(document, text)
        origin = text
    elif text.lstrip().startswith("{"):
        spec, origin = _load_text(text, "spec"), "spec"
    else:
        return parse_inline(text)
    if not isinstance(spec, dict):
        raise ValueError(
            f"{origin}: a spec must be a mapping of fields (type: ..., ...); got "
            f"{type(spec).__name__}."
        )
    return spec


def dump_spec(spec: Mapping[str, Any], format: str = "yaml") -> str:
    """A spec as YAML or JSON text, keys in the order given.

    Floats are written so that they read back as the same float, in YAML 1.1 too
    (``2.0e-04``, never ``2e-4``, which YAML 1.1 readers take for a string).
    """
    if format == "json":
        return json.dumps(spec, indent=2) + "\n"
    if format != "yaml":
        raise ValueError(f"dump_spec: format must be 'yaml' or 'json'; got {format!r}.")
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def floats(dumper: yaml.SafeDumper, value: float) -> Any:
        text = repr(value)  # the shortest text that reads back as the same float
        if "e" in text and math.isfinite(value):
            mantissa, _, exponent = text.partition("e")
            if "." not in mantissa:
                mantissa += ".0"
            return dumper.represent_scalar("tag:yaml.org,2002:float", f"{mantissa}e{exponent}")
        return dumper.represent_float(value)

    def lists(dumper: yaml.SafeDumper, value: list) -> Any:
        flat = all(isinstance(v, int | float | str | bool) or v is None for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)

    Dumper.add_representer(float, floats)
    Dumper.add_representer(list, lists)
    return yaml.dump(dict(spec), Dumper=Dumper, sort_keys=False, default_flow_style=False)
