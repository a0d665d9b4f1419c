"""Grader inputs for ``lora_param_count``: familiar model shapes, then random ones."""

from hypothesis import strategies as st

from optax_sched.kit.contract import Case, Contract, Scalar

CONTRACT = Contract(output=Scalar("int"))


def _case(d_in, d_out, rank, layers, modules, name, note=""):
    args = {
        "d_in": d_in,
        "d_out": d_out,
        "rank": rank,
        "num_layers": layers,
        "modules_per_layer": modules,
    }
    return Case(args, name, note)


def edge_cases() -> list[Case]:
    """Hand-picked shapes; the first ones were checked against flax.nnx.LoRALinear."""
    return [
        _case(1, 1, 1, 1, 1, "the smallest adapter", "A and B have one entry each: 2"),
        _case(3, 4, 2, 1, 1, "flax's docstring shapes", "lora_a is 3 x 2, lora_b is 2 x 4: 14"),
        _case(
            4096,
            4096,
            16,
            1,
            1,
            "one 4096 x 4096 projection, r = 16",
            "16 * (4096 + 4096) = 131,072, not 16 * 4096 * 4096",
        ),
        _case(4096, 4096, 1, 1, 1, "rank 1", "8192"),
        _case(
            4096,
            11008,
            16,
            1,
            1,
            "a non-square MLP matrix",
            "A is d_in x r and B is r x d_out: r * (d_in + d_out)",
        ),
        _case(4096, 1024, 8, 1, 1, "a narrow key/value projection", "8 * 5120 = 40,960"),
        _case(
            4096,
            4096,
            16,
            32,
            4,
            "attention of a 32-layer model",
            "32 * 4 matrices of 131,072 each",
        ),
        _case(4096, 11008, 16, 32, 3, "MLP of a 32-layer model", "23,199,744"),
        _case(768, 3072, 8, 12, 2, "a BERT-base-sized stack", "737,280"),
        _case(5120, 5120, 64, 40, 4, "a 40-layer model at rank 64", "104,857,600"),
        _case(64, 64, 32, 1, 1, "rank at the break-even point", "r = d / 2: as big as the matrix"),
        _case(2, 2, 4, 1, 1, "rank above the matrix size", "the formula still holds: 16"),
        _case(1, 65_536, 3, 1, 1, "a 1-wide input", "3 * 65,537"),
        _case(
            65_536,
            65_536,
            1024,
            200,
            8,
            "the largest inputs",
            "about 2.1e11: Python ints do not overflow",
        ),
    ]


@st.composite
def _args(draw):
    width = st.one_of(
        st.sampled_from([256, 512, 768, 1024, 2048, 4096, 5120, 8192, 11008, 14336]),
        st.integers(1, 65_536),
    )
    return {
        "d_in": draw(width),
        "d_out": draw(width),
        "rank": draw(st.one_of(st.sampled_from([4, 8, 16, 32, 64, 128]), st.integers(1, 1024))),
        "num_layers": draw(st.integers(1, 200)),
        "modules_per_layer": draw(st.integers(1, 8)),
    }


def random_cases() -> st.SearchStrategy[dict]:
    """Any configuration in the statement's domain."""
    return _args()
