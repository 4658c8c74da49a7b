"""The official labelbox SDK (7.17.0), unmodified, and alabelbox write global keys, attachments and metadata to the
same emulator; each reads back what the other wrote, and both agree with the emulator's truth.

(A file of its own beside ``test_sdk_conformance.py``, whose helpers it shares.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import AttachmentType, JobStatus

from .test_sdk_conformance import in_thread, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")
metadata_sdk = pytest.importorskip("labelbox.schema.data_row_metadata")
identifiable = pytest.importorskip("labelbox.schema.identifiable")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=11, projects=2, data_rows=30, task_seconds=0.0) as e:
        yield e


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        yield c


def rows(emu: Emulator, n: int) -> list[str]:
    """``n`` created rows (keys ``k<i>``, external ids ``e<i>``)."""
    key = emu.backend.datasets.find(emu.dataset_ids[0])
    assert key is not None
    make = emu.backend.data_rows.create
    return [make(key, {"rowData": f"https://example.com/{i}.jpg", "globalKey": f"k{i}", "externalId": f"e{i}"})
            for i in range(n)]  # fmt: skip


def truth_key(emu: Emulator, rid: str) -> str | None:
    key: str | None = emu.backend.data_rows.record(rid)["globalKey"]
    return key


async def test_global_keys_written_by_either_are_read_alike(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    ids = rows(emu, 4)
    links = [{"data_row_id": ids[0], "global_key": "sdk-0"}, {"data_row_id": "no-such-row", "global_key": "bad"}]

    def sdk_assigns() -> dict[str, Any]:
        sdk = sdk_client(emu)
        return {
            "assigned": sdk.assign_global_keys_to_data_rows(links),
            "cleared": sdk.clear_global_keys(["k1", "never-assigned"]),
        }

    got = await in_thread(sdk_assigns)
    assert got["assigned"]["status"] == "PARTIAL SUCCESS" and got["cleared"]["results"] == ["k1"]
    assert truth_key(emu, ids[0]) == "sdk-0" and truth_key(emu, ids[1]) is None

    ours = await client.global_keys.lookup(["sdk-0", "k1", "k2"])
    assert ours.results == [ids[0], None, ids[2]]
    mine = await client.global_keys.assign([(ids[3], "ours-3"), ("no-such-row", "bad")])
    assert mine.status.value == got["assigned"]["status"]  # the same outcome, spelled the same
    assert [e.error for e in mine.errors] == [e["error"] for e in got["assigned"]["errors"]]

    def sdk_reads() -> dict[str, Any]:
        sdk = sdk_client(emu)
        return {
            "keys": sdk.get_data_row_ids_for_global_keys(["sdk-0", "k1", "k2", "ours-3"]),
            "external": dict(sdk.get_data_row_ids_for_external_ids(["e0", "e3", "none"])),
        }

    read = await in_thread(sdk_reads)
    assert read["keys"]["results"] == [ids[0], "", ids[2], ids[3]]  # the SDK gives "" where alabelbox gives None
    assert [e["global_key"] for e in read["keys"]["errors"]] == ["k1"]
    ours_again = await client.global_keys.lookup(["sdk-0", "k1", "k2", "ours-3"])
    assert [r or "" for r in ours_again.results] == read["keys"]["results"]
    assert ours_again.status is JobStatus.PARTIAL_SUCCESS and read["keys"]["status"] == "PARTIAL SUCCESS"
    external = await client.global_keys.lookup_external_ids(["e0", "e3", "none"])
    assert {k: v for k, v in external.items() if v} == read["external"] == {"e0": [ids[0]], "e3": [ids[3]]}


async def test_attachments_written_by_either_are_read_alike(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    (rid,) = rows(emu, 1)

    def sdk_creates() -> str:
        row = sdk_client(emu).get_data_row(rid)
        attachment = row.create_attachment("RAW_TEXT", "from the sdk", "sdk-note")
        return str(attachment.uid)

    sdk_id = await in_thread(sdk_creates)
    ours = await client.attachments.create(rid, type="IMAGE_OVERLAY", value="https://example.com/o.png", name="mine")
    listed = [a async for a in client.attachments.list(rid)]
    assert [(a.id, a.type, a.value, a.name) for a in listed] == [
        (sdk_id, AttachmentType.RAW_TEXT, "from the sdk", "sdk-note"),
        (ours.id, AttachmentType.IMAGE_OVERLAY, "https://example.com/o.png", "mine"),
    ]
    await client.attachments.update(sdk_id, value="changed by alabelbox")

    def sdk_reads_and_changes() -> list[tuple[str, str, str, str | None]]:
        row = sdk_client(emu).get_data_row(rid)
        seen = [(a.uid, a.attachment_type, a.attachment_value, a.attachment_name) for a in row.attachments()]
        for a in row.attachments():
            if a.uid == ours.id:
                a.update(name="renamed by the sdk")
            else:
                a.delete()
        return seen

    seen = await in_thread(sdk_reads_and_changes)
    assert seen == [
        (sdk_id, "RAW_TEXT", "changed by alabelbox", "sdk-note"),
        (ours.id, "IMAGE_OVERLAY", "https://example.com/o.png", "mine"),
    ]
    after = [a async for a in client.attachments.list(rid)]
    assert [(a.id, a.name) for a in after] == [(ours.id, "renamed by the sdk")]
    truth = emu.backend.data_rows.record(rid)["attachments"]
    assert [(a["id"], a["type"], a["value"], a["name"]) for a in truth] == [
        (ours.id, "IMAGE_OVERLAY", "https://example.com/o.png", "renamed by the sdk")
    ]


async def test_metadata_written_by_either_is_read_alike(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    a, b = rows(emu, 2)
    md = metadata_sdk

    def sdk_writes() -> dict[str, Any]:
        mdo = sdk_client(emu).get_data_row_metadata_ontology()
        color = mdo.create_schema("color", md.DataRowMetadataKind.enum, ["red", "blue"])
        mdo.create_schema("score", md.DataRowMetadataKind.number)
        mdo.update_enum_option("color", "red", "crimson")
        crimson = mdo.get_by_name("color")["crimson"].uid
        failed = mdo.bulk_upsert(
            [
                md.DataRowMetadata(
                    data_row_id=a,
                    fields=[
                        md.DataRowMetadataField(schema_id=color.uid, value=crimson),
                        md.DataRowMetadataField(name="score", value=2.5),
                        md.DataRowMetadataField(name="tag", value="sdk"),
                        md.DataRowMetadataField(name="captureDateTime", value="2024-04-01T14:30:00+02:00"),
                    ],
                ),
                md.DataRowMetadata(data_row_id="no-such-row", fields=[md.DataRowMetadataField(name="tag", value="x")]),
            ]
        )
        return {"color": color.uid, "crimson": crimson, "failed": failed}

    sdk = await in_thread(sdk_writes)
    assert [f.data_row_id for f in sdk["failed"]] == ["no-such-row"]

    ontology = await client.metadata.ontology()
    assert [(s.name, str(s.kind)) for s in ontology.custom] == [
        ("color", "CustomMetadataEnum"),
        ("score", "CustomMetadataNumber"),
    ]
    assert [o.name for o in ontology.get("color").options] == ["crimson", "blue"]
    (exported,) = await client.metadata.export([a])
    assert {v.name: v.value for v in exported.fields} == {
        "color": sdk["crimson"],
        "score": 2.5,
        "tag": "sdk",
        "captureDateTime": datetime(2024, 4, 1, 12, 30, tzinfo=UTC),
    }

    failed = await client.metadata.upsert(
        [
            {"data_row_id": b, "fields": [{"name": "color", "value": "blue"}, {"name": "tag", "value": "ours"}]},
            {"data_row_id": "no-such-row", "fields": [{"name": "tag", "value": "x"}]},
        ]
    )
    assert [(f.index, f.error) for f in failed] == [(1, sdk["failed"][0].error)]
    await client.metadata.delete([{"data_row_id": a, "schema_ids": ["score"]}])

    def sdk_reads() -> dict[str, Any]:
        mdo = sdk_client(emu).get_data_row_metadata_ontology()
        exported = mdo.bulk_export([a, b])
        by_key = mdo.bulk_export(identifiable_keys(["k1"]))
        gone = mdo.bulk_delete([md.DeleteDataRowMetadata(data_row_id=b, fields=[sdk["color"]])])
        return {"rows": exported, "by_key": by_key, "delete_failures": gone}

    read = await in_thread(sdk_reads)
    # The SDK names an enum's value after its option; by schema id, both read the same.
    name_of = {s.id: s.name for s in ontology.schemas}
    values = {r.data_row_id: {name_of[f.schema_id]: f.value for f in r.fields} for r in read["rows"]}
    blue = ontology.get("color").option("blue").id
    assert values[a] == {"color": sdk["crimson"], "tag": "sdk", "captureDateTime": exported.fields[-1].value}
    assert values[b] == {"color": blue, "tag": "ours"}
    assert [r.data_row_id for r in read["by_key"]] == [b] and read["delete_failures"] == []
    truth = {f["name"]: f["value"] for f in emu.backend.data_rows.record(b)["metadataFields"]}
    assert truth == {"tag": "ours"}  # the SDK's delete removed the enum
    (by_our_key,) = await client.metadata.export(global_keys=["k1"])
    assert [(v.name, v.value) for v in by_our_key.fields] == [("tag", "ours")]

    assert await client.metadata.delete_schema("color") is True

    def sdk_sees_it_gone() -> list[str]:
        mdo = sdk_client(emu).get_data_row_metadata_ontology()
        return [f.name for f in mdo.custom_fields]

    assert await in_thread(sdk_sees_it_gone) == ["score"]


def identifiable_keys(keys: list[str]) -> Any:
    """The SDK's ``GlobalKeys`` identifiers (its ``bulk_export`` by global key)."""
    identifiables = pytest.importorskip("labelbox.schema.identifiables")
    return identifiables.GlobalKeys(keys)
