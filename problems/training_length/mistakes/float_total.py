"""Known mistake: multiplies epochs by updates per epoch and returns the float product.

``num_epochs`` is a float (3.0), so ``3.0 * 625`` is ``1875.0``, a float, not a step count
(and fractional epochs are not rounded up either). Expected verdict: contract_mismatch.
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
    return effective, updates, num_epochs * updates
