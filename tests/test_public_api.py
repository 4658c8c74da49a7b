"""The public surface: every name in alabelbox.__all__ imports, and the list is sorted."""

from __future__ import annotations

import importlib

import alabelbox


def test_all_is_sorted_and_unique() -> None:
    assert list(alabelbox.__all__) == sorted(set(alabelbox.__all__))


def test_every_public_name_imports() -> None:
    module = importlib.import_module("alabelbox")
    for name in alabelbox.__all__:
        assert getattr(module, name) is not None, name


def test_errors_keep_the_sdk_names() -> None:
    for name in (
        "ApiLimitError",
        "ResourceNotFoundError",
        "InvalidQueryError",
        "ResourceConflict",
        "MalformedQueryException",
        "OperationNotAllowedException",
        "TimeoutError",
    ):
        assert issubclass(getattr(alabelbox, name), alabelbox.LabelboxError), name
    assert issubclass(alabelbox.TimeoutError, TimeoutError)
