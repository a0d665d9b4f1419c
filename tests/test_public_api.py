"""The public surface: every exported name imports, is documented, and the list is sorted."""

import inspect

import pytest

import optax_sched
from optax_sched.schedules import FACTORIES


def test_all_is_sorted_and_unique():
    assert list(optax_sched.__all__) == sorted(set(optax_sched.__all__))


@pytest.mark.parametrize("name", optax_sched.__all__)
def test_in_all(name):
    assert getattr(optax_sched, name) is not None


def test_version():
    assert optax_sched.__version__.count(".") == 2


@pytest.mark.parametrize("name", sorted([*FACTORIES, "lr_at_step", "multi_stage", "resume_at"]))
def test_factories_document_formula_args_returns_examples(name):
    doc = inspect.getdoc(getattr(optax_sched, name))
    for section in (".. math::", "Args:", "Returns:", "Examples:"):
        assert section in doc, f"{name} docstring lacks {section!r}"


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factories_are_exported_and_typed(name):
    factory = getattr(optax_sched, name)
    assert factory is FACTORIES[name]
    signature = inspect.signature(factory)
    assert signature.return_annotation in ("Schedule", optax_sched.Schedule)
    for parameter in signature.parameters.values():
        assert parameter.annotation is not inspect.Parameter.empty, (name, parameter.name)


def test_issue_names_exist():
    for name in (
        "lr_at_step",
        "warmup_cosine",
        "cosine_annealing",
        "warmup_exponential",
        "cycle_decay",
        "multi_stage",
    ):
        assert callable(getattr(optax_sched, name))
