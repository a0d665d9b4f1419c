"""Grader inputs for ``cycle_decay``: both sides of every cycle boundary, then random ones."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale=lambda args: float(np.max(args["cycle_lrs"])),
    jit=True,
    vmap=("step",),
)

#: The statement's manual table: five cycles, from 5e-5 down to 2e-5.
MANUAL = [5.0e-5, 4.0e-5, 3.0e-5, 2.5e-5, 2.0e-5]


def _case(step, steps_per_cycle, cycle_lrs, name, note=""):
    args = {
        "step": int(step),
        "steps_per_cycle": int(steps_per_cycle),
        "cycle_lrs": np.asarray(cycle_lrs, dtype=np.float64),
    }
    return Case(args, name, note)


def _main(step, name, note=""):
    return _case(step, 100, MANUAL, name, note)


def edge_cases() -> list[Case]:
    """The manual table at every boundary (these share their settings, for vmap), then the
    factor and constant tables, and tiny or huge cycles."""
    return [
        _main(0, "step 0", "the first cycle is cycle 0 of the table: cycle_lrs[0]"),
        _main(99, "last step of the first cycle", "cycle = step // steps_per_cycle"),
        _main(100, "first step of the second cycle"),
        _main(250, "middle of the third cycle"),
        _main(399, "last step of the fourth cycle"),
        _main(400, "first step of the last cycle"),
        _main(
            499,
            "last step of the table",
            "the table's final entry, index len(cycle_lrs) - 1",
        ),
        _main(
            500,
            "first step past the table",
            "cycle 5 does not exist in a 5-entry table: clamp the index so the last rate "
            "is held (jnp.take returns NaN out of bounds, NumPy raises IndexError)",
        ),
        _main(1_000_000, "far past the table", "the last rate is held forever"),
        _case(200, 100, 5e-5 * 0.85 ** np.arange(5), "factor 0.85, cycle 3", "5e-5 * 0.85**2"),
        _case(450, 100, 5e-5 * 0.70 ** np.arange(5), "factor 0.70, cycle 5"),
        _case(250, 100, [5e-5] * 5, "constant table"),
        _case(12_345, 7, [1e-3], "one-entry table", "every step reads cycle_lrs[0]"),
        _case(3, 1, [4e-4, 3e-4, 2e-4, 1e-4], "one step per cycle", "cycle = step"),
        _case(10, 1, [4e-4, 3e-4, 2e-4, 1e-4], "one step per cycle, past the table"),
        _case(9_999, 10_000, [1e-4, 5e-5], "long cycle, last step of cycle 0"),
        _case(10_000, 10_000, [1e-4, 5e-5], "long cycle, first step of cycle 1"),
        _case(150, 100, [1e-5, 3e-5, 2e-5], "a table that goes up", "any positive rates work"),
    ]


@st.composite
def _args(draw):
    finite = {"allow_nan": False, "allow_infinity": False}
    count = draw(st.integers(1, 6))
    period = draw(st.one_of(st.integers(1, 10), st.integers(1, 10_000)))
    base = draw(st.floats(1e-6, 1e-2, **finite))
    table = draw(
        st.one_of(
            st.floats(0.5, 1.0, **finite).map(lambda f: base * f ** np.arange(count)),
            st.lists(st.floats(1e-7, 1e-2, **finite), min_size=count, max_size=count).map(
                np.asarray
            ),
        )
    )
    boundary = st.integers(0, count + 1).flatmap(
        lambda c: st.integers(max(c * period - 1, 0), c * period)
    )
    step = draw(st.one_of(boundary, st.integers(0, (count + 2) * period), st.integers(0, 10**6)))
    return {
        "step": step,
        "steps_per_cycle": period,
        "cycle_lrs": np.asarray(table, dtype=np.float64),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: int ``step`` in ``[0, 10**6]``, int ``steps_per_cycle`` in
    ``[1, 10_000]``, a table of 1 to 6 rates in ``(0, 1e-2]``."""
    return _args()
