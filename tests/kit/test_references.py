"""Kit references against independent implementations of the same rule."""

import numpy as np

import optax_sched
from optax_sched.kit import Kit
from optax_sched.kit.grader import build_cases


def test_lr_at_step_reference_is_the_library_recipe():
    """The reference learners read is the same recipe as ``optax_sched.lr_at_step``."""
    problem = Kit.load().get("lr_at_step")
    cases = build_cases(problem, examples=60, seed=1)
    assert len(cases) > 60
    for case in cases:
        want = optax_sched.lr_at_step(**case.args)
        got = problem.reference(**case.args)
        assert got.shape == want.shape == (1,) and got.dtype == want.dtype
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want), err_msg=case.name)
