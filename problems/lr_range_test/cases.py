"""Grader inputs for ``lr_range_test``: hand-made loss curves, then synthetic noisy ones."""

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(output=Array(shape=(), dtype="float"), scale="min_lr")


def _case(losses, min_lr, max_lr, name, note=""):
    args = {
        "losses": np.asarray(losses, dtype=np.float64),
        "min_lr": float(min_lr),
        "max_lr": float(max_lr),
    }
    return Case(args, name, note)


def _u_curve(n, low_at, explode_at, wiggle=0.0):
    """A deterministic LR-finder curve: flat, falling, a minimum, then divergence."""
    x = np.linspace(0.0, 1.0, n)
    falling = 1.0 + 1.5 / (1.0 + np.exp((x - low_at) / 0.07))
    exploding = np.exp((x - explode_at) / 0.04)
    return falling + exploding + wiggle * np.sin(37.0 * x)


def edge_cases() -> list[Case]:
    """Each curve isolates one rule of the statement."""
    worked = [2.30, 2.28, 2.20, 1.90, 1.40, 1.10, 1.30, 2.50, 8.00, 30.0]
    early = [2.0, 1.6, 1.3, 1.2, 1.25, 1.4, 1.7, 2.1, 2.6, 3.2, 4.0, 5.0, 6.5, 8.0, 10.0]
    early += list(np.linspace(12.0, 40.0, 25))
    recover = list(_u_curve(60, 0.35, 2.0)[:30]) + [200.0] + [0.05] * 149
    noisy = _u_curve(120, 0.5, 0.85, wiggle=0.3)
    return [
        _case(worked, 1e-5, 1.0, "the worked example", "smoothed minimum at step 6: 2.154e-3"),
        _case(
            _u_curve(100, 0.45, 0.8),
            1e-7,
            10.0,
            "classic curve, 100 steps",
            "the suggestion is the LR at the smoothed minimum divided by 10",
        ),
        _case(
            early,
            1e-4,
            1.0,
            "minimum a few steps in",
            "without bias correction the average starts near 0 and step 0 looks best",
        ),
        _case(
            noisy,
            1e-6,
            1.0,
            "noisy curve",
            "the raw (unsmoothed) minimum is a different step from the smoothed one",
        ),
        _case(
            recover,
            1e-6,
            1e-1,
            "a spike, then a lower plateau",
            "the test stops at the first smoothed loss above 4x the best: the later, "
            "lower losses are never seen",
        ),
        _case(
            [1.2, 1.0, 50.0] + [0.01] * 57,
            1e-5,
            1e-1,
            "an early spike ends the test",
            "step 2 smooths to 17.7 > 4 x 1.1: only steps 0 and 1 count, although the "
            "smoothed loss later falls far below 1",
        ),
        _case(
            np.linspace(3.0, 1.0, 50),
            1e-6,
            1e-2,
            "loss still falling at the end",
            "no divergence: the minimum is the last step, max_lr / 10",
        ),
        _case(
            np.linspace(1.0, 3.0, 50),
            1e-6,
            1e-2,
            "loss rising from the start",
            "the minimum is step 0: min_lr / 10",
        ),
        _case([2.0, 1.0], 1e-3, 1e-1, "two steps", "lrs are min_lr and max_lr; step 1 wins"),
        _case(
            _u_curve(200, 0.6, 0.9, wiggle=0.05),
            1e-8,
            10.0,
            "200 steps over nine decades",
            "lr_i = min_lr * (max_lr / min_lr) ** (i / (n - 1)), not a linear grid",
        ),
        _case(
            _u_curve(80, 0.3, 0.7) * 1e-3,
            3e-6,
            3e-2,
            "tiny loss values",
            "only ratios matter: scaling every loss changes nothing",
        ),
    ]


def _smoothed(losses, beta=0.98):
    average, values = 0.0, []
    for i, loss in enumerate(losses):
        average = beta * average + (1 - beta) * loss
        values.append(average / (1 - beta ** (i + 1)))
    return np.asarray(values)


@st.composite
def _args(draw):
    n = draw(st.integers(50, 200))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kinds = ["classic", "classic", "early", "no_divergence", "recover"]
    kind = draw(st.sampled_from(kinds))
    x = np.linspace(0.0, 1.0, n)
    top, low = rng.uniform(1.0, 10.0), rng.uniform(0.05, 0.9)
    if kind == "early":
        low_at, explode_at = rng.uniform(-0.3, 0.0), rng.uniform(0.2, 0.6)
    else:
        low_at, explode_at = rng.uniform(0.1, 0.6), rng.uniform(0.6, 0.95)
    if kind == "no_divergence":
        explode_at = 3.0
    curve = low * top + (top - low * top) / (1.0 + np.exp((x - low_at) / rng.uniform(0.03, 0.1)))
    curve = curve + top * np.exp((x - explode_at) / rng.uniform(0.02, 0.08))
    curve = curve * (1.0 + rng.uniform(0.0, 0.08) * rng.standard_normal(n))
    if kind == "recover":
        # A loss spike (a bad batch) stops the test; the lower losses after it never count.
        cut = int(n * rng.uniform(0.1, 0.3))
        curve[cut] = top * rng.uniform(100.0, 300.0)
        curve[cut + 1 :] = low * top * rng.uniform(0.01, 0.1)
    losses = np.clip(curve, 1e-3, 1e6)
    # Keep only curves whose answer is robust to float32 rounding: a clear smoothed
    # minimum and no smoothed loss within 1e-5 of the 4x stopping threshold.
    s = _smoothed(losses)
    best = np.minimum.accumulate(s)
    threshold = 4.0 * best[:-1]
    assume(np.all(np.abs(s[1:] - threshold) > 1e-5 * threshold))
    stops = np.nonzero(s[1:] > threshold)[0]
    kept = s[: stops[0] + 1] if len(stops) else s
    if len(kept) > 1:
        first, second = np.partition(kept, 1)[:2]
        assume(second > first * (1.0 + 1e-5))
    min_lr = 10.0 ** draw(st.floats(-8.0, -3.0))
    max_lr = min(min_lr * 10.0 ** draw(st.floats(1.0, 8.0)), 10.0)
    return {"losses": losses, "min_lr": min_lr, "max_lr": max_lr}


def random_cases() -> st.SearchStrategy[dict]:
    """Noisy LR-finder curves of 50 to 200 positive losses, ``0 < min_lr < max_lr <= 10``."""
    return _args()
