"""Grader inputs for ``inverse_sqrt``: both phases, the boundary, W = 0, then random ones."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract

CONTRACT = Contract(
    output=Array(shape=(), dtype="float"),
    scale="peak_lr",
    jit=True,
    vmap=("step",),
    grad="peak_lr",
)


def _case(step, peak_lr, warmup_steps, name, note=""):
    args = {"step": int(step), "peak_lr": float(peak_lr), "warmup_steps": int(warmup_steps)}
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """The first eight share (peak_lr, warmup_steps) so the vmap check batches them."""
    return [
        _case(0, 1e-3, 100, "step 0", "the warmup starts at 0.0"),
        _case(50, 1e-3, 100, "halfway up the warmup", "the warmup is linear"),
        _case(99, 1e-3, 100, "last warmup step"),
        _case(100, 1e-3, 100, "step == warmup_steps", "the decay starts at exactly peak_lr"),
        _case(101, 1e-3, 100, "first decay step", "decay with sqrt(tau / (step - W + tau))"),
        _case(400, 1e-3, 100, "3 * tau after the warmup", "the value has halved here"),
        _case(10_000, 1e-3, 100, "long after the warmup"),
        _case(3_000_000, 1e-3, 100, "three million steps", "never zero, just small"),
        _case(0, 1e-3, 0, "no warmup, step 0", "W = 0: no ramp, peak_lr at step 0 (no 0 / 0)"),
        _case(1, 1e-3, 0, "no warmup, step 1", "W = 0 means timescale 10,000, not 0 or 1"),
        _case(30_000, 1e-3, 0, "no warmup, 3 * 10,000 steps", "halved after 3 * 10,000"),
        _case(0, 5e-4, 1, "one-step warmup, step 0"),
        _case(1, 5e-4, 1, "one-step warmup, step 1", "the decay starts at peak_lr"),
        _case(2, 5e-4, 1, "one-step warmup, step 2", "tau = 1: sqrt(1 / 2) of the peak"),
        _case(3_999, 7e-4, 4_000, "Transformer-style warmup, last ramp step"),
        _case(16_000, 7e-4, 4_000, "Transformer-style, 3 * tau after the warmup"),
        _case(12_345, 1.0, 100_000, "long warmup, peak_lr = 1"),
    ]


@st.composite
def _args(draw):
    warmup = draw(st.one_of(st.just(0), st.integers(1, 50), st.integers(1, 100_000)))
    near = st.integers(max(warmup - 5, 0), warmup + 5)
    step = draw(st.one_of(near, st.integers(0, 10 * max(warmup, 10)), st.integers(0, 3_000_000)))
    return {
        "step": step,
        "peak_lr": draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False)),
        "warmup_steps": warmup,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= step``, ``1e-6 <= peak_lr <= 1``, ``0 <= W``."""
    return _args()
