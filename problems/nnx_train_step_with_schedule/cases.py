"""Grader inputs for ``nnx_train_step_with_schedule``: short runs across every phase."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(output=lambda a: Array(shape=(a["num_steps"], 2)))


def _f32(values):
    return np.asarray(values, dtype=np.float32)


def _data(seed, batch, d_in, d_out):
    """A linear layer's weights and a regression batch, float32, from one seed."""
    rng = np.random.default_rng(seed)
    return {
        "w": _f32(rng.normal(size=(d_in, d_out)) / np.sqrt(d_in)),
        "b": _f32(rng.normal(size=(d_out,)) * 0.1),
        "x": _f32(rng.normal(size=(batch, d_in))),
        "y": _f32(rng.normal(size=(batch, d_out))),
    }


def _case(data, peak_lr, warmup_steps, total_steps, num_steps, name, note=""):
    args = {
        **{k: _f32(v) for k, v in data.items()},
        "peak_lr": float(peak_lr),
        "warmup_steps": int(warmup_steps),
        "total_steps": int(total_steps),
        "num_steps": int(num_steps),
    }
    return Case(args, name, note)


#: The statement's worked example.
EXAMPLE = {
    "w": _f32([[0.5], [-0.5]]),
    "b": _f32([0.0]),
    "x": _f32([[1.0, 2.0], [3.0, 4.0]]),
    "y": _f32([[1.0], [0.0]]),
}


def edge_cases() -> list[Case]:
    """Hand-picked runs: the first updates, the peak, the floor and past the end."""
    d = _data(1, 4, 3, 2)
    return [
        _case(
            EXAMPLE,
            0.05,
            2,
            6,
            8,
            "the worked example",
            "update 0 runs at lr 0 so rows 0 and 1 share a loss; the floor comes at update 6",
        ),
        _case(
            d,
            0.05,
            2,
            6,
            2,
            "two updates",
            "update 1 runs at peak_lr / 2; reading opt_state before the update shows 0 "
            "(the previous update's rate)",
        ),
        _case(
            d,
            0.1,
            0,
            5,
            6,
            "no warmup",
            "update 0 already runs at peak_lr, so the loss drops from row 0 to row 1",
        ),
        _case(d, 0.08, 0, 1, 3, "one-step run", "peak_lr for update 0, then the floor (0)"),
        _case(d, 0.1, 8, 20, 5, "stop inside the warmup", "the rate is still climbing"),
        _case(
            _data(2, 1, 3, 2),
            0.05,
            1,
            8,
            8,
            "one example, two outputs",
            "the loss averages over outputs as well as examples",
        ),
        _case(
            _data(3, 6, 1, 1),
            0.02,
            3,
            7,
            7,
            "scalar regression, whole run",
            "num_steps == total_steps: the last update is the first at the floor",
        ),
    ]


#: (batch, d_in, d_out) of the edge cases; the random runs reuse them, because every new
#: shape also costs fresh compilations of the eager layer-building operations.
SHAPES = ((2, 2, 1), (4, 3, 2), (1, 3, 2), (6, 1, 1))


def _pool_case(index: int) -> dict:
    """Random run number ``index``: shapes, data and schedule all drawn from its seed."""
    rng = np.random.default_rng(1000 + index)
    batch, d_in, d_out = SHAPES[int(rng.integers(len(SHAPES)))]
    total = int(rng.integers(1, 11))
    return {
        **_data(2000 + index, batch, d_in, d_out),
        "peak_lr": float(10 ** rng.uniform(-2, -0.7)),
        "warmup_steps": int(rng.integers(0, total)),
        "total_steps": total,
        "num_steps": int(rng.integers(1, 9)),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Six random runs in the domain (``0 <= warmup < total <= 10``, ``1 <= num_steps <= 8``).

    A finite pool on purpose: every call builds a new optimizer, so a jitted train step
    compiles once per case (about 0.2-0.6 s on a laptop CPU). hypothesis stops drawing once
    the pool is used up, which keeps grading to 13 cases instead of 100+.
    """
    return st.integers(0, 5).map(_pool_case)
