"""Grader inputs for ``training_length``: the Trainer's own examples, then random runs."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Case, Contract, Scalar, Tuple

CONTRACT = Contract(output=Tuple((Scalar("int"), Scalar("int"), Scalar("int"))))


def _case(n, b, g, w, epochs, name, note=""):
    args = {
        "dataset_size": n,
        "per_device_batch_size": b,
        "gradient_accumulation_steps": g,
        "num_devices": w,
        "num_epochs": float(epochs),
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """Hand-picked runs: one per rounding rule, most checked against a real Trainer."""
    return [
        _case(10_000, 4, 1, 1, 3, "no accumulation, one device", "one update per micro-batch"),
        _case(
            10_000,
            4,
            4,
            1,
            3,
            "accumulation 4",
            "an update happens every G micro-batches: 2500 micro-batches are 625 updates",
        ),
        _case(
            10_000,
            4,
            4,
            2,
            3,
            "two devices",
            "each device sees half the micro-batches (1250), then 1250 / 4 rounds up to 313",
        ),
        _case(10_000, 8, 4, 1, 3, "same effective batch, one device", "only b * G * W matters"),
        _case(5_000, 4, 4, 1, 2, "partial last update", "1250 / 4 = 312.5 rounds up to 313"),
        _case(999, 16, 8, 1, 1, "partial batch and partial group", "63 micro-batches, 8 updates"),
        _case(7, 8, 4, 1, 4, "dataset smaller than one batch", "a partial batch is still 1 update"),
        _case(1_234, 32, 2, 1, 0.5, "half an epoch", "0.5 * 20 = 10 updates"),
        _case(
            10_000,
            4,
            4,
            2,
            1.5,
            "1.5 epochs of 313",
            "469.5 rounds up to 470 (int() gives 469)",
        ),
        _case(
            1_000,
            10,
            1,
            1,
            1.1,
            "1.1 * 100 is 110.00000000000001",
            "the Trainer rounds the float product up: 111 steps, float error included",
        ),
        _case(1_000, 5, 2, 1, 2.2, "2.2 * 100 is 220.00000000000003", "ceil gives 221"),
        _case(1, 1, 1, 1, 0.01, "the smallest run", "any positive epoch count is at least 1 step"),
        _case(12_345, 3, 7, 1, 2.5, "odd sizes", "4115 micro-batches, 588 updates, 1470 total"),
        _case(
            100,
            1,
            1,
            8,
            1,
            "eight devices, batch 1",
            "100 micro-batches over 8 devices is 13 each (rounded up), not 100",
        ),
        _case(3, 1, 4, 2, 3, "more devices than batches", "2 micro-batches per device, 1 update"),
        _case(50_000, 2, 16, 4, 3, "effective batch 128", "391 updates per epoch"),
        _case(1_000_000, 8, 8, 8, 1, "a million examples on 8 devices", "1954 updates"),
        _case(5_000_000, 128, 128, 64, 20, "largest sizes", "effective batch 1,048,576: 5 updates"),
    ]


@st.composite
def _args(draw):
    epochs = draw(
        st.one_of(
            st.integers(1, 10).map(float),
            st.sampled_from([0.1, 0.25, 0.5, 1.1, 1.5, 2.2, 2.5, 3.3]),
            st.floats(0.01, 20.0, allow_nan=False, allow_infinity=False),
        )
    )
    return {
        "dataset_size": draw(st.one_of(st.integers(1, 5_000), st.integers(1, 5_000_000))),
        "per_device_batch_size": draw(
            st.one_of(st.sampled_from([1, 2, 4, 8, 16, 32]), st.integers(1, 128))
        ),
        "gradient_accumulation_steps": draw(
            st.one_of(st.sampled_from([1, 2, 4, 8, 16]), st.integers(1, 128))
        ),
        "num_devices": draw(st.one_of(st.sampled_from([1, 1, 2, 4, 8]), st.integers(1, 64))),
        "num_epochs": epochs,
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any run in the statement's domain."""
    return _args()
