"""Grader inputs for ``resume_at_step``: resumes before, in and after each phase."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(output=Array(shape=(), dtype="float"), scale="peak_lr")


def _case(local_step, resume_step, peak_lr, warmup_steps, total_steps, name, note=""):
    args = {
        "local_step": int(local_step),
        "resume_step": int(resume_step),
        "peak_lr": float(peak_lr),
        "warmup_steps": int(warmup_steps),
        "total_steps": int(total_steps),
    }
    return Case(args, name, note)


def _main(local_step, name, note=""):
    """The statement's example: peak 3e-4, W 500, T 10_000, resumed at global step 6000."""
    return _case(local_step, 6_000, 3e-4, 500, 10_000, name, note)


def edge_cases() -> list[Case]:
    """A mid-decay resume step by step, then resumes in the warmup, at 0 and past the end."""
    return [
        _main(
            0,
            "first step after the resume",
            "the run continues at global step 6000 (1.13e-4); a fresh schedule would "
            "restart its warmup at 0.0",
        ),
        _main(1, "second step after the resume"),
        _main(500, "local step == warmup_steps", "no second warmup: no return to peak_lr"),
        _main(2_000, "global step 8000"),
        _main(3_999, "one step before total_steps"),
        _main(4_000, "global step == total_steps", "the original floor (0) at total_steps"),
        _main(9_000, "far past total_steps", "the floor is held"),
        _case(0, 0, 3e-4, 500, 10_000, "resume_step == 0", "a resume at 0 is a fresh start"),
        _case(250, 0, 3e-4, 500, 10_000, "resume_step == 0, mid-warmup"),
        _case(0, 200, 1e-3, 1_000, 20_000, "resumed during warmup", "the ramp continues"),
        _case(
            800,
            200,
            1e-3,
            1_000,
            20_000,
            "resumed during warmup, at the peak",
            "global step 1000 == warmup_steps",
        ),
        _case(100, 5_000, 2e-4, 0, 10_000, "no warmup"),
        _case(
            0,
            10_000,
            2e-4,
            300,
            10_000,
            "resumed exactly at total_steps",
            "with a floor of 0 the resumed run cannot learn any more",
        ),
        _case(50, 12_000, 2e-4, 300, 10_000, "resumed after total_steps"),
        _case(0, 1, 1.0, 1, 2, "shortest run, resumed at 1"),
        _case(123_456, 400_000, 5e-5, 30_000, 1_000_000, "a million-step run"),
    ]


@st.composite
def _args(draw):
    finite = {"allow_nan": False, "allow_infinity": False}
    total = draw(st.one_of(st.integers(2, 100), st.integers(2, 1_000_000)))
    warmup = draw(st.one_of(st.just(0), st.integers(0, total - 1)))
    resume = draw(
        st.one_of(
            st.integers(0, warmup + 1),
            st.integers(0, total),
            st.integers(0, total + total // 5),
        )
    )
    local = draw(st.one_of(st.integers(0, 2), st.integers(0, max(total - resume, 0) + 10)))
    return {
        "local_step": local,
        "resume_step": resume,
        "peak_lr": draw(st.floats(1e-6, 1.0, **finite)),
        "warmup_steps": warmup,
        "total_steps": total,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ints ``0 <= warmup_steps < total_steps <= 1_000_000``,
    ``0 <= resume_step <= 1.2 * total_steps``, ``local_step >= 0``, ``0 < peak_lr <= 1``."""
    return _args()
