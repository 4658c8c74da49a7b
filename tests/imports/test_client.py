"""``client.imports`` end to end against the emulator, checked against the emulator's truth."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from alabelbox import (
    AnnotationValidationError,
    Client,
    ImportFailedError,
    InvalidArgumentError,
    ResourceNotFoundError,
    TaskFailedError,
    label_to_import_records,
)
from alabelbox.resources.imports import _file_records
from alabelbox.testing import Emulator
from alabelbox.types import (
    ImportAnswer,
    ImportBoundingBox,
    ImportBox,
    ImportDataRow,
    ImportKind,
    ImportNestedRadio,
    ImportPoint,
    ImportRelationship,
    ImportRelationshipEnds,
    ImportState,
    ImportXY,
)
from tests.resources.conftest import fast_retry

DAMAGE = "damage 損傷"


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    # Project 0 is IMAGE, 1 VIDEO, 2 TEXT.
    async with Emulator(seed=11, projects=3, data_rows=40, task_seconds=0.05) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as c:
        yield c


def box(row: str, top: int = 1) -> dict[str, Any]:
    return {"dataRow": {"id": row}, "name": DAMAGE, "bbox": {"top": top, "left": 2, "height": 3, "width": 4}}


def rows(emu: Emulator, n: int, p: int = 0) -> list[str]:
    return [emu.world.row_id(p, i) for i in range(n)]


async def statuses(client: Client, job: Any) -> list[Any]:
    return [s async for s in client.imports.statuses(job)]


# -- ground truth ----------------------------------------------------------------------------------------------------


async def test_a_label_import_becomes_labels_in_listings_and_exports(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    r0, r1 = rows(emu, 2)
    records = [
        {**box(r0), "classifications": [{"name": "radio_q1", "answer": {"name": "good"}}]},
        box(r0, top=9),
        {"dataRow": {"id": r1}, "name": "checklist_q0", "answer": [{"name": "wear"}, {"name": "ok 👍"}]},
        {"dataRow": {"id": r1}, "name": "text_q0", "answer": "seen 見た"},
    ]
    job = await client.imports.create(pid, name="ground truth", records=records)
    assert job.kind is ImportKind.LABEL and job.records == 4 and job.state is ImportState.RUNNING
    job = await client.imports.wait(job, poll_interval=0.02)
    assert job.state is ImportState.FINISHED and job.percent == 100.0
    got = await statuses(client, job)
    assert [s.status for s in got] == ["SUCCESS"] * 4
    assert [s.data_row_id for s in got] == [r0, r0, r1, r1]

    truth = emu.imported_labels(pid)
    assert [t["data_row_id"] for t in truth] == [r0, r1]  # one label per data row
    objects = truth[0]["annotations"]["objects"]
    assert [o["bounding_box"]["top"] for o in objects] == [1, 9]
    assert objects[0]["annotation_kind"] == "ImageBoundingBox"
    assert objects[0]["feature_schema_id"] == emu.world._sid(0, DAMAGE)
    assert objects[0]["classifications"][0]["radio_answer"]["name"] == "good"
    checklist, text = truth[1]["annotations"]["classifications"]
    assert [a["name"] for a in checklist["checklist_answers"]] == ["wear", "ok 👍"]
    assert text["text_answer"] == {"content": "seen 見た"}

    # labels.list: the seeded 40, then the two imported, in that order; label(where:) finds them.
    listed = [label.id async for label in client.labels.list(pid)]
    assert listed == emu.label_ids(pid) and listed[-2:] == [t["id"] for t in truth]
    one = await client.labels.retrieve(truth[0]["id"])
    assert one.data_row is not None and one.data_row.id == r0
    count = await client.execute("query C($id: ID!) { project(where: {id: $id}) { labelCount } }", {"id": pid})
    assert count["project"]["labelCount"] == 42

    # A project export carries each imported label after the row's seeded one.
    task = await client.exports.create_and_poll(project_id=pid, filters={"data_row_ids": [r0, r1]}, poll_interval=0.02)
    lines = {line["data_row"]["id"]: line for line in emu.export_records(task.id)}
    labels = lines[r0]["projects"][pid]["labels"]
    assert len(labels) == 2 and labels[1]["id"] == truth[0]["id"]
    assert labels[1]["annotations"] == truth[0]["annotations"]


async def test_deleted_imported_labels_disappear(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    job = await client.imports.wait(
        await client.imports.create(pid, name="gt", records=[box(r) for r in rows(emu, 3)]), poll_interval=0.02
    )
    ids = [t["id"] for t in emu.imported_labels(pid)]
    assert len(ids) == 3 and job.records == 3
    result = await client.labels.delete(ids[:2])
    assert result.deleted == ids[:2] and not result.failed
    assert [t["id"] for t in emu.imported_labels(pid)] == ids[2:]
    listed = [label.id async for label in client.labels.list(pid)]
    assert ids[0] not in listed and ids[2] in listed
    with pytest.raises(ResourceNotFoundError):
        await client.labels.retrieve(ids[0])


# -- per-annotation errors -------------------------------------------------------------------------------------------


async def test_annotations_that_do_not_fit_the_ontology_fail_one_by_one(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    r0, r1 = rows(emu, 2)
    other_project_row = emu.world.row_id(1, 0)
    records = [
        box(r0),
        {"dataRow": {"id": r0}, "name": "no such tool", "point": {"x": 1, "y": 2}},
        {"dataRow": {"id": r0}, "name": DAMAGE, "point": {"x": 1, "y": 2}},  # a rectangle tool, sent a point
        {"dataRow": {"id": r0}, "name": "radio_q0", "answer": "free text"},  # a radio question, sent text
        {"dataRow": {"id": other_project_row}, "name": DAMAGE, "bbox": {"top": 1, "left": 1, "height": 1, "width": 1}},
        {**box(r1), "dataRow": {"id": "cl-nope"}},
        box(r1),
    ]
    job = await client.imports.create(pid, name="mixed", records=records)
    with pytest.raises(ImportFailedError) as caught:
        await client.imports.wait(job, poll_interval=0.02)
    err = caught.value
    assert isinstance(err, TaskFailedError) and err.failed == 5 and err.import_ids == job.import_ids
    assert len(err.first_errors) == 5 and "no such tool" in str(err)
    done = await client.imports.wait(job, poll_interval=0.02, raise_on_failures=False)
    got = await statuses(client, done)
    assert [s.status for s in got] == ["SUCCESS", "FAILURE", "FAILURE", "FAILURE", "FAILURE", "FAILURE", "SUCCESS"]
    names = [s.errors[0].name for s in got if not s.succeeded]
    assert names == ["ValidationError", "ValidationError", "ValidationError", "DataRowNotInProject", "DataRowNotFound"]
    assert "rectangle tool" in (got[2].errors[0].message or "")
    errors = [e async for e in client.imports.errors(done)]
    assert [e.uuid for e in errors] == [s.uuid for s in got if not s.succeeded]
    # Nothing lost, nothing made of the failures: two rows, one label each.
    assert [t["data_row_id"] for t in emu.imported_labels(pid)] == [r0, r1]
    assert emu.annotation_import(job.import_ids[0])["errors"] == 5


async def test_injected_annotation_failures_and_a_status_query_that_5xxs(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    emu.fail_annotations(1)
    job = await client.imports.create(pid, name="faulty", records=[box(r) for r in rows(emu, 3)])
    emu.faults.http_error(503, count=2)  # the next two requests (polls) answer 503: retried
    job = await client.imports.wait(job, poll_interval=0.02, raise_on_failures=False)
    got = await statuses(client, job)
    assert [s.status for s in got] == ["SUCCESS", "FAILURE", "SUCCESS"]
    assert got[1].errors[0].name == "InternalError"
    assert len(emu.imported_labels(pid)) == 2


async def test_relationships_and_typed_records(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    r0 = rows(emu, 1)[0]
    a = ImportBoundingBox(
        data_row=ImportDataRow(id=r0),
        name=DAMAGE,
        bbox=ImportBox(top=1, left=2, height=3, width=4),
        classifications=[ImportNestedRadio(name="radio_q1", answer=ImportAnswer(name="rust 錆"))],
    )
    b = ImportPoint(data_row=ImportDataRow(id=r0), name="vent 📍", point=ImportXY(x=5, y=6))
    rel = ImportRelationship(
        data_row=ImportDataRow(id=r0),
        name="attached_to",
        relationship=ImportRelationshipEnds(source=a.uuid, target=b.uuid),
    )
    dangling = ImportRelationship(
        data_row=ImportDataRow(id=r0),
        name="attached_to",
        relationship=ImportRelationshipEnds(source=a.uuid, target="x"),
    )
    job = await client.imports.create(pid, name="rel", records=[rel, a, b, dangling])
    job = await client.imports.wait(job, poll_interval=0.02, raise_on_failures=False)
    assert [s.status for s in await statuses(client, job)] == ["SUCCESS", "SUCCESS", "SUCCESS", "FAILURE"]
    annotations = emu.imported_labels(pid)[0]["annotations"]
    (relationship,) = annotations["relationships"]
    fids = [o["feature_id"] for o in annotations["objects"]]
    assert (relationship["source"], relationship["target"]) == (fids[0], fids[1])
    assert annotations["objects"][0]["classifications"][0]["radio_answer"]["name"] == "rust 錆"


# -- validation before sending ---------------------------------------------------------------------------------------


async def test_a_bad_record_in_a_list_is_refused_before_anything_is_sent(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    before = len(emu.api_requests())
    bad = {"dataRow": {"id": rows(emu, 1)[0]}, "name": DAMAGE, "bbox": {"top": 1, "left": "2", "height": 3, "width": 4}}
    with pytest.raises(AnnotationValidationError) as caught:
        await client.imports.create(pid, name="x", records=[box(rows(emu, 1)[0])] * 3 + [bad])
    assert caught.value.index == 3 and caught.value.field == "bbox.left"
    assert "records[3].bbox.left" in str(caught.value) and "nothing was sent" not in str(caught.value)
    with pytest.raises(AnnotationValidationError) as caught:
        await client.imports.create(
            pid, name="x", records=[{"dataRow": {"id": "a", "globalKey": "b"}, "name": "n", "answer": "t"}]
        )
    assert caught.value.field == "dataRow"
    with pytest.raises(AnnotationValidationError) as caught:
        await client.imports.create(pid, name="x", records=[{"dataRow": {"id": "a"}, "name": "n", "bbbox": {}}])
    assert "no geometry" in str(caught.value)
    assert len(emu.api_requests()) == before


async def test_bad_arguments(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    with pytest.raises(InvalidArgumentError, match="exactly one of records, path and url"):
        await client.imports.create(pid, name="x")
    with pytest.raises(InvalidArgumentError, match="exactly one"):
        await client.imports.create(pid, name="x", records=[], url="https://x")
    with pytest.raises(InvalidArgumentError, match="no records"):
        await client.imports.create(pid, name="x", records=[])
    with pytest.raises(InvalidArgumentError, match="name"):
        await client.imports.create(pid, name=" ", records=[box("r")])
    with pytest.raises(InvalidArgumentError, match="not one record"):
        await client.imports.create(pid, name="x", records=box("r"))  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="send_model_run_predictions"):
        await client.imports.create(pid, name="x", kind=ImportKind.MEA_TO_MAL, records=[box("r")])
    with pytest.raises(ResourceNotFoundError):
        await client.imports.retrieve(pid, name="never made")


# -- sources, splitting ----------------------------------------------------------------------------------------------


async def test_a_large_async_stream_is_split_keeping_each_data_row_in_one_part(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    ids = rows(emu, 30)

    async def records() -> AsyncIterator[dict[str, Any]]:
        for row in ids:
            for k in range(3):
                yield box(row, top=k)

    job = await client.imports.create(pid, name="big", records=records(), max_annotations_per_import=10, concurrency=3)
    # 90 records of 30 rows, cut at row boundaries past 10 records: parts of 12 (4 rows), the last of 6.
    assert [p.name for p in job.parts] == ["big"] + [f"big#{k}" for k in range(2, 9)]
    assert job.records == 90
    job = await client.imports.wait(job, poll_interval=0.02)
    assert len(await statuses(client, job)) == 90
    truth = emu.imported_labels(pid)
    assert sorted(t["data_row_id"] for t in truth) == sorted(ids)  # one label per row: no row was split
    assert all(len(t["annotations"]["objects"]) == 3 for t in truth)
    assert [e["lines"] for e in map(emu.annotation_import, job.import_ids)] == [12] * 7 + [6]


async def test_parts_are_sent_while_a_plain_generator_is_still_read(emu: Emulator, client: Client) -> None:
    # A plain generator never gives the event loop a turn by itself; the import gives it one every hundred records,
    # so that a part is on its way (here: it has reached the server) while the next is still being read.
    ids = rows(emu, 40)
    created_while_reading: list[int] = []

    def records() -> Iterator[dict[str, Any]]:
        for n in range(3_000):
            if n == 2_999:
                created_while_reading.append(len(emu.api_requests("CreateLabelImportByFile")))
            yield box(ids[n % len(ids)], top=n)

    job = await client.imports.create(
        emu.project_ids[0], name="gen", records=records(), max_annotations_per_import=1_000
    )
    assert len(job.parts) == 3 and job.records == 3_000
    assert created_while_reading == [2]  # the first two parts reached the server before the last record was read


async def test_a_bad_record_in_a_stream_stops_it_and_names_what_was_sent(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    ids = rows(emu, 10)

    def records() -> Iterator[dict[str, Any]]:
        yield from (box(row) for row in ids)
        yield {"dataRow": {"id": ids[0]}, "name": DAMAGE, "polygon": [{"x": 1, "y": 1}]}

    with pytest.raises(AnnotationValidationError) as caught:
        await client.imports.create(pid, name="s", records=records(), max_annotations_per_import=4)
    assert caught.value.index == 10 and caught.value.field == "polygon"
    assert "imports already started" in str(caught.value)
    assert len(emu.backend.imports.jobs) == 2  # the two full parts before it went


async def test_a_file_and_a_url(emu: Emulator, client: Client, tmp_path: Path) -> None:
    pid = emu.project_ids[0]
    path = tmp_path / "annotations.ndjson"
    path.write_text("".join(json.dumps(box(r)) + "\n" for r in rows(emu, 5)) + "\n")
    job = await client.imports.wait(await client.imports.create(pid, name="file", path=path), poll_interval=0.02)
    assert job.records == 5 and len(emu.imported_labels(pid)) == 5
    upload = emu.sign_upload("incoming/mal.ndjson")
    async with (
        aiohttp.ClientSession() as session,
        session.put(upload, data=json.dumps({"uuid": "u-1", **box(rows(emu, 6)[5])}).encode()) as put,
    ):
        assert put.status == 200
    url = emu.sign_download("incoming/mal.ndjson")
    job = await client.imports.create(pid, name="from url", kind="MALPredictionImport", url=url)
    job = await client.imports.wait(job, poll_interval=0.02)
    assert job.records is None and list(emu.prelabels(pid)) == [rows(emu, 6)[5]]
    with pytest.raises(InvalidArgumentError, match="readable file"):
        await client.imports.create(pid, name="x", path=tmp_path / "missing.ndjson")


async def test_a_file_is_read_in_blocks_and_a_bad_line_is_named_by_its_line(
    emu: Emulator, client: Client, tmp_path: Path
) -> None:
    path = tmp_path / "annotations.ndjson"
    records = [box(r, top=k) for k, r in enumerate(rows(emu, 4))]
    lines = [json.dumps(records[0]), "", json.dumps(records[1]), "  ", json.dumps(records[2]), json.dumps(records[3])]
    path.write_text("\n".join(lines))  # blank lines, and no newline at the end
    for block in (1, 7, 64, 1 << 20):  # lines cut across blocks, and one block for the whole file
        assert [r async for r in _file_records(path, block)] == records
    path.write_text("\n".join([*lines[:4], "{not json", *lines[4:]]) + "\n")
    with pytest.raises(AnnotationValidationError, match=r"line 5 of .* is not JSON") as caught:
        await client.imports.create(emu.project_ids[0], name="bad", path=path)
    assert caught.value.index == 2  # the third record
    assert not emu.backend.imports.jobs  # nothing was sent


# -- MAL, MEA, MEA to MAL --------------------------------------------------------------------------------------------


async def test_mal_is_prelabels_not_labels_and_is_listed_and_deleted(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    r0 = rows(emu, 1)[0]
    job = await client.imports.create(pid, name="pre", kind="MALPredictionImport", records=[box(r0)])
    job = await client.imports.wait(job, poll_interval=0.02)
    assert emu.imported_labels(pid) == [] and len(emu.label_ids(pid)) == 40
    assert emu.prelabels(pid)[r0][0]["objects"][0]["bounding_box"]["top"] == 1
    listed = [i.name async for i in client.imports.list(pid, kind=ImportKind.MAL)]
    assert listed == ["pre"]
    assert [i.name async for i in client.imports.list(pid)] == []  # no label imports
    again = await client.imports.retrieve(pid, name="pre", kind="MALPredictionImport")
    first = job.parts[0]  # the same import (its signed file URLs are signed anew on each read)
    assert (again.id, again.name, again.state, again.progress) == (first.id, first.name, first.state, first.progress)
    await client.imports.delete(job.parts[0].id)
    assert [i.name async for i in client.imports.list(pid, kind=ImportKind.MAL)] == []


async def test_model_run_predictions_and_sending_them_to_a_project(emu: Emulator, client: Client) -> None:
    pid = emu.project_ids[0]
    run = emu.add_model_run()
    r0, r1 = rows(emu, 2)
    job = await client.imports.create(run, name="preds", kind=ImportKind.MEA, records=[box(r0), box(r1)])
    job = await client.imports.wait(job, poll_interval=0.02)
    assert job.parts[0].model_run_id == run
    assert sorted(emu.predictions(run)) == sorted([r0, r1])
    again = await client.imports.retrieve(run, name="preds", kind=ImportKind.MEA)
    assert again.id == job.parts[0].id
    sent = await client.imports.send_model_run_predictions(
        run, project_id=pid, data_row_ids=[r0, rows(emu, 3)[2]], name="to project"
    )
    sent = await client.imports.wait(sent, poll_interval=0.02, raise_on_failures=False)
    got = await statuses(client, sent)
    assert [s.status for s in got] == ["SUCCESS", "FAILURE"]
    assert list(emu.prelabels(pid)) == [r0]
    with pytest.raises(ResourceNotFoundError):
        await client.imports.create("no-such-run", name="x", kind="MEAPredictionImport", records=[box(r0)])


# -- the round trip --------------------------------------------------------------------------------------------------


def _ids_aside(annotations: Any) -> Any:
    """Annotations without what the server assigns: feature ids, and the URL of a mask's own image."""
    if isinstance(annotations, dict):
        return {
            k: _ids_aside(v)
            for k, v in annotations.items()
            if k not in ("feature_id", "source", "target") and not (k == "mask" and isinstance(v, dict))
        }
    if isinstance(annotations, list):
        return [_ids_aside(v) for v in annotations]
    return annotations


@pytest.mark.parametrize("p", [0, 2], ids=["image", "text"])
async def test_export_convert_import_export_round_trip(emu: Emulator, client: Client, p: int) -> None:
    pid = emu.project_ids[p]
    ids = rows(emu, 12, p)
    task = await client.exports.create_and_poll(project_id=pid, filters={"data_row_ids": ids}, poll_interval=0.02)
    before = {line["data_row"]["id"]: line["projects"][pid]["labels"][0] for line in emu.export_records(task.id)}
    # A skipped label has no annotations: nothing to import, so it is left out of the comparison.
    before = {row: label for row, label in before.items() if any(label["annotations"].values())}
    records = [r for row, label in before.items() for r in label_to_import_records(label, data_row_id=row)]
    # The seeded labels go, the imported ones take their place.
    await client.labels.delete([label["id"] for label in before.values()])
    job = await client.imports.wait(await client.imports.create(pid, name="copy", records=records), poll_interval=0.02)
    assert job.records == len(records)
    task = await client.exports.create_and_poll(project_id=pid, filters={"data_row_ids": ids}, poll_interval=0.02)
    after = {line["data_row"]["id"]: line["projects"][pid]["labels"] for line in emu.export_records(task.id)}
    assert set(before) <= set(after) and len(before) >= 8
    for row, label in before.items():
        (copied,) = after[row]
        assert copied["id"] != label["id"]
        assert _ids_aside(copied["annotations"]) == _ids_aside(label["annotations"]), row


async def test_a_split_import_is_polled_part_by_part_at_once(emu: Emulator, client: Client) -> None:
    emu.backend.settings.task_seconds = 60.0  # the parts stay RUNNING until the clock is moved
    records = [box(row, top=k) for row in rows(emu, 6) for k in range(2)]
    records[0]["confidence"] = float("nan")  # written as json writes it (NaN), as the emulator reads it
    job = await client.imports.create(emu.project_ids[0], name="parts", records=records, max_annotations_per_import=4)
    assert len(job.parts) == 3 and not any(p.is_done for p in job.parts)
    emu.faults.latency(0.3)
    before = len(emu.api_requests())
    await client.imports.poll(job)
    asked = emu.api_requests()[before:]
    assert [r.operation_name for r in asked] == ["RetrieveLabelImport"] * 3
    # The three polls were in flight together: each arrived before the first was answered.
    assert max(r.time for r in asked) - min(r.time for r in asked) < 0.3
    emu.faults.latency(0.0)
    emu.clock.advance(61)
    done = await client.imports.wait(job, poll_interval=0.02)
    assert done.state is ImportState.FINISHED
    sent = emu.stored_object(f"imports/{done.parts[0].id}/input.ndjson").splitlines()
    assert sent[0].startswith(b'{"uuid":') and b'"confidence":NaN' in sent[0]
    assert [json.loads(line)["bbox"]["top"] for line in sent] == [0, 1, 0, 1]
    # An error of one of the parts' polls comes as itself, not in an exception group.
    gone = job.parts[0].model_copy(update={"name": "nope", "state": ImportState.RUNNING})
    with pytest.raises(ResourceNotFoundError):
        await client.imports.poll(job.model_copy(update={"parts": (gone, *job.parts[1:])}))
