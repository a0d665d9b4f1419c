"""Starting fine-tuning configurations, with the reason and source of every choice.

:func:`recommend` is the engine behind ``optax-sched recommend``. Given the length of a
run (optimizer steps, or a dataset size and epochs) and whether it trains LoRA
adapters or the full model, it proposes the schedule-related fields of a transformers
``TrainingArguments`` / TRL ``SFTConfig`` and, for LoRA, of a PEFT ``LoraConfig``. Each
field comes with a :class:`Choice` saying why it was picked and where the rule comes
from, and :func:`find_risks` flags combinations that tend to go wrong.

**These are heuristics.** The rules of thumb come from a fine-tuning hyperparameter
guide (``seeds/004``) and a learning-rate quick-reference card (``seeds/002``); they
are reasonable first tries, not values tuned for any model or data set. Run a short
pilot, watch the loss, and sweep the learning rate before committing to a long run.

All step arithmetic goes through :func:`optax_sched.plan.training_plan`, so the plan
attached to a recommendation is the one transformers' ``Trainer`` would follow, and
the recommended config builds with :func:`optax_sched.from_training_args`.

==============================================  ==========================================
Rule (heuristic)                                Source
==============================================  ==========================================
LoRA/QLoRA + AdamW: learning rate 2e-4          seeds/004 learning_rate › Simple Default;
                                                seeds/002 "SFT (LoRA) 2e-4"
Full fine-tuning: ~10x smaller, 2e-5            seeds/004 learning_rate › Simple Default
Warmup 3% of optimizer steps (ratio 0.03)       seeds/004 warmup_steps › Simple Default
Runs < ~500 steps: integer warmup 10-25         seeds/004 warmup_steps › Simple Default
Scheduler by run length (<=2k / 2k-20k / 20k+)  seeds/004 lr_scheduler_type › Detailed
                                                Configuration, step 2
Floor: cosine_with_min_lr, min_lr_rate 0.1      seeds/004 lr_scheduler_type › Simple Default
Effective batch ~16 via accumulation            seeds/004 gradient_accumulation_steps ›
                                                Simple Default
LoRA rank by dataset size                       seeds/004 r (lora rank) › Detailed
                                                Configuration
lora_alpha = 2r                                 seeds/004 lora_alpha › Simple Default
rsLoRA alpha = gain * sqrt(r)                   seeds/004 use_rslora › Simple Default
==============================================  ==========================================
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
from collections.abc import Mapping
from typing import Any

from optax_sched.parity.hf import KWARGS, STATEFUL
from optax_sched.parity.training_args import FIELDS
from optax_sched.plan import TrainingPlan, training_plan

__all__ = [
    "DISCLAIMER",
    "RULES",
    "Choice",
    "Recommendation",
    "Risk",
    "find_risks",
    "gradient_accumulation",
    "lora_rank",
    "matched_alpha",
    "recommend",
]

#: Said with every recommendation: what these numbers are and are not.
DISCLAIMER = (
    "These are heuristic starting points (rules of thumb from a fine-tuning guide and "
    "common practice), not values tuned for your model or data. Run a short pilot, "
    "watch the loss and gradient norm, and sweep the learning rate before a long run."
)

_GUIDE = "fine-tuning guide (seeds/004)"
_CARD = "LR quick-reference card (seeds/002)"
_SRC_LR = f"heuristic · {_GUIDE}, learning_rate › Simple Default"
_SRC_LR_LORA = f"{_SRC_LR}; {_CARD}, 'SFT (LoRA) 2e-4'"
_SRC_SCHED = (
    f"heuristic · {_GUIDE}, lr_scheduler_type (SFTConfig) › Detailed Configuration, step 2 "
    "(schedule family by run length)"
)
_SRC_FLOOR = (
    f"heuristic · {_GUIDE}, lr_scheduler_type (SFTConfig) › Simple Default "
    "(cosine_with_min_lr with min_lr_rate 0.1 keeps an LR floor)"
)
_SRC_WSD = (
    f"heuristic · {_GUIDE}, lr_scheduler_type (SFTConfig) › Detailed Configuration, step 4 "
    "(WSD kwargs, min_lr_ratio 0.05) and Tuning Process, step 3 (decay 30-50% of the run)"
)
_SRC_WARMUP = (
    f"heuristic · {_GUIDE}, warmup_steps › Simple Default (3%); transformers "
    "TrainingArguments: warmup_steps < 1 is a ratio of the total, rounded up"
)
_SRC_WARMUP_FLOOR = (
    f"heuristic · {_GUIDE}, warmup_steps › Simple Default, guardrail for runs under "
    "~500 optimizer steps (an integer floor of 10-25 steps)"
)
_SRC_WARMUP_TINY = (
    "heuristic · optax-sched recommend: a 10-step floor would exceed a quarter of a run "
    f"this short, so ~10% of it instead ({_GUIDE}, warmup_steps › Detailed Configuration, "
    "step 5: less warmup when training is extremely short)"
)
_SRC_CONSTANT = "transformers get_constant_schedule: the 'constant' scheduler has no warmup"
_SRC_ACCUM = (
    f"heuristic · {_GUIDE}, gradient_accumulation_steps › Simple Default "
    "(effective batch ~16: ceil(16 / (per_device_train_batch_size x world_size)))"
)
_SRC_RANK = f"heuristic · {_GUIDE}, r (lora rank) › Detailed Configuration (dataset size → ranks)"
_SRC_RANK_DEFAULT = f"heuristic · {_GUIDE}, r (lora rank) › Simple Default (r = 16 for most tasks)"
_SRC_ALPHA = f"heuristic · {_GUIDE}, lora_alpha › Simple Default (alpha = r or 2r; start with 2r)"
_SRC_RSLORA = (
    f"heuristic · {_GUIDE}, use_rslora › Simple Default (gain matching: lora_alpha ≈ "
    "gain x sqrt(r)); PEFT LoraConfig: LoRA scales by alpha/r, rsLoRA by alpha/sqrt(r)"
)
_SRC_RSLORA_RANK = (
    f"heuristic · {_GUIDE}, r (lora rank) › Detailed Configuration (200,000+ examples or "
    "ranks above 64: consider rsLoRA)"
)
_SRC_STANDARD = "PEFT LoraConfig default (use_rslora=False): standard alpha/r scaling"

#: Each rule of thumb :func:`recommend` applies, with where it comes from.
RULES: tuple[tuple[str, str], ...] = (
    ("LoRA/QLoRA with AdamW: learning_rate 2e-4", _SRC_LR_LORA),
    ("full fine-tuning: learning_rate about 10x smaller, 2e-5", _SRC_LR),
    ("warmup 3% of the optimizer steps (warmup_steps=0.03)", _SRC_WARMUP),
    ("3% under 10 steps (runs under ~500 steps): integer warmup of 10-25", _SRC_WARMUP_FLOOR),
    ("runs under 40 steps: warmup ~10% of the run, never the whole run", _SRC_WARMUP_TINY),
    ("<= 2,000 steps: linear (or constant_with_warmup)", _SRC_SCHED),
    ("2,000-20,000 steps: cosine (or linear)", _SRC_SCHED),
    (">= 20,000 steps: cosine_with_min_lr, min_lr_rate 0.1 (or warmup_stable_decay)", _SRC_SCHED),
    ("multi-stage or resumable runs: keep a floor (cosine_with_min_lr, 0.1)", _SRC_FLOOR),
    ("warmup_stable_decay: decay the last 30% after warmup, min_lr_ratio 0.05", _SRC_WSD),
    ("gradient_accumulation_steps = ceil(16 / (per_device x world_size)), >= 1", _SRC_ACCUM),
    ("LoRA rank: <500 → 8, <2k → 16, <10k → 16, <50k → 32, <200k → 64, 200k+ → 64", _SRC_RANK),
    ("no dataset size: r = 16", _SRC_RANK_DEFAULT),
    ("lora_alpha = 2r", _SRC_ALPHA),
    ("rsLoRA (200k+ examples or r > 64): lora_alpha = round(2 x sqrt(r))", _SRC_RSLORA),
)

#: Starting learning rates by mode (AdamW).
LEARNING_RATE = {"lora": 2e-4, "full": 2e-5}
#: Learning rates above these are flagged as unusually high for the mode.
HIGH_LEARNING_RATE = {"lora": 1e-3, "full": 1e-4}
#: Warmup as a fraction of the run.
WARMUP_RATIO = 0.03
#: Integer warmup bounds for short runs, and the run length below which they apply.
WARMUP_FLOOR, WARMUP_CAP, SHORT_RUN = 10, 25, 500
#: Warmup longer than this fraction of the run is flagged.
LONG_WARMUP = 0.25
#: Scheduler families: short runs up to this many steps, long runs from this many.
SHORT_SCHEDULE, LONG_SCHEDULE = 2_000, 20_000
#: The LR floor kept by ``cosine_with_min_lr``, as a fraction of the peak.
MIN_LR_RATE = 0.1
#: warmup_stable_decay: fraction of the post-warmup steps spent decaying, and its floor.
WSD_DECAY_FRACTION, WSD_MIN_LR_RATIO = 0.3, 0.05
#: Examples per optimizer update to aim for, and the range outside which it is flagged.
TARGET_BATCH, SMALL_BATCH, LARGE_BATCH = 16, 4, 256
#: The standard-LoRA gain that ``lora_alpha = 2r`` gives, kept when switching to rsLoRA.
LORA_GAIN = 2.0
#: Ranks above this are flagged without rsLoRA.
HIGH_RANK = 64
#: (dataset sizes below this bound, rank, the guide's bucket) in order; then the top bucket.
RANK_BUCKETS: tuple[tuple[int, int, str], ...] = (
    (500, 8, "under 500 examples: r 4-8"),
    (2_000, 16, "500-2,000 examples: r 8-16"),
    (10_000, 16, "2,000-10,000 examples: r 16-32, 16 as the safe start"),
    (50_000, 32, "10,000-50,000 examples: r 32-64"),
    (200_000, 64, "50,000-200,000 examples: r 64, higher only with evidence"),
)
TOP_BUCKET = (64, "200,000+ examples: r 64-128, with rsLoRA")
#: A schedule that ends below this fraction of its peak counts as decaying to zero.
ZERO_FLOOR = 0.01
#: The schedulers whose decay ends at a floor (a fraction of the peak) of 0.
_TO_ZERO = ("linear", "cosine", "cosine_with_restarts")
_MIN_LR = ("cosine_with_min_lr", "cosine_warmup_with_min_lr")
_LORA_FIELDS = ("r", "lora_alpha", "use_rslora")
_ERROR, _WARNING = "error", "warning"


@dataclasses.dataclass(frozen=True)
class Choice:
    """One recommended field and why.

    Attributes:
      field: the config field (``learning_rate``, ``r``, ...).
      value: the recommended value.
      reason: why this value, in a sentence or two (``"given ..."`` for a value the
        caller passed, which is kept as is).
      source: where the rule comes from; heuristics start with ``"heuristic ·"``.
    """

    field: str
    value: Any
    reason: str
    source: str


@dataclasses.dataclass(frozen=True)
class Risk:
    """A combination of settings that tends to go wrong.

    Attributes:
      fields: the config fields involved.
      message: what is wrong and what it does to training.
      fix: what to change.
      severity: ``"error"`` (the run is broken or transformers rejects it) or
        ``"warning"`` (it runs, but probably not as intended).
    """

    fields: tuple[str, ...]
    message: str
    fix: str
    severity: str


@dataclasses.dataclass(frozen=True)
class Recommendation:
    """A starting configuration, the reasons behind it and its risks.

    Attributes:
      config: ``TrainingArguments`` / ``SFTConfig`` fields: ``learning_rate``,
        ``lr_scheduler_type``, ``lr_scheduler_kwargs`` (only when non-empty),
        ``warmup_steps``, ``max_steps`` or ``num_train_epochs``,
        ``per_device_train_batch_size``, ``gradient_accumulation_steps``. Accepted by
        :func:`optax_sched.from_training_args` (with ``dataset_size`` and
        ``world_size`` for an epoch-based run).
      lora: PEFT ``LoraConfig`` fields ``r``, ``lora_alpha``, ``use_rslora``; ``None``
        for full fine-tuning.
      choices: one :class:`Choice` per field of ``config`` and ``lora``.
      risks: what :func:`find_risks` flags in the result (empty unless a value the
        caller passed is risky).
      plan: the :class:`~optax_sched.plan.TrainingPlan` the ``Trainer`` would follow.
    """

    config: dict[str, Any]
    lora: dict[str, Any] | None
    choices: tuple[Choice, ...]
    risks: tuple[Risk, ...]
    plan: TrainingPlan

    @property
    def disclaimer(self) -> str:
        """That these are heuristic starting points, not tuned values (:data:`DISCLAIMER`)."""
        return DISCLAIMER

    def to_dict(self) -> dict[str, Any]:
        """Plain data (dicts, lists, numbers, strings) for JSON or YAML output."""
        return {
            "disclaimer": DISCLAIMER,
            "config": dict(self.config),
            "lora": None if self.lora is None else dict(self.lora),
            "choices": [dataclasses.asdict(c) for c in self.choices],
            "risks": [{**dataclasses.asdict(r), "fields": list(r.fields)} for r in self.risks],
            "plan": dataclasses.asdict(self.plan),
        }


def gradient_accumulation(per_device_batch: int, world_size: int = 1) -> int:
    """Accumulation steps for an effective batch of about 16 examples.

    Args:
      per_device_batch: micro-batch per device.
      world_size: data-parallel devices.

    Returns:
      ``ceil(16 / (per_device_batch * world_size))``, or 1 when one micro-batch over
      all devices already holds 16 or more.

    Examples:
      >>> from optax_sched.recommend import gradient_accumulation
      >>> [gradient_accumulation(b) for b in (1, 2, 3, 4, 16, 32)]
      [16, 8, 6, 4, 1, 1]
    """
    per_step = _positive_int("gradient_accumulation", "per_device_batch", per_device_batch)
    per_step *= _positive_int("gradient_accumulation", "world_size", world_size)
    return max(1, math.ceil(TARGET_BATCH / per_step))


def lora_rank(dataset_size: int | None) -> tuple[int, str]:
    """The LoRA rank for a dataset size, and the guide's bucket it falls in.

    Args:
      dataset_size: number of training examples, or ``None`` when unknown.

    Returns:
      ``(rank, bucket)``: 8 under 500 examples, 16 up to 10,000, 32 up to 50,000 and
      64 beyond (the guide suggests rsLoRA from 200,000); 16 when the size is unknown.

    Examples:
      >>> from optax_sched.recommend import lora_rank
      >>> [lora_rank(n)[0] for n in (100, 500, 5_000, 10_000, 50_000, 1_000_000)]
      [8, 16, 16, 32, 64, 64]
    """
    if dataset_size is None:
        return 16, "unknown dataset size: r 16 for most tasks"
    for bound, rank, bucket in RANK_BUCKETS:
        if dataset_size < bound:
            return rank, bucket
    return TOP_BUCKET


def matched_alpha(rank: int, gain: float = LORA_GAIN) -> int:
    r"""The rsLoRA ``lora_alpha`` that keeps a standard-LoRA gain.

    Standard LoRA scales the adapter by :math:`\alpha / r` and rsLoRA by
    :math:`\alpha / \sqrt{r}`, so the same gain :math:`g` under rsLoRA needs
    :math:`\alpha = g \sqrt{r}` (rounded, at least 1).

    Args:
      rank: the LoRA rank ``r``.
      gain: the standard-LoRA gain ``lora_alpha / r`` to keep (2 for ``alpha = 2r``).

    Returns:
      ``lora_alpha`` for ``use_rslora=True``.

    Examples:
      >>> from optax_sched.recommend import matched_alpha
      >>> matched_alpha(64), matched_alpha(16), matched_alpha(64, gain=1)
      (16, 8, 8)
    """
    r = _positive_int("matched_alpha", "rank", rank)
    return max(1, round(gain * math.sqrt(r)))


def recommend(
    *,
    steps: int | None = None,
    mode: str = "lora",
    dataset_size: int | None = None,
    epochs: float | None = None,
    per_device_batch: int = 4,
    world_size: int = 1,
    learning_rate: float | None = None,
    scheduler: str | None = None,
    warmup_steps: int | float | None = None,
    min_lr_rate: float | None = None,
    min_lr: float | None = None,
    rank: int | None = None,
    rslora: bool | None = None,
    stages: int = 1,
    resumable: bool = False,
) -> Recommendation:
    """A starting fine-tuning configuration, each field with its reason and source.

    The run length is ``steps`` optimizer updates, or ``epochs`` passes (default 1)
    over ``dataset_size`` examples; either way it is computed by
    :func:`~optax_sched.plan.training_plan` with the recommended accumulation. Every
    other field is picked by a rule of thumb (see :data:`RULES`) unless given: a value
    you pass is kept as is, even a risky one, and :func:`find_risks` flags it in
    :attr:`Recommendation.risks`. The values it picks itself raise no risk, except an
    effective batch that ``per_device_batch * world_size`` alone pushes past 256.

    Args:
      steps: run length in optimizer updates (``max_steps``).
      mode: ``"lora"`` (LoRA or QLoRA adapters) or ``"full"`` (all weights).
      dataset_size: training examples; picks the LoRA rank, and with ``epochs`` (or
        alone, for one epoch) gives the run length.
      epochs: passes over the data (``num_train_epochs``); needs ``dataset_size`` and
        excludes ``steps``.
      per_device_batch: micro-batch per device (``per_device_train_batch_size``), the
        largest that fits in memory.
      world_size: data-parallel devices.
      learning_rate: peak learning rate, instead of the mode's default.
      scheduler: a transformers ``lr_scheduler_type``, instead of the pick by length.
      warmup_steps: warmup as an int step count or a ratio below 1.
      min_lr_rate: LR floor as a fraction of the peak (for ``cosine_with_min_lr``;
        becomes ``min_lr_ratio`` for ``warmup_stable_decay`` and ``lr_end`` for
        ``polynomial``). With no ``scheduler``, picks ``cosine_with_min_lr``.
      min_lr: LR floor as an absolute value (instead of ``min_lr_rate``).
      rank: LoRA rank ``r``, instead of the pick by dataset size.
      rslora: whether to use rank-stabilized LoRA scaling.
      stages: training stages that continue from this run's end (2 or more: keep a
        floor, so the next stage does not start from a learning rate of zero).
      resumable: the run may be resumed or extended past its end (keep a floor).

    Returns:
      A :class:`Recommendation`.

    Raises:
      ValueError: for invalid input (neither ``steps`` nor ``dataset_size``, negative
        counts, an unknown scheduler or mode, both ``min_lr`` and ``min_lr_rate``, a
        floor for a scheduler that has none, LoRA fields with ``mode="full"``), with
        the field, the value and the fix.

    Examples:
      >>> from optax_sched.recommend import recommend
      >>> rec = recommend(steps=1_000)
      >>> rec.config["learning_rate"], rec.config["lr_scheduler_type"]
      (0.0002, 'linear')
      >>> rec.config["warmup_steps"], rec.plan.warmup_steps
      (0.03, 30)
      >>> rec.config["gradient_accumulation_steps"], rec.plan.effective_batch_size
      (4, 16)
      >>> rec.lora
      {'r': 16, 'lora_alpha': 32, 'use_rslora': False}
    """
    where = "recommend"
    mode = _check_mode(mode)
    b = _positive_int(where, "per_device_batch", per_device_batch)
    w = _positive_int(where, "world_size", world_size)
    stages = _positive_int(where, "stages", stages)
    if not isinstance(resumable, bool):
        raise ValueError(f"{where}: resumable must be True or False; got resumable={resumable!r}.")
    steps, dataset_size, epochs = _check_length(steps, dataset_size, epochs)
    lr_given = learning_rate is not None
    if lr_given:
        _positive_number(where, "learning_rate", learning_rate, hint="e.g. learning_rate=2e-4")
    scheduler = _check_scheduler(scheduler)
    if warmup_steps is not None:
        _check_warmup(warmup_steps)
    floor = _check_floor(scheduler, min_lr_rate, min_lr)
    _check_lora_args(mode, rank, rslora)

    g = gradient_accumulation(b, w)
    length = dict(
        max_steps=-1 if steps is None else steps,
        num_train_epochs=1.0 if epochs is None else epochs,
        dataset_size=dataset_size,
        per_device_train_batch_size=b,
        gradient_accumulation_steps=g,
        world_size=w,
    )
    total = training_plan(**length).total_steps
    keep_floor = stages > 1 or resumable
    choices: list[Choice] = []

    lr = LEARNING_RATE[mode] if learning_rate is None else learning_rate
    if lr_given:
        choices.append(_given("learning_rate", lr))
    elif mode == "lora":
        reason = (
            "A common first try for LoRA or QLoRA adapters trained with AdamW: adapters are "
            "a small subspace and need a larger step than full fine-tuning. Treat it as the "
            "centre of a learning-rate sweep, not a tuned value."
        )
        choices.append(Choice("learning_rate", lr, reason, _SRC_LR_LORA))
    else:
        reason = (
            "Updating every weight calls for roughly a tenth of the LoRA starting rate "
            "(2e-4), so 2e-5; a starting point to sweep around, not a tuned value."
        )
        choices.append(Choice("learning_rate", lr, reason, _SRC_LR))

    name, reason, source = _pick_scheduler(scheduler, total, keep_floor, floor)
    choices.append(Choice("lr_scheduler_type", name, reason, source))

    warmup, reason, source = _pick_warmup(name, warmup_steps, total)
    plan = training_plan(**length, warmup_steps=warmup)
    if isinstance(warmup, float) and warmup < 1:
        reason += f" Here that is {plan.warmup_steps:,} of {total:,} steps."
    warmup_choice = Choice("warmup_steps", warmup, reason, source)

    kwargs, reason, source = _pick_kwargs(name, lr, floor, plan)
    if kwargs:
        choices.append(Choice("lr_scheduler_kwargs", kwargs, reason, source))
    choices.append(warmup_choice)

    if steps is not None:
        note = "" if plan.epochs is None else f" (about {plan.epochs:.3g} epochs of the data)"
        reason = f"given: the run is {steps:,} optimizer updates{note}."
        choices.append(Choice("max_steps", steps, reason, "given (steps)"))
    elif epochs is not None:
        reason = (
            f"given: {epochs:g} passes over {dataset_size:,} examples, {plan.total_steps:,} "
            f"optimizer updates at {plan.updates_per_epoch:,} per epoch."
        )
        choices.append(Choice("num_train_epochs", epochs, reason, "given (epochs)"))
    else:
        reason = (
            f"Only the dataset size was given, so one pass over its {dataset_size:,} examples "
            f"({plan.total_steps:,} optimizer updates); pass epochs or steps to change it."
        )
        source = "optax-sched recommend default: one epoch when only dataset_size is given"
        choices.append(Choice("num_train_epochs", 1, reason, source))

    if per_device_batch == 4:
        reason = (
            "A micro-batch of 4 sequences per device (the default); set it to the largest that "
            "fits in memory, and the accumulation below keeps the effective batch near 16."
        )
        source = (
            f"optax-sched recommend default; {_GUIDE}, gradient_accumulation_steps › Simple "
            "Default (a per-device batch of 4-8 sequences)"
        )
    else:
        reason = "given: the micro-batch each device processes per forward pass."
        source = "given (per_device_batch)"
    choices.append(Choice("per_device_train_batch_size", b, reason, source))

    per_step = f"{b} per device x {w} device{'s' if w > 1 else ''}"
    if g == 1:
        reason = (
            f"One micro-batch ({per_step} = {b * w}) already reaches the target of about "
            f"{TARGET_BATCH} examples per update, so no accumulation."
        )
    else:
        reason = (
            f"Aims for about {TARGET_BATCH} examples per optimizer update, enough to smooth "
            f"the gradient noise: {g} micro-batches of {per_step} give {plan.effective_batch_size}."
        )
        if 4 <= b * w < TARGET_BATCH:
            reason += (
                " (The guide would also accept no accumulation once 4-8 sequences fit per "
                "device; aiming for 16 keeps the effective batch independent of memory.)"
            )
    choices.append(Choice("gradient_accumulation_steps", g, reason, _SRC_ACCUM))

    config: dict[str, Any] = {"learning_rate": lr, "lr_scheduler_type": name}
    if kwargs:
        config["lr_scheduler_kwargs"] = kwargs
    config["warmup_steps"] = warmup
    if steps is not None:
        config["max_steps"] = steps
    else:
        config["num_train_epochs"] = 1 if epochs is None else epochs
    config["per_device_train_batch_size"] = b
    config["gradient_accumulation_steps"] = g

    lora = None
    if mode == "lora":
        lora, lora_choices = _pick_lora(dataset_size, rank, rslora)
        choices += lora_choices

    risks = find_risks(
        {**config, **(lora or {})},
        total_steps=plan.total_steps,
        stages=stages,
        resumable=resumable,
        mode=mode,
        world_size=w,
    )
    return Recommendation(config, lora, tuple(choices), tuple(risks), plan)


def find_risks(
    config: Mapping[str, Any],
    *,
    total_steps: int,
    stages: int = 1,
    resumable: bool = False,
    mode: str | None = None,
    world_size: int | None = None,
) -> list[Risk]:
    """Risky combinations in a training config, read from its raw values.

    Nothing is built: the schedule builders reject some of these configs outright,
    and the point here is to explain why. Missing schedule fields take transformers'
    defaults (:data:`optax_sched.parity.training_args.FIELDS`). Flags: warmup that
    fills the run (error) or more than a quarter of it; a floor above the peak
    (error) or equal to it (no decay); a decay to zero when another stage follows or
    the run may be resumed; under 10 warmup steps in a run under 500; a learning rate
    unusually high for the mode; an effective batch under 4 or over 256; a LoRA rank
    above 64 without rsLoRA, or rsLoRA with an alpha meant for standard scaling;
    warmup given to the ``constant`` scheduler (which ignores it); an unknown
    scheduler; and numbers written as text (PyYAML reads ``2e-4`` as a string).

    Args:
      config: ``TrainingArguments`` / ``SFTConfig`` fields, optionally with the PEFT
        ``LoraConfig`` fields ``r``, ``lora_alpha``, ``use_rslora`` and the run fact
        ``world_size``.
      total_steps: optimizer updates in the run (e.g. ``training_plan(...).total_steps``).
      stages: training stages that continue from this run's end.
      resumable: whether the run may be resumed or extended past its end.
      mode: ``"lora"`` or ``"full"``, for the learning-rate check; ``None`` means
        ``"lora"`` if ``config`` has LoRA fields, else only the LoRA bound (1e-3),
        which is high for either mode.
      world_size: data-parallel devices (default: ``config["world_size"]`` or 1).

    Returns:
      A list of :class:`Risk`, errors first; empty when nothing stands out.

    Examples:
      >>> from optax_sched.recommend import find_risks
      >>> config = {"learning_rate": 2e-4, "lr_scheduler_type": "linear", "warmup_steps": 30}
      >>> find_risks(config, total_steps=1_000)
      []
      >>> [r.severity for r in find_risks({**config, "warmup_steps": 1_000}, total_steps=1_000)]
      ['error']
    """
    where = "find_risks"
    total = _positive_int(where, "total_steps", total_steps)
    stages = _positive_int(where, "stages", stages)
    if mode is not None:
        mode = _check_mode(mode)
    elif any(k in config for k in _LORA_FIELDS):
        mode = "lora"
    values = {k: config.get(k, default) for k, default in FIELDS.items()}
    risks: list[Risk] = []

    lr = _read_number(values["learning_rate"], "learning_rate", risks)
    name = getattr(values["lr_scheduler_type"], "value", values["lr_scheduler_type"])
    if name not in KWARGS and name not in STATEFUL:
        close = difflib.get_close_matches(str(name), list(KWARGS), n=1)
        fix = f"use {close[0]!r}." if close else f"use one of: {', '.join(KWARGS)}."
        message = f"lr_scheduler_type={name!r} is not a transformers scheduler name."
        risks.append(Risk(("lr_scheduler_type",), message, fix, _ERROR))
    kwargs = _read_kwargs(values["lr_scheduler_kwargs"], risks)

    warmup = _resolve_warmup(values, total, risks)
    if warmup is not None:
        length = "max_steps" if config.get("max_steps", -1) != -1 else "num_train_epochs"
        _warmup_risks(name, warmup, total, length, risks)
    if lr is not None and lr > 0:
        if kwargs is not None:
            _floor_risks(name, lr, kwargs, stages, resumable, risks)
        _lr_risks(lr, mode, risks)

    b = _read_number(values["per_device_train_batch_size"], "per_device_train_batch_size", risks)
    g = _read_number(values["gradient_accumulation_steps"], "gradient_accumulation_steps", risks)
    w = world_size if world_size is not None else config.get("world_size", 1)
    if b is not None and g is not None and isinstance(w, int):
        effective = b * g * w
        if not SMALL_BATCH <= effective <= LARGE_BATCH:
            size = "small" if effective < SMALL_BATCH else "large"
            message = (
                f"note: the effective batch is {effective:g} examples per update "
                f"(per_device_train_batch_size x gradient_accumulation_steps x world_size), "
                f"unusually {size}; updates will be "
                + ("noisy." if size == "small" else "rare, and the LR may need rescaling.")
            )
            fix = (
                f"aim for about {TARGET_BATCH}: gradient_accumulation_steps = "
                f"ceil({TARGET_BATCH} / (per_device_train_batch_size x world_size))."
            )
            fields = ("per_device_train_batch_size", "gradient_accumulation_steps")
            risks.append(Risk(fields, message, fix, _WARNING))

    _lora_risks(config, risks)
    return sorted(risks, key=lambda risk: risk.severity != _ERROR)


# --- input checks -------------------------------------------------------------------


def _positive_int(where: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where}: {name} must be a positive int; got {name}={value!r}.")
    return value


def _positive_number(where: str, name: str, value: Any, *, hint: str) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"{where}: {name} must be a positive finite number; got {name}={value!r} ({hint})."
        )
    return float(value)


def _check_mode(mode: Any) -> str:
    if mode in LEARNING_RATE:
        return mode
    hint = " (QLoRA trains LoRA adapters: use 'lora')" if str(mode).lower() == "qlora" else ""
    raise ValueError(
        f"recommend: mode must be 'lora' or 'full'; got mode={mode!r}{hint}. Use 'lora' for "
        "LoRA/QLoRA adapters and 'full' for full fine-tuning."
    )


def _check_length(
    steps: Any, dataset_size: Any, epochs: Any
) -> tuple[int | None, int | None, float | None]:
    where = "recommend"
    if epochs is not None and dataset_size is None:
        raise ValueError(
            f"{where}: epochs={epochs!r} needs dataset_size (the number of training "
            "examples) to count optimizer steps; pass dataset_size=... or steps=... instead."
        )
    if steps is None and dataset_size is None:
        raise ValueError(
            f"{where}: the run length is unknown; pass steps=... (optimizer updates) or "
            "dataset_size=... (training examples, with epochs=..., default 1)."
        )
    if steps is not None:
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(
                f"{where}: steps must be a positive int (optimizer updates); got steps={steps!r}. "
                "Pass e.g. steps=1000, or dataset_size=... with epochs=... instead."
            )
        if epochs is not None:
            raise ValueError(
                f"{where}: got both steps={steps!r} and epochs={epochs!r}; pass one (transformers' "
                "max_steps overrides num_train_epochs)."
            )
    if dataset_size is not None:
        dataset_size = _positive_int(where, "dataset_size", dataset_size)
    if epochs is not None:
        _positive_number(where, "epochs", epochs, hint="e.g. epochs=2")
    return steps, dataset_size, epochs


def _check_scheduler(scheduler: Any) -> str | None:
    if scheduler is None or scheduler in KWARGS:
        return scheduler
    if scheduler in STATEFUL:
        raise ValueError(
            f"recommend: scheduler={scheduler!r} follows a metric, not the step count, so it "
            f"has no schedule to recommend; use a step-based one: {', '.join(KWARGS)}."
        )
    close = difflib.get_close_matches(str(scheduler), list(KWARGS), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ValueError(
        f"recommend: unknown scheduler={scheduler!r}; {hint}transformers' lr_scheduler_type "
        f"values are: {', '.join(KWARGS)}."
    )


def _check_warmup(warmup: Any) -> None:
    ok = isinstance(warmup, int | float) and not isinstance(warmup, bool)
    if not ok or not math.isfinite(warmup) or warmup < 0:
        raise ValueError(
            f"recommend: warmup_steps must be an int >= 0 (steps) or a ratio in [0, 1); got "
            f"warmup_steps={warmup!r}. Pass e.g. warmup_steps=30 or warmup_steps=0.03."
        )


def _check_floor(scheduler: str | None, min_lr_rate: Any, min_lr: Any) -> tuple[str, float] | None:
    """``(field, value)`` of the floor the caller gave, checked; ``None`` if none."""
    where = "recommend"
    if min_lr_rate is not None and min_lr is not None:
        raise ValueError(
            f"{where}: got both min_lr={min_lr!r} and min_lr_rate={min_lr_rate!r}; pass one "
            "(min_lr is absolute, min_lr_rate a fraction of learning_rate)."
        )
    if min_lr_rate is None and min_lr is None:
        return None
    field, value = ("min_lr_rate", min_lr_rate) if min_lr is None else ("min_lr", min_lr)
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        raise ValueError(
            f"{where}: {field} must be a number >= 0; got {field}={value!r} "
            "(e.g. min_lr_rate=0.1 for a floor at 10% of the peak)."
        )
    if scheduler is not None and scheduler not in (*_MIN_LR, "warmup_stable_decay", "polynomial"):
        raise ValueError(
            f"{where}: {field}={value!r} needs a scheduler with a floor, but scheduler="
            f"{scheduler!r} has none; use cosine_with_min_lr, warmup_stable_decay or "
            f"polynomial, or drop {field}."
        )
    return field, float(value)


def _check_lora_args(mode: str, rank: Any, rslora: Any) -> None:
    where = "recommend"
    if mode == "full":
        for name, value in (("rank", rank), ("rslora", rslora)):
            if value is not None:
                raise ValueError(
                    f"{where}: {name}={value!r} is a LoRA setting but mode='full'; drop {name} "
                    "or use mode='lora'."
                )
        return
    if rank is not None:
        _positive_int(where, "rank", rank)
    if rslora is not None and not isinstance(rslora, bool):
        raise ValueError(f"{where}: rslora must be True or False; got rslora={rslora!r}.")


# --- choices ------------------------------------------------------------------------


def _given(field: str, value: Any) -> Choice:
    reason = f"given: {field}={value!r} is kept as you passed it; see the risks for any concern."
    return Choice(field, value, reason, f"given ({field})")


def _pick_scheduler(
    scheduler: str | None, total: int, keep_floor: bool, floor: tuple[str, float] | None
) -> tuple[str, str, str]:
    """``(name, reason, source)`` for ``lr_scheduler_type``."""
    if scheduler is not None:
        return (
            scheduler,
            f"given: lr_scheduler_type={scheduler!r} is kept as you passed it.",
            ("given (scheduler)"),
        )
    steps = f"{total:,} optimizer steps"
    if keep_floor:
        reason = (
            "Another stage follows this run or it may be resumed, so the rate should not end "
            "at zero: cosine down to a floor of 10% of the peak leaves the next stage (or the "
            "resumed run) a learning rate that still moves the weights."
        )
        return "cosine_with_min_lr", reason, _SRC_FLOOR
    if floor is not None:
        reason = (
            f"You asked for an LR floor ({floor[0]}), and cosine_with_min_lr is the transformers "
            "scheduler that decays to one."
        )
        return "cosine_with_min_lr", reason, _SRC_FLOOR
    if total <= SHORT_SCHEDULE:
        reason = (
            f"{steps} is a short run (up to ~{SHORT_SCHEDULE:,}). A linear ramp down is the "
            "transformers/TRL default and easy to reason about at this length; "
            "constant_with_warmup is the alternative if you would rather not decay at all."
        )
        return "linear", reason, _SRC_SCHED
    if total < LONG_SCHEDULE:
        reason = (
            f"{steps} is a medium-length run ({SHORT_SCHEDULE:,}-{LONG_SCHEDULE:,}). Cosine "
            "stays near the peak longer than linear and eases off smoothly at the end; linear "
            "is an equally reasonable pick here."
        )
        return "cosine", reason, _SRC_SCHED
    reason = (
        f"{steps} is a long run ({LONG_SCHEDULE:,} or more). Cosine down to a floor of 10% of "
        "the peak keeps the late updates doing useful work instead of fading to nothing; "
        "warmup_stable_decay is the other common choice at this length."
    )
    return "cosine_with_min_lr", reason, _SRC_SCHED


def _pick_warmup(name: str, warmup: int | float | None, total: int) -> tuple[int | float, str, str]:
    """``(warmup_steps, reason, source)``; a ratio or an int, never the whole run."""
    if warmup is not None:
        return (
            warmup,
            f"given: warmup_steps={warmup!r} is kept as you passed it.",
            ("given (warmup_steps)"),
        )
    if name == "constant":
        reason = (
            "transformers' 'constant' scheduler has no warmup phase (it ignores warmup_steps); "
            "use constant_with_warmup to ramp up first."
        )
        return 0, reason, _SRC_CONSTANT
    three_percent = training_plan(max_steps=total, warmup_steps=WARMUP_RATIO).warmup_steps
    if three_percent >= WARMUP_FLOOR:
        reason = (
            "Ramp the rate up over the first 3% of the optimizer updates to avoid an unstable "
            "start. Written as a ratio (transformers >= 5 reads warmup_steps below 1 as a "
            "fraction of the run, rounded up; older versions take warmup_ratio=0.03)."
        )
        return WARMUP_RATIO, reason, _SRC_WARMUP
    if WARMUP_FLOOR <= LONG_WARMUP * total:
        steps = max(WARMUP_FLOOR, min(WARMUP_CAP, three_percent))
        reason = (
            f"3% of a {total:,}-step run is only {three_percent} step"
            f"{'s' if three_percent != 1 else ''}, too few to settle the optimizer; a short run "
            f"gets an integer floor of {WARMUP_FLOOR}-{WARMUP_CAP} steps instead, here {steps}."
        )
        return steps, reason, _SRC_WARMUP_FLOOR
    steps = total // 10
    reason = (
        f"A {total}-step run is too short for the usual 10-step floor (it would be over a "
        f"quarter of the run), so about 10% of it: {steps} step{'s' if steps != 1 else ''}."
    )
    return steps, reason, _SRC_WARMUP_TINY


def _pick_kwargs(
    name: str, lr: float, floor: tuple[str, float] | None, plan: TrainingPlan
) -> tuple[dict[str, Any], str, str]:
    """``(lr_scheduler_kwargs, reason, source)``; empty kwargs when the defaults serve."""
    if name in _MIN_LR:
        if floor is not None:
            reason = f"given: the floor {floor[0]}={floor[1]!r}, kept as you passed it."
            return {floor[0]: floor[1]}, reason, f"given ({floor[0]})"
        reason = (
            f"The floor is {MIN_LR_RATE:.0%} of the peak ({lr * MIN_LR_RATE:.3g}): low enough "
            "for the decay to settle the weights, high enough to keep learning near the end."
        )
        return {"min_lr_rate": MIN_LR_RATE}, reason, _SRC_FLOOR
    if name == "warmup_stable_decay":
        after = plan.total_steps - plan.warmup_steps
        decay = max(1, round(WSD_DECAY_FRACTION * after)) if after > 0 else 0
        if floor is None:
            ratio, note = WSD_MIN_LR_RATIO, f"a floor of {WSD_MIN_LR_RATIO:.0%} of the peak"
            source = _SRC_WSD
        else:
            ratio = floor[1] if floor[0] == "min_lr_rate" else floor[1] / lr
            note = f"your floor {floor[0]}={floor[1]!r} as min_lr_ratio={ratio:.3g}"
            source = f"{_SRC_WSD}; given ({floor[0]})"
        reason = (
            f"Hold the peak, then cool down over the last {WSD_DECAY_FRACTION:.0%} of the "
            f"post-warmup steps ({decay:,} of {after:,}) to {note}."
        )
        return {"num_decay_steps": decay, "min_lr_ratio": ratio}, reason, source
    if name == "polynomial" and floor is not None:
        lr_end = floor[1] if floor[0] == "min_lr" else floor[1] * lr
        reason = f"given: your floor {floor[0]}={floor[1]!r} as polynomial's lr_end={lr_end:.3g}."
        return {"lr_end": lr_end}, reason, f"given ({floor[0]})"
    return {}, "", ""


def _pick_lora(
    dataset_size: int | None, rank: int | None, rslora: bool | None
) -> tuple[dict[str, Any], list[Choice]]:
    """PEFT LoraConfig fields ``r``, ``lora_alpha``, ``use_rslora`` with their choices."""
    choices: list[Choice] = []
    bucket_rank, bucket = lora_rank(dataset_size)
    top = dataset_size is not None and dataset_size >= RANK_BUCKETS[-1][0]
    if rank is not None:
        r = rank
        choices.append(_given("r", r))
    else:
        r = bucket_rank
        if dataset_size is None:
            reason = (
                "No dataset size given, so the rank most tasks start from; pass dataset_size "
                "to size it to the data."
            )
            choices.append(Choice("r", r, reason, _SRC_RANK_DEFAULT))
        else:
            reason = (
                f"{dataset_size:,} examples falls in the guide's bucket '{bucket}'. More rank "
                "is more adapter capacity, which small data tends to spend memorising; "
                "sweep one rank below and above and keep the smallest that wins."
            )
            choices.append(Choice("r", r, reason, _SRC_RANK))
    if rslora is not None:
        use_rs = rslora
        choices.append(_given("use_rslora", use_rs))
    elif top or r > HIGH_RANK:
        use_rs = True
        why = f"{dataset_size:,} examples" if top and r <= HIGH_RANK else f"rank {r}"
        reason = (
            f"At {why}, rank-stabilised scaling (alpha/sqrt(r) instead of alpha/r) keeps the "
            "adapter's updates from shrinking as the rank grows."
        )
        choices.append(Choice("use_rslora", True, reason, _SRC_RSLORA_RANK))
    else:
        use_rs = False
        reason = (
            f"At rank {r}, standard LoRA scaling (alpha/r) is well-trodden; rsLoRA pays off "
            "mainly at higher ranks."
        )
        choices.append(Choice("use_rslora", False, reason, _SRC_STANDARD))
    if use_rs:
        alpha = matched_alpha(r)
        reason = (
            f"rsLoRA scales by alpha/sqrt(r), so alpha = 2 x sqrt({r}) ≈ {alpha} gives the "
            f"adapter the same gain ({LORA_GAIN:g}) as alpha = 2r under standard scaling; "
            f"keeping alpha = 2r = {2 * r} would make it {2 * r}/sqrt({r}) ≈ "
            f"{2 * math.sqrt(r):.3g} instead."
        )
        choices.append(Choice("lora_alpha", alpha, reason, _SRC_RSLORA))
    else:
        alpha = 2 * r
        reason = (
            f"Twice the rank (gain alpha/r = {LORA_GAIN:g}), the livelier of the two usual "
            "ratios; use alpha = r if the adapter overfits early."
        )
        choices.append(Choice("lora_alpha", alpha, reason, _SRC_ALPHA))
    return {"r": r, "lora_alpha": alpha, "use_rslora": use_rs}, choices


# --- risk checks --------------------------------------------------------------------


def _read_number(value: Any, field: str, risks: list[Risk]) -> float | None:
    """``value`` as a float, or ``None`` after flagging text or a non-number."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        message = (
            f"{field}={value!r} is text, not a number (PyYAML reads exponent notation "
            "without a decimal point, such as 2e-4, as a string)."
        )
        fix = f"write it as a number with a decimal point, e.g. {field}: 2.0e-4 (or 0.0002)."
    else:
        message = f"{field}={value!r} is not a finite number."
        fix = f"set {field} to a number."
    risks.append(Risk((field,), message, fix, _ERROR))
    return None


def _read_kwargs(value: Any, risks: list[Risk]) -> dict[str, Any] | None:
    """``lr_scheduler_kwargs`` as a dict (transformers also takes a JSON string), or ``None``."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, dict):
            message = "lr_scheduler_kwargs is a string that is not a JSON object."
            fix = 'write it as a mapping, e.g. lr_scheduler_kwargs: {"min_lr_rate": 0.1}.'
            risks.append(Risk(("lr_scheduler_kwargs",), message, fix, _ERROR))
            return None
    if value is not None and not isinstance(value, Mapping):
        message = f"lr_scheduler_kwargs={value!r} is not a mapping."
        fix = 'write it as a mapping, e.g. lr_scheduler_kwargs: {"min_lr_rate": 0.1}.'
        risks.append(Risk(("lr_scheduler_kwargs",), message, fix, _ERROR))
        return None
    return dict(value or {})


def _resolve_warmup(values: Mapping[str, Any], total: int, risks: list[Risk]) -> int | None:
    """Warmup in steps via :func:`training_plan` (``None`` after flagging a bad value)."""
    raw, ratio = values["warmup_steps"], values["warmup_ratio"]
    field = "warmup_steps"
    if not raw and ratio:
        raw, field = ratio, "warmup_ratio"
    if _read_number(raw, field, risks) is None:
        return None
    if raw < 0:
        fix = "set it to 0 (no warmup), a step count, or a ratio such as 0.03."
        risks.append(Risk((field,), f"{field}={raw!r} is negative.", fix, _ERROR))
        return None
    return training_plan(max_steps=total, warmup_steps=raw).warmup_steps


def _warmup_risks(name: str, warmup: int, total: int, length: str, risks: list[Risk]) -> None:
    suggested, _, _ = _pick_warmup(name, None, total)  # the warmup recommend() would pick
    steps = training_plan(max_steps=total, warmup_steps=suggested).warmup_steps
    ratio_fix = (
        f"use warmup_steps={suggested} ({steps} steps)"
        if isinstance(suggested, float)
        else f"use warmup_steps={suggested}, the warmup recommended for a {total}-step run"
    )
    if name == "constant":
        if warmup > 0:
            message = (
                f"lr_scheduler_type='constant' ignores warmup_steps ({warmup} steps): the run "
                "starts at the full learning rate."
            )
            fix = "use lr_scheduler_type='constant_with_warmup' to warm up, or set warmup_steps=0."
            risks.append(Risk(("lr_scheduler_type", "warmup_steps"), message, fix, _WARNING))
        return
    fields = ("warmup_steps", length)
    if warmup >= total:
        message = (
            f"the warmup ({warmup} steps) fills the whole run ({total} steps): the learning rate "
            "never finishes ramping up and the schedule has no decay."
        )
        risks.append(Risk(fields, message, ratio_fix + ".", _ERROR))
    elif warmup > LONG_WARMUP * total:
        message = (
            f"the warmup ({warmup} steps) is {warmup / total:.0%} of the {total}-step run; "
            "much of the run is spent ramping up at a reduced rate."
        )
        risks.append(Risk(fields, message, ratio_fix + ".", _WARNING))
    elif WARMUP_FLOOR <= LONG_WARMUP * total and total < SHORT_RUN and warmup < WARMUP_FLOOR:
        message = (
            f"only {warmup} warmup step{'s' if warmup != 1 else ''} in a {total}-step run: the "
            "first updates hit the full learning rate before the optimizer's statistics settle."
        )
        fix = f"use an integer warmup of {WARMUP_FLOOR}-{WARMUP_CAP} steps for a run this short."
        risks.append(Risk(fields, message, fix, _WARNING))


def _floor_fraction(
    name: str, lr: float, kwargs: Mapping[str, Any], risks: list[Risk]
) -> tuple[float, str] | None:
    """``(end of decay as a fraction of the peak, the kwarg holding it)``, or ``None``."""
    if name in _TO_ZERO:
        return 0.0, "lr_scheduler_type"
    if name in _MIN_LR:
        min_lr, rate = kwargs.get("min_lr"), kwargs.get("min_lr_rate")
        if min_lr is not None and rate is not None:
            message = f"{name} got both min_lr={min_lr!r} and min_lr_rate={rate!r}."
            fix = "keep one: min_lr_rate (a fraction of the peak) or min_lr (absolute)."
            risks.append(Risk(("lr_scheduler_kwargs",), message, fix, _ERROR))
            return None
        if min_lr is None and rate is None:
            message = f"{name} needs a floor in lr_scheduler_kwargs; transformers rejects it."
            fix = f"add lr_scheduler_kwargs={{'min_lr_rate': {MIN_LR_RATE}}}."
            risks.append(Risk(("lr_scheduler_kwargs",), message, fix, _ERROR))
            return None
        if min_lr is not None:
            value = _read_number(min_lr, "min_lr", risks)
            return None if value is None else (value / lr, "min_lr")
        value = _read_number(rate, "min_lr_rate", risks)
        return None if value is None else (value, "min_lr_rate")
    if name == "warmup_stable_decay":
        value = _read_number(kwargs.get("min_lr_ratio", 0.0), "min_lr_ratio", risks)
        return None if value is None else (value, "min_lr_ratio")
    if name == "polynomial":
        value = _read_number(kwargs.get("lr_end", 1e-7), "lr_end", risks)
        return None if value is None else (value / lr, "lr_end")
    return None


def _floor_risks(
    name: str,
    lr: float,
    kwargs: Mapping[str, Any],
    stages: int,
    resumable: bool,
    risks: list[Risk],
) -> None:
    found = _floor_fraction(name, lr, kwargs, risks)
    if found is None:
        return
    fraction, key = found
    fields = ("learning_rate", "lr_scheduler_kwargs")
    # min_lr_rate exactly 1 is a floor equal to the peak; compare with a little slack
    # for an absolute min_lr that only rounds to the peak.
    equal = math.isclose(fraction, 1.0, rel_tol=1e-9)
    if fraction > 1 and not equal:
        message = (
            f"the floor ({key}) is above the peak learning_rate={lr!r}: the 'decay' would "
            "climb, and transformers rejects it."
        )
        fix = f"set the floor below the peak, e.g. min_lr_rate={MIN_LR_RATE} (10% of the peak)."
        risks.append(Risk(fields, message, fix, _ERROR))
    elif equal and name == "polynomial":
        message = f"lr_end equals learning_rate={lr!r}; transformers' polynomial rejects it."
        fix = f"set lr_end below the peak, e.g. {lr * MIN_LR_RATE:.3g} (10% of it)."
        risks.append(Risk(fields, message, fix, _ERROR))
    elif equal:
        message = (
            f"the floor ({key}) equals the peak learning_rate={lr!r}, so {name} never decays: "
            "the run is constant after warmup."
        )
        fix = (
            "lower the floor (e.g. min_lr_rate=0.1), or say what you mean with "
            "lr_scheduler_type='constant_with_warmup'."
        )
        risks.append(Risk(fields, message, fix, _WARNING))
    elif fraction < ZERO_FLOOR and (stages > 1 or resumable):
        why = "another stage continues from this run" if stages > 1 else "the run may be resumed"
        message = (
            f"{name} decays to (almost) zero, but {why}: it would start from a learning rate "
            "of ~0 and barely move the weights."
        )
        fix = (
            f"use lr_scheduler_type='cosine_with_min_lr' with lr_scheduler_kwargs="
            f"{{'min_lr_rate': {MIN_LR_RATE}}}, or give this scheduler a floor "
            "(min_lr_ratio for warmup_stable_decay, lr_end for polynomial)."
        )
        risks.append(Risk(("lr_scheduler_type", "lr_scheduler_kwargs"), message, fix, _WARNING))


def _lr_risks(lr: float, mode: str | None, risks: list[Risk]) -> None:
    bound = HIGH_LEARNING_RATE[mode or "lora"]
    if lr > bound:
        what = {"lora": "LoRA adapters", "full": "full fine-tuning", None: "fine-tuning"}[mode]
        message = (
            f"learning_rate={lr!r} is unusually high for {what} (above {bound:g}); expect loss "
            "spikes or divergence."
        )
        start = LEARNING_RATE[mode or "lora"]
        fix = f"start near {start:g} and sweep up by factors of 2 if the loss barely moves."
        risks.append(Risk(("learning_rate",), message, fix, _WARNING))


def _lora_risks(config: Mapping[str, Any], risks: list[Risk]) -> None:
    r, alpha = config.get("r"), config.get("lora_alpha")
    if not isinstance(r, int) or isinstance(r, bool) or r < 1:
        return
    use_rs = bool(config.get("use_rslora", False))
    numeric_alpha = isinstance(alpha, int | float) and not isinstance(alpha, bool)
    if r > HIGH_RANK and not use_rs:
        gain = alpha / r if numeric_alpha and alpha > 0 else LORA_GAIN
        message = (
            f"r={r} with standard LoRA scaling (alpha/r): at high rank each direction of the "
            "update is scaled down so far that extra rank adds little."
        )
        fix = (
            f"set use_rslora=True with lora_alpha={matched_alpha(r, gain)} (alpha = gain x "
            f"sqrt(r) keeps your current gain {gain:g}), or use r <= {HIGH_RANK}."
        )
        risks.append(Risk(("r", "use_rslora", "lora_alpha"), message, fix, _WARNING))
    if use_rs and numeric_alpha and alpha / math.sqrt(r) > 2 * LORA_GAIN:
        gain = alpha / math.sqrt(r)
        message = (
            f"use_rslora=True with lora_alpha={alpha!r} at r={r} gives a gain alpha/sqrt(r) = "
            f"{gain:.3g}, looking like an alpha sized for standard scaling; expect early loss "
            "spikes."
        )
        fix = (
            f"gain-match it: lora_alpha={matched_alpha(r)} keeps the gain of alpha = 2r under "
            "standard LoRA."
        )
        risks.append(Risk(("use_rslora", "lora_alpha"), message, fix, _WARNING))
