"""Plots of schedules: PNG and SVG figures (matplotlib) and text plots (plotext).

One schedule is drawn with its phases shaded and named, and its peak and floor marked;
several are overlaid with a legend and their phase boundaries as dotted lines. The values
come from :func:`optax_sched.inspect.sample` and :func:`optax_sched.inspect.summarise`, so
a plot shows exactly what the optimizer will see.

matplotlib and plotext are imported only when a plot is made (importing optax_sched
stays fast). Figures use matplotlib's object API, never ``pyplot`` state, so they work
without a display and in threads; text plots use a private plotext figure.
"""

from __future__ import annotations

import math
import os
import pathlib
import textwrap
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from optax_sched import inspect as _inspect
from optax_sched._core import Schedule

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure

__all__ = ["FORMATS", "Labelled", "figure", "lr_text", "save", "terminal"]

#: A schedule, or a ``(label, schedule)`` pair; a bare schedule is labelled by its repr.
Labelled = Schedule | tuple[str, Callable[..., Any]]

#: The file formats :func:`save` writes.
FORMATS = ("png", "svg")
#: Figure size in inches and PNG resolution (1080 x 540 pixels).
SIZE = (9.0, 4.5)
DPI = 120
#: Most points sampled per curve (a plot cannot show more).
MAX_POINTS = 4000
#: Steps added after the default stop, as a fraction of the range, so a held floor shows.
TAIL = 0.05
#: Longest legend label and title line, in characters.
LABEL_WIDTH = 72
TITLE_WIDTH = 100
#: Values shown on a log axis span at most this many decades below the largest one.
LOG_DECADES = 6

_SHADES = ("#4c72b0", "#dd8452")
_INK = "#333333"
_PLOTEXT_LOCK = threading.Lock()


class _Curve(NamedTuple):
    label: str
    title: str
    schedule: Callable[..., Any]
    steps: np.ndarray
    values: np.ndarray


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


def _shorten(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _labelled(schedules: Any, where: str) -> tuple[list[tuple[str, str, Any]], str]:
    """``(label, title, fn)`` per entry, and the parameters that all of them share.

    A bare schedule or ``(label, schedule)`` pair counts as a list of one. When several
    bare schedules are compared, their labels leave out the parameters they all share
    (those are returned as text for the title), so the legend shows what differs.
    """
    if callable(schedules) or (
        isinstance(schedules, tuple)
        and len(schedules) == 2
        and isinstance(schedules[0], str)
        and callable(schedules[1])
    ):
        schedules = [schedules]
    if isinstance(schedules, str | bytes) or not isinstance(schedules, Sequence):
        raise ValueError(
            f"{where}: schedules must be a list of schedules or (label, schedule) pairs; "
            f"got {schedules!r}."
        )
    if not schedules:
        raise ValueError(
            f"{where}: schedules is empty; pass at least one schedule, e.g. "
            f"{where}([optax_sched.warmup_cosine(2e-4, total_steps=1000, warmup_steps=30)])."
        )
    out = []
    for i, entry in enumerate(schedules):
        if isinstance(entry, tuple) and len(entry) == 2 and callable(entry[1]):
            label, fn = str(entry[0]), entry[1]
        elif callable(entry):
            fn = entry
            label = repr(entry) if isinstance(entry, Schedule) else None
            label = label or getattr(entry, "__name__", None) or repr(entry)
        else:
            raise ValueError(
                f"{where}: schedules[{i}] must be a schedule or a (label, schedule) pair; "
                f"got {entry!r}."
            )
        out.append((_shorten(label, LABEL_WIDTH), label, fn))
    common = ""
    if len(schedules) > 1 and all(isinstance(e, Schedule) for e in schedules):
        told_apart = distinguish(schedules)
        if told_apart is not None:
            labels, common = told_apart
            out = [(_shorten(t, LABEL_WIDTH), t, s) for t, s in zip(labels, schedules, strict=True)]
    return out, common


def distinguish(schedules: Sequence[Schedule]) -> tuple[list[str], str] | None:
    """Labels that tell schedules apart, and a title that names what they share.

    A label lists the spec fields (:func:`optax_sched.to_config`) whose values differ
    between the schedules, e.g. ``decay_factor=0.85``; the title counts the schedules
    and lists the fields they share, e.g. ``4 schedules: type=cycle_decay,
    base_lr=5e-05``.

    Returns:
      ``(labels, title)``, or ``None`` when the specs cannot tell them apart (a schedule
      with no spec, or two equal ones).
    """
    from optax_sched.config import to_config

    try:
        flat = [_flatten(to_config(s)) for s in schedules]
    except ValueError:
        return None
    keys = list(dict.fromkeys(k for f in flat for k in f))
    differing = [k for k in keys if len({repr(f.get(k)) for f in flat}) > 1]
    labels = [", ".join(f"{_leaf(k)}={_text(f[k])}" for k in differing if k in f) for f in flat]
    if not differing or not all(labels) or len(set(labels)) < len(labels):
        return None
    shared = [f"{_leaf(k)}={_text(v)}" for k, v in flat[0].items() if k not in differing]
    return labels, f"{len(schedules)} schedules" + (f": {', '.join(shared)}" if shared else "")


def _flatten(spec: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _leaf(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def _text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _range(fns: Sequence[Callable[..., Any]], stop: int | None, start: int, where: str):
    """``(start, stop)``: the given range, or the longest horizon plus a short tail."""
    start = int(start)
    if start < 0:
        raise ValueError(f"{where}: start={start} is negative; steps count from 0.")
    if stop is None:
        end = max(_inspect.horizon(fn) for fn in fns)
        if end <= start:
            end = start + max(end, 1)
        stop = end + max(1, round(TAIL * (end - start)))
    stop = int(stop)
    if stop < start:
        raise ValueError(
            f"{where}: stop={stop} is before start={start}; pass a stop >= start (or swap them)."
        )
    return start, stop


def _curves(schedules: Any, stop: int | None, start: int, where: str, points: int):
    entries, common = _labelled(schedules, where)
    start, stop = _range([fn for _, _, fn in entries], stop, start, where)
    curves = []
    for label, title, fn in entries:
        steps, values = _inspect.sample(fn, stop, start=start, num=min(stop - start + 1, points))
        bad = ~np.isfinite(values)
        if bad.any():
            k = int(np.argmax(bad))
            raise ValueError(
                f"{where}: {label} is {values[k]} at step {int(steps[k])}; only finite "
                "learning rates can be plotted (check the schedule's arguments)."
            )
        curves.append(_Curve(label, title, fn, steps, values))
    return curves, start, stop, common


def _log_floor(curves: Sequence[_Curve]) -> tuple[float | None, str]:
    """The bottom of a log axis, and a note on the values drawn there ("" if none).

    The bottom is the smallest positive value, but at most six decades below the
    largest; ``None`` when no value is positive (a log axis cannot show the curves).
    """
    values = np.concatenate([c.values for c in curves])
    positive = values[values > 0]
    if positive.size == 0:
        return None, ""
    floor = max(float(positive.min()), float(positive.max()) * 10.0**-LOG_DECADES)
    zeros, small = bool((values <= 0).any()), bool(((values > 0) & (values < floor)).any())
    what = " and ".join(
        w for w, present in (("zeros", zeros), (f"values below {lr_text(floor)}", small)) if present
    )
    note = f"log axis: {what} drawn at the bottom edge ({lr_text(floor)})" if what else ""
    return floor, note


# ---------------------------------------------------------------------------------------
# Number formats
# ---------------------------------------------------------------------------------------


def _sci(x: float, decimals: int) -> str:
    mantissa, exponent = f"{x:.{decimals}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def lr_text(x: float) -> str:
    """A learning rate for a label: ``2.0e-4``, ``1.44e-3``, ``0.1``, ``0``.

    Args:
      x: the value.

    Returns:
      Up to three significant digits; scientific notation below 0.01 and from 10,000.

    Examples:
      >>> [lr_text(x) for x in (2e-4, 1.44e-3, 0.1, 0.0, 3e-5 * 1.5)]
      ['2.0e-4', '1.44e-3', '0.1', '0', '4.5e-5']
    """
    x = float(f"{x:.6g}")  # float32 0.01 is 0.0099999998
    if x == 0:
        return "0"
    if 1e-2 <= abs(x) < 1e4:
        return f"{x:.3g}"
    text = _sci(x, 2)
    mantissa, exponent = text.split("e")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    return f"{mantissa}e{exponent}"


def _tick_labels(locs: Sequence[float]) -> list[str]:
    """Labels for linear ticks: the fewest decimals that tell every tick apart."""
    locs = [float(x) for x in locs]
    scale = max((abs(x) for x in locs), default=0.0)
    sci = scale != 0 and not 1e-2 <= scale < 1e5
    for decimals in range(1 if sci else 0, 7):
        if sci:
            labels = ["0" if x == 0 else _sci(x, decimals) for x in locs]
        else:
            labels = [f"{x:,.{decimals}f}" for x in locs]
        labels = ["0" if set(t) <= set("-0.,") else t for t in labels]
        if len(set(labels)) == len(labels) and all(
            math.isclose(float(t.replace(",", "")), x, rel_tol=1e-6, abs_tol=scale * 1e-9)
            for t, x in zip(labels, locs, strict=True)
        ):
            return labels
    return labels


def _lr_formatter(ticker: Any) -> Any:
    """A matplotlib tick formatter that writes learning rates with :func:`_tick_labels`."""

    class LRFormatter(ticker.Formatter):
        def format_ticks(self, values: Sequence[float]) -> list[str]:
            return _tick_labels(values)

        def __call__(self, x: float, pos: int | None = None) -> str:
            return lr_text(x)

    return LRFormatter()


def _log_ticks(lo: float, hi: float, count: int) -> tuple[list[float], list[str]]:
    """Ticks for log10 values in ``[lo, hi]``: powers of ten, or 1-2-5 within a decade."""
    decades = range(math.floor(lo) - 1, math.ceil(hi) + 1)
    for mantissas in ((1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7)):
        ticks = [
            (math.log10(m) + d, f"{m:g}e{d}")
            for d in decades
            for m in mantissas
            if lo - 1e-6 <= math.log10(m) + d <= hi + 1e-6
        ]
        if len(ticks) >= 2:
            break
    if len(ticks) > count:
        ticks = ticks[:: math.ceil(len(ticks) / count)]
    if not ticks:
        ticks = [(hi, lr_text(10.0**hi))]
    return [t for t, _ in ticks], [label for _, label in ticks]


def _step_text(x: float) -> str:
    return "0" if abs(x) < 0.5 else f"{x:,.0f}"


def _nice_ticks(lo: float, hi: float, count: int, integer: bool = False) -> list[float]:
    """About ``count`` round tick positions between ``lo`` and ``hi``."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for m in (1, 2, 5, 10):
        if m * magnitude >= raw:
            step = m * magnitude
            break
    if integer:
        step = max(1.0, round(step))
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    k = 0
    while first + k * step <= hi + step * 1e-3:  # float32 values sit just below a tick
        ticks.append(first + k * step)
        k += 1
    return ticks


# ---------------------------------------------------------------------------------------
# Figures (matplotlib)
# ---------------------------------------------------------------------------------------


def _phase_spans(schedule: Any, start: int, stop: int) -> list[tuple[str, float, float]]:
    """Named ``[lo, hi]`` spans of the schedule's phases, clipped to the plotted range.

    An open phase (``end`` is ``None``: a value held for ever) runs to ``stop``.
    """
    spans = []
    for phase in getattr(schedule, "phases", ()) or ():
        end = stop + 1 if phase.end is None else phase.end
        lo, hi = max(phase.start, start), min(end, stop + 1)
        if hi > lo:
            spans.append((phase.name, float(lo), float(min(hi, stop))))
    if stop > start:  # a phase that starts at the last step shown has no width to name
        spans = [(name, lo, hi) for name, lo, hi in spans if hi > lo]
    return spans


def _boundaries(schedule: Any, start: int, stop: int) -> list[int]:
    phases = getattr(schedule, "phases", ()) or ()
    edges = {p.start for p in phases} | {p.end for p in phases if p.end is not None}
    return sorted(e for e in edges if start < e <= stop)


def _obstacles(ax: matplotlib.axes.Axes) -> np.ndarray:
    """The plotted lines as dense points in display pixels (one every ~2 px)."""
    chunks = []
    for line in ax.get_lines():
        if line.get_gid() != "curve":
            continue
        xy = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) == 0:
            continue
        px = ax.transData.transform(xy)
        if len(px) > 1:
            gaps = np.hypot(*np.diff(px, axis=0).T)
            counts = np.minimum(np.ceil(gaps / 2.0).astype(int), 2000)
            counts = np.maximum(counts, 1)
            index = np.repeat(np.arange(len(px) - 1), counts)
            within = np.concatenate([np.arange(c) / c for c in counts]) if counts.size else []
            px = np.concatenate(
                [px[index] + (px[index + 1] - px[index]) * np.asarray(within)[:, None], px[-1:]]
            )
        chunks.append(px)
    return np.concatenate(chunks) if chunks else np.zeros((0, 2))


def _overlap(a: Any, b: Any) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0.0) * max(h, 0.0)


def _place_phase_labels(ax, renderer, spans, taken: list) -> None:
    """Name each phase near the top of its span without overlaps.

    All in one row if they fit, else staggered over two rows; when even that crowds
    (many short phases), one row with every label that fits, the others left out.
    """
    from matplotlib.transforms import Bbox, blended_transform_factory

    if not spans:
        return
    box = ax.get_window_extent(renderer)
    transform = blended_transform_factory(ax.transData, ax.transAxes)
    texts, extents = [], []
    for name, lo, hi in spans:
        text = ax.text(
            (lo + hi) / 2,
            0.975,
            name,
            transform=transform,
            ha="center",
            va="top",
            fontsize=8.5,
            color=_INK,
            in_layout=False,
            gid="phase-label",
        )
        extent = text.get_window_extent(renderer)
        # Keep the label inside the axes: slide it in from an edge.
        shift = max(0.0, box.x0 + 4 - extent.x0) - max(0.0, extent.x1 - (box.x1 - 4))
        if shift:
            center = ax.transData.transform(((lo + hi) / 2, 0))[0] + shift
            text.set_x(ax.transData.inverted().transform((center, 0))[0])
            extent = text.get_window_extent(renderer)
        texts.append(text)
        extents.append(extent)
    step = (extents[0].height + 4) / box.height

    def boxes(rows: Sequence[int]) -> list:
        down = [r * step * box.height for r in rows]
        return [
            Bbox.from_extents(e.x0 - 6, e.y0 - 1 - d, e.x1 + 6, e.y1 + 1 - d)
            for e, d in zip(extents, down, strict=True)
        ]

    def clear(candidates: list) -> bool:
        return all(
            _overlap(a, b) == 0
            for i, a in enumerate(candidates)
            for b in [*candidates[i + 1 :], *taken]
        )

    n = len(texts)
    for rows in ([0] * n, [i % 2 for i in range(n)]):
        placed = boxes(rows)
        if clear(placed):
            for text, row in zip(texts, rows, strict=True):
                text.set_y(0.975 - row * step)
            taken.extend(placed)
            return
    kept: list = []
    for text, candidate in zip(texts, boxes([0] * n), strict=True):
        if clear([*kept, candidate]):
            kept.append(candidate)
        else:
            text.set_visible(False)
    taken.extend(kept)


def _annotate(ax, renderer, x: float, y: float, label: str, color: str, taken: list, obstacles):
    """Mark ``(x, y)`` and write ``label`` where it covers no line and no other text."""
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    ax.plot(
        [x], [y], "o", ms=6, mfc="white", mec=color, mew=1.6, zorder=5, gid="marker", clip_on=False
    )
    box = ax.get_window_extent(renderer)
    style = dict(
        fontsize=8.5,
        color=_INK,
        in_layout=False,
        bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="#bbbbbb", lw=0.6, alpha=0.9),
    )
    probe = ax.annotate(label, (x, y), xytext=(0, 0), textcoords="offset points", **style)
    best = None
    for distance in (9, 18, 30, 45, 65, 90, 120, 160):
        for k in range(16):
            angle = math.pi / 4 + k * math.pi / 8  # up-right first, then counter-clockwise
            dx, dy = math.cos(angle), math.sin(angle)
            ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
            va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
            probe.xyann = (dx * distance, dy * distance)
            probe.set_ha(ha)
            probe.set_va(va)
            probe.update_positions(renderer)
            e = Text.get_window_extent(probe, renderer)
            padded = Bbox.from_extents(e.x0 - 5, e.y0 - 4, e.x1 + 5, e.y1 + 4)
            outside = (
                max(0, box.x0 - padded.x0)
                + max(0, padded.x1 - box.x1)
                + max(0, box.y0 - padded.y0)
                + max(0, padded.y1 - box.y1)
            )
            inside = (
                (obstacles[:, 0] >= padded.x0)
                & (obstacles[:, 0] <= padded.x1)
                & (obstacles[:, 1] >= padded.y0)
                & (obstacles[:, 1] <= padded.y1)
            ).sum()
            clash = sum(_overlap(padded, other) for other in taken)
            cost = 1000 * outside + 20 * inside + (5000 if clash else 0) + distance
            if best is None or cost < best[0]:
                best = (cost, probe.xyann, ha, va, distance, padded)
    probe.remove()
    _, offset, ha, va, distance, padded = best
    arrow = dict(arrowstyle="-", color="#888888", lw=0.8) if distance >= 30 else None
    ax.annotate(
        label,
        (x, y),
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        arrowprops=arrow,
        gid="annotation",
        **style,
    )
    taken.append(padded)


def _y_limits(ax, curves: Sequence[_Curve], log: bool, floor: float | None, room: float) -> None:
    """Leave ``room`` (a fraction of the range) above the curves for labels."""
    values = np.concatenate([c.values for c in curves])
    hi = float(values.max())
    if log:
        lo = floor if floor is not None else hi
        span = math.log10(hi / lo) if hi > lo else 1.0
        ax.set_ylim(lo / 10 ** (0.05 * span), hi * 10 ** (room * span))
        return
    lo = min(float(values.min()), 0.0)
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    ax.set_ylim(lo - 0.03 * (hi - lo), hi + room * (hi - lo))


def figure(
    schedules: Sequence[Labelled],
    *,
    stop: int | None = None,
    start: int = 0,
    log: bool = False,
    title: str | None = None,
) -> matplotlib.figure.Figure:
    """A matplotlib figure of one schedule, or of several overlaid.

    One schedule is drawn with its phases shaded and named (warmup, decay, stable,
    stage 1, ...), its peak marked ("peak 2.0e-4 @ step 30") and, when it settles, its
    floor. Several are overlaid with a legend, each phase boundary drawn as a dotted line
    in its curve's colour. The figure is built with matplotlib's object API (no
    ``pyplot``), 9 x 4.5 inches at 120 dpi.

    Args:
      schedules: schedules (labelled by their repr) or ``(label, schedule)`` pairs; any
        ``step -> value`` function works.
      stop: last step shown, inclusive (default: the longest
        :func:`~optax_sched.inspect.horizon` plus 5%, so a held floor shows).
      start: first step shown.
      log: a logarithmic learning-rate axis. Values below the smallest positive one
        (zeros), or more than six decades below the peak, are drawn at the bottom edge
        and a note says so; with no positive value at all the axis stays linear.
      title: the title (default: the schedule's repr, or "N schedules").

    Returns:
      A ``matplotlib.figure.Figure`` (save it with ``fig.savefig`` or :func:`save`).

    Raises:
      ValueError: for an empty list, an entry that is not a schedule, ``stop < start``,
        or a schedule that is not finite in the range.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_cosine(2e-4, total_steps=100, warmup_steps=10)
      >>> fig = figure([s])
      >>> [t.get_text() for t in fig.axes[0].texts][:3]
      ['warmup', 'decay', 'peak 2.0e-4 @ step 10']
    """
    from matplotlib import ticker
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    curves, start, stop, common = _curves(schedules, stop, start, "figure", MAX_POINTS)
    single = len(curves) == 1
    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colors = [f"C{i % 10}" for i in range(len(curves))]

    floor, clipped = _log_floor(curves) if log else (None, "")
    log_axis = log and floor is not None
    for curve, color in zip(curves, colors, strict=True):
        values = np.maximum(curve.values, floor) if log_axis else curve.values
        ax.plot(
            curve.steps,
            values,
            color=color,
            lw=1.8,
            label=curve.label,
            marker="o" if len(curve.steps) < 2 else None,
            gid="curve",
            zorder=3,
        )
    if log_axis:
        ax.set_yscale("log")
    _y_limits(ax, curves, log_axis, floor, 0.3 if single else 0.08)
    ax.set_xlim(start - 0.5, stop + 0.5) if stop - start < 2 else ax.set_xlim(start, stop)

    ax.set_xlabel("optimizer step", fontsize=10)
    ax.set_ylabel("learning rate", fontsize=10)
    ax.tick_params(labelsize=9)
    ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _: _step_text(x)))
    if not log_axis:
        ax.yaxis.set_major_locator(ticker.MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
        formatter = _lr_formatter(ticker)
        ax.yaxis.set_major_formatter(formatter)
    ax.grid(True, color="#dddddd", lw=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    if title is None:
        title = _default_title(curves, common)
    lines = textwrap.wrap(" ".join(title.split()), TITLE_WIDTH) or [""]
    if len(lines) > 2:
        lines = [lines[0], _shorten(" ".join(lines[1:]), TITLE_WIDTH)]
    ax.set_title("\n".join(lines), fontsize=11, loc="left" if single else "center")
    notes = []
    if log and not log_axis:
        notes.append("no positive value to draw on a log axis: linear axis")
    elif clipped:
        notes.append(clipped)

    if single:
        curve = curves[0]
        spans = _phase_spans(curve.schedule, start, stop)
        for i, (_, lo, hi) in enumerate(spans):
            ax.axvspan(lo, hi, color=_SHADES[i % 2], alpha=0.07 + 0.03 * (i % 2), lw=0, zorder=1)
    else:
        for curve, color in zip(curves, colors, strict=True):
            for edge in _boundaries(curve.schedule, start, stop):
                ax.axvline(edge, color=color, ls=":", lw=1.1, alpha=0.9, zorder=2)
        _legend(fig, curves)

    fig.draw_without_rendering()  # settle the layout, so texts can be measured
    renderer = fig.canvas.get_renderer()
    taken: list = []
    if notes:
        note = ax.text(
            0.01,
            0.02,
            "; ".join(notes),
            transform=ax.transAxes,
            fontsize=8,
            color="#666666",
            in_layout=False,
            gid="note",
        )
        taken.append(note.get_window_extent(renderer))
    if single:
        curve = curves[0]
        _place_phase_labels(ax, renderer, spans, taken)
        _mark_peak_and_floor(ax, renderer, curve, start, stop, floor if log_axis else None, taken)
    return fig


def _default_title(curves: Sequence[_Curve], common: str) -> str:
    """The schedule's repr; for several, their number and the spec fields they share."""
    if len(curves) == 1:
        return curves[0].title
    return common or f"{len(curves)} schedules"


def _legend(fig, curves: Sequence[_Curve]) -> None:
    """A legend under the axes: the fewest rows that fit the width, in balanced columns."""
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width - 20
    n = len(curves)
    style = dict(loc="outside lower center", fontsize=8.5, frameon=False, handlelength=2.2)
    for columns in range(min(n, 4), 0, -1):
        legend = fig.legend(ncols=columns, **style)
        fits = legend.get_window_extent(renderer).width <= width
        legend.remove()
        if fits:
            break
    rows = math.ceil(n / columns)
    fig.legend(ncols=math.ceil(n / rows), **style)


def _mark_peak_and_floor(ax, renderer, curve, start, stop, floor, taken) -> None:
    """Mark the peak (or the constant value) and, if the schedule settles, its floor."""
    summary = _inspect.summarise(curve.schedule, stop, start=start)
    shown = (lambda v: max(v, floor)) if floor is not None else (lambda v: v)
    obstacles = _obstacles(ax)
    color = "C0"
    if summary.peak == summary.lowest:
        label = f"constant {lr_text(summary.peak)}"
        x = start + (stop - start) * 0.5
        _annotate(ax, renderer, x, shown(summary.peak), label, color, taken, obstacles)
        return
    peak = f"peak {lr_text(summary.peak)} @ step {summary.peak_step:,}"
    _annotate(ax, renderer, summary.peak_step, shown(summary.peak), peak, color, taken, obstacles)
    at = summary.floor_step
    if at is None or not summary.peak_step < at < stop or not summary.final < summary.peak:
        return
    # A floor is where the schedule settles; a value that is only held to the end of the
    # range (a cycle or a staircase step cut off by ``stop``) is not one.
    if not hasattr(curve.schedule, "end_step"):  # a plain function: trust a long hold
        settled = stop - at >= 0.1 * (stop - start)
    else:
        settled = curve.schedule.end_step is not None and curve.schedule.end_step <= stop
    if settled:
        text = f"floor {lr_text(summary.final)} from step {at:,}"
        _annotate(ax, renderer, at, shown(summary.final), text, color, taken, obstacles)


def save(
    schedules: Sequence[Labelled],
    path: str | os.PathLike,
    *,
    format: str | None = None,
    **figure_kwargs: Any,
) -> pathlib.Path:
    """Draw schedules with :func:`figure` and write the picture to a PNG or SVG file.

    Args:
      schedules: as for :func:`figure`.
      path: the file to write (its folder must exist).
      format: ``"png"`` or ``"svg"`` (default: from the file's suffix).
      **figure_kwargs: ``stop``, ``start``, ``log`` and ``title``, as for :func:`figure`.

    Returns:
      The path written, as a ``pathlib.Path``.

    Raises:
      ValueError: for a format other than png or svg, and as :func:`figure`.
    """
    path = pathlib.Path(path)
    chosen = (format or path.suffix).lower().lstrip(".")
    if chosen not in FORMATS:
        got = f"format={format!r}" if format else f"the suffix {path.suffix!r} of {str(path)!r}"
        raise ValueError(
            f"save: cannot write {got}; the formats are {', '.join(FORMATS)} "
            f"(e.g. {path.with_suffix('.png').name} or {path.with_suffix('.svg').name})."
        )
    fig = figure(schedules, **figure_kwargs)
    metadata = {"Date": None} if chosen == "svg" else {"Software": "optax-sched"}
    fig.savefig(path, format=chosen, dpi=DPI, metadata=metadata)
    return path


# ---------------------------------------------------------------------------------------
# Text plots (plotext)
# ---------------------------------------------------------------------------------------

#: Symbols and 256-colour codes of the curves of a text plot (distinct without colour).
_TEXT_MARKERS = ("•", "+", "x", "o", "*", "#", "%", "@")
_TEXT_COLORS = (12, 10, 9, 14, 13, 11, 3, 5)


def terminal(
    schedules: Sequence[Labelled],
    *,
    stop: int | None = None,
    start: int = 0,
    width: int = 80,
    height: int = 18,
    log: bool = False,
    color: bool = False,
) -> str:
    """A text plot of one schedule or several, for a terminal.

    Drawn with plotext on a private figure (nothing is printed, and no plotext state is
    kept or shared between calls). Several curves get distinct symbols and a key below
    the plot, one line per schedule.

    Args:
      schedules: as for :func:`figure`.
      stop: last step shown, inclusive (default as for :func:`figure`).
      start: first step shown.
      width: columns, at least 30.
      height: rows of the whole text, key included, at least 8.
      log: a logarithmic learning-rate axis (zeros drawn at the bottom edge; linear
        when no value is positive).
      color: keep plotext's ANSI colours (default: plain text).

    Returns:
      The plot as a string of ``height`` lines (no trailing newline).

    Raises:
      ValueError: for an empty list, ``stop < start``, a size too small to draw in, or
        as :func:`figure`.

    Examples:
      >>> import optax_sched
      >>> s = optax_sched.warmup_cosine(2e-4, total_steps=100, warmup_steps=10)
      >>> text = terminal([s], width=60, height=14)
      >>> len(text.splitlines()), "\\x1b" in text
      (14, False)
    """
    width, height = int(width), int(height)
    if width < 30 or height < 8:
        raise ValueError(
            f"terminal: width={width}, height={height} is too small; use at least width=30 "
            "and height=8."
        )
    curves, start, stop, common = _curves(schedules, stop, start, "terminal", max(4 * width, 200))
    key = _key(curves, width, color) if len(curves) > 1 else []
    if height - len(key) < 8:
        key = key[: max(0, height - 8)]
    plot_height = height - len(key)
    title = _shorten(_default_title(curves, common), width - 4)

    floor, _ = _log_floor(curves) if log else (None, "")
    log_axis = log and floor is not None
    # A log axis is drawn as log10 of the values on a linear axis, with ticks at powers
    # of ten: plotext's own log scale breaks with explicit ticks.
    series = [
        (np.log10(np.maximum(c.values, floor)) if log_axis else c.values).astype(float).tolist()
        for c in curves
    ]
    values = np.concatenate([np.asarray(s) for s in series])
    lo, hi = float(values.min()), float(values.max())
    if not log_axis:
        lo = min(lo, 0.0)
    if hi == lo and log_axis:
        lo, hi = lo - 0.5, hi + 0.5
    elif hi == lo:
        hi = lo + (abs(lo) or 1.0)
    y_lim = (lo, hi + 0.05 * (hi - lo))
    rows = max(2, min(5, (plot_height - 4) // 2))
    if log_axis:
        y_ticks, y_labels = _log_ticks(lo, hi, rows)
    else:
        y_ticks = _nice_ticks(lo, hi, rows)
        y_labels = _tick_labels(y_ticks)
    x_lim = (start, stop) if stop > start else (start - 1, stop + 1)
    x_ticks = _nice_ticks(start, stop, max(2, min(8, width // 14)), integer=True)
    plot = dict(
        width=width,
        height=plot_height,
        title=title,
        series=[(c.steps.astype(float).tolist(), s) for c, s in zip(curves, series, strict=True)],
        x_lim=x_lim,
        y_lim=y_lim,
        x_ticks=(x_ticks, [_step_text(t) for t in x_ticks]),
        y_ticks=(y_ticks, y_labels),
        color=color,
    )
    text = _plotext(plot)
    lines = text.rstrip("\n").split("\n")
    return "\n".join([line.rstrip() for line in lines] + key)


def _symbols(n: int) -> list[str]:
    return [_TEXT_MARKERS[i % len(_TEXT_MARKERS)] for i in range(n)]


def _key(curves: Sequence[_Curve], width: int, color: bool) -> list[str]:
    """One line per curve under a text plot: its symbol (coloured if asked) and label."""
    lines = []
    for i, (curve, symbol) in enumerate(zip(curves, _symbols(len(curves)), strict=True)):
        if color:
            symbol = f"\x1b[38;5;{_TEXT_COLORS[i % len(_TEXT_COLORS)]}m{symbol}\x1b[0m"
        lines.append(f" {symbol} {_shorten(curve.label, width - 4)}")
    return lines


def _plotext(plot: dict[str, Any]) -> str:
    """Render a text plot on a private plotext figure (under a lock: plotext's compiled
    kernel is not documented as thread-safe)."""
    import plotext

    with _PLOTEXT_LOCK:
        return _plotext6(plotext, **plot)


def _plotext6(plotext, *, width, height, title, series, x_lim, y_lim, x_ticks, y_ticks, color):
    term = type(plotext.terminal)()  # a fresh terminal owning a fresh figure: no shared state
    term.limit(False, False)
    fig = type(plotext.figure)(parent=term)
    fig.plot_size(width, height)
    if color:
        fig.theme("simple")
    symbols = _symbols(len(series))
    for i, (x, y) in enumerate(series):
        if len(series) == 1:
            signal = fig.signal(x, y)
        else:
            pixel = plotext.pixel(foreground=_TEXT_COLORS[i % len(_TEXT_COLORS)])
            signal = fig.signal(x, y, marker=plotext.marker(symbols[i], pixel))
        signal.lines()
        fig.draw(signal)
    fig.title(title)
    fig.label("optimizer step", axis="x")
    fig.label("learning rate", axis="y")
    fig.ruler("x").lim(*x_lim)
    fig.ruler("x").ticks(*x_ticks)
    fig.ruler("y").lim(*y_lim)
    fig.ruler("y").ticks(*y_ticks)
    return fig.build().string(colorless=not color)
