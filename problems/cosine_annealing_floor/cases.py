"""Grader inputs for ``cosine_annealing_floor``: the decay, the floor, past it, then random."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="base_lr",
    jit=True,
    vmap=("step",),
    grad="base_lr",
)


def _case(step, base_lr, t_max, eta_min, name, note=""):
    args = {
        "step": int(step),
        "base_lr": float(base_lr),
        "t_max": int(t_max),
        "eta_min": float(eta_min),
    }
    return Case(args, name, note)


def _example(step, name, note=""):
    """The statement's worked example: 1e-3 down to 1e-5 over 100 steps."""
    return _case(step, 1e-3, 100, 1e-5, name, note)


def edge_cases() -> list[Case]:
    """The first ten share every argument but the step, so the vmap check batches them."""
    return [
        _example(0, "step 0", "the value starts at base_lr, not base_lr + eta_min"),
        _example(25, "a quarter of the way"),
        _example(50, "halfway", "the midpoint is (base_lr + eta_min) / 2"),
        _example(75, "three quarters of the way", "the amplitude is base_lr - eta_min"),
        _example(95, "near the floor", "eta_min is added back, not dropped"),
        _example(100, "step == t_max", "the floor eta_min is reached exactly here"),
        _example(101, "one step past t_max", "hold the floor: PyTorch's formula rises here"),
        _example(150, "1.5 * t_max", "unclamped, the cosine is back at the midpoint"),
        _example(200, "2 * t_max", "unclamped, the cosine is back at base_lr"),
        _example(1_000_000, "far past t_max", "the floor is held for ever"),
        _case(100, 1e-3, 100, 0.0, "no floor, at t_max", "with eta_min = 0 it ends at 0"),
        _case(150, 1e-3, 100, 0.0, "no floor, past t_max", "unclamped it would climb back"),
        _case(700, 5e-4, 1000, 1e-6, "small floor", "eta_min is a learning rate, not a ratio"),
        _case(7, 2e-4, 10, 2e-4, "eta_min == base_lr", "a flat schedule"),
        _case(0, 1.0, 1, 0.1, "one-step decay, step 0"),
        _case(1, 1.0, 1, 0.1, "one-step decay, step 1"),
        _case(123_456, 3e-4, 1_000_000, 3e-5, "long run", "large step counts"),
        _case(3_000_000, 3e-4, 1_000_000, 3e-5, "long run, far past t_max"),
    ]


@st.composite
def _args(draw):
    finite = {"allow_nan": False, "allow_infinity": False}
    t_max = draw(st.one_of(st.integers(1, 50), st.integers(1, 1_000_000)))
    step = draw(st.one_of(st.integers(0, 3 * t_max), st.integers(0, 3_000_000)))
    base = draw(st.floats(1e-6, 1.0, **finite))
    floor = draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0, **finite).map(lambda u: u * base)))
    # A dict literal in the signature's order (the grader also reorders by name).
    return {"step": step, "base_lr": base, "t_max": t_max, "eta_min": floor}


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= eta_min <= base_lr``, ``t_max >= 1``, ``step >= 0``."""
    return _args()
