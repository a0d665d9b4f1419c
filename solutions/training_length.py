"""Reference solution for ``training_length``: the Trainer's step counts, via optax-sched."""

import optax_sched


def training_length(
    dataset_size: int,
    per_device_batch_size: int,
    gradient_accumulation_steps: int,
    num_devices: int,
    num_epochs: float,
) -> tuple[int, int, int]:
    """``(effective_batch_size, updates_per_epoch, total_steps)`` as the HF ``Trainer`` counts.

    Schedules count optimizer updates. One update consumes ``b * G * W`` examples; an epoch
    has ``max(ceil(ceil(ceil(N / b) / W) / G), 1)`` of them (every partial batch or
    accumulation group still counts), and the run ``ceil(num_epochs * updates_per_epoch)``.

    The rounding lives in ``optax_sched.training_plan``, which is tested against the real
    ``Trainer``; this function only renames its arguments and picks three of its fields.

    Returns:
      A tuple of three Python ``int``s.
    """
    plan = optax_sched.training_plan(
        dataset_size=dataset_size,
        per_device_train_batch_size=per_device_batch_size,
        gradient_accumulation_steps=gradient_accumulation_steps,
        world_size=num_devices,
        num_train_epochs=num_epochs,
        # max_steps keeps its default (-1): the length comes from the epochs.
    )
    return plan.effective_batch_size, plan.updates_per_epoch, plan.total_steps
