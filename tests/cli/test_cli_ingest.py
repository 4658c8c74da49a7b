"""``alabelbox ingest``, run in a subprocess against the emulator, compared with the emulator's truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator

from .test_cli import alabelbox


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    return {"seed": 4, "projects": 1, "data_rows": 3, "task_seconds": 0.0}


async def new_dataset(emu: Emulator, name: str) -> str:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        return (await client.datasets.create(name)).id


def truth(emu: Emulator, dataset_id: str) -> list[dict[str, Any]]:
    rows = emu.backend.data_rows
    key = emu.backend.datasets.find(dataset_id)
    assert key is not None
    return [rows.record(rid) for rid in rows.created_in(key)]


async def test_ingest_an_ndjson_file_and_a_folder(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    dataset_id = await new_dataset(emu, "cli")
    specs = tmp_path / "specs.ndjson"
    specs.write_text(
        "\n".join(json.dumps({"row_data": f"https://example.com/{i}.jpg", "global_key": f"u{i}"}) for i in range(7))
        + "\n"
    )
    folder = tmp_path / "images"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jpg").write_bytes(b"a")
    (folder / "sub" / "b.jpg").write_bytes(b"bb")
    result = await alabelbox(
        emu, "ingest", dataset_id, str(specs), str(folder), "--key-from-path", "--chunk-size", "3", "--json"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["read"], summary["accepted"], summary["failed"], summary["uploaded_files"]) == (9, 9, 0, 2)
    assert "9 read, 9 sent, 9 accepted, 0 failed" in result.stderr.decode()
    keys = sorted(r["globalKey"] for r in truth(emu, dataset_id))
    assert keys == sorted([f"u{i}" for i in range(7)] + ["a.jpg", "sub/b.jpg"])

    # --resume skips what the dataset holds: nothing is sent twice.
    result = await alabelbox(
        emu, "ingest", dataset_id, str(specs), str(folder), "--key-from-path", "--resume", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["skipped"] == 9 and json.loads(result.stdout)["sent"] == 0
    assert len(truth(emu, dataset_id)) == 9


async def test_failed_rows_are_listed_and_exit_1(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    dataset_id = await new_dataset(emu, "cli-fail")
    specs = tmp_path / "specs.json"
    specs.write_text(json.dumps([{"row_data": "https://e.com/a.jpg", "global_key": "same"}] * 2))
    failures = tmp_path / "failed.ndjson"
    result = await alabelbox(emu, "ingest", dataset_id, "--from-file", str(specs), "--failures", str(failures))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "1 accepted, 1 failed" in err and "failed: spec 1 (same): Duplicate global key" in err
    (line,) = failures.read_text().splitlines()
    assert json.loads(line)["index"] == 1


async def test_a_bad_spec_is_a_usage_error_naming_index_and_field(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    dataset_id = await new_dataset(emu, "cli-bad")
    specs = tmp_path / "specs.ndjson"
    specs.write_text(json.dumps({"row_data": "https://e.com/a.jpg", "colour": "red"}) + "\n")
    result = await alabelbox(emu, "ingest", dataset_id, str(specs))
    assert result.returncode == 2
    assert "specs[0].colour" in result.stderr.decode()
    assert truth(emu, dataset_id) == []
    result = await alabelbox(emu, "ingest", "cl_no_such_dataset_000000", str(specs))
    assert result.returncode == 2  # the spec is checked first, before anything is sent
    specs.write_text(json.dumps({"row_data": "https://e.com/a.jpg"}) + "\n")
    result = await alabelbox(emu, "ingest", "cl0000000000000000000000x", str(specs))
    assert result.returncode in (1, 4), result.stderr
    assert "cl0000000000000000000000x" in result.stderr.decode()
