"""Known mistake: building optax.linear_schedule inside the function (not_jittable).

Called eagerly it is right (the jnp.where covers warmup_steps == 0, where optax would
return init_value = 0.0 for ever), but optax's constructor compares transition_steps with
0 in Python, which fails on a traced count under jax.jit.
"""

import jax.numpy as jnp
import optax


def linear_warmup(step, peak_lr, warmup_steps):
    schedule = optax.linear_schedule(0.0, peak_lr, warmup_steps)
    return jnp.where(warmup_steps > 0, schedule(step), peak_lr)
