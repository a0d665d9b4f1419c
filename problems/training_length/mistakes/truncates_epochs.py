"""Known mistake: turns ``num_epochs * updates_per_epoch`` into an int with ``int()``.

Whole epochs are fine, but the Trainer rounds a fractional product up: 1.5 epochs of 313
updates is 470 steps, not ``int(469.5) = 469``; and 1.1 * 100 (110.00000000000001) is 111.
Expected verdict: wrong_answer.
"""

import math


def training_length(
    dataset_size: int,
    per_device_batch_size: int,
    gradient_accumulation_steps: int,
    num_devices: int,
    num_epochs: float,
) -> tuple[int, int, int]:
    effective = per_device_batch_size * gradient_accumulation_steps * num_devices
    updates = max(math.ceil(dataset_size / effective), 1)
    return effective, updates, int(num_epochs * updates)
