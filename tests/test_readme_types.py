"""The README's Python examples pass ``mypy --strict``, and export stream records are typed through the overloads."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parent.parent

# What the README leaves to the reader: the ids it works with.
PRELUDE = """\
from typing import Any, assert_type

import alabelbox
from alabelbox import Record
from alabelbox.types import ExportRow, Project


async def _example_{n}(project_id: str, dataset_id: str, label_ids: list[str]) -> None:
"""

TYPED = """\
async def _stream_types(client: alabelbox.Client, task: alabelbox.ExportTask) -> None:
    async with client.exports.stream(task) as rows:
        async for record in rows:
            assert_type(record, Record[ExportRow])
    async with client.exports.stream(task, model=None) as dicts:
        async for plain in dicts:
            assert_type(plain, Record[dict[str, Any]])
    async with client.exports.stream(task, stream_type=alabelbox.StreamType.ERRORS) as errors:
        async for error in errors:
            assert_type(error, Record[dict[str, Any]])
    page = await client.projects.list()
    assert_type(page, alabelbox.Page[Project])
"""


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    blocks = readme_examples()
    assert len(blocks) >= 2
    source = "".join(PRELUDE.format(n=n) + textwrap.indent(block, "    ") + "\n\n" for n, block in enumerate(blocks))
    module = tmp_path / "readme_examples.py"
    module.write_text(source + TYPED, encoding="utf-8")
    out, err, status = mypy_api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache"), str(module)]
    )
    assert status == 0, out + err


def test_a_wrong_type_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "wrong.py"
    module.write_text(PRELUDE.format(n=0) + "    pass\n\n\n" + TYPED.replace("Record[ExportRow]", "Record[int]"))
    out, _, status = mypy_api.run(["--strict", "--cache-dir", str(ROOT / ".mypy_cache"), str(module)])
    assert status == 1 and "[assert-type]" in out and "Record[ExportRow]" in out
