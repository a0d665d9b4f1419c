"""optax-sched: validated, jittable learning-rate schedules for optax and flax.nnx.

Every factory returns a :class:`Schedule`, a callable ``step -> learning rate`` that
optax accepts wherever it takes a learning rate::

    import optax, optax_sched
    schedule = optax_sched.warmup_cosine(2e-4, total_steps=10_000, warmup_steps=0.03, min_lr=2e-5)
    optimizer = optax.adamw(schedule)
"""

from optax_sched._core import Phase as Phase
from optax_sched._core import Schedule as Schedule
from optax_sched.config import from_config as from_config
from optax_sched.config import to_config as to_config
from optax_sched.parity import from_hf as from_hf
from optax_sched.parity import from_torch as from_torch
from optax_sched.parity import from_training_args as from_training_args
from optax_sched.plan import TrainingPlan as TrainingPlan
from optax_sched.plan import training_plan as training_plan
from optax_sched.schedules import constant as constant
from optax_sched.schedules import cosine_annealing as cosine_annealing
from optax_sched.schedules import cosine_restarts as cosine_restarts
from optax_sched.schedules import cycle_decay as cycle_decay
from optax_sched.schedules import cyclic as cyclic
from optax_sched.schedules import inverse_sqrt as inverse_sqrt
from optax_sched.schedules import lr_at_step as lr_at_step
from optax_sched.schedules import multi_stage as multi_stage
from optax_sched.schedules import multi_step_decay as multi_step_decay
from optax_sched.schedules import one_cycle as one_cycle
from optax_sched.schedules import piecewise_constant as piecewise_constant
from optax_sched.schedules import resume_at as resume_at
from optax_sched.schedules import step_decay as step_decay
from optax_sched.schedules import warmup_constant as warmup_constant
from optax_sched.schedules import warmup_cosine as warmup_cosine
from optax_sched.schedules import warmup_exponential as warmup_exponential
from optax_sched.schedules import warmup_linear as warmup_linear
from optax_sched.schedules import warmup_polynomial as warmup_polynomial
from optax_sched.schedules import warmup_stable_decay as warmup_stable_decay

__version__ = "0.1.0"

__all__ = [
    "Phase",
    "Schedule",
    "TrainingPlan",
    "constant",
    "cosine_annealing",
    "cosine_restarts",
    "cycle_decay",
    "cyclic",
    "from_config",
    "from_hf",
    "from_torch",
    "from_training_args",
    "inverse_sqrt",
    "lr_at_step",
    "multi_stage",
    "multi_step_decay",
    "one_cycle",
    "piecewise_constant",
    "resume_at",
    "step_decay",
    "to_config",
    "training_plan",
    "warmup_constant",
    "warmup_cosine",
    "warmup_exponential",
    "warmup_linear",
    "warmup_polynomial",
    "warmup_stable_decay",
]
