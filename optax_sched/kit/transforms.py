"""The JAX transforms the grader applies, shared by the parent (to the reference) and the
runner child (to the learner's function), so both sides compute exactly the same thing.

Loaded by the child from its file path: it imports nothing from ``optax_sched``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def positions(names: Sequence[str], chosen: Sequence[str]) -> tuple[int, ...]:
    """Positions of ``chosen`` argument names among ``names``."""
    return tuple(list(names).index(name) for name in chosen)


def jitted(function: Callable[..., Any], static: Sequence[int] = ()) -> Callable[..., Any]:
    """``function`` under ``jax.jit`` with the arguments at ``static`` positions static."""
    import jax

    return jax.jit(function, static_argnums=tuple(static))


def grad_of_sum(
    function: Callable[..., Any], wrt: int, jit: bool = False, static: Sequence[int] = ()
) -> Callable[..., Any]:
    """``args -> d sum(function(*args)) / d args[wrt]``, the gradient a problem checks.

    With ``jit`` the whole gradient is compiled once for all cases of one signature
    (arguments at ``static`` positions stay static) instead of traced again per case.
    """
    import jax
    import jax.numpy as jnp

    def gradient(*args: Any) -> Any:
        def loss(x: Any) -> Any:
            full = list(args)
            full[wrt] = x
            return jnp.sum(jnp.asarray(function(*full)))

        return jax.grad(loss)(jnp.asarray(args[wrt], dtype=jnp.result_type(float)))

    return jitted(gradient, static) if jit else gradient
