"""Grader inputs for ``warmup_ratio_to_steps``: rounding traps first, then random ones."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Case, Contract, Scalar

CONTRACT = Contract(output=Scalar("int"))


def _case(warmup, total_steps, name, note=""):
    return Case({"warmup": warmup, "total_steps": int(total_steps)}, name, note)


def edge_cases() -> list[Case]:
    """Hand-picked inputs: each rounding rule, each float surprise, each int-vs-float trap."""
    return [
        _case(0.03, 1875, "3% of 1875 (56.25)", "a ratio rounds up: 57, not int()'s 56"),
        _case(0.1, 1000, "exact ratio (100.0)", "nothing to round when the product is whole"),
        _case(
            0.07,
            100,
            "0.07 * 100 is 7.000000000000001",
            "the float product sits just above 7, so ceil gives 8, exactly as the Trainer does",
        ),
        _case(
            0.29,
            100,
            "0.29 * 100 is 28.999999999999996",
            "the product sits just below 29: ceil gives 29, int() truncates to 28",
        ),
        _case(0.14, 100, "0.14 * 100 is 14.000000000000002", "ceil gives 15"),
        _case(0.07, 1000, "0.07 * 1000 is exactly 70.0", "the same ratio rounds cleanly here"),
        _case(0.03, 626, "3% of 626 (18.78)", "ceil gives 19"),
        _case(
            0.01,
            50,
            "1% of 50 (0.5)",
            "round() sends 0.5 to 0 and int() truncates it; a non-zero ratio is at least 1 step",
        ),
        _case(0.5, 1, "half of a one-step run", "ceil(0.5) is 1"),
        _case(0.999, 3, "ratio just below 1", "ceil(2.997) is 3"),
        _case(0.25, 7, "a quarter of 7 (1.75)", "ceil gives 2"),
        _case(0.0, 100, "ratio 0.0", "no warmup"),
        _case(0, 100, "int 0", "no warmup"),
        _case(
            1,
            100,
            "int 1",
            "an int is a step count: one step, not 100% of the run (is `<= 1` treated as a ratio?)",
        ),
        _case(10, 100, "int 10", "an int comes back unchanged"),
        _case(57, 1875, "int 57", "an int is never multiplied by total_steps"),
        _case(
            150,
            100,
            "int warmup longer than the run",
            "an int count is used as it is, not clipped to total_steps",
        ),
        _case(0, 1, "one-step run, no warmup"),
        _case(0.03, 2_000_000, "3% of two million", "large counts stay exact"),
    ]


def random_cases() -> st.SearchStrategy[dict]:
    """Any input in the statement's domain: an int >= 0 or a float in [0, 1)."""
    ratio = st.one_of(
        st.integers(0, 99).map(lambda k: k / 100),  # the "3%" style ratios of real configs
        st.floats(0.0, 1.0, exclude_max=True, allow_nan=False, allow_infinity=False),
    )

    @st.composite
    def args(draw):
        total = draw(st.integers(1, 2_000_000))
        warmup = draw(st.one_of(ratio, st.integers(0, 2 * total)))
        return {"warmup": warmup, "total_steps": total}

    return args()
