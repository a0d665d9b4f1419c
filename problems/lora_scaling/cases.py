"""Grader inputs for ``lora_scaling``: both rules at the usual ranks, then random configs."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Case, Contract, Scalar

CONTRACT = Contract(output=Scalar("float"), scale="alpha")


def _case(alpha, rank, use_rslora, name, note=""):
    return Case({"alpha": alpha, "rank": int(rank), "use_rslora": bool(use_rslora)}, name, note)


def edge_cases() -> list[Case]:
    """Hand-picked configs: each rule, alpha = r and 2r, and the rsLoRA gain-matching cases."""
    return [
        _case(8, 8, False, "alpha == r, standard", "scale 1.0 (r / alpha agrees here too)"),
        _case(16, 8, False, "alpha == 2r, standard", "16 / 8 is 2.0: is the ratio inverted?"),
        _case(16, 64, False, "alpha fixed, rank 64, standard", "16 / 64 is 0.25, no square root"),
        _case(16, 8, True, "rsLoRA at rank 8", "16 / sqrt(8) is about 5.657"),
        _case(
            16,
            64,
            True,
            "rsLoRA at rank 64",
            "16 / sqrt(64) is 2.0; the root belongs to use_rslora=True only",
        ),
        _case(16, 16, True, "rsLoRA, alpha == r", "16 / 4 is 4.0, not 1.0"),
        _case(
            128,
            64,
            True,
            "rsLoRA with alpha kept at 2r",
            "2 * sqrt(64) is 16.0: eight times the standard scale",
        ),
        _case(32, 256, True, "rsLoRA gain-matched at rank 256", "32 / 16 is 2.0"),
        _case(32, 256, False, "standard at rank 256", "32 / 256 is 0.125"),
        _case(1, 1, True, "rank 1, rsLoRA", "sqrt(1) is 1: both rules agree"),
        _case(16, 1, False, "rank 1, standard", "16.0"),
        _case(24, 16, False, "non-integer result", "24 / 16 is 1.5; // would floor it to 1"),
        _case(24.0, 3, True, "rank that is not a square", "24 / sqrt(3) is about 13.856"),
        _case(0.5, 4, True, "fractional alpha, rsLoRA", "0.5 / 2 is 0.25"),
        _case(2.5, 10, False, "fractional alpha, standard", "0.25"),
        _case(64, 1024, False, "largest rank, standard", "0.0625"),
        _case(4096, 1024, True, "largest alpha and rank, rsLoRA", "4096 / 32 is 128.0"),
    ]


@st.composite
def _args(draw):
    rank = draw(
        st.one_of(st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128, 256]), st.integers(1, 1024))
    )
    alpha = draw(
        st.one_of(
            st.sampled_from([rank, 2 * rank, 8, 16, 32, 64]),  # the usual int settings
            st.integers(1, 4096),
            st.floats(0.01, 4096.0, allow_nan=False, allow_infinity=False),
        )
    )
    return {"alpha": alpha, "rank": rank, "use_rslora": draw(st.booleans())}


def random_cases() -> st.SearchStrategy[dict]:
    """Any config in the statement's domain."""
    return _args()
