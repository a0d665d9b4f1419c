"""Grader inputs for ``reduce_on_plateau``: loss curves that probe patience, cooldown and rtol."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(output=lambda a: Array(shape=(len(a["losses"]),)), scale=1.0)

RTOL = 1e-4  # optax's default, used by the statement


def _case(losses, factor, patience, cooldown, name, note=""):
    args = {
        "losses": np.asarray(losses, dtype=np.float32),
        "factor": float(factor),
        "patience": int(patience),
        "cooldown": int(cooldown),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """Hand-picked curves, one rule each."""
    flat = [5.0, 4.0] + [4.0] * 7
    return [
        _case(
            flat,
            0.5,
            2,
            0,
            "the worked example",
            "the 2nd non-improving loss in a row (update 3) already reduces: the count "
            "reaching patience triggers it, not exceeding it",
        ),
        _case(
            flat,
            0.5,
            2,
            1,
            "the worked example with cooldown = 1",
            "the update after a reduction is ignored, so reductions come every "
            "cooldown + patience = 3 updates",
        ),
        _case([3.0, 2.0, 2.0, 2.0, 2.0, 2.0], 0.5, 1, 0, "patience 1", "every flat loss reduces"),
        _case(
            [2.0, 2.0, 2.0, 2.0, 1.0, 1.0],
            0.1,
            3,
            0,
            "exactly patience bad losses",
            "the 3rd flat loss (update 3) reduces; a PyTorch-style rule would wait for a 4th",
        ),
        _case(
            [1.0, 0.99995, 0.99993, 0.99991, 0.9998, 0.99975],
            0.5,
            2,
            0,
            "decreases smaller than rtol",
            "a loss must beat (1 - 1e-4) * best to count as an improvement; 0.005% is a plateau",
        ),
        _case(
            [5.0, 4.0, 4.0, 3.0, 3.0, 2.0, 2.0, 1.0],
            0.5,
            2,
            0,
            "clear improvements reset",
            "only consecutive non-improving losses count",
        ),
        _case(
            [5.0, 5.0, 5.0, 1.0, 5.0, 5.0, 5.0],
            0.5,
            2,
            2,
            "improvement during cooldown",
            "cooldown updates do not count, but best still moves to 1.0",
        ),
        _case([1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0], 0.3, 2, 1, "rising losses"),
        _case([2.5], 0.5, 1, 0, "a single loss", "the first loss always improves on best = inf"),
        _case([7.0] * 20, 0.1, 3, 2, "a long flat run", "reductions at updates 3, 8, 13, 18"),
        _case(
            [4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0],
            0.8,
            1,
            4,
            "cooldown longer than patience",
        ),
        _case(
            [3.0, 2.9, 2.95, 2.99, 2.8, 2.85, 2.81, 2.82, 2.7, 2.75, 2.76, 2.77],
            0.5,
            2,
            1,
            "a noisy decreasing curve",
        ),
    ]


def _curve(rng: np.random.Generator, length: int) -> np.ndarray:
    """A loss curve mixing clear improvements, tiny ones (under rtol), flat and worse steps,
    with no loss within 1e-6 (relative) of optax's improvement threshold."""
    values, best = [], np.inf
    value = float(rng.uniform(1.0, 10.0))
    while len(values) < length:
        move = rng.choice(["better", "tiny", "flat", "worse"], p=[0.3, 0.15, 0.3, 0.25])
        if move == "better":
            candidate = value * rng.uniform(0.9, 0.995)
        elif move == "tiny":
            candidate = value * (1.0 - rng.uniform(5e-6, 5e-5))
        elif move == "flat":
            candidate = value
        else:
            candidate = value * rng.uniform(1.005, 1.1)
        candidate = float(np.float32(candidate))
        if not 0.5 <= candidate <= 12.0:
            continue  # keep the curve in the stated range
        threshold = (1.0 - RTOL) * best
        if np.isfinite(best) and abs(candidate - threshold) <= 1e-6 * best:
            continue  # too close to the boundary to be a fair test
        values.append(candidate)
        value = candidate
        if candidate < threshold:
            best = candidate
    return np.asarray(values, dtype=np.float32)


def _sampled(count: int, seed: int) -> list[dict]:
    """``count`` fixed pseudo-random inputs from the statement's domain."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        out.append(
            {
                "losses": _curve(rng, int(rng.integers(4, 21))),
                "factor": float(round(rng.uniform(0.05, 0.95), 2)),
                "patience": int(rng.integers(1, 5)),
                "cooldown": int(rng.integers(0, 4)),
            }
        )
    return out


def random_cases() -> st.SearchStrategy[dict]:
    """Eight fixed pseudo-random curves from the domain.

    Each input costs one XLA compile of the jitted update (the transformation is rebuilt
    for every call), so the random set is a short fixed list, not 100 draws.
    """
    return st.sampled_from(_sampled(8, seed=330))
