"""Download to a file (atomic, resumable, progress) and the legacy bulk export, against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alabelbox import Client, ExportTimeoutError, InvalidArgumentError
from alabelbox._exports.legacy import LEGACY_REGENERATION_SECONDS
from alabelbox.testing import Emulator
from alabelbox.types import DownloadProgress, ExportTask, LegacyLabelRow


async def _finished(emu: Emulator, client: Client, **create: Any) -> ExportTask:
    task = await client.exports.create_and_poll(poll_interval=0.01, wait_timeout=60, **create)
    await emu.wait_task(task.id)
    return task


async def test_download_ndjson_and_json_with_progress(emu: Emulator, client: Client, tmp_path: Path) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    truth = emu.export_lines(task.id)
    seen: list[DownloadProgress] = []
    final = await client.exports.download(task, tmp_path / "out.ndjson", on_progress=seen.append)
    assert (tmp_path / "out.ndjson").read_bytes() == b"".join(truth)
    assert final == DownloadProgress(sum(map(len, truth)), sum(map(len, truth)), len(truth), len(truth))
    assert [p.bytes_done for p in seen] == sorted(p.bytes_done for p in seen) and len(seen) > 2
    assert seen[-1].fraction == 1.0
    await client.exports.download(task, tmp_path / "out.json", format="json")
    assert json.loads((tmp_path / "out.json").read_text("utf-8")) == [json.loads(line) for line in truth]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "out.ndjson"]  # noqa: ASYNC240 - no .part left


@pytest.mark.parametrize("fmt", ["ndjson", "json"])
async def test_download_resumes_a_partial_file(emu: Emulator, client: Client, tmp_path: Path, fmt: str) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    truth = emu.export_lines(task.id)
    full = tmp_path / f"full.{fmt}"
    await client.exports.download(task, full, format=fmt)  # type: ignore[arg-type]
    whole = full.read_bytes()
    # An interrupted download: the first 100 rows plus half of the next one.
    lines = whole.splitlines(keepends=True)
    head = 1 if fmt == "json" else 0
    partial = b"".join(lines[: head + 100]) + lines[head + 100][:20]
    target = tmp_path / f"again.{fmt}"
    Path(str(target) + ".part").write_bytes(partial)  # noqa: ASYNC240 - test setup
    emu.requests.clear()
    done = await client.exports.download(task, target, format=fmt)  # type: ignore[arg-type]
    assert target.read_bytes() == whole
    assert done.lines_done == len(truth)
    resumed_at = sum(map(len, truth[:100]))
    shard = emu.task(task.id).streams["RESULT"].by_offset(resumed_at)
    assert shard is not None
    ranges = [r.headers.get("Range") for r in emu.storage_requests]
    if resumed_at > shard.byte_start:
        assert ranges[0] == f"bytes={resumed_at - shard.byte_start}-"
    assert len(emu.storage_requests) < len(emu.task(task.id).streams["RESULT"].shards)


async def test_download_of_an_empty_export_writes_an_empty_file(emu: Emulator, client: Client, tmp_path: Path) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0], filters={"data_row_ids": ["nope"]})
    assert (await client.exports.download(task, tmp_path / "e.json", format="json")).total_lines == 0
    assert json.loads((tmp_path / "e.json").read_text()) == []
    with pytest.raises(InvalidArgumentError, match="format: expected 'ndjson' or 'json', got 'csv'"):
        await client.exports.download(task, tmp_path / "e.csv", format="csv")  # type: ignore[arg-type]


async def test_resume_refuses_a_file_of_the_other_format(emu: Emulator, client: Client, tmp_path: Path) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    (tmp_path / "x.ndjson.part").write_bytes(b"[\n{}\n")
    with pytest.raises(InvalidArgumentError, match="looks like a partial JSON download, not NDJSON"):
        await client.exports.download(task, tmp_path / "x.ndjson")


# -- legacy ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "emu_options", [{"seed": 5, "projects": 2, "data_rows": 120, "task_seconds": 0.3, "shard_bytes": 64 * 1024}]
)
async def test_legacy_polls_while_should_poll_then_streams_typed_rows(emu: Emulator, client: Client) -> None:
    project = emu.project_ids[0]
    result = await client.exports.export_labels_url(project, poll_interval=0.05)
    assert result.polls >= 2, "shouldPoll was true at first: the call must have been repeated"
    calls = emu.api_requests("GetLabelExportUrlPyApi")
    assert len(calls) == result.polls
    assert calls[0].variables == {"projectId": project, "filters": None}
    async with client.exports.export_labels(project, poll_interval=0.05) as rows:
        got = [row async for row in rows]
    assert got and all(isinstance(r, LegacyLabelRow) for r in got)
    assert [r.id for r in got] == emu.label_ids(project)
    assert emu.key_leaks == []


@pytest.mark.parametrize(
    "emu_options", [{"seed": 5, "projects": 1, "data_rows": 40, "task_seconds": 0.0, "shard_bytes": 64 * 1024}]
)
async def test_legacy_thirty_minute_rule(emu: Emulator, client: Client) -> None:
    project = emu.project_ids[0]
    first = await client.exports.export_labels_url(project, poll_interval=0.01)
    emu.clock.advance(LEGACY_REGENERATION_SECONDS - 60)
    again = await client.exports.export_labels_url(project, poll_interval=0.01)
    assert (again.download_url, again.created_at) == (first.download_url, first.created_at)
    emu.clock.advance(120)  # 31 minutes after the first generation
    fresh = await client.exports.export_labels_url(project, poll_interval=0.01)
    assert fresh.created_at != first.created_at and fresh.download_url != first.download_url


@pytest.mark.parametrize(
    "emu_options", [{"seed": 5, "projects": 1, "data_rows": 60, "task_seconds": 0.0, "shard_bytes": 64 * 1024}]
)
async def test_legacy_filters_and_resume_after_a_cut(emu: Emulator, client: Client) -> None:
    project = emu.project_ids[0]
    async with client.exports.export_labels(project, model=None, poll_interval=0.01) as rows:
        everything = [row async for row in rows]
    emu.clock.advance(LEGACY_REGENERATION_SECONDS + 1)
    emu.faults.reset_download(5_000, count=2)
    async with client.exports.export_labels(project, model=None, poll_interval=0.01) as rows:
        again = [row async for row in rows]
    assert again == everything
    assert any(r.headers.get("Range") for r in emu.storage_requests)
    await client.exports.export_labels_url(project, start="2000-01-01", last_activity_end="2100-01-01 00:00:00")
    sent = emu.api_requests("GetLabelExportUrlPyApi")[-1].variables
    assert sent is not None
    assert sent["filters"] == {
        "labelCreatedAt": {"start": "2000-01-01"},
        "lastActivityAt": {"end": "2100-01-01 00:00:00"},
    }
    with pytest.raises(InvalidArgumentError, match="start: expected 'YYYY-MM-DD' or 'YYYY-MM-DD hh:mm:ss'"):
        await client.exports.export_labels_url(project, start="2024-01-01T00:00:00Z")


@pytest.mark.parametrize(
    "emu_options", [{"seed": 5, "projects": 1, "data_rows": 20, "task_seconds": 60.0, "shard_bytes": 64 * 1024}]
)
async def test_legacy_timeout_raises(emu: Emulator, client: Client) -> None:
    with pytest.raises(ExportTimeoutError, match=r"still being generated after 0\.2 s"):
        await client.exports.export_labels_url(emu.project_ids[0], wait_timeout=0.2, poll_interval=0.05)


@pytest.mark.parametrize(
    "emu_options",
    [{"seed": 5, "projects": 2, "data_rows": 20, "task_seconds": 0.0, "media_types": ["VIDEO", "IMAGE"]}],
)
async def test_legacy_video_frames_carry_the_key_only_on_the_api_origin(emu: Emulator, client: Client) -> None:
    async with client.exports.export_labels(emu.project_ids[0], poll_interval=0.01) as rows:
        row = next(r for r in [r async for r in rows] if r.label is not None and isinstance(r.label.frames, str))
    assert isinstance(row.label.frames, str) and row.label.frames.startswith(emu.url)
    async with client.exports.video_frames(row) as frames:
        got = [f async for f in frames]
    assert got and all("frameNumber" in f for f in got)
    (frames_request,) = [r for r in emu.api_requests() if r.path.startswith("/frames/")]
    assert frames_request.headers.get("Authorization") == f"Bearer {emu.api_key}"
    assert emu.key_leaks == []
    with pytest.raises(InvalidArgumentError, match="not a video row with a frames URL"):
        async with client.exports.video_frames({"Label": {}}):
            pass


@pytest.mark.parametrize(
    "emu_options", [{"seed": 6, "projects": 1, "data_rows": 50, "task_seconds": 0.0, "shard_bytes": 64 * 1024}]
)
async def test_the_legacy_export_has_one_home(emu: Emulator, client: Client) -> None:
    project = emu.project_ids[0]
    url = await client.exports.export_labels_url(project)
    async with client.exports.export_labels(project) as rows:
        got = [row async for row in rows]
    assert [r.id for r in got] == emu.label_ids(project)
    assert url.download_url == (await client.exports.export_labels_url(project)).download_url
    assert not hasattr(client.projects, "export_labels") and not hasattr(client.projects, "export_labels_url")
