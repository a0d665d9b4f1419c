"""Grader inputs for ``per_group_learning_rates``: a pretrained backbone and a new head."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract, Dict


def _spec(tree):
    """The output spec mirrors the input tree: nested Dicts, float arrays at the leaves."""
    if isinstance(tree, dict):
        return Dict({key: _spec(value) for key, value in tree.items()})
    return Array(tuple(np.shape(tree)), "float")


CONTRACT = Contract(output=lambda args: _spec(args["params"]), scale=1.0)


def _model(rng, layers, width, classes, spread=1.0):
    """A backbone of ``layers`` dense layers (width x width) and a dense head."""

    def normal(*shape):
        return (spread * rng.standard_normal(shape)).astype(np.float32)

    return {
        "backbone": {
            f"layer{i}": {"kernel": normal(width, width), "bias": normal(width)}
            for i in range(layers)
        },
        "head": {"kernel": normal(width, classes), "bias": normal(classes)},
    }


def _f32(tree):
    if isinstance(tree, dict):
        return {key: _f32(value) for key, value in tree.items()}
    return np.asarray(tree, dtype=np.float32)


#: The statement's worked example.
EXAMPLE_PARAMS = {
    "backbone": {"layer0": {"kernel": [[1.0, 0.5], [-0.5, 2.0]], "bias": [0.0, 1.0]}},
    "head": {"kernel": [[1.0], [-1.0]], "bias": [0.5]},
}
EXAMPLE_GRADS = {
    "backbone": {"layer0": {"kernel": [[2.0, -1.0], [0.0, 4.0]], "bias": [1.0, -2.0]}},
    "head": {"kernel": [[2.0], [-1.0]], "bias": [4.0]},
}


def _case(params, grads, head_lr, backbone_lr, step, name, note=""):
    args = {
        "params": params,
        "grads": grads,
        "head_lr": float(head_lr),
        "backbone_lr": float(backbone_lr),
        "step": int(step),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """The worked example across the schedule's phases, then other models and settings."""
    p, g = _f32(EXAMPLE_PARAMS), _f32(EXAMPLE_GRADS)

    def at(step, name, note=""):
        return _case(p, g, 0.1, 0.01, step, name, note)

    rng = np.random.default_rng(7)
    deep, deep_g = _model(rng, 3, 3, 2), _model(rng, 3, 3, 2)
    frozen_g = {
        "backbone": {
            k: {n: np.zeros_like(a) for n, a in v.items()} for k, v in deep_g["backbone"].items()
        },
        "head": deep_g["head"],
    }
    return [
        at(5, "worked example, step 5", "halfway up the warmup: lr = peak / 2 in each group"),
        at(0, "step 0", "warmup starts at 0: nothing moves on the very first update"),
        at(1, "step 1", "the first update that moves anything: lr = peak / 10"),
        at(9, "last warmup step", "lr(9) = 0.9 * peak; reading lr(step + 1) gives the peak"),
        at(10, "step == warmup_steps", "the peak is reached here"),
        at(30, "worked example, step 30", "cosine part: each group scales its own peak"),
        at(55, "cosine midpoint", "lr(55) = peak / 2: halfway through the 90 decay steps"),
        at(99, "one step before the end", "lr(99) is tiny but not 0"),
        at(100, "step == total_steps", "the schedule has reached 0: nothing moves"),
        at(150, "past the end", "the floor 0 is held after total_steps"),
        _case(p, g, 0.05, 0.05, 20, "equal peaks", "with equal peaks both groups move alike"),
        _case(p, g, 0.01, 0.2, 20, "backbone peak above head peak", "follow the labels"),
        _case(deep, deep_g, 0.3, 0.003, 12, "three-layer backbone", "label every backbone layer"),
        _case(
            deep,
            frozen_g,
            0.3,
            0.003,
            40,
            "zero gradients in the backbone",
            "only the head may move",
        ),
        _case(deep, deep_g, 1.0, 0.1, 10, "large peaks at the peak step"),
    ]


@st.composite
def _args(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    layers = draw(st.integers(1, 3))
    # Only the depth varies (few distinct tree structures keep the grading fast).
    params = _model(rng, layers, 3, 2)
    grads = _model(rng, layers, 3, 2, draw(st.sampled_from([0.1, 1.0, 5.0])))
    log_lr = st.floats(-3.0, 0.0, allow_nan=False, allow_infinity=False)
    # A dict literal keeps the signature's order (the grader calls positionally).
    return {
        "params": params,
        "grads": grads,
        "head_lr": 10.0 ** draw(log_lr),
        "backbone_lr": 10.0 ** (draw(log_lr) - 1.0),
        "step": draw(st.integers(0, 120)),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """1-3 backbone layers; ``1e-3 <= head_lr <= 1``, ``1e-4 <= backbone_lr <= 0.1``."""
    return _args()
