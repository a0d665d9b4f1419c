"""Grader inputs for ``weight_decay_mask``: one AdamW step on a tiny dense + norm model."""

import numpy as np
from hypothesis import strategies as st

from optax_sched.kit.contract import Array, Case, Contract, Dict

#: The fixed parameter tree: a 3 -> 2 dense layer and a 2-wide norm scale.
SHAPES = {"dense": {"kernel": (3, 2), "bias": (2,)}, "norm": {"scale": (2,)}}

CONTRACT = Contract(
    output=Dict(
        {
            "dense": Dict({"kernel": Array((3, 2)), "bias": Array((2,))}),
            "norm": Dict({"scale": Array((2,))}),
        }
    ),
    scale=1.0,
)


def _tree(values):
    """A params/grads dict of float32 NumPy arrays from nested lists."""
    return {
        group: {name: np.asarray(v, dtype=np.float32) for name, v in leaves.items()}
        for group, leaves in values.items()
    }


def _random_tree(rng, spread=1.0):
    return {
        group: {
            name: (spread * rng.standard_normal(shape)).astype(np.float32)
            for name, shape in leaves.items()
        }
        for group, leaves in SHAPES.items()
    }


def _case(params, grads, learning_rate, weight_decay, name, note=""):
    args = {
        "params": params,
        "grads": grads,
        "learning_rate": float(learning_rate),
        "weight_decay": float(weight_decay),
    }
    return Case(args, name, note)


#: The statement's worked example.
EXAMPLE_PARAMS = {
    "dense": {"kernel": [[2.0, -1.0], [0.5, 4.0], [1.0, -3.0]], "bias": [2.0, -1.0]},
    "norm": {"scale": [1.0, 1.0]},
}
EXAMPLE_GRADS = {
    "dense": {"kernel": [[0.5, -0.2], [1.0, 0.0], [-2.0, 0.1]], "bias": [0.5, 0.3]},
    "norm": {"scale": [-0.4, 0.0]},
}


def _seeded(seed, spread=1.0):
    rng = np.random.default_rng(seed)
    return _random_tree(rng), _random_tree(rng, spread)


def edge_cases() -> list[Case]:
    """Hand-picked inputs: the worked example, then one trap per case."""
    p, g = _tree(EXAMPLE_PARAMS), _tree(EXAMPLE_GRADS)
    zeros = {k: {n: np.zeros_like(a) for n, a in v.items()} for k, v in g.items()}
    ln_init = _tree(
        {
            "dense": {"kernel": [[0.3, -0.7], [1.2, 0.1], [-0.5, 0.9]], "bias": [0.0, 0.0]},
            "norm": {"scale": [1.0, 1.0]},
        }
    )
    big = _tree(
        {
            "dense": {"kernel": [[0.2, -0.1], [0.3, 0.05], [-0.2, 0.1]], "bias": [5.0, -4.0]},
            "norm": {"scale": [3.0, 2.5]},
        }
    )
    tiny_grads = _tree(
        {
            "dense": {"kernel": [[1e-7, -1e-8], [1e-6, 0.0], [-1e-9, 1e-7]], "bias": [1e-8, 0.0]},
            "norm": {"scale": [-1e-8, 1e-7]},
        }
    )
    return [
        _case(p, g, 0.1, 0.1, "worked example", "only the kernel shrinks by lr * wd * p"),
        _case(
            p,
            zeros,
            0.1,
            0.1,
            "all gradients zero",
            "Adam's step is 0, so only the decoupled decay moves the kernel; bias and scale "
            "stay put",
        ),
        _case(p, g, 0.1, 0.0, "weight_decay == 0", "no decay at all: a plain Adam step"),
        _case(
            ln_init,
            g,
            0.05,
            0.2,
            "norm scale at its init value 1",
            "a LayerNorm scale of 1 must not be pulled towards 0",
        ),
        _case(
            big,
            g,
            0.05,
            0.3,
            "large biases and scales",
            "the mask excludes biases and scales: they must not shrink",
        ),
        _case(
            _tree(
                {
                    "dense": {"kernel": [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], "bias": [1.0, 2.0]},
                    "norm": {"scale": [1.0, 0.5]},
                }
            ),
            g,
            0.1,
            0.5,
            "kernel all zeros",
            "decay shrinks towards 0, so a zero kernel feels no decay",
        ),
        _case(
            p,
            _tree(
                {
                    "dense": {"kernel": [[0.01, 0.01], [0.01, 0.01], [0.01, 0.01]], "bias": [1, 1]},
                    "norm": {"scale": [1.0, 1.0]},
                }
            ),
            0.1,
            0.5,
            "decay larger than the gradient",
            "an L2 term added to the gradient would flip Adam's sign here; AdamW's does not",
        ),
        _case(
            p,
            tiny_grads,
            0.01,
            0.1,
            "gradients near Adam's eps",
            "with |g| close to eps = 1e-8 Adam's first step is smaller than lr",
        ),
        _case(*_seeded(1), 1e-3, 0.1, "GPT-style lr 1e-3, wd 0.1"),
        _case(*_seeded(2), 3e-3, 0.01, "lr 3e-3, wd 0.01"),
        _case(*_seeded(3, spread=10.0), 0.02, 0.05, "large gradients"),
        _case(*_seeded(4, spread=0.01), 0.02, 0.05, "small gradients"),
    ]


@st.composite
def _args(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = _random_tree(rng, draw(st.sampled_from([0.5, 1.0, 3.0])))
    grads = _random_tree(rng, draw(st.sampled_from([1e-3, 0.1, 1.0, 10.0])))
    # A dict literal keeps the signature's order (the grader calls positionally).
    return {
        "params": params,
        "grads": grads,
        "learning_rate": draw(st.floats(1e-3, 0.1, allow_nan=False, allow_infinity=False)),
        "weight_decay": draw(st.floats(0.0, 0.5, allow_nan=False, allow_infinity=False)),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Random float32 params and grads; ``1e-3 <= lr <= 0.1``, ``0 <= wd <= 0.5``."""
    return _args()
