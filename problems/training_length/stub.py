"""Exercise ``training_length``: how many optimizer updates a fine-tuning run makes.

Return ``(effective_batch_size, updates_per_epoch, total_steps)`` as three Python ``int``s,
rounded the way the Hugging Face ``Trainer`` rounds them.

Statement: ``optax-sched show training_length``. Stuck? ``optax-sched hint training_length``
reveals one hint per call.
"""

import math  # noqa: F401

import optax_sched  # noqa: F401


def training_length(
    dataset_size: int,
    per_device_batch_size: int,
    gradient_accumulation_steps: int,
    num_devices: int,
    num_epochs: float,
) -> tuple[int, int, int]:
    # TODO: compute the examples per update, the optimizer updates per epoch and the total
    # number of updates (rounding up like the Trainer), and return them as a tuple of ints.
    raise NotImplementedError("training_length: replace this line with your solution")
