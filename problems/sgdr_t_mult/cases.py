"""Grader inputs for ``sgdr_t_mult``: every kind of restart boundary, then random ones."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="base_lr",
    jit=True,
    vmap=("step",),
    grad="base_lr",
)


def _case(step, base_lr, t_0, t_mult, eta_min, name, note=""):
    args = {
        "step": int(step),
        "base_lr": float(base_lr),
        "t_0": int(t_0),
        "t_mult": int(t_mult),
        "eta_min": float(eta_min),
    }
    return Case(args, name, note)


def _start(n, t_0, t_mult):
    """Exact integer start of cycle ``n``."""
    return n * t_0 if t_mult == 1 else t_0 * (t_mult**n - 1) // (t_mult - 1)


def edge_cases() -> list[Case]:
    """The first eleven share (0.1, 10, 8, 1e-4) so that vmap batches them."""
    eightfold = (0.1, 10, 8, 1e-4)  # cycles start at 0, 10, 90, 730, 5850, 46810, ...
    doubling = (0.1, 10, 2, 1e-4)  # PyTorch's T_0=10, T_mult=2, eta_min=1e-4
    return [
        _case(0, *eightfold, "step 0", "the first cycle starts at base_lr"),
        _case(9, *eightfold, "last step of cycle 0", "cycle 0 lasts t_0 = 10 steps"),
        _case(10, *eightfold, "first restart", "cycle 1 starts at t_0: back to base_lr"),
        _case(
            50,
            *eightfold,
            "middle of cycle 1",
            "local step 40 of an 80-step cycle; `step % period` reads 50 here",
        ),
        _case(89, *eightfold, "last step of cycle 1", "one step above the floor"),
        _case(
            90,
            *eightfold,
            "second restart",
            "start(2) = 10 * 63 / 7 = 90. Under jax.vmap XLA may divide by 7 as a "
            "multiplication by 1/7, giving 90.00001: round the starts",
        ),
        _case(730, *eightfold, "third restart", "start(3) = 10 * (8**3 - 1) / 7"),
        _case(5_850, *eightfold, "fourth restart"),
        _case(46_810, *eightfold, "fifth restart"),
        _case(374_490, *eightfold, "sixth restart"),
        _case(1_000_000, *eightfold, "a million steps", "inside cycle 6 (period 2,621,440)"),
        _case(5, *doubling, "doubling: middle of cycle 0"),
        _case(
            15,
            *doubling,
            "doubling: a quarter into cycle 1",
            "local step 5 of a 20-step cycle; `step % period` reads 15 here",
        ),
        _case(30, *doubling, "doubling: second restart", "cycle 2 starts at 10 * (1 + 2)"),
        _case(81_909, *doubling, "doubling: last step of cycle 12", "the floor, almost"),
        _case(
            81_910,
            *doubling,
            "doubling: restart 13",
            "float32 log1p(8191) / log(2) = 12.999999: without a correction the restart "
            "lands in cycle 12 and gives the floor instead of base_lr",
        ),
        _case(
            0,
            0.1,
            10,
            1,
            0.0,
            "t_mult = 1, step 0",
            "equal periods: the growing formula divides 0 by 0 here",
        ),
        _case(10, 0.1, 10, 1, 0.0, "t_mult = 1, first restart", "starts are n * t_0"),
        _case(25, 0.1, 10, 1, 0.0, "t_mult = 1, middle of cycle 2"),
        _case(999_990, 0.1, 10, 1, 0.0, "t_mult = 1, restart 99,999"),
        _case(
            570,
            0.1,
            10,
            7,
            0.0,
            "t_mult = 7, restart 3",
            "float32 log1p(342) / log(7) = 2.9999998: the restart needs the correction",
        ),
        _case(8, 0.1, 7, 3, 0.0, "t_mult = 3, first step of cycle 1 (PyTorch T_0=7)"),
        _case(3, 1.0, 1, 2, 0.0, "t_0 = 1: step 3 starts cycle 2", "starts 0, 1, 3, 7, 15"),
        _case(12, 2e-4, 5, 2, 2e-4, "eta_min == base_lr", "the schedule is flat"),
    ]


@st.composite
def _args(draw):
    t_0 = draw(st.one_of(st.integers(1, 20), st.integers(1, 1_000)))
    t_mult = draw(st.integers(1, 8))
    base_lr = draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False))
    eta_min = base_lr * draw(st.one_of(st.just(0.0), st.floats(0.0, 0.5, allow_nan=False)))
    # Half the steps sit on a restart or next to one (where float32 goes wrong).
    starts = [0]
    while len(starts) < 60 and starts[-1] <= 1_000_000:
        starts.append(_start(len(starts), t_0, t_mult))
    starts = [s for s in starts if s <= 1_000_000]
    near = st.sampled_from(starts).flatmap(lambda s: st.integers(-1, 1).map(lambda d: s + d))
    step = draw(st.one_of(near, st.integers(0, 1_000_000), st.integers(0, 40 * t_0)))
    return {
        "step": min(max(int(step), 0), 1_000_000),
        "base_lr": base_lr,
        "t_0": t_0,
        "t_mult": t_mult,
        "eta_min": eta_min,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= step <= 1e6``, ``1 <= t_0 <= 1000``,
    ``1 <= t_mult <= 8`` (ints), ``0 <= eta_min <= base_lr``."""
    return _args()
