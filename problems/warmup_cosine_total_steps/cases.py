"""Grader inputs for ``warmup_cosine_total_steps``: every phase boundary, then random runs."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(output=Array(shape=(), dtype="float"), scale="peak_lr")


def _case(step, peak_lr, warmup_steps, total_steps, min_lr, name, note=""):
    args = {
        "step": int(step),
        "peak_lr": float(peak_lr),
        "warmup_steps": int(warmup_steps),
        "total_steps": int(total_steps),
        "min_lr": float(min_lr),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """The worked example's steps, then degenerate and large runs."""
    run = (1e-3, 10, 100, 1e-4)
    return [
        _case(0, *run, "step 0", "the ramp starts from 0.0"),
        _case(5, *run, "halfway up the ramp", "warmup is a straight line from 0 to peak_lr"),
        _case(10, *run, "step == warmup_steps", "the peak is reached here"),
        _case(30, *run, "early cosine"),
        _case(
            55,
            *run,
            "cosine midpoint (W + T) / 2",
            "the cosine spans [W, T]; a midpoint at T / 2 means decay_steps = T - W",
        ),
        _case(
            90,
            *run,
            "step == total_steps - warmup_steps",
            "still above the floor here; already at min_lr means decay_steps = T - W",
        ),
        _case(99, *run, "one step before the end"),
        _case(
            100,
            *run,
            "step == total_steps",
            "the floor is min_lr itself (not 0, not min_lr * peak_lr)",
        ),
        _case(150, *run, "past the end", "the value is held at min_lr"),
        _case(
            0, 1e-3, 0, 100, 1e-4, "no warmup, step 0", "with warmup_steps == 0 it starts at peak"
        ),
        _case(10, 1e-3, 10, 11, 1e-4, "one-step cosine, at the peak"),
        _case(11, 1e-3, 10, 11, 1e-4, "one-step cosine, at the end", "min_lr at total_steps"),
        _case(0, 1.0, 0, 1, 0.25, "shortest run, step 0"),
        _case(1, 1.0, 0, 1, 0.25, "shortest run, step 1"),
        _case(60, 2e-4, 10, 100, 0.0, "min_lr == 0", "a zero floor is allowed"),
        _case(40, 5e-4, 10, 100, 5e-4, "min_lr == peak_lr", "the cosine is flat"),
        _case(51_000, 3e-4, 2_000, 100_000, 3e-5, "a long run, cosine midpoint"),
        _case(1_999_000, 2e-4, 30_000, 2_000_000, 2e-5, "two million steps, near the end"),
    ]


@st.composite
def _args(draw):
    total = draw(st.integers(1, 2_000_000))
    warmup = draw(st.one_of(st.just(0), st.integers(0, total - 1)))
    step = draw(
        st.one_of(
            st.integers(0, 2 * total),
            st.sampled_from([0, warmup, (warmup + total) // 2, total - warmup, total - 1, total]),
        )
    )
    peak_lr = draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False))
    ratio = draw(st.one_of(st.sampled_from([0.0, 0.01, 0.1, 1.0]), st.floats(0.0, 1.0)))
    return {
        "step": step,
        "peak_lr": peak_lr,
        "warmup_steps": warmup,
        "total_steps": total,
        "min_lr": peak_lr * ratio,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= W < T``, ``0 <= step <= 2T``, ``0 <= min_lr <= peak``."""
    return _args()
