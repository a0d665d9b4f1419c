"""Known mistake: divides the dataset by the per-device batch only, ignoring the devices.

With 2 devices each one sees half of the micro-batches; leaving ``num_devices`` out gives
625 updates per epoch instead of 313 (and an effective batch of 16 instead of 32) for
10,000 examples, b = 4, G = 4. Expected verdict: wrong_answer.
"""

import math


def training_length(
    dataset_size: int,
    per_device_batch_size: int,
    gradient_accumulation_steps: int,
    num_devices: int,
    num_epochs: float,
) -> tuple[int, int, int]:
    effective = per_device_batch_size * gradient_accumulation_steps
    batches = math.ceil(dataset_size / per_device_batch_size)
    updates = max(math.ceil(batches / gradient_accumulation_steps), 1)
    return effective, updates, math.ceil(num_epochs * updates)
