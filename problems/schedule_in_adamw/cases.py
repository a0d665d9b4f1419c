"""Grader inputs for ``schedule_in_adamw``: short runs that cross every phase boundary."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(output=lambda a: Array(shape=(a["num_updates"],)), scale="peak_lr")


def _case(peak_lr, warmup_steps, total_steps, num_updates, name, note=""):
    args = {
        "peak_lr": float(peak_lr),
        "warmup_steps": int(warmup_steps),
        "total_steps": int(total_steps),
        "num_updates": int(num_updates),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """Hand-picked runs: the first updates, the peak, the floor and past the end."""
    return [
        _case(1e-3, 3, 10, 1, "a single update", "update 0 runs at schedule(0), here 0.0"),
        _case(
            1e-3,
            3,
            10,
            2,
            "two updates",
            "update 1 runs at schedule(1) = peak/3; reading the state before the update "
            "gives 0.0 (a lag of one), evaluating schedule(i + 1) gives the value one ahead",
        ),
        _case(1e-3, 3, 10, 4, "through the peak", "update 3 is the first one at peak_lr"),
        _case(
            1e-3,
            3,
            10,
            12,
            "the whole run and two more",
            "the floor (0.0) is reached at update total_steps and held; a decay ending at "
            "total_steps - warmup_steps reaches it 3 updates early",
        ),
        _case(1e-3, 0, 5, 7, "no warmup", "with warmup_steps == 0 update 0 already uses peak_lr"),
        _case(1e-3, 0, 1, 3, "one-step run", "peak_lr for update 0, then the floor"),
        _case(2e-4, 5, 6, 8, "warmup fills all but one step"),
        _case(1e-3, 1, 4, 5, "one-step warmup"),
        _case(1.0, 4, 12, 14, "peak_lr = 1"),
        _case(5e-5, 2, 9, 9, "small peak_lr, exactly total_steps updates"),
        _case(3e-4, 6, 20, 16, "long warmup, stop mid-decay"),
    ]


@st.composite
def _args(draw):
    # Eager optimizer updates cost a few milliseconds each: keep the runs short.
    total = draw(st.integers(1, 10))
    return {
        "peak_lr": draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False)),
        "warmup_steps": draw(st.integers(0, total - 1)),
        "total_steps": total,
        "num_updates": draw(st.integers(1, min(total + 2, 6))),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= warmup_steps < total_steps``, ``num_updates >= 1``."""
    return _args()
