"""Helpers for schedules inside training loops (optax and flax.nnx).

* :func:`learning_rate` / :func:`learning_rates`: read the current rate(s) out of an
  optimizer state (or an ``nnx.Optimizer``) built with ``optax.inject_hyperparams``.
* :func:`per_group`: one learning rate (or optimizer) per group of parameters, chosen
  by path patterns, as an ``optax.multi_transform``.
* :class:`Checkpoints`: save and restore a run (orbax) so the schedule resumes exactly,
  and start a new stage from a saved run's parameters.
"""

from optax_sched.train.checkpoint import Checkpoints as Checkpoints
from optax_sched.train.checkpoint import Restored as Restored
from optax_sched.train.checkpoint import Transfer as Transfer
from optax_sched.train.groups import param_path as param_path
from optax_sched.train.groups import per_group as per_group
from optax_sched.train.readout import learning_rate as learning_rate
from optax_sched.train.readout import learning_rates as learning_rates

__all__ = [
    "Checkpoints",
    "Restored",
    "Transfer",
    "learning_rate",
    "learning_rates",
    "param_path",
    "per_group",
]
