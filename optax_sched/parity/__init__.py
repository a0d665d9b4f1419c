"""Parity with other libraries' schedulers: their names and conventions, on the core."""

from optax_sched.parity.hf import from_hf

__all__ = ["from_hf"]
