"""Grader inputs for ``nnx_lora_forward``: scales, shapes and inputs that expose each slip."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract


def _magnitude(args) -> float:
    """Largest ``|x| @ (|w| + |scale| |a| |b|)`` entry: the size of the sums behind the output.

    Outputs can cancel to nearly 0 while their terms are large; the absolute slack follows
    the terms, so merging the weights first or summing in another order is not penalised.
    """
    x, w, a, b = (np.abs(np.asarray(args[k], np.float64)) for k in ("x", "w", "a", "b"))
    scale = abs(float(args["alpha"]) / int(args["rank"]))
    return max(1.0, float(np.max(x @ (w + scale * (a @ b)), initial=0.0)))


CONTRACT = Contract(
    output=lambda a: Array(shape=(np.shape(a["x"])[0], np.shape(a["w"])[1])),
    scale=_magnitude,
    jit=True,
    static=("rank",),
    vmap=("x",),
    grad="alpha",
)


def _f32(values):
    return np.asarray(values, dtype=np.float32)


def _weights(seed, d_in, d_out, rank):
    rng = np.random.default_rng(seed)
    w = _f32(rng.normal(size=(d_in, d_out)))
    a = _f32(rng.normal(size=(d_in, rank)) / np.sqrt(d_in))
    b = _f32(rng.normal(size=(rank, d_out)))
    return w, a, b


def _x(seed, batch, d_in):
    return _f32(np.random.default_rng(seed).normal(size=(batch, d_in)))


def _case(x, w, a, b, alpha, rank, name, note=""):
    args = {
        "x": _f32(x),
        "w": _f32(w),
        "a": _f32(a),
        "b": _f32(b),
        "alpha": float(alpha),
        "rank": int(rank),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """The first four share every weight (the vmap check batches their ``x``), then others."""
    w, a, b = _weights(1, 4, 3, 2)
    x0 = _x(2, 3, 4)
    one_hot = np.eye(4, dtype=np.float32)[:3]
    return [
        _case(
            x0,
            w,
            a,
            b,
            4.0,
            2,
            "alpha = 2 * rank",
            "the adapter's output is multiplied by alpha / rank = 2 here; alpha * rank "
            "would give 8 and no scale 1",
        ),
        _case(np.zeros_like(x0), w, a, b, 4.0, 2, "zero input", "no bias anywhere: 0 in, 0 out"),
        _case(
            one_hot,
            w,
            a,
            b,
            4.0,
            2,
            "one-hot rows",
            "row i of the output is row i of the merged weight w + (alpha / rank) * a @ b",
        ),
        _case(-x0, w, a, b, 4.0, 2, "negated input", "the layer is linear in x"),
        _case(
            x0,
            w,
            a,
            np.zeros_like(b),
            4.0,
            2,
            "b = 0, like a fresh adapter",
            "nnx.LoRA starts lora_b at zeros, so an untrained adapter changes nothing and "
            "any scale passes; the other cases are the ones that see it",
        ),
        _case(x0, w, a, b, 2.0, 2, "alpha == rank", "the scale is exactly 1"),
        _case(x0, w, a, b, 0.0, 2, "alpha = 0", "the adapter is switched off: y = x @ w"),
        _case(
            x0,
            *_weights(13, 4, 3, 4),
            1.0,
            4,
            "alpha < rank",
            "alpha / rank = 0.25 with true division; alpha // rank would be 0",
        ),
        _case(_x(3, 2, 4), *_weights(4, 4, 2, 1), 16.0, 1, "rank 1", "a single adapter direction"),
        _case(
            _x(6, 3, 5),
            *_weights(5, 5, 5, 5),
            10.0,
            5,
            "square layer, rank == d_in == d_out",
            "every shape is 5: transposing a and b (PyTorch/PEFT layout) would run here "
            "but compute something else",
        ),
        _case(_x(7, 4, 6), *_weights(8, 6, 4, 8), 64.0, 8, "rank above d_in", "alpha / rank = 8"),
        _case(
            _x(9, 1, 3),
            *_weights(11, 3, 1, 2),
            16.0,
            2,
            "one example, one output unit",
            "the output keeps shape (1, 1)",
        ),
        _case(
            _x(12, 3, 4), *_weights(14, 4, 3, 4), 10.0, 4, "fractional scale", "alpha / rank = 2.5"
        ),
    ]


#: (batch, d_in, d_out, rank) of the edge cases. Random cases reuse these shapes: every new
#: shape costs fresh XLA compilations (eagerly, under jit and under grad), which would make
#: grading slow, while the values, alpha and the scale vary freely.
SHAPES = (
    (3, 4, 3, 2),
    (3, 4, 3, 4),
    (2, 4, 2, 1),
    (3, 5, 5, 5),
    (4, 6, 4, 8),
    (1, 3, 1, 2),
)


@st.composite
def _args(draw):
    batch, d_in, d_out, rank = draw(st.sampled_from(SHAPES))
    alpha = draw(
        st.one_of(
            st.sampled_from([float(rank), 2.0 * rank, 16.0, 32.0]),
            st.floats(0.0, 64.0, allow_nan=False, allow_infinity=False),
        )
    )
    seed = draw(st.integers(0, 2**32 - 2))
    w, a, b = _weights(seed, d_in, d_out, rank)
    return {"x": _x(seed + 1, batch, d_in), "w": w, "a": a, "b": b, "alpha": alpha, "rank": rank}


def random_cases() -> st.SearchStrategy[dict]:
    """Random weights, inputs and ``0 <= alpha <= 64`` on the edge cases' shapes."""
    return _args()
