"""The destinations' public surface: sorted, importable without the optional extras, errors that name the extra."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import alabelbox.destinations
from alabelbox import InvalidArgumentError
from alabelbox.destinations import write_export
from tests.destinations.conftest import listing


def test_all_is_sorted_and_imports() -> None:
    names = list(alabelbox.destinations.__all__)
    assert names == sorted(set(names))
    for name in names:
        assert getattr(alabelbox.destinations, name) is not None, name


def test_importing_needs_no_optional_dependency() -> None:
    code = (
        "import sys, alabelbox.destinations\n"
        "heavy = {'pyarrow', 'pandas', 'polars', 'numpy', 'PIL', 'pycocotools'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_a_missing_extra_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def no_pyarrow(name: str) -> object:
        if name.startswith("pyarrow"):
            raise ImportError(f"No module named {name!r}")
        return real(name)

    monkeypatch.setattr(importlib, "import_module", no_pyarrow)
    monkeypatch.setattr(alabelbox.destinations._arrow, "_SCHEMAS", {})
    with pytest.raises(InvalidArgumentError, match=r"needs pyarrow: pip install 'alabelbox\[parquet\]'"):
        await write_export([], tmp_path / "out.parquet")
    assert listing(tmp_path) == []
