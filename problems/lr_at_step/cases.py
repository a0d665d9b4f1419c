"""Grader inputs for ``lr_at_step``: edge cases at every phase boundary, then random ones."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(output=Array(shape=(1,), dtype="float"), scale="peak_lr")


def _case(step, peak_lr, warmup_steps, total_steps, name, note=""):
    args = {
        "step": float(step),
        "peak_lr": float(peak_lr),
        "warmup_steps": float(warmup_steps),
        "total_steps": float(total_steps),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """Hand-picked inputs, one per rule of the statement, in the order a learner meets them."""
    return [
        _case(0, 1e-3, 10, 100, "step 0", "warmup starts from 0.0"),
        _case(5, 1e-3, 10, 100, "halfway through warmup", "warmup is a straight line"),
        _case(10, 1e-3, 10, 100, "step == warmup_steps", "the peak is reached here"),
        _case(30, 1e-3, 10, 100, "early cosine"),
        _case(
            50,
            1e-3,
            10,
            100,
            "step == total_steps / 2",
            "the recipe's cosine is centred on total_steps / 2 because decay_steps = T - W",
        ),
        _case(89, 1e-3, 10, 100, "one step before T - W"),
        _case(
            90,
            1e-3,
            10,
            100,
            "step == total_steps - warmup_steps",
            "optax's decay_steps includes the warmup, so the recipe reaches 0 here, not at T",
        ),
        _case(95, 1e-3, 10, 100, "between T - W and T", "the value stays at 0 after T - W"),
        _case(100, 1e-3, 10, 100, "step == total_steps"),
        _case(1000, 1e-3, 10, 100, "long after the end", "the schedule holds end_value"),
        _case(0, 1e-3, 0, 100, "no warmup, step 0", "with warmup_steps == 0 it starts at peak"),
        _case(5.7, 1e-3, 10, 100, "fractional step", "int() truncates: 5.7 reads as step 5"),
        _case(12.7, 1e-3, 10, 100, "fractional step in the cosine", "int(12.7) is 12"),
        _case(5, 1e-3, 10.9, 100, "fractional warmup_steps", "int(10.9) is 10"),
        _case(95, 1e-3, 10, 100.9, "fractional total_steps", "int(100.9) is 100"),
        _case(50, 1e-3, 49, 100, "longest allowed warmup (2W = T - 1)"),
        _case(7, 1e-3, 1, 3, "tiny run"),
        _case(300, 1.0, 100, 1000, "peak_lr = 1"),
        _case(2_500, 3e-5, 500, 10_000, "small peak_lr"),
        _case(600_000, 2e-4, 30_000, 1_000_000, "a million steps", "large counts stay exact"),
    ]


@st.composite
def _args(draw):
    total = draw(st.integers(1, 2_000_000))
    warmup = draw(st.integers(0, (total - 1) // 2))
    fraction = st.sampled_from([0.0, 0.0, 0.25, 0.5, 0.999])
    step = draw(
        st.one_of(
            st.integers(0, int(total * 1.2)).map(float),
            st.floats(0, total * 1.2, allow_nan=False, allow_infinity=False),
        )
    )
    return {
        "step": step,
        "peak_lr": draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False)),
        "warmup_steps": warmup + draw(fraction),
        "total_steps": total + draw(fraction),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the statement's domain: ``0 <= 2 * int(W) < int(T)``, ``step >= 0``."""
    return _args()
