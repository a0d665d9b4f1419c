"""Reference solution for ``warmup_ratio_to_steps``: transformers' warmup rule, via optax-sched."""

import optax_sched


def warmup_ratio_to_steps(warmup: int | float, total_steps: int) -> int:
    """The warmup length in optimizer steps, as ``TrainingArguments.get_warmup_steps`` gives it.

    An int is a step count and comes back unchanged; a float in ``[0, 1)`` is a fraction of
    ``total_steps`` rounded *up*: ``math.ceil(warmup * total_steps)``, float error included
    (``0.07 * 100`` is ``7.000000000000001``, so the answer is 8, as in the ``Trainer``).

    The rule lives in one place, ``optax_sched.training_plan`` (its public entry point): with
    ``max_steps`` given, the run length is ``max_steps`` and ``warmup_steps`` is resolved
    against it.

    Returns:
      A Python ``int``.
    """
    plan = optax_sched.training_plan(max_steps=total_steps, warmup_steps=warmup)
    # plan.warmup_steps is int(warmup) for a count and math.ceil(...) for a ratio: both ints.
    return plan.warmup_steps
