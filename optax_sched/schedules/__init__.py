"""Native schedule factories, one module per family.

``FACTORIES`` maps each public factory's name to the function, for tools that build
schedules by name (the CLI, config files).
"""

from optax_sched.schedules.constant import constant, warmup_constant
from optax_sched.schedules.cosine import cosine_annealing, lr_at_step, warmup_cosine
from optax_sched.schedules.cycles import cycle_decay
from optax_sched.schedules.cyclic import cyclic
from optax_sched.schedules.exponential import (
    multi_step_decay,
    piecewise_constant,
    step_decay,
    warmup_exponential,
)
from optax_sched.schedules.onecycle import one_cycle
from optax_sched.schedules.polynomial import warmup_linear, warmup_polynomial
from optax_sched.schedules.restarts import cosine_restarts
from optax_sched.schedules.rsqrt import inverse_sqrt
from optax_sched.schedules.stages import multi_stage, resume_at
from optax_sched.schedules.wsd import warmup_stable_decay

#: Factories that take plain numbers and return a Schedule, by name.
FACTORIES = {
    f.__name__: f
    for f in (
        constant,
        cosine_annealing,
        cosine_restarts,
        cycle_decay,
        cyclic,
        inverse_sqrt,
        multi_step_decay,
        one_cycle,
        piecewise_constant,
        step_decay,
        warmup_constant,
        warmup_cosine,
        warmup_exponential,
        warmup_linear,
        warmup_polynomial,
        warmup_stable_decay,
    )
}

__all__ = [
    "FACTORIES",
    "constant",
    "cosine_annealing",
    "cosine_restarts",
    "cycle_decay",
    "cyclic",
    "inverse_sqrt",
    "lr_at_step",
    "multi_stage",
    "multi_step_decay",
    "one_cycle",
    "piecewise_constant",
    "resume_at",
    "step_decay",
    "warmup_constant",
    "warmup_cosine",
    "warmup_exponential",
    "warmup_linear",
    "warmup_polynomial",
    "warmup_stable_decay",
]
