"""optax_sched.plot: PNG/SVG figures of every schedule type, their content, and text plots."""

from __future__ import annotations

import subprocess
import sys
import threading
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import optax_sched
from optax_sched import plot
from optax_sched.inspect import sample, summarise
from optax_sched.parity import hf, torch
from optax_sched.schedules import FACTORIES

PIL = pytest.importorskip("PIL.Image")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Small valid arguments for every native factory.
NATIVE = {
    "constant": dict(lr=1e-3),
    "cosine_annealing": dict(base_lr=1e-3, t_max=100, eta_min=1e-5),
    "cosine_restarts": dict(peak_lr=1e-3, period=20, t_mult=2.0, min_lr=1e-5, warmup_steps=5),
    "cycle_decay": dict(base_lr=5e-5, steps_per_cycle=50, decay_factor=0.85),
    "cyclic": dict(base_lr=1e-4, max_lr=1e-3, step_size_up=20),
    "inverse_sqrt": dict(peak_lr=1e-3, warmup_steps=20),
    "multi_step_decay": dict(base_lr=1e-3, milestones=[30, 60, 80]),
    "one_cycle": dict(max_lr=1e-3, total_steps=200),
    "piecewise_constant": dict(values=[1e-3, 5e-4, 1e-4], boundaries=[50, 120]),
    "step_decay": dict(base_lr=1e-3, step_size=30, gamma=0.5),
    "warmup_constant": dict(peak_lr=1e-3, warmup_steps=20),
    "warmup_cosine": dict(peak_lr=2e-4, total_steps=200, warmup_steps=20, min_lr=2e-5),
    "warmup_exponential": dict(
        peak_lr=1e-3, decay_rate=0.5, decay_steps=40, warmup_steps=10, staircase=True
    ),
    "warmup_linear": dict(peak_lr=1e-3, total_steps=200, warmup_steps=20),
    "warmup_polynomial": dict(peak_lr=1e-3, total_steps=200, warmup_steps=20, power=2.0),
    "warmup_stable_decay": dict(peak_lr=1e-3, total_steps=200, warmup_steps=20),
}
# transformers' names that need scheduler-specific arguments.
HF = {
    "cosine_with_min_lr": dict(min_lr_rate=0.1),
    "cosine_warmup_with_min_lr": dict(min_lr_rate=0.1),
    "warmup_stable_decay": dict(num_decay_steps=40),
    "polynomial": dict(lr_end=1e-6, power=2.0),
    "cosine_with_restarts": dict(num_cycles=3),
    "inverse_sqrt": dict(timescale=50),
}
TORCH = {
    "StepLR": dict(step_size=30),
    "MultiStepLR": dict(milestones=[30, 80]),
    "ConstantLR": dict(factor=0.5, total_iters=20),
    "LinearLR": dict(start_factor=0.1, total_iters=20),
    "ExponentialLR": dict(gamma=0.97),
    "PolynomialLR": dict(total_iters=100, power=2.0),
    "CosineAnnealingLR": dict(T_max=50),
    "CosineAnnealingWarmRestarts": dict(T_0=20, T_mult=2),
    "CyclicLR": dict(max_lr=1e-2, step_size_up=20),
    "OneCycleLR": dict(max_lr=1e-2, total_steps=200),
    "SequentialLR": dict(
        schedulers=[
            ("LinearLR", dict(start_factor=0.1, total_iters=20)),
            ("CosineAnnealingLR", dict(T_max=100)),
        ],
        milestones=[20],
    ),
    "ChainedScheduler": dict(
        schedulers=[
            ("LinearLR", dict(start_factor=0.1, total_iters=20)),
            ("ExponentialLR", dict(gamma=0.98)),
        ]
    ),
}


def _hf(name):
    if name == "constant":
        return optax_sched.from_hf(name, 1e-3)
    return optax_sched.from_hf(name, 1e-3, 20, 200, **HF.get(name, {}))


def _torch(name):
    if name == "OneCycleLR":
        return optax_sched.from_torch(name, **TORCH[name])
    return optax_sched.from_torch(name, 1e-3, **TORCH[name])


def _combined():
    stage = optax_sched.warmup_cosine(1e-4, total_steps=100, warmup_steps=10, min_lr=1e-6)
    second = optax_sched.warmup_cosine(5e-4, total_steps=100, warmup_steps=10, min_lr=5e-6)
    within = optax_sched.warmup_cosine(1.0, total_steps=50, warmup_steps=5, min_lr=0.1)
    return {
        "multi_stage": lambda: optax_sched.multi_stage([stage, second]),
        "resume_at": lambda: optax_sched.resume_at(stage, 40),
        "cycle_decay_within": lambda: optax_sched.cycle_decay(5e-5, 50, 0.85, within=within),
    }


CASES = {
    **{f"native-{n}": (lambda n=n: FACTORIES[n](**NATIVE[n])) for n in FACTORIES},
    **{f"hf-{n}": (lambda n=n: _hf(n)) for n in hf.KWARGS if n not in hf.STATEFUL},
    **{f"torch-{n}": (lambda n=n: _torch(n)) for n in [*torch.KWARGS, *torch.COMPOSITES]},
    **_combined(),
}


def _png_size(path):
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), data[:16]
    with PIL.open(path) as image:
        image.verify()
    with PIL.open(path) as image:
        return image.size


def test_every_factory_and_parity_name_has_a_case():
    assert set(NATIVE) == set(FACTORIES)
    assert {n for n in CASES if n.startswith("hf-")} == {
        f"hf-{n}" for n in hf.KWARGS if n not in hf.STATEFUL
    }
    assert {n for n in CASES if n.startswith("torch-")} == {
        f"torch-{n}" for n in [*torch.KWARGS, *torch.COMPOSITES]
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_schedule_type_renders_to_png(name, tmp_path):
    schedule = CASES[name]()
    path = plot.save([schedule], tmp_path / f"{name}.png", stop=240)
    assert path == tmp_path / f"{name}.png"
    width, height = _png_size(path)
    assert width > 600 and 300 < height < width
    assert (width, height) == (1080, 540)


def test_svg_is_well_formed_xml(tmp_path):
    s = optax_sched.warmup_cosine(2e-4, total_steps=100, warmup_steps=10, min_lr=2e-5)
    path = plot.save([s], tmp_path / "s.svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert path.read_text().lstrip().startswith(("<?xml", "<svg"))
    assert "<svg" in path.read_text()


def test_explicit_format_overrides_the_suffix(tmp_path):
    s = optax_sched.constant(1e-3)
    path = plot.save([s], tmp_path / "picture.out", format="PNG", stop=10)
    assert path.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("name", ["plot.jpg", "plot", "plot.pdf"])
def test_unknown_format_names_the_allowed_ones(name, tmp_path):
    with pytest.raises(ValueError, match=r"png, svg"):
        plot.save([optax_sched.constant(1e-3)], tmp_path / name)
    assert not (tmp_path / name).exists()


def test_bad_arguments_are_clear_errors():
    s = optax_sched.constant(1e-3)
    with pytest.raises(ValueError, match=r"empty"):
        plot.figure([])
    with pytest.raises(ValueError, match=r"empty"):
        plot.terminal([])
    with pytest.raises(ValueError, match=r"stop=5 is before start=10"):
        plot.figure([s], start=10, stop=5)
    with pytest.raises(ValueError, match=r"stop=5 is before start=10"):
        plot.terminal([s], start=10, stop=5)
    with pytest.raises(ValueError, match=r"schedules\[1\]"):
        plot.figure([s, 3.0])
    with pytest.raises(ValueError, match=r"too small"):
        plot.terminal([s], width=10)
    with pytest.raises(ValueError, match=r"not finite|nan|inf"):
        plot.figure([("bad", lambda k: k * np.nan)], stop=10)


def test_warmup_cosine_figure_shows_the_peak_and_names_the_phases():
    s = optax_sched.warmup_cosine(2e-4, total_steps=1000, warmup_steps=30, min_lr=2e-5)
    fig = plot.figure([s])
    ax = fig.axes[0]
    curves = [line for line in ax.lines if line.get_gid() == "curve"]
    assert len(curves) == 1
    x, y = (np.asarray(a) for a in curves[0].get_data())
    # The curve is the schedule itself: the y data at step 30 is the peak LR.
    assert x[0] == 0 and x[-1] >= 1000
    np.testing.assert_allclose(y[x == 30], 2e-4, rtol=1e-6)
    np.testing.assert_allclose(y.max(), 2e-4, rtol=1e-6)
    _, expected = sample(s, steps=x)
    np.testing.assert_array_equal(y, expected)
    texts = [t.get_text() for t in ax.texts if t.get_visible()]
    assert "warmup" in texts and "decay" in texts
    assert "peak 2.0e-4 @ step 30" in texts
    assert "floor 2.0e-5 from step 1,000" in texts
    assert ax.get_xlabel() == "optimizer step"
    assert ax.get_ylabel() == "learning rate"
    assert ax.get_title(loc="left").startswith("warmup_cosine(peak_lr=0.0002")
    # A held floor is visible after the decay: the default range goes past total_steps.
    assert ax.get_xlim()[1] > 1000


def test_phase_labels_and_annotations_do_not_overlap():
    s = optax_sched.warmup_stable_decay(3e-4, total_steps=10_000, warmup_steps=500, min_lr=3e-5)
    fig = plot.figure([s])
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    shown = [t for t in ax.texts if t.get_visible()]
    assert {"warmup", "stable", "decay"} <= {t.get_text() for t in shown}
    boxes = [t.get_window_extent(renderer) for t in shown]
    axes_box = ax.get_window_extent(renderer)
    for i, a in enumerate(boxes):
        assert axes_box.x0 - 1 <= a.x0 and a.x1 <= axes_box.x1 + 1, shown[i].get_text()
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_many_phases_never_collide():
    s = optax_sched.multi_step_decay(1e-3, milestones=list(range(10, 400, 10)))
    fig = plot.figure([s])
    renderer = fig.canvas.get_renderer()
    shown = [t for t in fig.axes[0].texts if t.get_visible()]
    boxes = [t.get_window_extent(renderer) for t in shown]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_axis_formats():
    s = optax_sched.warmup_cosine(2e-4, total_steps=20_000, warmup_steps=500)
    fig = plot.figure([s])
    fig.canvas.draw()
    ax = fig.axes[0]
    xlabels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "10,000" in xlabels
    ylabels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "2.0e-4" in ylabels and "0" in ylabels


def test_comparison_has_one_legend_entry_per_schedule_and_dotted_boundaries():
    schedules = [optax_sched.cycle_decay(5e-5, 100, decay_factor=f) for f in (1.0, 0.85, 0.7)]
    schedules.append(("wsd", optax_sched.warmup_stable_decay(5e-5, 500, warmup_steps=50)))
    fig = plot.figure(schedules, stop=499)
    (legend,) = fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert len(labels) == 4
    # With a labelled entry, bare schedules keep their full (shortened) repr.
    assert labels[1].startswith("cycle_decay(base_lr=5e-05, steps_per_cycle=100, decay_factor=0.85")
    assert labels[3] == "wsd"
    ax = fig.axes[0]
    assert ax.get_title() == "4 schedules"
    assert not ax.texts  # no phase names or shading in a comparison
    dotted = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert sorted(line.get_xdata()[0] for line in dotted) == [50, 400]


def test_comparison_labels_show_what_differs_and_the_title_what_is_shared():
    schedules = [optax_sched.cycle_decay(5e-5, 100, decay_factor=f) for f in (1.0, 0.85)]
    fig = plot.figure(schedules, stop=299)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["decay_factor=1", "decay_factor=0.85"]
    title = fig.axes[0].get_title()
    assert title == "2 schedules: type=cycle_decay, base_lr=5e-05, steps_per_cycle=100"
    mixed = [optax_sched.constant(1e-3), optax_sched.warmup_constant(1e-3, warmup_steps=10)]
    fig = plot.figure(mixed)
    assert fig.axes[0].get_title() == "2 schedules"


def test_labels_and_titles_can_be_given():
    s = optax_sched.constant(1e-3)
    fig = plot.figure([("mine", s)], title="My title", stop=10)
    assert fig.axes[0].get_title(loc="left") == "My title"
    assert "constant 1.0e-3" in [t.get_text() for t in fig.axes[0].texts]


def test_long_titles_are_wrapped_and_shortened():
    stages = [
        optax_sched.warmup_cosine(1e-4 * (i + 1), total_steps=100, warmup_steps=10)
        for i in range(6)
    ]
    fig = plot.figure([optax_sched.multi_stage(stages)])
    title = fig.axes[0].get_title(loc="left")
    assert title.count("\n") == 1 and title.endswith("…")
    assert all(len(line) <= plot.TITLE_WIDTH for line in title.split("\n"))


def test_log_axis_clips_zeros_and_says_so():
    s = optax_sched.warmup_cosine(1e-3, total_steps=100, warmup_steps=10)
    fig = plot.figure([s], log=True)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    (curve,) = [line for line in ax.lines if line.get_gid() == "curve"]
    assert np.all(np.asarray(curve.get_ydata()) > 0)
    assert any("drawn at the bottom edge" in t.get_text() for t in ax.texts)
    zero = plot.figure([optax_sched.constant(0.0)], log=True, stop=10)
    assert zero.axes[0].get_yscale() == "linear"


@pytest.mark.parametrize("stop", [0, 1])
def test_tiny_ranges_and_flat_schedules_render(stop, tmp_path):
    for s in (optax_sched.constant(1e-3), optax_sched.constant(0.0)):
        path = plot.save([s], tmp_path / "tiny.png", stop=stop)
        assert _png_size(path) == (1080, 540)


def test_figures_use_no_pyplot_state():
    pyplot = pytest.importorskip("matplotlib.pyplot")
    before = pyplot.get_fignums()
    s = optax_sched.warmup_cosine(2e-4, total_steps=100, warmup_steps=10)
    plot.figure([s])
    plot.terminal([s])
    assert pyplot.get_fignums() == before == []


def test_figures_can_be_drawn_in_threads(tmp_path):
    schedules = [optax_sched.warmup_cosine(1e-3 * (i + 1), total_steps=100) for i in range(4)]
    errors = []

    def draw(i):
        try:
            plot.save([schedules[i]], tmp_path / f"{i}.png")
            plot.terminal([schedules[i]])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=draw, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(_png_size(tmp_path / f"{i}.png") == (1080, 540) for i in range(4))


def test_importing_the_package_imports_no_plotting_library():
    code = (
        "import sys, optax_sched, optax_sched.plot; "
        "print(sorted(m for m in ('matplotlib', 'plotext') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------------
# terminal()
# ---------------------------------------------------------------------------------------


def test_terminal_plot_is_plain_text_of_the_asked_size(capsys):
    s = optax_sched.warmup_cosine(2e-4, total_steps=1000, warmup_steps=30, min_lr=2e-5)
    text = plot.terminal([s], width=80, height=18)
    assert capsys.readouterr().out == ""
    lines = text.split("\n")
    assert len(lines) == 18
    assert max(len(line) for line in lines) <= 80
    assert "\x1b" not in text
    assert "warmup_cosine(peak_lr=0.0002" in lines[0]
    assert "optimizer step" in text and "learning rate" in text
    assert "1,000" in text and "2.0e-4" in text


def test_terminal_comparison_has_a_key_line_per_schedule():
    a = optax_sched.warmup_cosine(2e-4, total_steps=100, warmup_steps=10)
    b = optax_sched.warmup_linear(1e-4, total_steps=100, warmup_steps=10)
    text = plot.terminal([("cosine", a), ("linear", b)], width=70, height=20)
    lines = text.split("\n")
    assert len(lines) == 20
    assert lines[-2].strip() == "• cosine" and lines[-1].strip() == "+ linear"
    assert "+" in "\n".join(lines[:-2])  # the second curve is drawn with its symbol


def test_terminal_colour_is_opt_in():
    s = optax_sched.warmup_cosine(2e-4, total_steps=100, warmup_steps=10)
    assert "\x1b[" in plot.terminal([s, optax_sched.constant(1e-4)], color=True)
    assert "\x1b" not in plot.terminal([s, optax_sched.constant(1e-4)])


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(schedules=[optax_sched.constant(1e-3)]),
        dict(schedules=[optax_sched.constant(0.0)]),
        dict(schedules=[optax_sched.constant(0.0)], log=True),
        dict(schedules=[optax_sched.constant(1e-3)], start=5, stop=5),
        dict(schedules=[optax_sched.warmup_cosine(1.0, 10, 2)], start=3, stop=4),
        dict(schedules=[optax_sched.warmup_cosine(1e-3, 100, 10)], log=True),
    ],
    ids=["constant", "zeros", "zeros-log", "one-step", "two-steps", "log"],
)
def test_terminal_never_raises_for_degenerate_plots(kwargs):
    text = plot.terminal(width=50, height=12, **kwargs)
    assert isinstance(text, str) and len(text.split("\n")) == 12
    assert "\x1b" not in text


def test_terminal_keeps_no_state_between_calls():
    a = plot.terminal([("first", optax_sched.constant(1e-3))], width=40, height=10)
    plot.terminal([optax_sched.warmup_cosine(5.0, 1000, 100)], width=90, height=30, log=True)
    assert plot.terminal([("first", optax_sched.constant(1e-3))], width=40, height=10) == a


def test_summary_and_plot_agree_on_the_floor():
    s = optax_sched.warmup_linear(1e-3, total_steps=300, warmup_steps=30, min_lr=1e-4)
    summary = summarise(s, 320)
    fig = plot.figure([s], stop=320)
    assert f"floor 1.0e-4 from step {summary.floor_step}" in [
        t.get_text() for t in fig.axes[0].texts
    ]
