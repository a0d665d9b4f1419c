"""Known mistake: the value is wrapped in two lists, giving shape ``(1, 1)``.

The number is right and it is a float32 ``jax.Array``, but the contract's shape is ``(1,)``.
Expected verdict: contract_mismatch.
"""

import jax
import jax.numpy as jnp
import optax


def lr_at_step(step: float, peak_lr: float, warmup_steps: float, total_steps: float) -> jax.Array:
    w, t = int(warmup_steps), int(total_steps)
    schedule = optax.warmup_cosine_decay_schedule(
        init_value=0.0, peak_value=peak_lr, warmup_steps=w, decay_steps=t - w, end_value=0.0
    )
    value = float(schedule(int(step)))
    return jnp.array([[value]])
