"""Per-group learning rates: one schedule per set of parameters, chosen by path pattern.

A new module in a later training stage (an aligner, a vision tower, a LoRA B matrix)
often needs its own rate. :func:`per_group` builds the ``optax.multi_transform`` for
that from ``{pattern: schedule}``, matching each parameter's path, and refuses to guess
when a parameter matches no group or several.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import jax
import optax

__all__ = ["param_path", "per_group"]

Rate = optax.ScalarOrSchedule | optax.GradientTransformation


def _segment(key: Any) -> str | None:
    if isinstance(key, jax.tree_util.DictKey):
        return str(key.key)
    if isinstance(key, jax.tree_util.SequenceKey):
        return str(key.idx)
    if isinstance(key, jax.tree_util.GetAttrKey):
        return key.name
    if isinstance(key, jax.tree_util.FlattenedIndexKey):
        return str(key.key)
    return str(key)


def param_path(path: tuple[Any, ...]) -> str:
    """A parameter's tree path as ``"head/kernel"`` (nnx's trailing ``value`` dropped)."""
    parts = [_segment(k) for k in path]
    if parts and parts[-1] == "value" and isinstance(path[-1], jax.tree_util.GetAttrKey):
        parts = parts[:-1]  # the array inside an nnx Variable
    return "/".join(p for p in parts if p is not None)


def _segment_regex(segment: str) -> str:
    """One segment: ``*`` is any text within it, ``{a,b}`` either alternative."""
    out = []
    for piece in re.split(r"(\{[^{}]*\})", segment):
        if piece.startswith("{") and piece.endswith("}"):
            options = [_segment_regex(option) for option in piece[1:-1].split(",")]
            out.append("(?:" + "|".join(options) + ")")
        else:
            out.append(re.escape(piece).replace(r"\*", "[^/]*"))
    return "".join(out)


def _compile(pattern: str) -> re.Pattern[str]:
    """``*`` matches within one path segment, ``**`` any number of whole segments."""
    parts = []
    segments = pattern.strip("/").split("/")
    for i, segment in enumerate(segments):
        if segment == "**":
            parts.append("(?:[^/]+/)*" if i < len(segments) - 1 else ".*")
            continue
        parts.append(_segment_regex(segment) + "/")
    regex = "".join(parts)
    regex = regex[:-1] if regex.endswith("/") else regex
    return re.compile(regex + r"\Z")


def per_group(
    groups: Mapping[str, Rate],
    optimizer: Callable[..., optax.GradientTransformation] = optax.adamw,
    **hyperparams: Any,
) -> optax.GradientTransformation:
    """``optax.multi_transform`` with one learning rate (or optimizer) per parameter group.

    Each parameter's path (``"backbone/layers/0/kernel"``; for an nnx model the path of
    the ``nnx.Param``) is matched against the patterns: ``*`` stands for any part of one
    path segment, ``**`` for any number of segments, ``{a,b}`` for either name. A rate
    (a float or a schedule) becomes
    ``optax.inject_hyperparams(optimizer)(learning_rate=rate, **hyperparams)``, so
    :func:`~optax_sched.train.learning_rates` can log every group's rate; a
    ``GradientTransformation`` is used as it is (e.g. ``optax.set_to_zero()`` to freeze
    a group).

    Args:
      groups: ``{pattern: rate or transformation}``, e.g. ``{"head/**": head_schedule,
        "backbone/**": 1e-5}``.
      optimizer: the optax optimizer built for each rate (default ``optax.adamw``).
      **hyperparams: its other arguments (``weight_decay=0.01``...), shared by the groups.

    Returns:
      An ``optax.GradientTransformation`` whose ``init`` raises ``ValueError`` naming
      the parameter when one matches no pattern or more than one.

    Examples:
      >>> import jax.numpy as jnp, optax_sched
      >>> from optax_sched.train import learning_rates, per_group
      >>> tx = per_group({"head/*": optax_sched.warmup_cosine(1e-3, 100, 10), "body/**": 1e-5})
      >>> state = tx.init({"head": {"w": jnp.ones(2)}, "body": {"l0": {"w": jnp.ones(2)}}})
      >>> sorted(learning_rates(state))
      ['body/**', 'head/*']
    """
    if not groups:
        raise ValueError("per_group: groups is empty; give at least one {pattern: rate}.")
    compiled = {pattern: _compile(pattern) for pattern in groups}
    transforms = {
        pattern: (
            rate
            if isinstance(rate, optax.GradientTransformation)
            else optax.inject_hyperparams(optimizer)(learning_rate=rate, **hyperparams)
        )
        for pattern, rate in groups.items()
    }

    def label(path: tuple[Any, ...], _: Any) -> str:
        name = param_path(path)
        hits = [p for p, regex in compiled.items() if regex.match(name)]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise ValueError(
                f"per_group: parameter {name!r} matches none of the groups "
                f"{', '.join(repr(p) for p in groups)}; add a pattern for it (e.g. "
                f"{name.split('/')[0] + '/**'!r}), or freeze it with optax.set_to_zero()."
            )
        raise ValueError(
            f"per_group: parameter {name!r} matches {len(hits)} groups "
            f"({', '.join(repr(p) for p in hits)}); make the patterns disjoint so each "
            "parameter has exactly one learning rate."
        )

    def labels(params: Any) -> Any:
        return jax.tree_util.tree_map_with_path(label, params)

    return optax.multi_transform(transforms, labels)
