"""Reference solution for ``cosine_with_min_lr``: transformers' scheduler via optax_sched."""

import jax
import jax.numpy as jnp
import numpy as np

import optax_sched


def _factor(step, num_warmup_steps, num_training_steps, min_lr_rate):
    # transformers' LambdaLR multiplies the optimizer's learning rate by lr_lambda(step);
    # optax_sched.from_hf reproduces that step for step (checked against transformers 5.23
    # in tests/golden/transformers.json), so with learning_rate=1.0 it returns lr_lambda.
    schedule = optax_sched.from_hf(
        "cosine_with_min_lr",
        1.0,
        num_warmup_steps,
        num_training_steps,
        min_lr_rate=min_lr_rate,  # a fraction of the learning rate, not a learning rate
    )
    return schedule(step)


def cosine_with_min_lr(
    step: int,
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    min_lr_rate: float,
) -> jax.Array:
    """``learning_rate * factor(step)`` of transformers' ``cosine_with_min_lr`` scheduler.

    With ``W = num_warmup_steps``, ``T = num_training_steps`` and ``r = min_lr_rate``::

      factor = step / max(1, W)                                  step < W
      progress = (step - W) / max(1, T - W)
      factor = r + (1 - r) * 0.5 * (1 + cos(pi * progress))     otherwise

    ``progress`` is not clipped, so after ``T`` the value climbs back to the peak at
    ``2T - W``, as in transformers.

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    counts = (step, num_warmup_steps, num_training_steps, min_lr_rate)
    if any(isinstance(c, jax.core.Tracer) for c in counts[1:]):
        # Kit plumbing, not part of the lesson: the grader evaluates this reference under
        # jax.jit with every argument traced, gradient included. optax_sched builds its
        # phase table from Python ints, so there the factor comes from the library on the
        # host. The callback never sees learning_rate, so the gradient needs nothing from it.
        dtype = jnp.result_type(float)

        def on_host(s, w, t, r):
            return np.asarray(_factor(int(s), int(w), int(t), float(r)), dtype=dtype)

        factor = jax.pure_callback(
            on_host, jax.ShapeDtypeStruct((), dtype), *counts, vmap_method="sequential"
        )
    else:
        factor = _factor(*counts)
    # The schedule is linear in learning_rate: jax.grad with respect to it is the factor.
    return learning_rate * factor
