"""Grader inputs for ``lora_plus_lr_ratio``: LoRA adapters of several layers, any key order."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract, Dict


def _spec(tree):
    """The output spec mirrors the input tree: nested Dicts, float arrays at the leaves."""
    if isinstance(tree, dict):
        return Dict({key: _spec(value) for key, value in tree.items()})
    return Array(tuple(np.shape(tree)), "float")


CONTRACT = Contract(output=lambda args: _spec(args["params"]), scale=1.0)


def _f32(tree):
    if isinstance(tree, dict):
        return {key: _f32(value) for key, value in tree.items()}
    return np.asarray(tree, dtype=np.float32)


def _layer(a, b, b_first=False):
    """One adapter; ``b_first`` lists ``lora_b`` before ``lora_a`` in the dict."""
    return {"lora_b": b, "lora_a": a} if b_first else {"lora_a": a, "lora_b": b}


def _adapters(rng, dims, b_first, fresh=False, spread=1.0):
    """Params (or grads) for layers of sizes ``dims = [(d_in, r, d_out), ...]``.

    ``fresh`` mimics a just-initialised adapter: B is exactly zero.
    """
    tree = {}
    for i, ((d_in, r, d_out), first) in enumerate(zip(dims, b_first, strict=True)):
        a = (spread * rng.standard_normal((d_in, r))).astype(np.float32)
        b = (spread * rng.standard_normal((r, d_out))).astype(np.float32)
        if fresh:
            b = np.zeros_like(b)
        tree[f"layer{i}"] = _layer(a, b, first)
    return tree


#: The statement's worked example: a freshly initialised adapter (B = 0, so dL/dA = 0).
EXAMPLE_PARAMS = {
    "layer0": {
        "lora_a": [[0.5, -0.5], [1.0, 0.0], [0.0, 1.0]],
        "lora_b": [[0.0, 0.0], [0.0, 0.0]],
    }
}
EXAMPLE_GRADS = {
    "layer0": {
        "lora_a": [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
        "lora_b": [[0.2, -0.4], [1.0, 0.6]],
    }
}
#: The same adapter some steps later: both factors non-zero.
LATER_PARAMS = {
    "layer0": {
        "lora_a": [[0.5, -0.5], [1.0, 0.0], [0.0, 1.0]],
        "lora_b": [[0.1, -0.2], [0.3, 0.05]],
    }
}
LATER_GRADS = {
    "layer0": {
        "lora_a": [[0.1, -0.2], [0.3, 0.0], [-0.5, 0.4]],
        "lora_b": [[0.2, -0.4], [1.0, 0.6]],
    }
}


def _case(params, grads, learning_rate, ratio, name, note=""):
    args = {
        "params": params,
        "grads": grads,
        "learning_rate": float(learning_rate),
        "ratio": float(ratio),
    }
    return Case(args, name, note)


def _seeded(seed, dims, b_first, fresh=False, grad_spread=1.0):
    rng = np.random.default_rng(seed)
    params = _adapters(rng, dims, b_first, fresh)
    grads = _adapters(rng, dims, b_first, spread=grad_spread)
    if fresh:  # with B == 0 the loss does not depend on A yet
        for layer in grads.values():
            layer["lora_a"] = np.zeros_like(layer["lora_a"])
    return params, grads


def edge_cases() -> list[Case]:
    """The worked example first, then one trap per case."""
    p0, g0 = _f32(EXAMPLE_PARAMS), _f32(EXAMPLE_GRADS)
    p1, g1 = _f32(LATER_PARAMS), _f32(LATER_GRADS)
    swapped = {"layer0": _layer(p1["layer0"]["lora_a"], p1["layer0"]["lora_b"], b_first=True)}
    swapped_g = {"layer0": _layer(g1["layer0"]["lora_a"], g1["layer0"]["lora_b"], b_first=True)}
    four = [(4, 2, 4), (6, 2, 3), (3, 1, 5), (5, 4, 2)]
    return [
        _case(p0, g0, 0.01, 16, "worked example: fresh adapter", "only B moves, at lr * ratio"),
        _case(p1, g1, 0.01, 16, "worked example: later step", "A at lr, B at lr * ratio"),
        _case(p1, g1, 0.01, 1, "ratio == 1", "plain LoRA: both factors share one rate"),
        _case(
            swapped,
            swapped_g,
            0.01,
            16,
            "lora_b listed before lora_a",
            "label by name, not by position in the dict",
        ),
        _case(
            *_seeded(1, four, [False, True, False, True]),
            0.005,
            16,
            "four layers, mixed key order",
            "every layer needs both labels",
        ),
        _case(*_seeded(2, [(4, 2, 4), (4, 2, 4)], [False, False], fresh=True), 0.02, 16, "fresh"),
        _case(*_seeded(3, [(3, 1, 3)], [False]), 0.05, 8, "rank 1"),
        _case(
            *_seeded(4, [(2, 4, 3)], [True]),
            0.01,
            16,
            "rank larger than d_in",
            "A is wider than tall here: shapes do not tell A from B",
        ),
        _case(
            *_seeded(5, [(3, 3, 3), (3, 3, 3)], [False, True]),
            0.01,
            4,
            "square factors",
            "A and B have the same shape; only the names differ",
        ),
        _case(*_seeded(6, [(4, 2, 4)], [False]), 0.001, 64, "large ratio"),
        _case(*_seeded(7, [(4, 2, 4)], [True]), 0.03, 2.5, "fractional ratio"),
        _case(*_seeded(8, [(5, 2, 5)], [False], grad_spread=10.0), 0.002, 16, "large gradients"),
    ]


@st.composite
def _args(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    layers = draw(st.integers(1, 4))
    dims = [
        (draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(1, 6)))
        for _ in range(layers)
    ]
    b_first = [draw(st.booleans()) for _ in range(layers)]
    params, grads = _seeded(
        int(rng.integers(2**32)),
        dims,
        b_first,
        fresh=draw(st.sampled_from([True, False, False, False])),
        grad_spread=draw(st.sampled_from([0.1, 1.0, 5.0])),
    )
    # A dict literal keeps the signature's order (the grader calls positionally).
    return {
        "params": params,
        "grads": grads,
        "learning_rate": 10.0 ** draw(st.floats(-3.0, -1.0)),
        "ratio": draw(st.floats(1.0, 64.0)),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """1-4 layers, ``1e-3 <= learning_rate <= 0.1``, ``1 <= ratio <= 64``."""
    return _args()
