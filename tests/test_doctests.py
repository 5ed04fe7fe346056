"""The examples in the pipeline's docstrings are tests too: a docstring that no longer says
what the code does fails here (annotate.fold_char's did, unnoticed, until this file)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pizhu

MODULES = sorted(info.name for info in pkgutil.iter_modules(pizhu.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"pizhu.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} docstring example(s) of pizhu.{name} fail"


def test_the_examples_are_found() -> None:
    """(A test that finds no examples could not fail.)"""
    finder = doctest.DocTestFinder()
    found = sum(
        len(test.examples)
        for name in MODULES
        for test in finder.find(importlib.import_module(f"pizhu.{name}"))
    )
    assert found >= 40
