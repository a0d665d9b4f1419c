"""Grader inputs for ``multi_step_decay``: both sides of every milestone, then random ones."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="base_lr",
    jit=True,
    vmap=("step",),
    grad="base_lr",
)


def _case(step, base_lr, milestones, gamma, name, note=""):
    args = {
        "step": int(step),
        "base_lr": float(base_lr),
        "milestones": np.asarray(milestones, dtype=np.int64),
        "gamma": float(gamma),
    }
    return Case(args, name, note)


def _main(step, name, note=""):
    """The statement's worked example: base 0.05, milestones [30, 80], gamma 0.1."""
    return _case(step, 0.05, [30, 80], 0.1, name, note)


def edge_cases() -> list[Case]:
    """The worked example on both sides of each milestone (these share their settings, for
    vmap), then other milestone tables."""
    return [
        _main(0, "step 0", "before any milestone the rate is base_lr"),
        _main(29, "one step before the first milestone"),
        _main(
            30,
            "step == first milestone",
            "PyTorch counts milestones <= step (bisect_right, searchsorted side='right'): "
            "the step on a milestone is already decayed",
        ),
        _main(31, "one step after the first milestone"),
        _main(79, "one step before the second milestone"),
        _main(80, "step == second milestone", "two milestones passed: base_lr * gamma**2"),
        _main(10_000, "long after the last milestone", "the last rate is held"),
        _case(0, 1e-3, [1], 0.5, "single milestone at 1, step 0"),
        _case(1, 1e-3, [1], 0.5, "single milestone at 1, step 1", "decayed at the milestone"),
        _case(150, 0.1, [50, 100, 150, 200, 250], 0.5, "five milestones, on the third"),
        _case(999, 0.1, [50, 100, 150, 200, 250], 0.5, "five milestones, past all"),
        _case(120, 2e-4, [100, 200], 1.0, "gamma == 1", "a factor of 1 never changes the rate"),
        _case(
            75_000, 3e-4, [60_000, 90_000], 0.3, "long run", "milestones in the tens of thousands"
        ),
        _case(99_999, 1.0, [100_000], 0.1, "one step before a far milestone"),
        _case(100_000, 1.0, [100_000], 0.1, "on a far milestone"),
    ]


@st.composite
def _args(draw):
    count = draw(st.integers(1, 5))
    table = draw(st.lists(st.integers(1, 100_000), min_size=count, max_size=count, unique=True))
    milestones = np.asarray(sorted(table), dtype=np.int64)
    finite = {"allow_nan": False, "allow_infinity": False}
    near = st.sampled_from(milestones.tolist()).flatmap(lambda m: st.integers(max(m - 1, 0), m + 1))
    step = draw(st.one_of(near, st.integers(0, int(milestones[-1]) * 2)))
    return {
        "step": step,
        "base_lr": draw(st.floats(1e-6, 1.0, **finite)),
        "milestones": milestones,
        "gamma": draw(st.one_of(st.just(1.0), st.floats(0.05, 1.0, **finite))),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: 1 to 5 strictly increasing int milestones in [1, 100_000],
    an int ``step >= 0``, ``0 < base_lr <= 1``, ``0.05 <= gamma <= 1``."""
    return _args()
