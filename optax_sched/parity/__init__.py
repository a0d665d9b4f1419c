"""Parity with other libraries' schedulers: their names and conventions, on the core."""

from optax_sched.parity.hf import from_hf
from optax_sched.parity.torch import from_torch
from optax_sched.parity.training_args import from_training_args

__all__ = ["from_hf", "from_torch", "from_training_args"]
