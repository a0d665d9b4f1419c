"""from_hf against the learning rates transformers itself produced (tests/golden/*.json)."""

import json
import pathlib

import jax
import numpy as np
import optax
import pytest

import optax_sched
from optax_sched.parity.hf import KWARGS, STATEFUL

GOLDEN = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "golden" / "transformers.json").read_text()
)
CASES = GOLDEN["cases"]


def _id(case):
    kwargs = ",".join(f"{k}={v}" for k, v in sorted(case["kwargs"].items()))
    return f"{case['name']}-w{case['num_warmup_steps']}-t{case['num_training_steps']}-{kwargs}"


def _build(case):
    return optax_sched.from_hf(
        case["name"],
        case["learning_rate"],
        num_warmup_steps=case["num_warmup_steps"],
        num_training_steps=case["num_training_steps"],
        **case["kwargs"],
    )


def test_golden_file_covers_every_stateless_name_and_records_versions():
    assert {case["name"] for case in CASES} == set(KWARGS)
    assert GOLDEN["versions"]["transformers"].count(".") == 2


@pytest.mark.parametrize("case", [c for c in CASES if "error" not in c], ids=_id)
def test_matches_transformers_at_every_step(case):
    schedule = _build(case)
    expected = np.asarray(case["lr"])
    steps = np.arange(len(expected))
    got = np.asarray(jax.jit(schedule)(steps), dtype=np.float64)
    # |ours - theirs| <= 1e-6 * learning_rate at every step (float32 against float64).
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6 * case["learning_rate"])
    # Where transformers holds a constant (three or more equal steps in a row; two equal
    # steps also happen either side of a cosine trough), we hold the same constant: its
    # float32 value, to within one ulp where it is a product such as lr * min_lr_ratio.
    held = (expected[2:] == expected[1:-1]) & (expected[1:-1] == expected[:-2])
    flat = np.zeros(len(expected), bool)
    for offset in range(3):
        flat[offset : offset + len(held)] |= held
    want = np.float32(expected[flat])
    np.testing.assert_array_max_ulp(np.float32(got[flat]), want, maxulp=1)


@pytest.mark.parametrize("case", [c for c in CASES if "error" in c], ids=_id)
def test_configurations_transformers_crashes_on_are_rejected_up_front(case):
    with pytest.raises(ValueError, match="num_warmup_steps == num_training_steps"):
        _build(case)


def test_enum_names_are_accepted():
    transformers_like = type("SchedulerType", (), {"value": "linear"})()
    s = optax_sched.from_hf(transformers_like, 1e-3, num_warmup_steps=0, num_training_steps=10)
    assert float(s(5)) == pytest.approx(5e-4)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("cosin", 1e-3, 0, 10), {}, r"unknown scheduler name='cosin'. Did you mean 'cosine'"),
        (("cosine", 1e-3, 0, 10), {"num_cycle": 1}, r"unexpected keyword 'num_cycle'.*num_cycles"),
        (("linear", 1e-3, 0, 10), {"power": 2}, r"linear accepts: none"),
        (("linear", 1e-3, None, 10), {}, r"requires num_warmup_steps"),
        (("cosine", 1e-3, 10, None), {}, r"requires num_training_steps"),
        (("linear", -1e-3, 0, 10), {}, r"learning_rate must be >= 0"),
        (
            ("linear", 1e-3, 2.5, 10),
            {},
            r"num_warmup_steps as a float is a fraction.*pass the int num_warmup_steps=2",
        ),
        (("polynomial", 1e-3, 0, 10), {"lr_end": 1e-2}, r"lr_end must be smaller"),
        (("polynomial", 1e-3, 0, 10), {"power": -1.0}, r"power must be in \[0, inf\]"),
        (("cosine_with_min_lr", 1e-3, 0, 10), {}, r"needs the floor, as min_lr"),
        (
            ("cosine_with_min_lr", 1e-3, 0, 10),
            {"min_lr": 1e-5, "min_lr_rate": 0.1},
            r"pass min_lr or min_lr_rate, not both",
        ),
        (("cosine_with_min_lr", 1e-3, 0, 10), {"min_lr": 1e-2}, r"min_lr must not exceed"),
        (("inverse_sqrt", 1e-3, 0, None), {"timescale": 0}, r"timescale must be >= 1"),
        (("warmup_stable_decay", 1e-3, 0, 10), {}, r"requires num_decay_steps"),
        (("warmup_stable_decay", 1e-3, 0, None), {"num_decay_steps": 2}, r"num_stable_steps"),
        (
            ("warmup_stable_decay", 1e-3, 0, 10),
            {"num_decay_steps": 2, "decay_type": "exp"},
            r"decay_type must be one of 'linear', 'cosine', '1-sqrt'",
        ),
    ],
)
def test_bad_configurations_name_the_argument(args, kwargs, message):
    name, lr, warmup, total = args
    with pytest.raises(ValueError, match=message):
        optax_sched.from_hf(name, lr, num_warmup_steps=warmup, num_training_steps=total, **kwargs)


@pytest.mark.parametrize("name", STATEFUL)
def test_metric_driven_names_return_optax_transformations(name):
    # Their values are checked against transformers in tests/parity/test_plateau.py.
    tx = optax_sched.from_hf(name, 1e-3)
    assert isinstance(tx, optax.GradientTransformationExtraArgs)
    assert float(tx.init({"w": np.zeros(1)}).lr) == pytest.approx(1e-3)


def test_traced_learning_rate_sweep():
    lrs = np.array([1e-4, 1e-3])

    def curve(lr):
        return optax_sched.from_hf("cosine", lr, num_warmup_steps=5, num_training_steps=50)(
            np.arange(60)
        )

    sweep = jax.vmap(curve)(lrs)
    unit = np.asarray(curve(1.0))
    np.testing.assert_allclose(sweep, np.outer(lrs, unit), rtol=1e-5, atol=1e-12)
