"""Grader inputs for ``multi_stage_schedule``: every stage boundary, then random runs."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale=lambda args: float(np.max(args["peak_lrs"])),
    jit=True,
    vmap=("step",),
    grad="peak_lrs",
)

# The three-stage run of the statement's worked example (align, then more, then all).
SEED = ((1000, 1000, 1000), (1e-4, 5e-4, 5e-4), (1e-6, 5e-6, 1e-6), 50)


def _case(step, config, name, note=""):
    lengths, peaks, floors, warmup = config
    args = {
        "step": int(step),
        "stage_lengths": np.asarray(lengths, dtype=np.int64),
        "peak_lrs": np.asarray(peaks, dtype=np.float64),
        "min_lrs": np.asarray(floors, dtype=np.float64),
        "warmup_steps": int(warmup),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """The first fourteen share the worked example's settings, so vmap batches them."""
    uneven = ((200, 3000, 800), (1e-3, 3e-4, 1e-4), (1e-5, 0.0, 0.0), 20)
    tiny = ((2, 3, 2), (1.0, 0.5, 0.25), (0.1, 0.05, 0.0), 1)
    return [
        _case(0, SEED, "step 0", "stage 1 warms up from 0.0"),
        _case(25, SEED, "halfway up stage 1's warmup", "the ramp is peak * local / warmup"),
        _case(50, SEED, "stage 1 peak", "the peak is reached at local step == warmup_steps"),
        _case(525, SEED, "stage 1 cosine midpoint", "the cosine spans warmup .. stage end"),
        _case(999, SEED, "last step of stage 1", "one step above stage 1's floor"),
        _case(
            1000,
            SEED,
            "first step of stage 2",
            "stage 2 starts here (local step 0, value 0.0): searchsorted(side='left') or "
            "`step > end` keeps stage 1 and returns its floor instead",
        ),
        _case(
            1001,
            SEED,
            "second step of stage 2",
            "local step 1 of stage 2: feeding the global step 1001 gives the floor",
        ),
        _case(1050, SEED, "stage 2 peak", "stage 2's warmup ends at 1000 + warmup_steps"),
        _case(1525, SEED, "stage 2 cosine midpoint", "offset = cumulative length of stage 1"),
        _case(2000, SEED, "first step of stage 3", "offset = stage 1 + stage 2 lengths"),
        _case(2525, SEED, "stage 3 cosine midpoint"),
        _case(2999, SEED, "last step of stage 3"),
        _case(3000, SEED, "end of the run", "the last stage's floor is reached here"),
        _case(
            10_000,
            SEED,
            "long after the run",
            "the last floor is held; an unclipped cosine climbs back up",
        ),
        _case(199, uneven, "uneven stages: last step of stage 1"),
        _case(200, uneven, "uneven stages: start of stage 2", "stage ends are cumulative sums"),
        _case(1710, uneven, "uneven stages: middle of stage 2"),
        _case(3200, uneven, "uneven stages: start of stage 3", "B_3 = 200 + 3000"),
        _case(5000, uneven, "uneven stages: after the end, floor 0", "a zero floor is held"),
        _case(4, tiny, "tiny stages, warmup 1: stage 2's local step 2", "stage 2 = steps 2..4"),
    ]


@st.composite
def _args(draw):
    warmup = draw(st.one_of(st.integers(1, 5), st.integers(1, 300)))
    lengths = [draw(st.integers(warmup + 1, warmup + 5_000)) for _ in range(3)]
    peaks = [draw(st.floats(1e-6, 1e-2, allow_nan=False, allow_infinity=False)) for _ in range(3)]
    fractions = st.one_of(st.just(0.0), st.floats(0.0, 0.5, allow_nan=False))
    floors = [p * draw(fractions) for p in peaks]
    ends = np.cumsum(lengths)
    # Half the steps land on or next to a stage boundary or a warmup end.
    marks = [0, *ends.tolist()]
    near = st.sampled_from(marks).flatmap(
        lambda b: st.integers(-1, 1).map(lambda d: b + d) | st.just(b + warmup)
    )
    step = draw(st.one_of(near, st.integers(0, int(ends[-1] * 1.3))))
    return {
        "step": max(int(step), 0),
        "stage_lengths": np.asarray(lengths, dtype=np.int64),
        "peak_lrs": np.asarray(peaks, dtype=np.float64),
        "min_lrs": np.asarray(floors, dtype=np.float64),
        "warmup_steps": warmup,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: 3 stages, ``1 <= warmup_steps < min(stage_lengths)``,
    ``0 <= min_lrs <= peak_lrs``, ``step >= 0``."""
    return _args()
