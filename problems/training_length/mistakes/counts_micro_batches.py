"""Known mistake: takes the data loader's length (micro-batches) as the number of updates.

The effective batch is right, but ``gradient_accumulation_steps`` never divides the count,
so with G = 4 the schedule is four times too long (3750 steps instead of 939 for 10,000
examples, b = 4, G = 4, 2 devices, 3 epochs). Expected verdict: wrong_answer.
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
    batches_per_device = math.ceil(math.ceil(dataset_size / per_device_batch_size) / num_devices)
    updates = batches_per_device  # forgot: one update per G micro-batches
    return effective, updates, math.ceil(num_epochs * updates)
