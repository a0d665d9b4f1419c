"""Grader inputs for ``grad_accumulation_steps``: accumulation groups around every boundary."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(output=lambda a: Array(shape=(a["num_micro_batches"],)), scale="peak_lr")


def _args(peak_lr, warmup_steps, total_steps, k, num_micro_batches):
    return {
        "peak_lr": float(peak_lr),
        "warmup_steps": int(warmup_steps),
        "total_steps": int(total_steps),
        "k": int(k),
        "num_micro_batches": int(num_micro_batches),
    }


def edge_cases() -> list[Case]:
    """Hand-picked runs: where the updates land, which rate each one uses, and the ends."""
    return [
        Case(
            _args(1e-3, 2, 5, 3, 16),
            "the worked example",
            "updates land on micro-batches 2, 5, 8, 11, 14 and use schedule(0..4)",
        ),
        Case(
            _args(1e-3, 0, 3, 2, 2),
            "one group, no warmup",
            "the single update happens at the 2nd call (index 1), at schedule(0) = peak_lr",
        ),
        Case(
            _args(1e-3, 0, 4, 3, 2),
            "fewer micro-batches than k",
            "no group completes, so no update is applied: all zeros",
        ),
        Case(
            _args(1e-3, 1, 4, 2, 9),
            "k = 2 through the peak",
            "the schedule advances once per update (every 2 calls), not once per call",
        ),
        Case(_args(1e-3, 2, 6, 1, 8), "k = 1", "without accumulation every call is an update"),
        Case(_args(1e-3, 0, 1, 2, 6), "one-update run", "peak_lr at index 1, then the floor"),
        Case(
            _args(2e-4, 1, 3, 4, 14),
            "k = 4 past the end",
            "update j lands on micro-batch 4j + 3; from update total_steps on the rate is 0",
        ),
        Case(_args(1.0, 3, 8, 2, 12), "peak_lr = 1, stop mid-run"),
        Case(_args(5e-5, 0, 2, 8, 17), "large k, stop one call after a group"),
        Case(
            _args(3e-4, 4, 10, 3, 20),
            "long warmup, a partial last group",
            "the last two calls only accumulate: 0.0",
        ),
    ]


def _sampled(count: int, seed: int) -> list[dict]:
    """``count`` fixed pseudo-random inputs from the statement's domain."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        total = int(rng.integers(1, 7))
        k = int(rng.integers(1, 5))
        out.append(
            _args(
                float(f"{10 ** rng.uniform(-6, 0):.3g}"),
                int(rng.integers(0, total)),
                total,
                k,
                int(rng.integers(1, min(k * (total + 1) + 2, 20) + 1)),
            )
        )
    return out


def random_cases() -> st.SearchStrategy[dict]:
    """Eight fixed pseudo-random inputs from the domain.

    Each input costs one XLA compile of the jitted MultiSteps update (the optimizer is
    rebuilt for every call), so the random set is a short fixed list, not 100 draws.
    """
    return st.sampled_from(_sampled(8, seed=200))
