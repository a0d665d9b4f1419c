"""Reference solution for ``warmup_stable_decay``: optax_sched's WSD with a 1-sqrt cooldown."""

import jax
import jax.numpy as jnp
import numpy as np

import optax_sched


def _wsd(step, peak_lr, warmup_steps, total_steps, decay_steps, min_lr):
    # Linear warmup from 0 over warmup_steps, flat at peak_lr, then a cooldown of
    # decay_steps steps ending on min_lr exactly at total_steps (held after it).
    # "1-sqrt" is Hägele et al.'s best cooldown shape and optax_sched's default.
    schedule = optax_sched.warmup_stable_decay(
        peak_lr,
        total_steps,
        warmup_steps,  # a Python int: a step count (a float below 1 would be a fraction)
        decay_steps=decay_steps,
        min_lr=min_lr,  # absolute, unlike transformers' min_lr_ratio
        decay_shape="1-sqrt",
    )
    return schedule(step)


def _unit_parts(step, warmup_steps, total_steps, decay_steps):
    # With init_lr = 0 the schedule is affine in (peak_lr, min_lr) at any fixed step:
    # lr = peak_lr * a + min_lr * b, where a and b depend only on the counts. Reading a and
    # b off the library at unit rates lets the grader's jitted jax.grad in peak_lr work
    # (it is just a) even where the library itself cannot be traced.
    a = _wsd(step, 1.0, warmup_steps, total_steps, decay_steps, 0.0)
    b = _wsd(step, 1.0, warmup_steps, total_steps, decay_steps, 1.0) - a
    return a, b


def warmup_stable_decay(
    step: int,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    decay_steps: int,
    min_lr: float,
) -> jax.Array:
    """The learning rate at ``step`` of warmup-stable-decay with a 1-sqrt cooldown.

    With ``S = total_steps - decay_steps`` and ``q = (step - S) / decay_steps``::

      peak_lr * step / warmup_steps                      step < warmup_steps
      peak_lr                                            warmup_steps <= step < S
      min_lr + (peak_lr - min_lr) * (1 - sqrt(q))        S <= step < total_steps
      min_lr                                             step >= total_steps

    Returns:
      A 0-d ``jax.Array`` in JAX's default float dtype.
    """
    counts = (step, warmup_steps, total_steps, decay_steps)
    if any(isinstance(c, jax.core.Tracer) for c in counts[1:]):
        # Kit plumbing, not part of the lesson: the grader evaluates this reference under
        # jax.jit with every argument traced, gradient included. optax_sched builds its
        # phase table from Python ints, so there the unit parts come from the library on
        # the host; the callback never sees peak_lr or min_lr.
        dtype = jnp.result_type(float)

        def on_host(s, w, t, d):
            parts = _unit_parts(int(s), int(w), int(t), int(d))
            return tuple(np.asarray(part, dtype=dtype) for part in parts)

        shape = jax.ShapeDtypeStruct((), dtype)
        a, b = jax.pure_callback(on_host, (shape, shape), *counts, vmap_method="sequential")
    else:
        a, b = _unit_parts(*counts)
    return peak_lr * a + min_lr * b
