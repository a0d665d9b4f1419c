"""Grader inputs for ``one_cycle``: PyTorch's phase ends and their neighbours, then random."""

import math

from hypothesis import assume
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="max_lr",
    jit=True,
    vmap=("step",),
    grad="max_lr",
)


def _case(step, max_lr, total_steps, pct_start, div, final_div, name, note=""):
    args = {
        "step": int(step),
        "max_lr": float(max_lr),
        "total_steps": int(total_steps),
        "pct_start": float(pct_start),
        "div_factor": float(div),
        "final_div_factor": float(final_div),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """The first eleven use PyTorch's defaults (total 100), so vmap batches them."""
    torch = (0.01, 100, 0.3, 25.0, 1e4)  # OneCycleLR(max_lr=0.01, total_steps=100)
    return [
        _case(0, *torch, "step 0", "the start is max_lr / div_factor = 4e-4"),
        _case(1, *torch, "step 1", "the rise is a cosine, not a straight line"),
        _case(15, *torch, "middle of the rise"),
        _case(28, *torch, "one step before the peak"),
        _case(
            29,
            *torch,
            "the peak: pct_start * total - 1",
            "PyTorch's first phase ends at 0.3 * 100 - 1 = 29, not at 30",
        ),
        _case(30, *torch, "first step of the decay", "one step past the peak already"),
        _case(31, *torch, "second step of the decay"),
        _case(64, *torch, "middle of the decay", "halfway between steps 29 and 99"),
        _case(98, *torch, "one step before the end"),
        _case(
            99,
            *torch,
            "the last step: total - 1",
            "the end is max_lr / div_factor / final_div_factor = 4e-8, reached at total - 1",
        ),
        _case(50, *torch, "inside the decay"),
        _case(14, 0.01, 60, 0.25, 10.0, 100.0, "PyTorch row 2: the peak at 0.25 * 60 - 1"),
        _case(59, 0.01, 60, 0.25, 10.0, 100.0, "PyTorch row 2: the end, 1e-5"),
        _case(
            6,
            1.0,
            30,
            0.25,
            25.0,
            1e4,
            "fractional phase end (6.5): last rising step",
            "0.25 * 30 - 1 = 6.5 is not rounded: the peak itself is never hit",
        ),
        _case(7, 1.0, 30, 0.25, 25.0, 1e4, "fractional phase end (6.5): first falling step"),
        _case(1, 0.01, 7, 0.3, 25.0, 1e4, "7 steps: phase end 1.1", "PyTorch row: 0.0098056"),
        _case(6, 0.01, 7, 0.3, 25.0, 1e4, "7 steps: the last one"),
        _case(0, 2e-4, 50, 0.5, 1.0, 1e3, "div_factor = 1: starts at the peak"),
        _case(99_999, 3e-4, 100_000, 0.1, 25.0, 1e4, "100k steps: the last one"),
        _case(50_000, 3e-4, 100_000, 0.1, 25.0, 1e4, "100k steps: inside the decay"),
    ]


@st.composite
def _args(draw):
    total = draw(st.one_of(st.integers(3, 200), st.integers(3, 100_000)))
    pct = draw(st.floats(0.01, 0.99, allow_nan=False, allow_infinity=False))
    # PyTorch divides by both phase lengths: keep each at least one step.
    assume(2.0 <= pct * total <= total - 1.0)
    up_end = pct * total - 1.0
    near = st.sampled_from([0, math.floor(up_end), math.floor(up_end) + 1, total - 2, total - 1])
    step = draw(st.one_of(near, st.integers(0, total - 1)))
    return {
        "step": max(0, min(int(step), total - 1)),
        "max_lr": draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False)),
        "total_steps": total,
        "pct_start": pct,
        "div_factor": draw(st.floats(1.0, 100.0, allow_nan=False, allow_infinity=False)),
        "final_div_factor": draw(st.floats(1.0, 1e5, allow_nan=False, allow_infinity=False)),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= step <= total_steps - 1``,
    ``2 <= pct_start * total_steps <= total_steps - 1``, factors ``>= 1``."""
    return _args()
