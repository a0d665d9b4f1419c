"""The fixture kit under fixtures/ holds problem and solution files, not tests: never collect
them (``--doctest-modules`` would import every one, learner mistakes included)."""

collect_ignore = ["fixtures"]
