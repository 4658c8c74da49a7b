"""Export v2 tasks, the storage origin and legacy exportLabels, with a bare aiohttp client."""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import sys
import warnings
from typing import Any

import aiohttp
import pytest

from alabelbox.testing import Emulator
from alabelbox.testing._faults import EXPORT_FAILED

from .conftest import Gql

CREATE = (
    "mutation exportDataRowsInProjectPyApi($input: ExportDataRowsInProjectInput!)"
    "{exportDataRowsInProject(input: $input){taskId isStreamable}}"
)
CATALOG = (
    "mutation exportDataRowsInCatalogPyApi($input: ExportDataRowsInCatalogInput!)"
    "{exportDataRowsInCatalog(input: $input){taskId isStreamable}}"
)
POLL = (
    "query GetUserCreatedTasksPyApi($param_0: ID!, $param_1: ID!){user(where: {id: $param_1})"
    "{createdTasks(where: {id: $param_0} skip: 0 first: 100){completionPercentage createdAt errors"
    " metadata name result status status type id updatedAt}}}"
)
HEADER = (
    "query GetExportMetadataHeaderPyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!)"
    "{task(where: $where){exportMetadataHeader(streamType: $streamType){totalSize totalLines}}}"
)
BY_OFFSET = (
    "query GetExportFileFromOffsetPyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!,"
    " $offset: UInt64!){task(where: $where){exportFileFromOffset(streamType: $streamType,"
    " offset: $offset){offsets {start end} lines {start end} file}}}"
)
BY_LINE = (
    "query GetExportFileFromLinePyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!,"
    " $line: UInt64!){task(where: $where){exportFileFromLine(streamType: $streamType, line: $line)"
    "{offsets {start end} lines {start end} file}}}"
)


def project_input(pid: str, query: list[Any] | None = None, **params: Any) -> dict[str, Any]:
    return {
        "input": {
            "taskName": "t 任务",
            "isStreamableReady": True,
            "filters": {"projectId": pid, "searchQuery": {"scope": None, "query": query or []}},
            "params": {"mediaTypeOverride": None, **params},
            "streamable": True,
        }
    }


async def poll(emu: Emulator, gql: Gql, task_id: str) -> list[dict[str, Any]]:
    seen = []
    for _ in range(200):
        _, body = await gql(POLL, {"param_0": task_id, "param_1": emu.user_id})
        (task,) = body["data"]["user"]["createdTasks"]
        seen.append(task)
        if task["status"] != "IN_PROGRESS":
            return seen
        await asyncio.sleep(0.05)
    raise AssertionError("task never finished")


async def run_export(emu: Emulator, gql: Gql, variables: dict[str, Any], q: str = CREATE) -> str:
    status, body = await gql(q, variables)
    assert status == 200, body
    result = next(iter(body["data"].values()))
    assert result["isStreamable"] is True
    return str(result["taskId"])


async def download_stream(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession, task_id: str, stream: str = "RESULT"
) -> tuple[bytes, list[dict[str, Any]]]:
    _, body = await gql(HEADER, {"where": {"id": task_id}, "streamType": stream})
    header = body["data"]["task"]["exportMetadataHeader"]
    total = int(header["totalSize"])
    offset, out, infos = 0, b"", []
    while offset < total:
        _, body = await gql(BY_OFFSET, {"where": {"id": task_id}, "streamType": stream, "offset": str(offset)})
        info = body["data"]["task"]["exportFileFromOffset"]
        infos.append(info)
        async with session.get(info["file"]) as resp:
            assert resp.status == 200
            data = await resp.read()
        assert len(data) == int(info["offsets"]["end"]) - int(info["offsets"]["start"]) + 1
        out += data
        offset = int(info["offsets"]["end"]) + 1
    assert out.count(b"\n") == int(header["totalLines"])
    return out, infos


async def test_task_lifecycle_and_shards(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    pid = emu.project_ids[0]
    tid = await run_export(emu, gql, project_input(pid, includeLabelDetails=True))
    seen = await poll(emu, gql, tid)
    assert seen[0]["status"] == "IN_PROGRESS"
    assert seen[-1]["status"] == "COMPLETE" and seen[-1]["completionPercentage"] == 100
    assert seen[-1]["type"] == "export-data-rows" and seen[-1]["result"] is None
    body, infos = await download_stream(emu, gql, session, tid)
    assert body == b"".join(emu.export_lines(tid))
    assert len(infos) >= 3
    # ranges are inclusive and contiguous; UInt64 values travel as strings
    assert infos[0]["offsets"]["start"] == "0" and infos[0]["lines"]["start"] == "0"
    for a, b in itertools.pairwise(infos):
        assert int(b["offsets"]["start"]) == int(a["offsets"]["end"]) + 1
        assert int(b["lines"]["start"]) == int(a["lines"]["end"]) + 1
    records = [json.loads(line) for line in body.splitlines()]
    assert len(records) == 250
    assert list(records[0]) == ["data_row", "media_attributes", "projects"]
    label = records[0]["projects"][pid]["labels"][0]
    assert set(label) >= {"label_kind", "version", "id", "label_details", "annotations"}
    assert emu.key_leaks == []


async def test_offset_mid_shard_and_by_line(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    tid = await run_export(emu, gql, project_input(emu.project_ids[2]))
    await poll(emu, gql, tid)
    shards = emu.task(tid).streams["RESULT"].shards
    second = shards[1]
    middle = (second.byte_start + second.byte_end) // 2
    _, body = await gql(BY_OFFSET, {"where": {"id": tid}, "streamType": "RESULT", "offset": middle})
    info = body["data"]["task"]["exportFileFromOffset"]
    assert (int(info["offsets"]["start"]), int(info["offsets"]["end"])) == (
        second.byte_start,
        second.byte_end,
    )
    _, body = await gql(BY_LINE, {"where": {"id": tid}, "streamType": "RESULT", "line": second.line_end})
    info = body["data"]["task"]["exportFileFromLine"]
    assert (int(info["lines"]["start"]), int(info["lines"]["end"])) == (
        second.line_start,
        second.line_end,
    )
    # Range requests on the signed URL
    async with session.get(info["file"], headers={"Range": "bytes=10-19"}) as resp:
        assert resp.status == 206
        assert resp.headers["Content-Length"] == "10"
        assert await resp.read() == second.path.read_bytes()[10:20]


async def test_filters_select_rows(emu: Emulator, gql: Gql) -> None:
    w = emu.world
    pid = emu.project_ids[1]
    ids = [w.row_id(1, i) for i in (3, 4, 200)]
    gks = [w.global_key(1, 7)]
    tid = await run_export(emu, gql, project_input(pid, [{"ids": ids, "operator": "is", "type": "data_row_id"}]))
    await emu.wait_task(tid)
    assert [r["data_row"]["id"] for r in emu.export_records(tid)] == ids
    tid = await run_export(emu, gql, project_input(pid, [{"ids": gks, "operator": "is", "type": "global_key"}]))
    await emu.wait_task(tid)
    assert [r["data_row"]["global_key"] for r in emu.export_records(tid)] == gks
    batch = w.batch_id(1, 2)
    query = [
        {"ids": [batch], "operator": "is", "type": "batch"},
        {"type": "task_queue_status", "status": "InReview"},
    ]
    tid = await run_export(emu, gql, project_input(pid, query, includeProjectDetails=True))
    await emu.wait_task(tid)
    got = emu.export_records(tid)
    want = [i for i in range(200, 250) if w.workflow_status(1, i) == "IN_REVIEW"]
    assert [r["data_row"]["id"] for r in got] == [w.row_id(1, i) for i in want]
    assert {r["projects"][pid]["project_details"]["batch_id"] for r in got} == {batch}
    cut = w.label_meta(1, 100).created_at
    from alabelbox.testing._ids import iso_ms

    query = [
        {
            "type": "labeled_at",
            "value": {"operator": "GREATER_THAN_OR_EQUAL", "timezone": "UTC", "value": iso_ms(cut)},
        }
    ]
    tid = await run_export(emu, gql, project_input(pid, query))
    await emu.wait_task(tid)
    assert len(emu.export_records(tid)) == 150


async def test_catalog_export_with_projects(emu: Emulator, gql: Gql) -> None:
    did, pid = emu.dataset_ids[3], emu.project_ids[3]
    variables = {
        "input": {
            "taskName": "Export v2: dataset - x",
            "filters": {"searchQuery": {"scope": None, "query": [{"ids": [did], "operator": "is", "type": "dataset"}]}},
            "isStreamableReady": True,
            "params": {
                "includePredictions": False,
                "projectIds": [pid],
                "modelRunIds": None,
                "allProjects": False,
                "allModelRuns": False,
            },
            "streamable": True,
        }
    }
    tid = await run_export(emu, gql, variables, CATALOG)
    await emu.wait_task(tid)
    records = emu.export_records(tid)
    assert len(records) == 250
    assert list(records[0]["projects"]) == [pid]
    assert records[0]["media_attributes"]["mime_type"] == "application/vnd.labelbox.conversational"


async def test_too_many_ids_is_the_real_error(emu: Emulator, gql: Gql) -> None:
    ids = [f"id{i}" for i in range(2001)]
    _status, body = await gql(
        CREATE, project_input(emu.project_ids[0], [{"ids": ids, "operator": "is", "type": "data_row_id"}])
    )
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "MALFORMED_REQUEST"
    assert "2000" in error["message"] and error["errors"][0]["error"]
    assert emu.backend.tasks == {}


async def test_empty_export_has_null_header(emu: Emulator, gql: Gql) -> None:
    query = [{"ids": ["nothing"], "operator": "is", "type": "data_row_id"}]
    tid = await run_export(emu, gql, project_input(emu.project_ids[0], query))
    await poll(emu, gql, tid)
    for stream in ("RESULT", "ERRORS"):
        _, body = await gql(HEADER, {"where": {"id": tid}, "streamType": stream})
        assert body["data"]["task"]["exportMetadataHeader"] is None


async def test_errors_stream_and_failed_tasks(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    emu.faults.export_errors(0.2)
    tid = await run_export(emu, gql, project_input(emu.project_ids[0]))
    await poll(emu, gql, tid)
    errors, _ = await download_stream(emu, gql, session, tid, "ERRORS")
    result, _ = await download_stream(emu, gql, session, tid, "RESULT")
    n_err, n_ok = errors.count(b"\n"), result.count(b"\n")
    assert n_err + n_ok == 250 and 20 < n_err < 80
    assert json.loads(errors.splitlines()[0])["errors"][0]["message"]
    emu.faults.export_errors(0.0)
    emu.faults.fail_exports(1)
    tid = await run_export(emu, gql, project_input(emu.project_ids[0]))
    seen = await poll(emu, gql, tid)
    assert seen[-1]["status"] == "FAILED"
    assert seen[-1]["errors"] == EXPORT_FAILED  # a string saying what went wrong, as the API sends
    assert all(s["errors"] is None for s in seen[:-1])  # nothing while IN_PROGRESS
    _, body = await gql(HEADER, {"where": {"id": tid}, "streamType": "RESULT"})
    assert body["data"]["task"]["exportMetadataHeader"] is None
    tid = await run_export(emu, gql, project_input(emu.project_ids[0]))
    assert (await poll(emu, gql, tid))[-1]["status"] == "COMPLETE"


async def test_failed_task_carries_its_own_message(emu: Emulator, gql: Gql) -> None:
    emu.faults.fail_exports(2, message="Export exceeded the maximum size")
    for _ in range(2):
        tid = await run_export(emu, gql, project_input(emu.project_ids[1]))
        last = (await poll(emu, gql, tid))[-1]
        assert (last["status"], last["errors"]) == ("FAILED", "Export exceeded the maximum size")
    tid = await run_export(emu, gql, project_input(emu.project_ids[1]))
    last = (await poll(emu, gql, tid))[-1]
    assert (last["status"], last["errors"]) == ("COMPLETE", None)


async def test_storage_rejects_bad_signatures_and_records_key_leaks(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession
) -> None:
    tid = await run_export(emu, gql, project_input(emu.project_ids[0]))
    await poll(emu, gql, tid)
    _, body = await gql(BY_OFFSET, {"where": {"id": tid}, "streamType": "RESULT", "offset": 0})
    url = body["data"]["task"]["exportFileFromOffset"]["file"]
    async with session.get(url.replace("X-Goog-Signature=", "X-Goog-Signature=0")) as resp:
        assert resp.status == 403
        assert "SignatureDoesNotMatch" in await resp.text()
    async with session.get(url, headers={"Authorization": f"Bearer {emu.api_key}"}) as resp:
        assert resp.status == 200
    assert len(emu.key_leaks) == 1
    emu.clock.advance(3601)
    async with session.get(url) as resp:
        assert resp.status == 400
        assert "ExpiredToken" in await resp.text()


async def test_legacy_export_labels(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    pid = emu.project_ids[4]
    q = """mutation GetLabelExportUrlPyApi($projectId: ID!)
            {exportLabels(data:{projectId: $projectId}) {downloadUrl createdAt shouldPoll} }"""
    _, body = await gql(q, {"projectId": pid})
    first = body["data"]["exportLabels"]
    assert first["shouldPoll"] is True and first["downloadUrl"] is None
    while True:
        await asyncio.sleep(0.05)
        _, body = await gql(q, {"projectId": pid})
        ready = body["data"]["exportLabels"]
        if not ready["shouldPoll"]:
            break
    assert ready["createdAt"] == first["createdAt"]
    async with session.get(ready["downloadUrl"]) as resp:
        rows = json.loads(await resp.read())
    assert len(rows) == 250
    assert set(rows[0]) >= {
        "ID",
        "DataRow ID",
        "Labeled Data",
        "Label",
        "Created By",
        "Project Name",
        "Created At",
        "Updated At",
        "Seconds to Label",
        "External ID",
        "Agreement",
        "Benchmark Agreement",
        "Benchmark ID",
        "Dataset Name",
        "Reviews",
        "View Label",
        "Has Open Issues",
        "Skipped",
    }
    assert any(r["Label"].get("objects") and "page" in r["Label"]["objects"][0] for r in rows)
    emu.clock.advance(29 * 60)
    _, body = await gql(q, {"projectId": pid})
    assert body["data"]["exportLabels"]["downloadUrl"] == ready["downloadUrl"]
    emu.clock.advance(61)
    _, body = await gql(q, {"projectId": pid})
    again = body["data"]["exportLabels"]
    assert again["shouldPoll"] is True and again["createdAt"] != first["createdAt"]
    filtered = q.replace(
        "projectId: $projectId}", 'projectId: $projectId, filters: {labelCreatedAt: {start: "2030-01-01"} }}'
    )
    _, body = await gql(filtered, {"projectId": pid})
    assert body["data"]["exportLabels"]["shouldPoll"] is True


async def test_legacy_video_frames_need_the_key(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    lid = emu.label_ids(emu.project_ids[1])[0]
    _, body = await gql("query($id: ID!){label(where: {id: $id}){label}}", {"id": lid})
    frames_url = json.loads(body["data"]["label"]["label"])["frames"]
    assert frames_url.startswith(emu.url)
    async with session.get(frames_url) as resp:
        assert resp.status == 401
    async with session.get(frames_url, headers={"Authorization": f"Bearer {emu.api_key}"}) as resp:
        frames = [json.loads(x) for x in (await resp.text()).splitlines()]
    assert frames and all("frameNumber" in f for f in frames)


async def test_closing_mid_export_closes_its_shard_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the emulator while a writer thread is mid-shard leaves no file open (warnings are errors)."""
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(f"{u.exc_type.__name__}: {u.exc_value}"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        emu = Emulator(seed=1, projects=1, data_rows=200_000, shard_bytes=1 << 30, task_seconds=0)
        await emu.start()
        try:
            async with aiohttp.ClientSession() as session:
                headers = {"Authorization": f"Bearer {emu.api_key}"}
                async with session.post(
                    emu.endpoint,
                    headers=headers,
                    json={"query": CREATE, "variables": project_input(emu.project_ids[0])},
                ) as r:
                    tid = (await r.json())["data"]["exportDataRowsInProject"]["taskId"]
            task = emu.task(tid)
            for _ in range(2_000):  # until the first shard file is open and being written
                if task.scanned >= 100:
                    break
                await asyncio.sleep(0.005)
        finally:
            await emu.aclose()
        assert task.done.is_set() and task.scanned < 200_000, "the export finished before the emulator closed"
        gc.collect()
    assert unraisable == []
