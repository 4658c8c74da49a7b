"""``alabelbox export --slice``: a catalog slice to a file, in a subprocess against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alabelbox.testing import Emulator
from tests.cli.test_cli import alabelbox


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    return {"seed": 4, "projects": 2, "data_rows": 60, "task_seconds": 0.2, "shard_bytes": 4 * 1024}


async def test_export_slice_writes_the_slice_rows(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    slice_id, out = emu.catalog_slice_ids[1], tmp_path / "slice.ndjson"
    result = await alabelbox(emu, "export", "--slice", slice_id, "-o", str(out), "--include", "data_row_details")
    assert result.returncode == 0, result.stderr.decode()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["data_row"]["id"] for r in rows] == [rid for rid, _ in emu.slice_data_rows(slice_id)]
    assert len(rows) == 60 and all("details" in r["data_row"] for r in rows)
    (sent,) = emu.api_requests("exportDataRowsInSlicePyApi")
    assert sent.variables is not None and sent.variables["input"]["filters"] == {"sliceId": slice_id}
    # Filters are the slice's own: one given is refused before anything is sent.
    refused = await alabelbox(emu, "export", "--slice", slice_id, "--global-key", "k", "-o", str(tmp_path / "x"))
    assert refused.returncode == 2 and "a --slice export takes no filters" in refused.stderr.decode()
    both = await alabelbox(emu, "export", emu.project_ids[0], "--slice", slice_id, "-o", str(tmp_path / "y"))
    assert both.returncode == 2 and "one of them" in both.stderr.decode()
    assert len(emu.api_requests("exportDataRowsInSlicePyApi")) == 1
