"""The emulator's annotation imports over plain HTTP: the multipart request, the checks against a connected ontology,
the whole-import failures and the API errors."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import aiohttp

from alabelbox.testing import Emulator

from .conftest import Gql
from .test_ontologies import NESTED, upsert

FIELDS = "id name state progress inputFileUrl errorFileUrl statusFileUrl"
BY_FILE = (
    "mutation createLabelImportByFilePyApi($projectId : ID!, $name: String!, $file: Upload!, $contentLength: Int!) {"
    " createLabelImport(data: { projectId: $projectId name: $name filePayload: { file: $file, contentLength:"
    " $contentLength} }) {" + FIELDS + "} }"
)
BY_URL = (
    "mutation createLabelImportByUrlPyApi($projectId : ID!, $name: String!, $fileUrl: String!) {"
    " createLabelImport(data: { projectId: $projectId name: $name fileUrl: $fileUrl }) {" + FIELDS + "} }"
)
GET = (
    "query getLabelImportPyApi($projectId : ID!, $name: String!) { labelImport(where: {projectId: $projectId,"
    " name: $name}){" + FIELDS + "} }"
)
CONNECT = "mutation C($p: ID!, $o: ID!) { project(where: {id: $p}) { connectOntology(ontologyId: $o) { id } } }"


async def post_file(emu: Emulator, session: aiohttp.ClientSession, project_id: str, name: str, data: bytes) -> Any:
    form = aiohttp.FormData()
    variables = {"file": None, "contentLength": len(data), "projectId": project_id, "name": name}
    form.add_field("operations", json.dumps({"query": BY_FILE, "variables": variables}))
    form.add_field("map", json.dumps({"f.ndjson": ["variables.file"]}))
    form.add_field("f.ndjson", data, filename="f.ndjson", content_type="application/x-ndjson")
    async with session.post(emu.endpoint, data=form, headers={"Authorization": f"Bearer {emu.api_key}"}) as resp:
        assert resp.status == 200
        return await resp.json()


async def finished(emu: Emulator, gql: Gql, project_id: str, name: str) -> dict[str, Any]:
    for _ in range(100):
        _, body = await gql(GET, {"projectId": project_id, "name": name})
        if body["data"]["labelImport"]["state"] != "RUNNING":
            result: dict[str, Any] = body["data"]["labelImport"]
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("the import did not finish")


async def lines(session: aiohttp.ClientSession, url: str) -> list[Any]:
    async with session.get(url) as resp:
        assert resp.status == 200
        return [json.loads(line) for line in (await resp.read()).splitlines()]


def ndjson(*records: dict[str, Any]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


async def test_a_connected_ontology_decides_what_fits(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    pid = emu.project_ids[0]
    ontology = await upsert(gql, NESTED, mediaType="IMAGE")
    status, body = await gql(CONNECT, {"p": pid, "o": ontology["id"]})
    assert status == 200 and "errors" not in body, body
    tools = {t["name"]: t for t in ontology["normalized"]["tools"]}
    kind = tools["box"]["classifications"][0]
    row = {"id": emu.world.row_id(0, 1)}
    bbox = {"top": 1, "left": 2, "height": 3, "width": 4}
    sent = [
        {
            "uuid": "ok-1",
            "dataRow": row,
            "schemaId": tools["box"]["featureSchemaId"],
            "bbox": bbox,
            "classifications": [
                {"name": "kind", "answer": {"name": "a", "classifications": [{"name": "why", "answer": "because"}]}}
            ],
        },
        {"uuid": "ok-2", "dataRow": row, "name": "tags", "answer": [{"name": "x"}, {"name": "y"}]},
        {"uuid": "bad-seeded-name", "dataRow": row, "name": "damage 損傷", "bbox": bbox},  # not in this ontology
        {
            "uuid": "bad-option",
            "dataRow": row,
            "name": "box",
            "bbox": bbox,
            "classifications": [{"name": "kind", "answer": {"name": "c"}}],
        },
        {"uuid": "bad-kind", "dataRow": row, "name": "poly", "bbox": bbox},
        {
            "uuid": "bad-nested",
            "dataRow": row,
            "name": "box",
            "bbox": bbox,
            "classifications": [{"name": "tags", "answer": [{"name": "x"}]}],
        },  # tags is not under box
    ]
    body = await post_file(emu, session, pid, "ontology", ndjson(*sent))
    assert "errors" not in body, body
    done = await finished(emu, gql, pid, "ontology")
    assert done["state"] == "FINISHED" and done["progress"] == "100%"
    statuses = await lines(session, done["statusFileUrl"])
    assert [(s["uuid"], s["status"]) for s in statuses] == [
        ("ok-1", "SUCCESS"),
        ("ok-2", "SUCCESS"),
        ("bad-seeded-name", "FAILURE"),
        ("bad-option", "FAILURE"),
        ("bad-kind", "FAILURE"),
        ("bad-nested", "FAILURE"),
    ]
    assert "'c' is not an option" in statuses[3]["errors"][0]["message"].replace("name ", "")
    assert "polygon tool" in statuses[4]["errors"][0]["message"]
    assert [s["uuid"] for s in await lines(session, done["errorFileUrl"])] == [s["uuid"] for s in statuses[2:]]
    assert await lines(session, done["inputFileUrl"]) == sent
    (label,) = emu.imported_labels(pid)
    obj = label["annotations"]["objects"][0]
    assert obj["feature_schema_id"] == tools["box"]["featureSchemaId"] and obj["value"] == "box"
    radio = obj["classifications"][0]
    assert radio["feature_schema_id"] == kind["featureSchemaId"]
    assert radio["radio_answer"]["feature_schema_id"] == kind["options"][0]["featureSchemaId"]
    assert radio["radio_answer"]["classifications"][0]["text_answer"] == {"content": "because"}


async def test_a_file_that_is_not_ndjson_fails_the_import(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession
) -> None:
    pid = emu.project_ids[0]
    await post_file(emu, session, pid, "broken", b'{"uuid": "a"}\n{not json\n')
    done = await finished(emu, gql, pid, "broken")
    assert done["state"] == "FAILED"
    assert emu.imported_labels(pid) == []


async def test_api_errors(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    pid = emu.project_ids[0]
    good = ndjson({"uuid": "u", "dataRow": {"id": emu.world.row_id(0, 0)}, "name": "text_q0", "answer": "x"})
    await post_file(emu, session, pid, "once", good)
    again = await post_file(emu, session, pid, "once", good)
    assert (
        again["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        and "already exists" in again["errors"][0]["message"]
    )
    missing = await post_file(emu, session, "clp0000000000000nosuchprj", "x", good)
    assert missing["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    _, body = await gql(BY_URL, {"projectId": pid, "name": "far", "fileUrl": "https://example.com/a.ndjson"})
    assert (
        body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "storage origin" in body["errors"][0]["message"]
    )
    _, body = await gql(GET, {"projectId": pid, "name": "never"})
    assert body["data"]["labelImport"] is None
    # A line with no uuid, and one that is not an object: their own statuses, the others go in.
    await post_file(
        emu, session, pid, "odd", b'{"dataRow": {"id": "x"}, "name": "text_q0", "answer": "x"}\n[1]\n' + good
    )
    done = await finished(emu, gql, pid, "odd")
    statuses = await lines(session, done["statusFileUrl"])
    assert [s["status"] for s in statuses] == ["FAILURE", "FAILURE", "SUCCESS"]
    assert "uuid is missing" in statuses[0]["errors"][0]["message"]


async def test_too_many_annotations_are_refused(emu: Emulator, session: aiohttp.ClientSession) -> None:
    pid = emu.project_ids[0]
    emu.backend.imports.max_annotations = 2
    row = {"id": emu.world.row_id(0, 0)}
    body = await post_file(
        emu,
        session,
        pid,
        "big",
        ndjson(*({"uuid": f"u{i}", "dataRow": row, "name": "text_q0", "answer": "x"} for i in range(3))),
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "at most 2" in body["errors"][0]["message"]


async def test_an_import_is_processed_after_its_create_answer(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession, monkeypatch: Any
) -> None:
    # Small chunks, so that a few hundred lines take several turns of the event loop.
    monkeypatch.setattr("alabelbox.testing.resources.imports.CHUNK_LINES", 50)
    pid = emu.project_ids[0]
    rows = [emu.world.row_id(0, i) for i in range(100)]
    sent = [
        {"uuid": f"u{i}", "dataRow": {"id": rows[i % 100]}, "name": "text_q0", "answer": f"a {i} é"} for i in range(600)
    ]
    body = await post_file(emu, session, pid, "later", ndjson(*sent))
    created = body["data"]["createLabelImport"]
    # The create call is answered before any line is checked: RUNNING, no status files yet, nothing imported.
    assert created["state"] == "RUNNING" and created["statusFileUrl"] is None and created["progress"] == "0%"
    assert emu.imported_labels(pid) == []
    seen = []
    while True:
        _, got = await gql(GET, {"projectId": pid, "name": "later"})
        now = got["data"]["labelImport"]
        seen.append(now["progress"])
        if now["state"] != "RUNNING":
            break
        await asyncio.sleep(0)
    assert now["state"] == "FINISHED" and now["progress"] == "100%"
    # Requests were answered while it ran (between its chunks), and its progress moved up, short of 100 % until done.
    running = [int(p.rstrip("%")) for p in seen[:-1]]
    assert len(running) >= 3 and running == sorted(running) and max(running) <= 99 and len(set(running)) > 1
    async with session.get(now["statusFileUrl"]) as resp:
        raw = (await resp.read()).splitlines(keepends=True)
    # Status lines are exactly what json.dumps writes (spaces after separators, UTF-8 kept).
    expected = [
        (json.dumps({"uuid": s["uuid"], "dataRow": s["dataRow"], "status": "SUCCESS"}, ensure_ascii=False) + "\n")
        for s in sent
    ]
    assert [line.decode() for line in raw] == expected
    assert len(emu.imported_labels(pid)) == 100


async def test_lines_that_only_the_json_module_reads_are_imported(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession
) -> None:
    pid = emu.project_ids[0]
    row = {"id": emu.world.row_id(0, 0)}
    bom = b"\xef\xbb\xbf" + ndjson({"uuid": "bom", "dataRow": row, "name": "text_q0", "answer": "x"})
    surrogate = b'{"uuid": "lone", "dataRow": {"id": "%s"}, "name": "text_q0", "answer": "\\ud800"}\n' % (
        row["id"].encode()
    )
    await post_file(emu, session, pid, "odd json", bom + surrogate)
    done = await finished(emu, gql, pid, "odd json")
    async with session.get(done["errorFileUrl"]) as resp:
        assert await resp.read() == b""
    (label,) = emu.imported_labels(pid)
    answers = [c["text_answer"]["content"] for c in label["annotations"]["classifications"]]
    assert answers == ["x", "\ud800"]


async def test_a_download_url_answers_head(emu: Emulator, session: aiohttp.ClientSession) -> None:
    data = "行 1\n".encode() * 1000
    emu.backend.storage.put("imports/head.ndjson", data)
    async with session.head(emu.sign_download("imports/head.ndjson")) as resp:
        assert resp.status == 200 and await resp.read() == b""
        assert int(resp.headers["Content-Length"]) == len(data)
        assert resp.headers["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    async with session.head(emu.sign_upload("imports/head.ndjson")) as resp:
        assert resp.status == 403  # a URL signed for PUT says nothing of the object
    async with session.head(emu.sign_download("imports/none.ndjson")) as resp:
        assert resp.status == 404
    late = emu.sign_download("imports/head.ndjson", ttl=60)
    emu.clock.advance(61)
    async with session.head(late) as resp:
        assert resp.status == 400  # ExpiredToken, as a GET


async def test_closing_the_emulator_stops_an_import_being_processed(monkeypatch: Any) -> None:
    monkeypatch.setattr("alabelbox.testing.resources.imports.CHUNK_LINES", 10)
    emu = Emulator(projects=1, data_rows=20, task_seconds=0)
    await emu.start()
    row = {"id": emu.world.row_id(0, 0)}
    async with aiohttp.ClientSession() as session:
        data = ndjson(*({"uuid": f"u{i}", "dataRow": row, "name": "text_q0", "answer": "x"} for i in range(3000)))
        await post_file(emu, session, emu.project_ids[0], "cut short", data)
    imports = emu.backend.imports
    (job,) = imports.jobs.values()
    running = list(imports._running)
    assert running and not job.processed
    await emu.aclose()
    assert all(task.done() for task in running) and not job.processed
