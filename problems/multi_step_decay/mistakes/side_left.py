"""Known mistake: ``side="left"`` counts only the milestones strictly before the step.

PyTorch's MultiStepLR uses ``bisect_right``: at ``step == milestone`` the rate has already
dropped. With base 0.05, milestones [30, 80] and gamma 0.1 this returns 0.05 at step 30
instead of 0.005 (and is right again from step 31 on).
Expected verdict: wrong_answer.
"""

import jax.numpy as jnp


def multi_step_decay(step, base_lr, milestones, gamma):
    passed = jnp.searchsorted(jnp.asarray(milestones), step, side="left")
    return base_lr * gamma**passed
