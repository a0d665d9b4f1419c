"""Kit references against independent implementations of the same rule."""

import numpy as np
import pytest

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


def _library_multi_step_decay(step, base_lr, milestones, gamma):
    return optax_sched.multi_step_decay(base_lr, [int(m) for m in milestones], gamma)(step)


def _library_cycle_decay(step, steps_per_cycle, cycle_lrs):
    return optax_sched.cycle_decay(None, steps_per_cycle, lrs=list(cycle_lrs))(step)


#: References written out in jnp (their problems trace every argument, which the library's
#: factories refuse at construction) against the library factory of the same schedule.
WRITTEN_OUT = {
    "multi_step_decay": _library_multi_step_decay,
    "cycle_decay": _library_cycle_decay,
}


@pytest.mark.parametrize("problem_id", sorted(WRITTEN_OUT))
def test_written_out_reference_agrees_with_the_library(problem_id):
    problem = Kit.load().get(problem_id)
    for case in build_cases(problem, examples=40, seed=2):
        want = np.asarray(WRITTEN_OUT[problem_id](**case.args))
        got = np.asarray(problem.reference(**case.args))
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=0, err_msg=case.name)
