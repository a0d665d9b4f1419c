"""Grader inputs for ``clip_then_schedule``: clipped and unclipped gradients across the schedule."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract


def _scale(args) -> float:
    """The size of the answer: peak_lr times the norm of the clipped gradient."""
    norm = float(np.linalg.norm(np.asarray(args["grads"], np.float64)))
    return args["peak_lr"] * max(min(norm, args["max_norm"]), 1e-12)


CONTRACT = Contract(output=lambda a: Array(shape=(len(a["grads"]),)), scale=_scale)


def _case(grads, max_norm, peak_lr, warmup_steps, total_steps, step, name, note=""):
    args = {
        "grads": np.asarray(grads, dtype=np.float32),
        "max_norm": float(max_norm),
        "peak_lr": float(peak_lr),
        "warmup_steps": int(warmup_steps),
        "total_steps": int(total_steps),
        "step": int(step),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """Hand-picked gradients and steps: each one separates the right order from a wrong one."""
    return [
        _case(
            [3.0, 4.0],
            1.0,
            0.1,
            2,
            10,
            4,
            "the worked example",
            "||g|| = 5 is rescaled to 1 first, then multiplied by -lr(4) = -0.08536",
        ),
        _case(
            [0.3, -0.4],
            1.0,
            0.1,
            2,
            10,
            4,
            "norm below max_norm",
            "a gradient whose norm is under the threshold passes through unchanged",
        ),
        _case(
            [0.8, 0.8, 0.8, 0.8],
            1.0,
            0.1,
            2,
            10,
            4,
            "every entry small, the norm large",
            "||g|| = 1.6 > 1 must be rescaled even though no entry exceeds max_norm",
        ),
        _case(
            [10.0, 0.1],
            1.0,
            0.1,
            2,
            10,
            4,
            "one large entry",
            "global clipping keeps the direction; clipping each entry would not",
        ),
        _case(
            [6.0, -8.0],
            1.0,
            0.5,
            3,
            10,
            3,
            "clip before the rate, at the peak",
            "clipping after scaling would bound lr * g instead of g",
        ),
        _case(
            [3.0, 4.0],
            1.0,
            0.1,
            2,
            10,
            0,
            "step 0 in a warmup",
            "lr(0) = 0, so the update is all zeros",
        ),
        _case([3.0, 4.0], 1.0, 0.1, 2, 10, 2, "step == warmup_steps", "the peak rate"),
        _case(
            [3.0, 4.0],
            1.0,
            0.1,
            2,
            10,
            1,
            "step 1",
            "the state must be at update `step`, not at 0",
        ),
        _case([3.0, 4.0], 1.0, 0.1, 2, 10, 10, "step == total_steps", "the floor, 0"),
        _case([3.0, 4.0], 1.0, 0.1, 0, 10, 0, "no warmup, step 0", "starts at peak_lr"),
        _case([0.0, 0.0, 0.0], 1.0, 0.1, 0, 10, 3, "zero gradient", "nothing to clip or move"),
        _case([-7.5], 2.0, 0.01, 1, 5, 3, "a single entry", "its norm is |g|"),
        _case(
            [3.0, 4.0],
            5.0,
            0.1,
            2,
            10,
            5,
            "norm exactly max_norm",
            "clip_by_global_norm leaves a gradient at the threshold as it is",
        ),
        _case(
            [1e-3, -2e-3, 5e-4],
            0.5,
            1.0,
            100,
            1000,
            60,
            "tiny gradient, long warmup",
        ),
        _case(
            [2.0, -1.0, 0.5, 4.0, -3.0, 1.5],
            0.25,
            3e-4,
            500,
            10_000,
            7_000,
            "six entries deep in the decay",
        ),
    ]


@st.composite
def _args(draw):
    size = draw(st.integers(1, 6))
    entry = st.one_of(
        st.just(0.0),
        st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False, width=32),
    )
    grads = np.asarray(draw(st.lists(entry, min_size=size, max_size=size)), np.float32)
    total = draw(st.integers(1, 10_000))
    return {
        "grads": grads,
        "max_norm": draw(st.floats(0.05, 10.0, allow_nan=False, allow_infinity=False)),
        "peak_lr": draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False)),
        "warmup_steps": draw(st.integers(0, total - 1)),
        "total_steps": total,
        "step": draw(st.integers(0, int(total * 1.2))),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: 1-6 float32 entries, ``0 <= warmup < total``, ``step >= 0``."""
    return _args()
