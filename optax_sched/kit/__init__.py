"""The self-graded exercise kit: problems on disk, an isolated grader, learner state.

- :mod:`~optax_sched.kit.problems`: the on-disk format and the loader (:class:`Kit`).
- :mod:`~optax_sched.kit.contract`: what a problem's ``cases.py`` declares.
- :mod:`~optax_sched.kit.grader`: :func:`grade` a file; the learner's code runs only in a
  child process (:mod:`~optax_sched.kit.runner`, :mod:`~optax_sched.kit._child`).
- :mod:`~optax_sched.kit.cache`: each check's cases and expected values, kept on disk.
- :mod:`~optax_sched.kit.results`: verdicts and the ``--json`` record.
- :mod:`~optax_sched.kit.workspace`: the learner's folder, progress and resets.
"""

from optax_sched.kit.grader import available_backends, grade, grade_backends
from optax_sched.kit.problems import Kit, KitError, Problem
from optax_sched.kit.results import EXIT_CODES, SCHEMA_VERSION, VERDICTS, Result
from optax_sched.kit.runner import Limits

__all__ = [
    "EXIT_CODES",
    "SCHEMA_VERSION",
    "VERDICTS",
    "Kit",
    "KitError",
    "Limits",
    "Problem",
    "Result",
    "available_backends",
    "grade",
    "grade_backends",
]
