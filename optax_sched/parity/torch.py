"""``from_torch``: PyTorch's ``torch.optim.lr_scheduler`` classes, step for step, on the core.

PyTorch's schedulers update the rate recursively, one ``scheduler.step()`` at a time; each
class here is its closed form, arranged from core shapes or native factories, and
checked in CI against rates recorded from PyTorch itself (``tests/golden/torch.json``).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections import Counter
from typing import Any

import jax
import optax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule
from optax_sched.parity.plateau import reduce_lr_on_plateau
from optax_sched.schedules.cyclic import cyclic
from optax_sched.schedules.restarts import cosine_restarts

#: The classes from_torch reproduces, with their keyword arguments.
KWARGS: dict[str, tuple[str, ...]] = {
    "StepLR": ("step_size", "gamma"),
    "MultiStepLR": ("milestones", "gamma"),
    "ConstantLR": ("factor", "total_iters"),
    "LinearLR": ("start_factor", "end_factor", "total_iters"),
    "ExponentialLR": ("gamma",),
    "PolynomialLR": ("total_iters", "power"),
    "CosineAnnealingLR": ("T_max", "eta_min"),
    "CosineAnnealingWarmRestarts": ("T_0", "T_mult", "eta_min"),
    "CyclicLR": (
        "max_lr",
        "step_size_up",
        "step_size_down",
        "mode",
        "gamma",
        "scale_mode",
        "cycle_momentum",
        "base_momentum",
        "max_momentum",
    ),
    "OneCycleLR": (
        "max_lr",
        "total_steps",
        "epochs",
        "steps_per_epoch",
        "pct_start",
        "anneal_strategy",
        "cycle_momentum",
        "base_momentum",
        "max_momentum",
        "div_factor",
        "final_div_factor",
        "three_phase",
    ),
}
#: Classes with no closed form over the step, and what to use instead.
NOT_STEP_FUNCTIONS = {
    "LambdaLR": "its lambda is arbitrary Python; pass a jnp function of the step to optax",
    "MultiplicativeLR": "its lambda is arbitrary Python; pass a jnp function of the step",
}
#: Classes whose recursive updates multiply the rate, so that chaining them multiplies.
CHAINABLE = ("StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR")
#: Classes that may be stages of a SequentialLR (each restarts from base_lr at its milestone).
SEQUENCEABLE = (*CHAINABLE, "CosineAnnealingLR", "CosineAnnealingWarmRestarts")
COMPOSITES = {"SequentialLR": ("schedulers", "milestones"), "ChainedScheduler": ("schedulers",)}


def _get(where: str, kw: dict[str, Any], name: str, default: Any = None) -> Any:
    if default is None and name not in kw:
        raise ValueError(f"{where}: requires {name}.")
    return kw.get(name, default)


def _positive(where: str, name: str, value: Any) -> None:
    _validate.check_range(where, name, value, hint=f"torch multiplies the rate by {name}.")


def _factor(where: str, name: str, value: Any, low_inclusive: bool = True) -> None:
    _validate.check_range(where, name, value, low_inclusive=low_inclusive, high=1.0)


def _one_cycle(where: str, kw: dict[str, Any]) -> Schedule:
    max_lr = _get(where, kw, "max_lr")
    _validate.check_lr(where, "max_lr", max_lr)
    if kw.get("total_steps") is not None:
        total = _validate.check_steps(where, "total_steps", kw["total_steps"])
    elif kw.get("epochs") is not None and kw.get("steps_per_epoch") is not None:
        total = _validate.check_steps(where, "epochs", kw["epochs"]) * _validate.check_steps(
            where, "steps_per_epoch", kw["steps_per_epoch"]
        )
    else:
        raise ValueError(f"{where}: requires total_steps, or epochs and steps_per_epoch.")
    pct = kw.get("pct_start", 0.3)
    if not isinstance(pct, float):
        raise ValueError(f"{where}: pct_start must be a float (torch's rule); got {pct!r}.")
    _validate.check_range(where, "pct_start", pct, low_inclusive=True, high=1.0)
    strategy = _validate.check_choice(
        where, "anneal_strategy", kw.get("anneal_strategy", "cos"), ["cos", "linear"]
    )
    div, final_div = kw.get("div_factor", 25.0), kw.get("final_div_factor", 1e4)
    _positive(where, "div_factor", div)
    _positive(where, "final_div_factor", final_div)
    initial = max_lr / div
    lowest = initial / final_div
    if kw.get("three_phase", False):
        phases = [
            (float(pct * total) - 1, initial, max_lr),
            (float(2 * pct * total) - 2, max_lr, initial),
            (total - 1, initial, lowest),
        ]
    else:
        phases = [(float(pct * total) - 1, initial, max_lr), (total - 1, max_lr, lowest)]
    kind = "cosine" if strategy == "cos" else "linear"
    pieces: list[Piece] = []
    previous, covered = 0.0, -1.0  # torch's start_step, and the last step already taken
    for i, (end, start_lr, end_lr) in enumerate(phases):
        last = i == len(phases) - 1
        first_step = max(math.floor(covered) + 1, 0)
        last_step = total - 1 if last else math.floor(end)
        if first_step <= last_step:
            span = end - previous
            if span < 1:
                raise ValueError(
                    f"{where}: pct_start={pct!r} with total_steps={total} gives a phase of "
                    f"{span:g} steps (torch divides by it); use a larger pct_start or more steps."
                )
            pieces.append(
                Piece(
                    first_step,
                    kind,
                    span,
                    start_lr,
                    end_lr,
                    label=f"phase {i + 1}",
                    shift=first_step - previous,
                )
            )
        covered = max(covered, end)
        if not last:
            previous = end
    # torch evaluates step == total_steps one step past the last phase's end (pct > 1)
    # and raises after it; the value at total_steps is held from there on.
    end, start_lr, end_lr = phases[-1]
    if end == previous:
        raise ValueError(
            f"{where}: pct_start={pct!r} leaves the last phase no length (torch divides by "
            f"zero at step {total}); lower pct_start."
        )
    beyond = (total - previous) / (end - previous)
    if kind == "cosine":
        final = end_lr + (start_lr - end_lr) / 2.0 * (math.cos(math.pi * beyond) + 1)
    else:
        final = (end_lr - start_lr) * beyond + start_lr
    pieces.append(Piece(total, "constant", 1, final, label="past the end"))
    params = {"name": "OneCycleLR", **kw}
    return _core.make("from_torch", params, pieces, end_step=total)


def _children(where: str, specs: Any, allowed: tuple[str, ...], base_lr: Any) -> list[Schedule]:
    """The ``(name, kwargs)`` pairs of a composite, built on the same ``base_lr``."""
    if not isinstance(specs, list | tuple) or not specs:
        raise ValueError(
            f"{where}: schedulers must be a non-empty list of (name, kwargs) pairs, e.g. "
            f"[('LinearLR', {{'start_factor': 0.1, 'total_iters': 5}}), ('ExponentialLR', "
            f"{{'gamma': 0.9}})]; got {specs!r}."
        )
    built = []
    for i, spec in enumerate(specs):
        if not (isinstance(spec, list | tuple) and len(spec) == 2 and isinstance(spec[1], dict)):
            raise ValueError(
                f"{where}: schedulers[{i}] must be a (name, kwargs) pair; got {spec!r}."
            )
        child, child_kwargs = spec
        if child not in allowed:
            raise ValueError(
                f"{where}: schedulers[{i}]={child!r} cannot be composed here exactly; allowed: "
                f"{', '.join(allowed)}."
            )
        built.append(from_torch(child, base_lr=base_lr, **child_kwargs))
    return built


def _composite(where: str, name: str, base_lr: Any, kw: dict[str, Any]) -> Schedule:
    params = {"name": name, "base_lr": base_lr, **kw}
    if name == "ChainedScheduler":
        factors = _children(where, kw.get("schedulers"), CHAINABLE, 1.0)
        ends = [f.end_step for f in factors]

        def chained(step: jax.Array) -> jax.Array:
            value = base_lr
            for factor in factors:
                value = value * factor(step)
            return value

        end = None if None in ends else max(ends)
        return Schedule(chained, "from_torch", params, (), end)
    stages = _children(where, kw.get("schedulers"), SEQUENCEABLE, base_lr)
    milestones = list(_get(where, kw, "milestones"))
    if len(milestones) != len(stages) - 1:
        raise ValueError(
            f"{where}: needs one milestone fewer than schedulers; got {len(stages)} schedulers "
            f"and milestones={milestones!r}."
        )
    bounds = _validate.check_sorted_steps(where, "milestones", milestones)
    starts = [0, *bounds]
    phases = tuple(
        _core.Phase(f"stage {i + 1}", start, end)
        for i, (start, end) in enumerate(zip(starts, [*bounds, None], strict=True))
    )
    last_end = stages[-1].end_step
    end = None if last_end is None else starts[-1] + last_end
    return Schedule(_core.sequence(stages, bounds), "from_torch", params, phases, end)


def from_torch(
    name: str, base_lr: jax.typing.ArrayLike | None = None, **kwargs: Any
) -> Schedule | optax.GradientTransformationExtraArgs:
    r"""A ``torch.optim.lr_scheduler`` class as an optax schedule, with its own arguments.

    The value at step :math:`k` is the learning rate after :math:`k` calls to
    ``scheduler.step()`` (the rate the next optimizer update uses), with :math:`\eta_0`
    = ``base_lr``, the optimizer's initial ``lr``:

    .. math::

      \begin{array}{ll}
        \texttt{StepLR} & \eta_0\, \gamma^{\lfloor k / s \rfloor} \\
        \texttt{MultiStepLR} & \eta_0\, \gamma^{\#\{m \in \text{milestones}: m \le k\}}
            \ (\text{repeats count twice}) \\
        \texttt{ConstantLR} & \eta_0 \cdot (\text{factor if } k < n \text{ else } 1) \\
        \texttt{LinearLR} & \eta_0 (f_s + (f_e - f_s) \min(k, n)/n) \\
        \texttt{ExponentialLR} & \eta_0\, \gamma^k \\
        \texttt{PolynomialLR} & \eta_0 (1 - \min(k, n)/n)^{power} \\
        \texttt{CosineAnnealingLR} & \eta_{min} + (\eta_0 - \eta_{min})
            \tfrac{1}{2}(1 + \cos(\pi k / T_{max})) \\
      \end{array}

    ``CosineAnnealingWarmRestarts`` is :func:`~optax_sched.cosine_restarts` (integer
    ``T_mult``), ``CyclicLR`` is :func:`~optax_sched.cyclic` (its own ``base_lr`` and
    ``max_lr``; the momentum arguments are accepted and do not change the rate), and
    ``OneCycleLR`` anneals through phases ending at ``pct_start * total_steps - 1``
    (and ``2 * pct_start * total_steps - 2`` in three phases) and ``total_steps - 1``.

    ``SequentialLR`` takes ``schedulers=[(name, kwargs), ...]`` and ``milestones``: each
    scheduler runs from its milestone with its own step count starting at 0 (a stage
    may be cut off before it ends, as in PyTorch). ``ChainedScheduler`` takes
    ``schedulers=[(name, kwargs), ...]`` of multiplicative classes (step, multi-step,
    constant, linear, exponential and polynomial) and multiplies their factors.

    **Surprises kept for parity**: ``CosineAnnealingLR`` is periodic, climbing back to
    ``base_lr`` between :math:`T_{max}` and :math:`2T_{max}` (native
    :func:`~optax_sched.cosine_annealing` holds ``eta_min``). ``OneCycleLR``'s value at
    ``total_steps`` lies past its last phase and has risen again, and PyTorch raises an
    error one step later; here that value is held (an error cannot be raised inside
    jit). With ``total_iters=0``, ``ConstantLR`` and ``LinearLR`` keep their starting
    factor for ever (their recursive updates never reach the end).

    Args:
      name: the class name, e.g. ``"CosineAnnealingLR"``.
      base_lr: the optimizer's initial learning rate; for ``CyclicLR`` also that class's
        ``base_lr``; ``OneCycleLR`` derives its start from ``max_lr`` and needs none.
      **kwargs: the class's own keyword arguments (``last_epoch`` is not needed: resume
        by evaluating the schedule at the step, or with :func:`~optax_sched.resume_at`).

    Returns:
      A :class:`~optax_sched.Schedule`.

    Raises:
      ValueError: for an unknown class or keyword (listing the valid ones), a missing
        argument, or a configuration PyTorch rejects or crashes on (``ConstantLR`` with
        ``factor=0`` divides by zero at ``total_iters``).

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.from_torch("CosineAnnealingLR", base_lr=0.1, T_max=50)
      >>> [round(float(s(k)), 4) for k in (0, 25, 50, 75, 100)]
      [0.1, 0.05, 0.0, 0.05, 0.1]
    """
    where = f"from_torch({name!r})"
    if name == "ReduceLROnPlateau":
        if base_lr is None:
            raise ValueError(f"{where}: requires base_lr, the optimizer's initial lr.")
        try:
            return reduce_lr_on_plateau(base_lr, **kwargs)
        except TypeError as error:
            raise ValueError(f"{where}: {error}") from None
    if name in NOT_STEP_FUNCTIONS:
        raise ValueError(
            f"{where}: not a closed-form function of the step: {NOT_STEP_FUNCTIONS[name]}. "
            f"from_torch covers: {', '.join(KWARGS)}."
        )
    every = {**KWARGS, **COMPOSITES}
    if name not in every:
        close = difflib.get_close_matches(str(name), [*every, *NOT_STEP_FUNCTIONS], n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"from_torch: unknown scheduler name={name!r}.{hint} Supported: {', '.join(every)}."
        )
    allowed = every[name]
    for key in kwargs:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            extra = " (resume by evaluating at the step)" if key == "last_epoch" else ""
            raise ValueError(
                f"{where}: unexpected keyword {key!r}{extra}.{hint} {name} accepts: "
                f"{', '.join(allowed)}."
            )
    if name == "OneCycleLR":
        return _one_cycle(where, kwargs)
    if base_lr is None:
        raise ValueError(f"{where}: requires base_lr, the optimizer's initial lr.")
    _validate.check_lr(where, "base_lr", base_lr)
    if name in COMPOSITES:
        return _composite(where, name, base_lr, kwargs)
    kw, lr = kwargs, base_lr
    params = {"name": name, "base_lr": base_lr, **kwargs}
    if name == "CosineAnnealingWarmRestarts":
        t_mult = kw.get("T_mult", 1)
        if isinstance(t_mult, bool) or not isinstance(t_mult, int) or t_mult < 1:
            raise ValueError(f"{where}: T_mult must be an int >= 1 (torch's rule); got {t_mult!r}.")
        inner = cosine_restarts(
            lr,
            period=_validate.check_steps(where, "T_0", _get(where, kw, "T_0")),
            t_mult=float(t_mult),
            min_lr=kw.get("eta_min", 0.0),
        )
        return dataclasses.replace(inner, name="from_torch", params=params)
    if name == "CyclicLR":
        if kw.get("scale_mode", "cycle") != "cycle" and kw.get("mode") != "exp_range":
            raise ValueError(f"{where}: a custom scale_mode needs a custom scale_fn, not covered.")
        inner = cyclic(
            lr,
            _get(where, kw, "max_lr"),
            step_size_up=kw.get("step_size_up", 2000),
            step_size_down=kw.get("step_size_down"),
            mode=kw.get("mode", "triangular"),
            gamma=kw.get("gamma", 1.0),
        )
        return dataclasses.replace(inner, name="from_torch", params=params)
    if name == "StepLR":
        gamma = kw.get("gamma", 0.1)
        _positive(where, "gamma", gamma)
        size = _validate.check_steps(where, "step_size", _get(where, kw, "step_size"))
        pieces = [Piece(0, "staircase", size, lr, 0.0, gamma, label="decay")]
    elif name == "MultiStepLR":
        gamma = kw.get("gamma", 0.1)
        _positive(where, "gamma", gamma)
        milestones = list(_get(where, kw, "milestones"))
        counts = Counter(
            _validate.check_steps(where, f"milestones[{i}]", m, minimum=0)
            for i, m in enumerate(milestones)
        )
        drops, pieces = counts.pop(0, 0), []
        pieces.append(Piece(0, "constant", 1, lr * gamma**drops, label="segment 1"))
        for i, step in enumerate(sorted(counts), start=2):
            drops += counts[step]
            pieces.append(Piece(step, "constant", 1, lr * gamma**drops, label=f"segment {i}"))
    elif name == "ConstantLR":
        factor = kw.get("factor", 1.0 / 3)
        _validate.check_range(
            where,
            "factor",
            factor,
            high=1.0,
            hint="torch divides by it when total_iters is reached (0 crashes there).",
        )
        n = _validate.check_steps(where, "total_iters", kw.get("total_iters", 5), minimum=0)
        pieces = [Piece(0, "constant", 1, lr * factor, label="scaled")]
        if n > 0:
            pieces.append(Piece(n, "constant", 1, lr, label="base"))
    elif name == "LinearLR":
        start, end = kw.get("start_factor", 1.0 / 3), kw.get("end_factor", 1.0)
        _factor(where, "start_factor", start, low_inclusive=False)
        _factor(where, "end_factor", end)
        n = _validate.check_steps(where, "total_iters", kw.get("total_iters", 5), minimum=0)
        if n > 0:
            pieces = [Piece(0, "linear", n, lr * start, lr * end, label="ramp")]
        else:
            pieces = [Piece(0, "constant", 1, lr * start, label="scaled")]
    elif name == "ExponentialLR":
        gamma = _get(where, kw, "gamma")
        _positive(where, "gamma", gamma)
        pieces = [Piece(0, "exponential", 1, lr, 0.0, gamma, label="decay")]
    elif name == "PolynomialLR":
        n = _validate.check_steps(where, "total_iters", kw.get("total_iters", 5))
        power = kw.get("power", 1.0)
        _validate.check_range(where, "power", power, low_inclusive=True)
        pieces = [Piece(0, "polynomial", n, lr, 0.0, power, label="decay")]
    else:  # CosineAnnealingLR
        t_max = _validate.check_steps(where, "T_max", _get(where, kw, "T_max"))
        eta_min = kw.get("eta_min", 0.0)
        _validate.check_lr(where, "eta_min", eta_min)
        pieces = [Piece(0, "cosine_wave", t_max, lr, eta_min, 0.5, label="cosine")]
    return _core.make("from_torch", params, pieces, end_step=_core.settles_at(pieces))
