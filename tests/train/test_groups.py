"""per_group: each parameter gets its group's rate, and ambiguity is an error."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

import optax_sched
from optax_sched.train import learning_rates, per_group
from optax_sched.train.groups import _compile

HEAD = optax_sched.warmup_cosine(0.1, total_steps=10, warmup_steps=2)


def params():
    return {
        "head": {"w": jnp.zeros(2)},
        "backbone": {"layers": {"0": {"kernel": jnp.zeros(2)}, "1": {"kernel": jnp.zeros(2)}}},
    }


def test_each_group_moves_at_its_own_rate():
    tx = per_group({"head/**": HEAD, "backbone/**": 1e-3}, optimizer=optax.sgd)
    p = params()
    state = tx.init(p)
    grads = {
        "head": {"w": jnp.ones(2)},
        "backbone": {"layers": {k: {"kernel": jnp.ones(2)} for k in "01"}},
    }
    for k in range(5):
        updates, state = tx.update(grads, state, p)
        new = optax.apply_updates(p, updates)
        head_rate = float(p["head"]["w"][0] - new["head"]["w"][0])
        body_rate = float(
            p["backbone"]["layers"]["1"]["kernel"][0] - new["backbone"]["layers"]["1"]["kernel"][0]
        )
        assert head_rate == pytest.approx(float(HEAD(k)), rel=1e-6, abs=1e-9)
        assert body_rate == pytest.approx(1e-3, rel=1e-5)
        p = new
    rates = learning_rates(state)
    assert float(rates["head/**"]) == pytest.approx(float(HEAD(4)))
    assert float(rates["backbone/**"]) == pytest.approx(1e-3)


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (
            {"head/**": 0.1},
            "parameter 'backbone/layers/0/kernel' matches none of the groups 'head/**'",
        ),
        (
            {"**": 0.1, "head/*": 0.2},
            "parameter 'head/w' matches 2 groups ('**', 'head/*'); make the patterns disjoint",
        ),
        ({"*/w": 0.1, "backbone/*/kernel": 0.2}, "'backbone/layers/0/kernel' matches none"),
    ],
)
def test_a_parameter_in_no_group_or_two_is_an_error_at_init(groups, message):
    tx = per_group(groups)
    with pytest.raises(
        ValueError, match=message.replace("*", r"\*").replace("(", r"\(").replace(")", r"\)")
    ):
        tx.init(params())


def test_patterns_star_within_a_segment_double_star_across():
    tx = per_group(
        {"head/*": 0.1, "backbone/**/0/*": 0.2, "backbone/layers/1/kern*": 0.3}, optimizer=optax.sgd
    )
    state = tx.init(params())
    assert {k: round(float(v), 6) for k, v in learning_rates(state).items()} == {
        "head/*": 0.1,
        "backbone/**/0/*": 0.2,
        "backbone/layers/1/kern*": 0.3,
    }


def test_a_transformation_freezes_a_group():
    tx = per_group({"head/**": 0.1, "backbone/**": optax.set_to_zero()}, optimizer=optax.sgd)
    p = params()
    grads = {
        "head": {"w": jnp.ones(2)},
        "backbone": {"layers": {k: {"kernel": jnp.ones(2)} for k in "01"}},
    }
    updates, _ = tx.update(grads, tx.init(p), p)
    assert float(updates["head"]["w"][0]) == pytest.approx(-0.1)
    assert float(jnp.abs(updates["backbone"]["layers"]["0"]["kernel"]).max()) == 0.0


class Model(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.backbone = nnx.Linear(3, 4, rngs=rngs)
        self.head = nnx.Linear(4, 1, rngs=rngs)

    def __call__(self, x):
        return self.head(nnx.relu(self.backbone(x)))


def test_nnx_model_paths_and_rates():
    model = Model(nnx.Rngs(0))
    before = nnx.state(model, nnx.Param)
    kernel_before = np.asarray(before["backbone"]["kernel"][...])
    tx = per_group({"head/**": HEAD, "backbone/**": 0.0}, optimizer=optax.sgd)
    optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)
    x = jnp.ones((2, 3))
    for _ in range(3):
        grads = nnx.grad(lambda m: jnp.mean(m(x) ** 2))(model)
        optimizer.update(model, grads)
    rates = learning_rates(optimizer)
    assert set(rates) == {"head/**", "backbone/**"}
    assert float(rates["head/**"]) == pytest.approx(float(HEAD(2)))
    np.testing.assert_array_equal(np.asarray(model.backbone.kernel[...]), kernel_before)


def test_empty_groups():
    with pytest.raises(ValueError, match="groups is empty"):
        per_group({})


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("head/*", "head/kernel", True),
        ("head/*", "head/a/kernel", False),
        ("**", "a/b/c", True),
        ("backbone/**/kernel", "backbone/kernel", True),
        ("backbone/**/kernel", "backbone/layers/3/kernel", True),
        ("backbone/**/kernel", "backbone/layers/3/bias", False),
        ("{backbone,head}/**", "head/bias", True),
        ("{backbone,head}/**", "backbone/l/0/kernel", True),
        ("{backbone,head}/**", "aligner/kernel", False),
        ("lora_{a,b}", "lora_b", True),
        ("lora_{a,b}", "lora_c", False),
        ("l*_{a,b*}/w", "lora_bx/w", True),
        ("head.w", "headxw", False),  # other characters are literal
    ],
)
def test_pattern_language(pattern, path, hit):
    assert bool(_compile(pattern).match(path)) is hit
