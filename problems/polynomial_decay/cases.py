"""Grader inputs for ``polynomial_decay``: the decay, its end, past its end, then random."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="init_lr",
    jit=True,
    vmap=("step",),
    grad="init_lr",
)


def _case(step, init_lr, end_lr, decay_steps, power, name, note=""):
    args = {
        "step": int(step),
        "init_lr": float(init_lr),
        "end_lr": float(end_lr),
        "decay_steps": int(decay_steps),
        "power": float(power),
    }
    return Case(args, name, note)


def _example(step, name, note=""):
    """The statement's worked example: 1e-3 -> 1e-5 over 100 steps, power 2."""
    return _case(step, 1e-3, 1e-5, 100, 2.0, name, note)


def edge_cases() -> list[Case]:
    """The first nine share every argument but the step, so the vmap check batches them."""
    return [
        _example(0, "step 0", "the value starts at init_lr; power on the lr changes it"),
        _example(25, "a quarter of the way", "the power applies to the remaining fraction"),
        _example(50, "halfway", "with power 2 only a quarter of the range is left"),
        _example(75, "three quarters of the way"),
        _example(99, "one step before the end"),
        _example(100, "step == decay_steps", "the floor end_lr is reached exactly here"),
        _example(101, "one step past the end", "clamp the step: the value stays at end_lr"),
        _example(150, "well past the end", "unclamped, (-0.5) ** 2 climbs back to 2.575e-4"),
        _example(10_000, "far past the end", "unclamped, the value keeps rising"),
        _case(150, 1e-3, 0.0, 100, 1.0, "power 1 past the end", "unclamped it goes negative"),
        _case(120, 1e-3, 0.0, 100, 1.5, "fractional power past the end", "unclamped: NaN"),
        _case(40, 1e-3, 0.0, 100, 1.0, "power 1 is a straight line"),
        _case(40, 1e-3, 2e-4, 100, 1.0, "linear with a floor", "end_lr is added back"),
        _case(3, 5e-4, 5e-4, 10, 2.0, "end_lr == init_lr", "a flat schedule"),
        _case(0, 1e-2, 1e-4, 1, 3.0, "one decay step, step 0"),
        _case(1, 1e-2, 1e-4, 1, 3.0, "one decay step, step 1"),
        _case(300_000, 6e-4, 6e-5, 1_000_000, 4.0, "long run, power 4"),
        _case(999_000, 6e-4, 6e-5, 1_000_000, 1.0, "long run, near the end"),
        _case(3_000_000, 6e-4, 6e-5, 1_000_000, 1.0, "long run, far past the end"),
    ]


@st.composite
def _args(draw):
    finite = {"allow_nan": False, "allow_infinity": False}
    decay = draw(st.one_of(st.integers(1, 50), st.integers(1, 1_000_000)))
    step = draw(st.one_of(st.integers(0, 2 * decay), st.integers(0, 3_000_000)))
    init = draw(st.floats(1e-6, 1.0, **finite))
    end = draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0, **finite).map(lambda u: u * init)))
    power = draw(st.one_of(st.sampled_from([1.0, 2.0, 3.0]), st.floats(1.0, 4.0)))
    # A dict literal in the signature's order (the grader also reorders by name).
    return {"step": step, "init_lr": init, "end_lr": end, "decay_steps": decay, "power": power}


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= end_lr <= init_lr``, ``D >= 1``, ``1 <= power <= 4``."""
    return _args()
