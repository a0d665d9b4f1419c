"""Grader inputs for ``linear_warmup``: every phase of the ramp, W = 0, then random ones."""

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
        _case(0, 3e-4, 8, "step 0", "the ramp starts at exactly 0.0 (not peak_lr / W)"),
        _case(1, 3e-4, 8, "first warmup step", "the ramp is peak_lr * step / W"),
        _case(4, 3e-4, 8, "halfway up", "integer division (step // W) gives 0 here"),
        _case(7, 3e-4, 8, "last warmup step", "(step + 1) / W already reaches the peak here"),
        _case(8, 3e-4, 8, "step == warmup_steps", "the peak is reached exactly here"),
        _case(9, 3e-4, 8, "just after the peak", "the value is held at peak_lr"),
        _case(1000, 3e-4, 8, "long after the peak", "the value is held, it does not keep rising"),
        _case(2_000_000, 3e-4, 8, "two million steps", "still peak_lr"),
        _case(0, 1e-3, 0, "no warmup, step 0", "W = 0 means peak_lr from step 0 (no 0 / 0)"),
        _case(5, 1e-3, 0, "no warmup, step 5", "W = 0 means peak_lr at every step"),
        _case(0, 2e-5, 1, "one-step warmup, step 0", "W = 1: only step 0 is below the peak"),
        _case(1, 2e-5, 1, "one-step warmup, step 1"),
        _case(333, 1.0, 1000, "peak_lr = 1, a third of the way"),
        _case(12_345, 5e-5, 100_000, "long warmup", "true division, not integer division"),
        _case(99_999, 1e-6, 100_000, "one step before a long warmup ends"),
    ]


@st.composite
def _args(draw):
    # A dict literal keeps the signature's order (the grader also reorders by name).
    warmup = draw(st.one_of(st.just(0), st.integers(1, 20), st.integers(1, 100_000)))
    limit = max(2 * warmup, 10)
    step = draw(st.one_of(st.integers(0, limit), st.integers(0, 2_000_000)))
    return {
        "step": step,
        "peak_lr": draw(st.floats(1e-6, 1.0, allow_nan=False, allow_infinity=False)),
        "warmup_steps": warmup,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the domain: ``0 <= step``, ``1e-6 <= peak_lr <= 1``, ``0 <= W``."""
    return _args()
