"""Grader inputs for ``warmup_stable_decay``: every phase boundary, corner cases, random runs."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="peak_lr",
    jit=True,
    vmap=("step",),
    grad="peak_lr",
)


def _case(step, peak_lr, warmup_steps, total_steps, decay_steps, min_lr, name, note=""):
    args = {
        "step": int(step),
        "peak_lr": float(peak_lr),
        "warmup_steps": int(warmup_steps),
        "total_steps": int(total_steps),
        "decay_steps": int(decay_steps),
        "min_lr": float(min_lr),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """The worked example (batched together by the vmap check), then corner cases."""
    run = (1e-3, 10, 100, 20, 1e-4)
    return [
        _case(0, *run, "step 0", "the warmup starts at 0.0, not at min_lr"),
        _case(5, *run, "halfway up the warmup"),
        _case(10, *run, "step == warmup_steps", "the stable phase starts at the peak"),
        _case(79, *run, "last stable step"),
        _case(
            80,
            *run,
            "cooldown start, total - decay",
            "q = 0 here: still the peak; the cooldown starts at total_steps - decay_steps",
        ),
        _case(
            81,
            *run,
            "first cooldown step",
            "1 - sqrt(0.05) drops fast; a linear cooldown would still be near the peak",
        ),
        _case(85, *run, "a quarter into the cooldown", "1-sqrt is half-way down here"),
        _case(90, *run, "cooldown midpoint", "a late cooldown start still shows the peak here"),
        _case(99, *run, "last cooldown step"),
        _case(100, *run, "step == total_steps", "the floor is min_lr (absolute)"),
        _case(150, *run, "after the run", "min_lr is held"),
        _case(
            0,
            1e-3,
            0,
            100,
            20,
            1e-4,
            "no warmup, step 0",
            "with warmup_steps == 0 the warmup branch must not divide by zero",
        ),
        _case(7, 1.0, 5, 10, 5, 0.1, "no stable phase (W + D == T)"),
        _case(3, 1.0, 0, 10, 10, 0.0, "cooldown only (W = 0, D = T)"),
        _case(0, 1.0, 0, 1, 1, 0.25, "one-step run, step 0"),
        _case(1, 1.0, 0, 1, 1, 0.25, "one-step run, step 1"),
        _case(95, 2e-4, 10, 100, 20, 0.0, "min_lr == 0"),
        _case(95, 2e-4, 10, 100, 20, 2e-4, "min_lr == peak_lr (flat cooldown)"),
        _case(1_850_000, 3e-4, 2_000, 2_000_000, 400_000, 3e-5, "a long run, in the cooldown"),
    ]


@st.composite
def _args(draw):
    total = draw(st.integers(1, 2_000_000))
    decay = draw(st.one_of(st.integers(1, total), st.integers(1, max(1, total // 5))))
    warmup = draw(st.one_of(st.just(0), st.integers(0, total - decay)))
    start = total - decay
    step = draw(
        st.one_of(
            st.integers(0, 2 * total),
            st.integers(start, total),
            st.sampled_from([0, warmup, start, start + 1, total - 1, total]),
        )
    )
    peak_lr = draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False))
    ratio = draw(st.one_of(st.sampled_from([0.0, 0.01, 0.1, 1.0]), st.floats(0.0, 1.0)))
    return {
        "step": step,
        "peak_lr": peak_lr,
        "warmup_steps": warmup,
        "total_steps": total,
        "decay_steps": decay,
        "min_lr": peak_lr * ratio,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``W + D <= T``, ``D >= 1``, ``0 <= step <= 2T``."""
    return _args()
