"""Grader inputs for ``warmup_exponential_decay``: every phase boundary, then random ones."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="peak_lr",
    jit=True,
    vmap=("step",),
    grad="peak_lr",
)


def _case(step, peak_lr, warmup_steps, decay_rate, decay_steps, min_lr, name, note=""):
    args = {
        "step": int(step),
        "peak_lr": float(peak_lr),
        "warmup_steps": int(warmup_steps),
        "decay_rate": float(decay_rate),
        "decay_steps": int(decay_steps),
        "min_lr": float(min_lr),
    }
    return Case(args, name, note)


def _main(step, name, note=""):
    """The statement's worked example: peak 1e-3, W 100, rate 0.5 per 1000 steps, floor 1e-4."""
    return _case(step, 1e-3, 100, 0.5, 1000, 1e-4, name, note)


def edge_cases() -> list[Case]:
    """The worked example at every boundary (these share their settings, for vmap), then
    the corner settings: no warmup, no decay, a per-step decay, a floor of 0 or at the peak."""
    return [
        _main(0, "step 0", "the warmup starts from 0"),
        _main(50, "halfway up the warmup", "the warmup is a straight line from 0 to peak_lr"),
        _main(99, "last warmup step"),
        _main(
            100,
            "step == warmup_steps",
            "the exponent is (step - warmup_steps) / decay_steps, so it is 0 here and the "
            "value is exactly peak_lr; counting it from step 0 gives 9.33e-4",
        ),
        _main(600, "half a decay period", "the decay is continuous, not a staircase"),
        _main(1100, "one decay period after warmup", "one period multiplies by decay_rate once"),
        _main(3100, "three periods after warmup"),
        _main(3421, "one step above the floor"),
        _main(3422, "floor reached", "the value may not go below min_lr"),
        _main(100_000, "long after the floor is reached", "min_lr is held forever"),
        _case(
            0,
            2e-3,
            0,
            0.9,
            500,
            0.0,
            "no warmup, step 0",
            "with warmup_steps == 0 the decay starts at step 0 with peak_lr; guard the "
            "warmup's division (0 / 0) with jnp.maximum(warmup_steps, 1)",
        ),
        _case(250, 2e-3, 0, 0.9, 500, 0.0, "no warmup, half a period"),
        _case(
            5_000,
            1e-3,
            200,
            1.0,
            1000,
            1e-5,
            "decay_rate == 1",
            "a rate of 1 means no decay at all: the peak is held after warmup",
        ),
        _case(
            150,
            1e-2,
            50,
            0.99,
            1,
            0.0,
            "decay_steps == 1",
            "a per-step factor: 100 steps after warmup the value is peak * 0.99**100",
        ),
        _case(
            20_050,
            1.0,
            50,
            0.1,
            1000,
            0.0,
            "no floor, far out",
            "with min_lr == 0 the value keeps shrinking (here 1e-20)",
        ),
        _case(
            5,
            3e-4,
            10,
            0.5,
            100,
            3e-4,
            "min_lr == peak_lr, in warmup",
            "the floor applies after warmup only: the ramp still starts from 0",
        ),
        _case(
            500,
            3e-4,
            10,
            0.5,
            100,
            3e-4,
            "min_lr == peak_lr, after warmup",
            "a floor equal to the peak makes the schedule constant after warmup",
        ),
        _case(7, 5e-5, 1, 0.8, 3, 1e-6, "one-step warmup, short period"),
        _case(
            10,
            1e-3,
            1000,
            0.5,
            1,
            0.0,
            "long warmup, fast decay, still warming up",
            "the unused decay branch sees the exponent (10 - 1000) / 1 and 0.5 ** -990 "
            "overflows to inf; jnp.where hides it in the value but not in the gradient: "
            "clamp with jnp.maximum(step - warmup_steps, 0)",
        ),
        _case(
            1_500_000,
            2e-4,
            2_000,
            0.95,
            10_000,
            2e-5,
            "a million and a half steps",
            "large step counts must not overflow or lose the floor",
        ),
    ]


@st.composite
def _args(draw):
    # A dict literal keeps the signature's key order (hypothesis may shuffle
    # fixed_dictionaries); the grader reorders by the reference's parameters anyway.
    finite = {"allow_nan": False, "allow_infinity": False}
    warmup = draw(st.one_of(st.just(0), st.integers(1, 5_000)))
    period = draw(st.integers(1, 10_000))
    peak = draw(st.floats(1e-6, 1.0, **finite))
    floor = draw(st.one_of(st.just(0.0), st.sampled_from([0.01, 0.1, 0.5]), st.floats(0, 0.99)))
    step = draw(
        st.one_of(
            st.integers(0, warmup + 1),
            st.integers(0, warmup + 20 * period),
            st.integers(0, 2_000_000),
        )
    )
    return {
        "step": step,
        "peak_lr": peak,
        "warmup_steps": warmup,
        "decay_rate": draw(st.one_of(st.just(1.0), st.floats(0.05, 1.0, **finite))),
        "decay_steps": period,
        "min_lr": peak * floor,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ints ``step >= 0``, ``warmup_steps >= 0``,
    ``decay_steps >= 1``; ``0 < peak_lr <= 1``; ``0.05 <= decay_rate <= 1``;
    ``0 <= min_lr < peak_lr``."""
    return _args()
