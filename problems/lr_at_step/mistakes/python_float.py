"""Known mistake: the right number, returned as a bare Python ``float``.

The contract asks for a ``jax.Array`` of shape ``(1,)``; a scalar float is the wrong type.
Expected verdict: contract_mismatch.
"""

import optax


def lr_at_step(step: float, peak_lr: float, warmup_steps: float, total_steps: float) -> float:
    w, t = int(warmup_steps), int(total_steps)
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0, peak_value=peak_lr, warmup_steps=w, decay_steps=t - w, end_value=0.0
    )
    return float(schedule(int(step)))
