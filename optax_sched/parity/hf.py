"""``from_hf``: Hugging Face transformers' schedulers, step for step, on the optax_sched core.

Each transformers scheduler is a ``LambdaLR`` whose lambda tests ``step < end`` for one
phase after another. :func:`_cascade` turns such a list of phases into a core piece table,
so this module only arranges phases: every curve is a shape from ``optax_sched._core``.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

import jax
import optax

from optax_sched import _core, _validate
from optax_sched._core import Piece, Schedule
from optax_sched.parity.plateau import greedy_lr, reduce_lr_on_plateau

#: transformers' ``SchedulerType`` values that from_hf reproduces, with their extra kwargs.
KWARGS: dict[str, tuple[str, ...]] = {
    "linear": (),
    "cosine": ("num_cycles",),
    "cosine_with_restarts": ("num_cycles",),
    "polynomial": ("lr_end", "power"),
    "constant": (),
    "constant_with_warmup": (),
    "inverse_sqrt": ("timescale",),
    "cosine_with_min_lr": ("num_cycles", "min_lr", "min_lr_rate"),
    "cosine_warmup_with_min_lr": ("num_cycles", "min_lr", "min_lr_rate", "warmup_lr_rate"),
    "warmup_stable_decay": (
        "num_decay_steps",
        "num_stable_steps",
        "warmup_type",
        "decay_type",
        "min_lr_ratio",
        "num_cycles",
    ),
}
#: Metric-driven transformers schedulers (they need the loss, not just the step).
STATEFUL = ("reduce_lr_on_plateau", "greedy")
#: Names that need ``num_training_steps``.
NEED_TOTAL = (
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "cosine_with_min_lr",
    "cosine_warmup_with_min_lr",
)
_WSD_WARMUP = {"linear": "linear", "cosine": "cosine", "1-sqrt": "sqrt_warmup"}
_WSD_DECAY = {"linear": "linear", "cosine": "cosine_wave", "1-sqrt": "one_minus_sqrt"}


@dataclasses.dataclass(frozen=True)
class _Phase:
    """One ``if step < end`` branch of a transformers lambda.

    The curve is evaluated at ``t = step - origin`` (``origin`` may be negative or lie
    before the phase starts, as in transformers' one-step-ahead schedules).
    """

    end: float | None
    origin: float
    kind: str
    length: float
    a: Any
    b: Any = 0.0
    c: Any = 1.0
    label: str = ""


def _cascade(phases: list[_Phase]) -> list[Piece]:
    """Pieces for "the first phase whose ``end`` exceeds the step wins" (empty ones dropped)."""
    pieces: list[Piece] = []
    start = 0
    for phase in phases:
        if phase.end is not None and phase.end <= start:
            continue
        pieces.append(
            Piece(
                start,
                phase.kind,
                phase.length,
                phase.a,
                phase.b,
                phase.c,
                label=phase.label,
                shift=start - phase.origin,
            )
        )
        if phase.end is None:
            break
        start = int(phase.end)
    return pieces


def _warmup(lr: Any, warmup: int) -> _Phase:
    """transformers' warmup: ``step / max(1, num_warmup_steps)`` for ``step < warmup``."""
    return _Phase(warmup, 0, "linear", max(1, warmup), 0.0, lr, label="warmup")


def _unknown(name: Any) -> ValueError:
    valid = [*KWARGS, *STATEFUL]
    close = difflib.get_close_matches(str(name), valid, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ValueError(
        f"from_hf: unknown scheduler name={name!r}.{hint} transformers' SchedulerType "
        f"values are: {', '.join(valid)}."
    )


def _min_rate(where: str, lr: Any, kwargs: dict[str, Any]) -> Any:
    min_lr, rate = kwargs.get("min_lr"), kwargs.get("min_lr_rate")
    if min_lr is not None and rate is not None:
        raise ValueError(
            f"{where}: pass min_lr or min_lr_rate, not both; got min_lr={min_lr!r} and "
            f"min_lr_rate={rate!r}."
        )
    if min_lr is None and rate is None:
        raise ValueError(
            f"{where}: needs the floor, as min_lr (absolute) or min_lr_rate (a fraction of "
            "learning_rate), e.g. lr_scheduler_kwargs={'min_lr_rate': 0.1}."
        )
    if min_lr is not None:
        _validate.check_lr(where, "min_lr", min_lr)
        _validate.check_not_above(where, "min_lr", min_lr, "learning_rate", lr)
        return min_lr / lr
    _validate.check_range(where, "min_lr_rate", rate, low_inclusive=True, high=1.0)
    return rate


def from_hf(
    name: str,
    learning_rate: jax.typing.ArrayLike,
    num_warmup_steps: int | None = None,
    num_training_steps: int | None = None,
    **scheduler_specific_kwargs: Any,
) -> Schedule | optax.GradientTransformationExtraArgs:
    r"""transformers' ``get_scheduler(name, ...)`` as an optax schedule, step for step.

    The two metric-driven names, ``reduce_lr_on_plateau`` and ``greedy``, return an
    optax transformation instead (see :mod:`optax_sched.parity.plateau`): chain it after
    a rate-free optimizer and pass the loss as ``update(..., value=loss)``.

    The value at step :math:`k` is ``learning_rate * lr_lambda(k)`` of the transformers
    scheduler: the rate in effect for the optimizer update that follows :math:`k` calls
    to ``scheduler.step()``. With :math:`W` = ``num_warmup_steps``, :math:`T` =
    ``num_training_steps``, :math:`p = (k - W)/\max(1, T - W)` and :math:`c` =
    ``num_cycles``, the factors are:

    .. math::

      \begin{array}{ll}
        \text{warmup (all but constant)} & k / \max(1, W) \quad (k < W) \\
        \texttt{linear} & \max(0, (T - k) / \max(1, T - W)) \\
        \texttt{cosine} & \tfrac{1}{2}(1 + \cos 2\pi c p) \\
        \texttt{cosine\_with\_restarts} & \tfrac{1}{2}(1 + \cos \pi\, \mathrm{frac}(c p))
            \text{ for } p < 1, \text{ else } 0 \\
        \texttt{polynomial} & (\eta_{end} + (\eta - \eta_{end})(1 - p)^{power}) / \eta,
            \ \eta_{end}/\eta \text{ for } k > T \\
        \texttt{constant(\_with\_warmup)} & 1 \\
        \texttt{inverse\_sqrt} & \sqrt{\tau / (k - W + \tau)} \\
        \texttt{cosine\_with\_min\_lr} & r + (1 - r)\tfrac{1}{2}(1 + \cos 2\pi c p) \\
      \end{array}

    ``cosine_warmup_with_min_lr`` evaluates one step ahead: its warmup is
    :math:`(k + 1)/\max(1, W)` (or, with ``warmup_lr_rate`` :math:`\rho`,
    :math:`\rho + (1 - \rho) k / \max(1, W - 1)`) and its decay uses
    :math:`p = (k - W + 1)/\max(1, T - W)`. ``warmup_stable_decay`` warms up from
    ``min_lr_ratio`` (linear, cosine or 1-sqrt), holds 1 for ``num_stable_steps``
    (default :math:`T - W - D`), decays over ``num_decay_steps`` :math:`D` (linear,
    cosine with ``num_cycles``, 1-sqrt) and then holds ``min_lr_ratio``.

    **Surprises kept for parity** (the native schedules avoid them): ``cosine``,
    ``cosine_with_min_lr`` and ``cosine_warmup_with_min_lr`` climb back up after
    :math:`T` (their progress is not clipped), so a run that goes past ``num_training_steps``
    sees its learning rate rise again; use :func:`~optax_sched.warmup_cosine`, which holds
    its floor. ``polynomial`` with ``power=0`` stays at the peak until :math:`T` and then
    drops to ``lr_end``. ``cosine_warmup_with_min_lr`` reaches the peak one step before
    :math:`W` and its first update already uses :math:`1/W` of it.

    Args:
      name: a transformers ``SchedulerType`` value (or the enum itself).
      learning_rate: the optimizer's learning rate (transformers' ``learning_rate``).
      num_warmup_steps: required by every name except ``constant``: an int number of
        steps, or a float in ``[0, 1)`` for a ratio of ``num_training_steps`` rounded up
        (what ``TrainingArguments.warmup_steps`` accepts since transformers 5).
      num_training_steps: required by the names whose decay spans the run (all but
        ``constant``, ``constant_with_warmup`` and ``inverse_sqrt``; ``warmup_stable_decay``
        needs it unless ``num_stable_steps`` is given).
      **scheduler_specific_kwargs: transformers' ``lr_scheduler_kwargs`` for the name
        (e.g. ``num_cycles``, ``power`` and ``lr_end``, ``timescale``, ``min_lr`` or
        ``min_lr_rate``, ``warmup_lr_rate``, ``num_decay_steps``, ``warmup_type``...).

    Returns:
      A :class:`~optax_sched.Schedule`.

    Raises:
      ValueError: for an unknown name or keyword (listing the valid ones), a missing
        required argument, or a configuration transformers rejects or crashes on
        (``lr_end >= learning_rate``; ``polynomial`` with ``num_warmup_steps ==
        num_training_steps``, which divides by zero at that step).

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.from_hf("cosine_with_min_lr", 2e-4, num_warmup_steps=10,
      ...                         num_training_steps=100, min_lr_rate=0.1)
      >>> [f"{float(s(k)):.2e}" for k in (0, 5, 10, 100, 150)]
      ['0.00e+00', '1.00e-04', '2.00e-04', '2.00e-05', '1.26e-04']
    """
    name = getattr(name, "value", name)
    where = f"from_hf({name!r})"
    if name in STATEFUL:
        if num_warmup_steps or num_training_steps:
            raise ValueError(
                f"{where}: follows a metric, not the step, so it takes no num_warmup_steps or "
                "num_training_steps (transformers ignores them)."
            )
        factory = reduce_lr_on_plateau if name == "reduce_lr_on_plateau" else greedy_lr
        try:
            return factory(learning_rate, **scheduler_specific_kwargs)
        except TypeError as error:
            raise ValueError(f"{where}: {error}") from None
    if name not in KWARGS:
        raise _unknown(name)
    allowed = KWARGS[name]
    for key in scheduler_specific_kwargs:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            accepted = ", ".join(allowed) if allowed else "none"
            raise ValueError(
                f"{where}: unexpected keyword {key!r}.{hint} {name} accepts: {accepted}."
            )
    _validate.check_lr(where, "learning_rate", learning_rate)
    lr, kw = learning_rate, scheduler_specific_kwargs
    if name != "constant" and num_warmup_steps is None:
        raise ValueError(f"{where}: requires num_warmup_steps (0 for no warmup).")
    if name == "constant":
        w = 0
    elif isinstance(num_warmup_steps, float):
        if num_training_steps is None:
            raise ValueError(
                f"{where}: num_warmup_steps={num_warmup_steps!r} is a ratio of the run, so it "
                "needs num_training_steps (or pass an int number of warmup steps)."
            )
        total_for_ratio = _validate.check_steps(where, "num_training_steps", num_training_steps)
        w = _validate.resolve_steps(where, "num_warmup_steps", num_warmup_steps, total_for_ratio)
    else:
        w = _validate.check_steps(where, "num_warmup_steps", num_warmup_steps, minimum=0)
    if name in NEED_TOTAL and num_training_steps is None:
        raise ValueError(f"{where}: requires num_training_steps (the total optimizer steps).")
    total = (
        None
        if num_training_steps is None or name not in (*NEED_TOTAL, "warmup_stable_decay")
        else _validate.check_steps(where, "num_training_steps", num_training_steps, minimum=0)
    )
    cycles = kw.get("num_cycles", 1 if name == "cosine_with_restarts" else 0.5)
    if "num_cycles" in allowed:
        _validate.check_range(where, "num_cycles", cycles, low_inclusive=True, high=1e6)
    span = None if total is None else max(1, total - w)
    phases: list[_Phase]
    if name == "constant":
        phases = [_Phase(None, 0, "constant", 1, lr, label="constant")]
    elif name == "constant_with_warmup":
        phases = [_warmup(lr, w), _Phase(None, w, "constant", 1, lr, label="constant")]
    elif name == "linear":
        start = lr * max(0, total - w) / span
        phases = [_warmup(lr, w), _Phase(None, w, "linear", span, start, 0.0, label="decay")]
    elif name == "cosine":
        phases = [_warmup(lr, w), _Phase(None, w, "cosine_wave", span, lr, 0.0, cycles, "decay")]
    elif name == "cosine_with_restarts":
        phases = [
            _warmup(lr, w),
            _Phase(None, w, "hard_restarts", span, lr, 0.0, cycles, label="restarts"),
        ]
    elif name == "polynomial":
        lr_end, power = kw.get("lr_end", 1e-7), kw.get("power", 1.0)
        _validate.check_lr(where, "lr_end", lr_end)
        a, b = _validate.concrete(lr_end), _validate.concrete(lr)
        if a is not None and b is not None and not b > a:
            raise ValueError(
                f"{where}: lr_end must be smaller than learning_rate; got lr_end={lr_end!r} "
                f"and learning_rate={lr!r}."
            )
        _validate.check_range(where, "power", power, low_inclusive=True)
        if w == total:
            raise ValueError(
                f"{where}: num_warmup_steps == num_training_steps == {w} leaves a decay of zero "
                "steps (transformers divides by zero at that step). Shorten the warmup."
            )
        phases = [
            _warmup(lr, w),
            _Phase(total + 1, w, "polynomial", total - w, lr, lr_end, power, label="decay"),
            _Phase(None, total + 1, "constant", 1, lr_end, label="end"),
        ]
    elif name == "inverse_sqrt":
        timescale = kw.get("timescale")
        tau = (
            (w or 10_000)
            if timescale is None
            else _validate.check_steps(where, "timescale", timescale)
        )
        phases = [_warmup(lr, w), _Phase(None, w, "rsqrt", tau, lr, label="decay")]
    elif name == "cosine_with_min_lr":
        floor = lr * _min_rate(where, lr, kw)
        phases = [_warmup(lr, w), _Phase(None, w, "cosine_wave", span, lr, floor, cycles, "decay")]
    elif name == "cosine_warmup_with_min_lr":
        floor = lr * _min_rate(where, lr, kw)
        rho = kw.get("warmup_lr_rate")
        if rho is None:
            warm = _Phase(w, -1, "linear", max(1, w), 0.0, lr, label="warmup")
        else:
            _validate.check_range(where, "warmup_lr_rate", rho, low_inclusive=True, high=1.0)
            warm = _Phase(w, 0, "linear", max(1, w - 1), lr * rho, lr, label="warmup")
        phases = [warm, _Phase(None, w - 1, "cosine_wave", span, lr, floor, cycles, "decay")]
    else:
        phases = _wsd_phases(where, lr, w, total, kw, cycles)
    pieces = _cascade(phases)
    params = {
        "name": name,
        "learning_rate": learning_rate,
        "num_warmup_steps": num_warmup_steps,
        "num_training_steps": num_training_steps,
        **scheduler_specific_kwargs,
    }
    return _core.make("from_hf", params, pieces, end_step=_core.settles_at(pieces))


def _wsd_phases(
    where: str, lr: Any, w: int, total: int | None, kw: dict[str, Any], cycles: Any
) -> list[_Phase]:
    """warmup_stable_decay: warmup from min_lr_ratio, plateau, decay, then min_lr_ratio."""
    if "num_decay_steps" not in kw:
        raise ValueError(f"{where}: requires num_decay_steps (the cooldown length).")
    decay = _validate.check_steps(where, "num_decay_steps", kw["num_decay_steps"], minimum=0)
    warmup_type = _validate.check_choice(
        where, "warmup_type", kw.get("warmup_type", "linear"), list(_WSD_WARMUP)
    )
    decay_type = _validate.check_choice(
        where, "decay_type", kw.get("decay_type", "cosine"), list(_WSD_DECAY)
    )
    ratio = kw.get("min_lr_ratio", 0.0)
    _validate.check_range(where, "min_lr_ratio", ratio, low_inclusive=True, high=1.0)
    stable = kw.get("num_stable_steps")
    if stable is None:
        if total is None:
            raise ValueError(
                f"{where}: requires num_training_steps or num_stable_steps (the plateau "
                "length is num_training_steps - num_warmup_steps - num_decay_steps)."
            )
        stable = total - w - decay
    else:
        stable = _validate.check_steps(where, "num_stable_steps", stable, minimum=0)
    floor = lr * ratio
    return [
        _Phase(w, 0, _WSD_WARMUP[warmup_type], max(1, w), floor, lr, label="warmup"),
        _Phase(w + stable, w, "constant", 1, lr, label="stable"),
        _Phase(
            w + stable + decay,
            w + stable,
            _WSD_DECAY[decay_type],
            max(1, decay),
            lr,
            floor,
            cycles,
            label="decay",
        ),
        _Phase(None, w + stable + decay, "constant", 1, floor, label="floor"),
    ]
