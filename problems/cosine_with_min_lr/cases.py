"""Grader inputs for ``cosine_with_min_lr``: the worked example's steps, corners, random runs."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="learning_rate",
    jit=True,
    vmap=("step",),
    grad="learning_rate",
)


def _case(step, learning_rate, num_warmup_steps, num_training_steps, min_lr_rate, name, note=""):
    args = {
        "step": int(step),
        "learning_rate": float(learning_rate),
        "num_warmup_steps": int(num_warmup_steps),
        "num_training_steps": int(num_training_steps),
        "min_lr_rate": float(min_lr_rate),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """One run (batched together by the vmap check) at every boundary, then corner cases."""
    run = (1e-3, 10, 100, 0.1)
    return [
        _case(0, *run, "step 0", "the warmup starts at 0.0, not at 1 / W"),
        _case(1, *run, "second warmup step", "step / W, not (step + 1) / W"),
        _case(9, *run, "last warmup step"),
        _case(10, *run, "step == num_warmup_steps", "the peak: progress is 0 here"),
        _case(32, *run, "early cosine"),
        _case(
            55,
            *run,
            "cosine midpoint",
            "(1 + r) / 2 of the peak: the floor interpolates, it is not added",
        ),
        _case(99, *run, "one step before the end"),
        _case(
            100,
            *run,
            "step == num_training_steps",
            "the floor is min_lr_rate * learning_rate, a fraction of the peak",
        ),
        _case(101, *run, "one step past the end", "progress is not clipped: the cosine climbs"),
        _case(145, *run, "halfway back up", "transformers does not hold the floor after T"),
        _case(190, *run, "step == 2T - W", "back at the peak"),
        _case(0, 1e-3, 0, 100, 0.1, "no warmup, step 0", "max(1, W) keeps W = 0 safe"),
        _case(
            100,
            1e-3,
            100,
            100,
            0.05,
            "W == T, at step T",
            "max(1, T - W) avoids 0 / 0: the factor is 1",
        ),
        _case(99, 1e-3, 100, 100, 0.05, "W == T, last warmup step"),
        _case(60, 2e-4, 10, 100, 0.0, "min_lr_rate = 0 (plain cosine)"),
        _case(60, 2e-4, 10, 100, 1.0, "min_lr_rate = 1 (flat after warmup)"),
        _case(1, 1.0, 0, 1, 0.25, "one-step run, at its end"),
        _case(2, 1.0, 0, 1, 0.25, "one-step run, back at the peak"),
        _case(1_500_000, 3e-4, 20_000, 1_000_000, 0.1, "a long run, past its end"),
    ]


@st.composite
def _args(draw):
    total = draw(st.integers(1, 2_000_000))
    warmup = draw(st.one_of(st.just(0), st.integers(0, total), st.integers(0, total // 10)))
    end = 2 * total - warmup
    step = draw(
        st.one_of(
            st.integers(0, end),
            st.sampled_from([0, warmup, total, end]),
            st.integers(0, total),
        )
    )
    rate = draw(st.one_of(st.sampled_from([0.0, 0.05, 0.1, 1.0]), st.floats(0.0, 1.0)))
    return {
        "step": step,
        "learning_rate": draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False)),
        "num_warmup_steps": warmup,
        "num_training_steps": total,
        "min_lr_rate": rate,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= W <= T``, ``0 <= step <= 2T - W``, ``0 <= r <= 1``."""
    return _args()
