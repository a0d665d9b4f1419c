"""Training-length arithmetic: from dataset and batch sizes to optimizer steps.

Schedules count optimizer updates, not micro-batches or examples. This module turns a
run's description into those counts with the exact rounding Hugging Face's ``Trainer``
uses, so a config moves between a transformers run and a JAX run with the same
schedule. The calculator and ``from_training_args`` both use it.
"""

from __future__ import annotations

import dataclasses
import math

from optax_sched import _validate


@dataclasses.dataclass(frozen=True)
class TrainingPlan:
    """How long a run is, in optimizer updates.

    Attributes:
      total_steps: optimizer updates in the run (the schedule's ``total_steps``).
      warmup_steps: warmup updates, resolved from an int or a ratio.
      updates_per_epoch: optimizer updates per pass over the data (``None`` when the
        run was given as ``max_steps`` with no dataset size).
      batches_per_epoch: micro-batches each device sees per epoch (``None`` likewise).
      effective_batch_size: examples per update, ``per_device x accumulation x devices``.
      epochs: passes over the data (fractional if the run stops mid-epoch; ``None`` when
        unknown).
    """

    total_steps: int
    warmup_steps: int
    updates_per_epoch: int | None
    batches_per_epoch: int | None
    effective_batch_size: int
    epochs: float | None


def training_plan(
    *,
    max_steps: int = -1,
    num_train_epochs: float = 3.0,
    dataset_size: int | None = None,
    per_device_train_batch_size: int = 8,
    gradient_accumulation_steps: int = 1,
    world_size: int = 1,
    warmup_steps: int | float = 0,
    dataloader_drop_last: bool = False,
) -> TrainingPlan:
    r"""Optimizer steps for a run, rounded exactly as transformers' ``Trainer`` rounds them.

    With :math:`N` examples, per-device batch :math:`b`, :math:`W` devices and
    :math:`G` accumulation steps:

    .. math::

      B = \lceil N / b \rceil,\quad
      D = \lceil B / W \rceil,\quad
      U = \max(\lceil D / G \rceil, 1),\quad
      T = \begin{cases} \text{max\_steps} & \text{max\_steps} > 0 \\
                        \lceil \text{epochs} \cdot U \rceil & \text{otherwise} \end{cases}

    (with ``dataloader_drop_last``, :math:`B = \lfloor N / b \rfloor` and
    :math:`D = \lfloor B / W \rfloor`). The warmup is ``int(warmup_steps)`` for values
    ``>= 1`` and :math:`\lceil T \cdot \text{warmup\_steps} \rceil` for a ratio below 1.

    Args:
      max_steps: the run length in optimizer updates; ``-1`` (transformers' default)
        means "from the number of epochs".
      num_train_epochs: passes over the data, used when ``max_steps`` is not positive.
      dataset_size: number of training examples :math:`N` (needed for epochs).
      per_device_train_batch_size: micro-batch size per device :math:`b`.
      gradient_accumulation_steps: micro-batches per optimizer update :math:`G`.
      world_size: data-parallel devices :math:`W`.
      warmup_steps: an int number of updates, or a float ratio in ``[0, 1)``.
      dataloader_drop_last: drop the last incomplete batch.

    Returns:
      A :class:`TrainingPlan`.

    Examples:
      >>> from optax_sched.plan import training_plan
      >>> p = training_plan(dataset_size=10_000, per_device_train_batch_size=4,
      ...                   gradient_accumulation_steps=4, num_train_epochs=3,
      ...                   warmup_steps=0.03)
      >>> p.updates_per_epoch, p.total_steps, p.warmup_steps, p.effective_batch_size
      (625, 1875, 57, 16)
    """
    where = "training_plan"
    b = _validate.check_steps(where, "per_device_train_batch_size", per_device_train_batch_size)
    g = _validate.check_steps(where, "gradient_accumulation_steps", gradient_accumulation_steps)
    w = _validate.check_steps(where, "world_size", world_size)
    if isinstance(max_steps, bool) or not isinstance(max_steps, int):
        raise ValueError(f"{where}: max_steps must be an int (-1 for epochs); got {max_steps!r}.")
    updates = batches = None
    if dataset_size is not None:
        n = _validate.check_steps(where, "dataset_size", dataset_size)
        if dataloader_drop_last:
            batches = (n // b) // w
        else:
            batches = math.ceil(math.ceil(n / b) / w)
        if batches == 0:
            raise ValueError(
                f"{where}: dataset_size={n} gives no full batch of {b} x {w} devices with "
                "dataloader_drop_last=True; lower the batch size or keep the last batch."
            )
        updates = max(batches // g + int(batches % g > 0), 1)
    if max_steps > 0:
        total = max_steps
        epochs = None if updates is None else total / updates
    else:
        _validate.check_range(where, "num_train_epochs", num_train_epochs)
        if updates is None:
            raise ValueError(
                f"{where}: without max_steps the run length comes from num_train_epochs, which "
                "needs dataset_size (the number of training examples). Pass dataset_size=... "
                "or max_steps=..."
            )
        total = math.ceil(num_train_epochs * updates)
        epochs = float(num_train_epochs)
    if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, int | float):
        raise ValueError(f"{where}: warmup_steps must be a number; got {warmup_steps!r}.")
    if warmup_steps < 0 or not math.isfinite(warmup_steps):
        raise ValueError(f"{where}: warmup_steps must be >= 0; got warmup_steps={warmup_steps!r}.")
    warmup = int(warmup_steps) if warmup_steps >= 1 else math.ceil(total * warmup_steps)
    return TrainingPlan(total, warmup, updates, batches, b * g * w, epochs)
