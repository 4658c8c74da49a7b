"""The official labelbox SDK (7.17.0), unmodified, imports annotations into the emulator; alabelbox reads back the
same imports, statuses, errors and labels, and both agree with the emulator's truth.

Covered: ``MALPredictionImport`` and ``LabelImport`` from objects (dicts and the SDK's own ``Label`` objects) and
from a file, their statuses and errors, ``from_name``, the project listings, the MAL delete, ``MEAPredictionImport``
into a model run and ``MEAToMALPredictionImport``. (A file of its own beside ``test_sdk_conformance.py``, whose
fixtures it shares.)
"""

from __future__ import annotations

import hashlib
import json
import uuid
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import ImportKind, ImportState

from .test_sdk_conformance import in_thread, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest

DAMAGE = "damage 損傷"


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=7, projects=2, data_rows=30, task_seconds=0.1) as e:
        yield e


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        yield c


def records(emu: Emulator, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        row = {"id": emu.world.row_id(0, i)}
        out.append(
            {
                "uuid": str(uuid.uuid4()),
                "dataRow": row,
                "name": DAMAGE,
                "bbox": {"top": i, "left": 2, "height": 3, "width": 4},
                "classifications": [{"name": "radio_q1", "answer": {"name": "good"}}],
            }
        )
        out.append({"uuid": str(uuid.uuid4()), "dataRow": row, "name": "text_q0", "answer": f"row {i}"})
    return out


async def test_sdk_mal_import_from_objects_agrees_with_alabelbox(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    pid = emu.project_ids[0]
    sent = records(emu, 3)
    bad = {
        "uuid": str(uuid.uuid4()),
        "dataRow": {"id": emu.world.row_id(0, 0)},
        "name": "not a tool",
        "point": {"x": 1, "y": 1},
    }

    def run() -> dict[str, Any]:
        sdk = sdk_client(emu)
        imp = labelbox.MALPredictionImport.create_from_objects(sdk, pid, "mal", [*sent, bad])
        imp.wait_till_done(sleep_time_seconds=0.05)
        again = labelbox.MALPredictionImport.from_name(sdk, pid, "mal")
        listed = [i.uid for i in sdk.get_project(pid).get_mal_prediction_imports()]
        return {"imp": imp, "statuses": imp.statuses, "errors": imp.errors, "again": again, "listed": listed}

    got = await in_thread(run)
    imp = got["imp"]
    assert imp.state == labelbox.AnnotationImportState.FINISHED and got["again"].uid == imp.uid == got["listed"][0]
    # The SDK's statuses: one per annotation, in order; the bad one failed with the emulator's reason.
    assert [s["uuid"] for s in got["statuses"]] == [r["uuid"] for r in [*sent, bad]]
    assert [s["status"] for s in got["statuses"]] == ["SUCCESS"] * 6 + ["FAILURE"]
    assert [e["uuid"] for e in got["errors"]] == [bad["uuid"]]
    # alabelbox reads the same import, statuses and errors.
    ours = await client.imports.retrieve(pid, name="mal", kind=ImportKind.MAL)
    assert ours.id == imp.uid and ours.state is ImportState.FINISHED and ours.progress == imp.progress
    job = await client.imports.poll(_job(ImportKind.MAL, pid, ours))
    ours_statuses = [
        (s.uuid, s.data_row, s.status, [(e.name, e.message) for e in s.errors])
        async for s in client.imports.statuses(job)
    ]
    assert ours_statuses == [
        (s["uuid"], s["dataRow"], s["status"], [(e["name"], e["message"]) for e in s.get("errors", [])])
        for s in got["statuses"]
    ]
    assert [e.uuid async for e in client.imports.errors(job)] == [bad["uuid"]]
    # The truth: pre-labels, not labels.
    prelabels = emu.prelabels(pid)
    assert sorted(prelabels) == sorted(emu.world.row_id(0, i) for i in range(3))
    assert emu.imported_labels(pid) == []
    assert [i.id async for i in client.imports.list(pid, kind=ImportKind.MAL)] == got["listed"]

    await in_thread(lambda: got["again"].delete())
    assert [i.id async for i in client.imports.list(pid, kind=ImportKind.MAL)] == []


def _job(kind: ImportKind, target: str, part: Any) -> Any:
    from alabelbox.types import ImportJob

    return ImportJob(kind=kind, target_id=target, name=part.name, parts=(part,))


async def test_sdk_label_import_from_objects_and_file_become_labels(
    emu: Emulator, client: Client, tmp_path: Path, no_external_network: list[Any]
) -> None:
    pid = emu.project_ids[0]
    first, second = records(emu, 2), records(emu, 4)[4:]
    path = tmp_path / "labels.ndjson"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in second))

    def run() -> dict[str, Any]:
        sdk = sdk_client(emu)
        a = labelbox.LabelImport.create_from_objects(sdk, pid, "from objects", first)
        b = labelbox.LabelImport.create_from_file(sdk, pid, "from file", str(path))
        for imp in (a, b):
            imp.wait_till_done(sleep_time_seconds=0.05)
        project = sdk.get_project(pid)
        return {
            "a": a,
            "b": b,
            "statuses": a.statuses + b.statuses,
            "labels": [(label.uid, json.loads(label.label)) for label in project.labels()],
            "imports": [i.name for i in project.get_label_imports()],
        }

    got = await in_thread(run)
    assert all(s["status"] == "SUCCESS" for s in got["statuses"]) and len(got["statuses"]) == 8
    assert got["imports"] == ["from objects", "from file"]
    truth = emu.imported_labels(pid)
    assert [t["data_row_id"] for t in truth] == [emu.world.row_id(0, i) for i in range(4)]
    # Both clients list every label, seeded then imported, in the same order; the legacy JSON carries the import.
    ours = [label.id async for label in client.labels.list(pid)]
    assert [uid for uid, _ in got["labels"]] == ours == emu.label_ids(pid)
    legacy = dict(got["labels"])[truth[0]["id"]]
    assert legacy["objects"][0]["bbox"] == first[0]["bbox"] and legacy["objects"][0]["title"] == DAMAGE
    assert legacy["classifications"][0]["answer"] == "row 0"
    assert truth[3]["annotations"]["objects"][0]["bounding_box"]["top"] == 3


async def test_sdk_label_objects_serialize_to_what_the_emulator_takes(
    emu: Emulator, no_external_network: list[Any]
) -> None:
    # The SDK's annotation types need its "data" extra (numpy, OpenCV...), which the test environment may not have.
    lb_types = pytest.importorskip("labelbox.types", exc_type=ImportError)
    pid = emu.project_ids[0]
    row = emu.world.row_id(0, 5)

    def run() -> Any:
        label = lb_types.Label(
            data={"uid": row},
            annotations=[
                lb_types.ObjectAnnotation(
                    name=DAMAGE,
                    value=lb_types.Rectangle(start=lb_types.Point(x=10, y=20), end=lb_types.Point(x=40, y=60)),
                    classifications=[
                        lb_types.ClassificationAnnotation(
                            name="radio_q1",
                            value=lb_types.Radio(answer=lb_types.ClassificationAnswer(name="moss 🌿")),
                        )
                    ],
                ),
                lb_types.ObjectAnnotation(
                    name="ridge_line", value=lb_types.Line(points=[lb_types.Point(x=1, y=2), lb_types.Point(x=3, y=4)])
                ),
                lb_types.ClassificationAnnotation(
                    name="checklist_q0",
                    value=lb_types.Checklist(answer=[lb_types.ClassificationAnswer(name="wear")]),
                ),
            ],
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            imp = labelbox.LabelImport.create_from_objects(sdk_client(emu), pid, "sdk labels", [label])
            imp.wait_till_done(sleep_time_seconds=0.05)
        return imp.statuses

    statuses = await in_thread(run)
    assert [s["status"] for s in statuses] == ["SUCCESS"] * 3
    (label,) = emu.imported_labels(pid)
    box, line = label["annotations"]["objects"]
    assert box["bounding_box"] == {"top": 20.0, "left": 10.0, "height": 40.0, "width": 30.0}
    assert box["classifications"][0]["radio_answer"]["name"] == "moss 🌿"
    assert line["annotation_kind"] == "ImagePolyline" and line["line"] == [{"x": 1.0, "y": 2.0}, {"x": 3.0, "y": 4.0}]
    assert label["annotations"]["classifications"][0]["checklist_answers"][0]["name"] == "wear"


async def test_sdk_model_run_predictions_and_sending_them_to_a_project(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    pid = emu.project_ids[0]
    run_id = emu.add_model_run()
    sent = records(emu, 2)

    def run() -> dict[str, Any]:
        sdk = sdk_client(emu)
        mea = labelbox.MEAPredictionImport.create_from_objects(sdk, run_id, "predictions", sent)
        mea.wait_till_done(sleep_time_seconds=0.05)
        again = labelbox.MEAPredictionImport.from_name(sdk, run_id, "predictions")
        rows = [s["dataRow"]["id"] for s in mea.statuses]
        to_mal = labelbox.MEAToMALPredictionImport.create_for_model_run_data_rows(
            sdk, run_id, sorted(set(rows)), pid, "to project"
        )
        to_mal.wait_till_done(sleep_time_seconds=0.05)
        return {"mea": mea, "again": again, "to_mal": to_mal, "statuses": to_mal.statuses}

    got = await in_thread(run)
    assert got["again"].uid == got["mea"].uid and got["mea"].model_run_id == run_id
    assert sorted(emu.predictions(run_id)) == sorted(emu.world.row_id(0, i) for i in range(2))
    assert [s["status"] for s in got["statuses"]] == ["SUCCESS", "SUCCESS"]
    assert sorted(emu.prelabels(pid)) == sorted(emu.predictions(run_id))
    ours = await client.imports.retrieve(run_id, name="predictions", kind=ImportKind.MEA)
    assert ours.id == got["mea"].uid and ours.model_run_id == run_id
    ours_mal = await client.imports.retrieve(pid, name="to project", kind=ImportKind.MEA_TO_MAL)
    assert ours_mal.id == got["to_mal"].uid and ours_mal.state is ImportState.FINISHED


async def test_alabelbox_imports_read_by_the_sdk(emu: Emulator, client: Client, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[0]
    job = await client.imports.create(pid, name="ours", records=records(emu, 3), max_annotations_per_import=2)
    job = await client.imports.wait(job, poll_interval=0.02)
    names = [p.name for p in job.parts]

    def run() -> list[Any]:
        sdk = sdk_client(emu)
        return [labelbox.LabelImport.from_name(sdk, pid, name) for name in names]

    theirs = await in_thread(run)
    assert [i.uid for i in theirs] == job.import_ids and all(i.state.value == "FINISHED" for i in theirs)
    statuses = await in_thread(lambda: [s for i in theirs for s in i.statuses])
    assert [s["uuid"] for s in statuses] == [s.uuid async for s in client.imports.statuses(job)]
    assert len(emu.imported_labels(pid)) == 3


def _ndjson(lines: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines).encode()


async def test_sdk_imports_from_a_url_of_the_emulators_storage(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    requests = pytest.importorskip("requests")
    pid = emu.project_ids[0]
    mal, gt, ours = records(emu, 2), records(emu, 4)[4:], records(emu, 6)[8:]

    def run() -> dict[str, Any]:
        sdk = sdk_client(emu)
        urls = [
            sdk.upload_data(_ndjson(lines), content_type="application/x-ndjson", filename=f"{name}.ndjson")
            for name, lines in (("mal", mal), ("gt", gt), ("ours", ours))
        ]
        head = requests.head(urls[1])  # what create_from_url asks before it sends the URL
        a = labelbox.MALPredictionImport.create_from_url(sdk, pid, "mal from url", urls[0])
        b = labelbox.LabelImport.create_from_url(sdk, pid, "labels from url", urls[1])
        for imp in (a, b):
            imp.wait_till_done(sleep_time_seconds=0.05)
        return {"urls": urls, "head": head, "a": a, "b": b, "statuses": a.statuses + b.statuses}

    got = await in_thread(run)
    head = got["head"]
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) == len(_ndjson(gt))
    assert head.headers["ETag"] == f'"{hashlib.md5(_ndjson(gt)).hexdigest()}"'
    assert [s["status"] for s in got["statuses"]] == ["SUCCESS"] * 8
    assert sorted(emu.prelabels(pid)) == [emu.world.row_id(0, i) for i in range(2)]
    truth = emu.imported_labels(pid)
    assert [t["data_row_id"] for t in truth] == [emu.world.row_id(0, i) for i in (2, 3)]

    # alabelbox reads the SDK's imports back, and the labels they made ...
    mal_ours = await client.imports.retrieve(pid, name="mal from url", kind=ImportKind.MAL)
    assert mal_ours.id == got["a"].uid and mal_ours.state is ImportState.FINISHED
    gt_job = _job(ImportKind.LABEL, pid, await client.imports.retrieve(pid, name="labels from url"))
    assert [s.uuid async for s in client.imports.statuses(gt_job)] == [r["uuid"] for r in gt]
    labels = [label.id async for label in client.labels.list(pid)]
    assert labels == emu.label_ids(pid) and labels[-2:] == [t["id"] for t in truth]

    # ... and imports from the same kind of URL itself.
    job = await client.imports.create(pid, name="ours from url", url=got["urls"][2])
    job = await client.imports.wait(job, poll_interval=0.02)
    assert job.state is ImportState.FINISHED and job.parts[0].input_file_url
    truth = emu.imported_labels(pid)
    assert [t["data_row_id"] for t in truth[2:]] == [emu.world.row_id(0, i) for i in (4, 5)]
    assert [label.id async for label in client.labels.list(pid)] == emu.label_ids(pid)
    assert truth[3]["annotations"]["objects"][0]["bounding_box"]["top"] == 5
