"""Hand-run benchmarks of optax-sched (issue 8): ``python -m benchmarks --help``.

Not part of the package and not run by CI (``tests/test_benchmarks.py`` only smoke-tests
the runner in ``--quick`` mode). One module per benchmark, each with a ``run(quick)``
that returns a :class:`benchmarks._timing.Result`.
"""
