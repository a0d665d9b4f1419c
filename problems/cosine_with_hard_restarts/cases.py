"""Grader inputs for ``cosine_with_hard_restarts``: restarts, the end guard, random runs."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="learning_rate",
    jit=True,
    vmap=("step",),
    grad="learning_rate",
)


def _case(step, learning_rate, num_warmup_steps, num_training_steps, num_cycles, name, note=""):
    args = {
        "step": int(step),
        "learning_rate": float(learning_rate),
        "num_warmup_steps": int(num_warmup_steps),
        "num_training_steps": int(num_training_steps),
        "num_cycles": int(num_cycles),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """The worked example (batched together by the vmap check), then other settings."""
    run = (1e-3, 10, 100, 3)
    return [
        _case(0, *run, "step 0", "the warmup starts at 0.0"),
        _case(5, *run, "halfway up the warmup"),
        _case(10, *run, "step == num_warmup_steps", "cycle 1 starts at the peak"),
        _case(25, *run, "middle of cycle 1"),
        _case(39, *run, "last step of cycle 1"),
        _case(
            40,
            *run,
            "first restart",
            "the position (c * progress) % 1 drops back to 0: the full learning rate again",
        ),
        _case(55, *run, "middle of cycle 2"),
        _case(70, *run, "second restart"),
        _case(99, *run, "last step of cycle 3"),
        _case(
            100,
            *run,
            "step == num_training_steps",
            "progress >= 1 gives 0; without that guard the modulo restarts at the peak",
        ),
        _case(150, *run, "after the run", "0 for every step past the end"),
        _case(
            33,
            1e-3,
            10,
            100,
            4,
            "restart between two steps",
            "cycles are 22.5 steps long: rounding the cycle length moves the restarts",
        ),
        _case(32, 1e-3, 10, 100, 4, "just before a fractional restart"),
        _case(78, 1e-3, 10, 100, 4, "third restart, rounded up"),
        _case(0, 1e-3, 0, 100, 2, "no warmup, step 0", "max(1, W) keeps W = 0 safe"),
        _case(50, 1e-3, 0, 100, 2, "no warmup, restart at the midpoint"),
        _case(
            20,
            1.0,
            20,
            20,
            2,
            "W == T, at step T",
            "the span is max(1, 0) = 1, so progress is 0 here: the peak, not 0",
        ),
        _case(21, 1.0, 20, 20, 2, "W == T, one step later"),
        _case(60, 1e-3, 10, 100, 1, "one cycle (no restart)"),
        _case(1_337_000, 3e-4, 20_000, 2_000_000, 7, "a long run"),
    ]


@st.composite
def _args(draw):
    total = draw(st.integers(1, 2_000_000))
    warmup = draw(st.one_of(st.just(0), st.integers(0, total), st.integers(0, total // 10)))
    cycles = draw(st.integers(1, 10))
    span = max(1, total - warmup)
    restart = warmup + draw(st.integers(0, cycles)) * span // cycles
    step = draw(
        st.one_of(
            st.integers(0, 2 * total),
            st.integers(0, total),
            st.sampled_from([0, warmup, total, total + 1]),
            st.integers(max(0, restart - 1), restart + 1),
        )
    )
    return {
        "step": step,
        "learning_rate": draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False)),
        "num_warmup_steps": warmup,
        "num_training_steps": total,
        "num_cycles": cycles,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= W <= T``, ``0 <= step <= 2T``, ``1 <= c <= 10``."""
    return _args()
