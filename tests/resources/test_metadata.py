"""``client.metadata`` against the emulator: the ontology, values with the SDK's rules, per-row failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceConflictError
from alabelbox.resources.metadata import ROWS_PER_REQUEST
from alabelbox.testing import Emulator
from alabelbox.types import DataRowMetadata, MetadataKind, MetadataValue

from .test_global_keys import created_rows

TAG, SPLIT, TRAIN, CAPTURED = (
    "cko8s9r5v0001h2dk9elqdidh",
    "cko8sbczn0002h2dkdaxb5kal",
    "cko8sbscr0003h2dk04w86hof",
    "cko8sdzv70006h2dk8jg64zvb",
)


def stored(emu: Emulator, rid: str) -> dict[str, Any]:
    """``{schema id: value}`` of a created row's metadata, as the emulator holds it."""
    return {f["schemaId"]: f["value"] for f in emu.backend.data_rows.record(rid)["metadataFields"]}


async def test_the_ontology_lists_reserved_then_custom_schemas(emu: Emulator, client: Client) -> None:
    ontology = await client.metadata.ontology()
    assert [(s.id, s.name, s.kind) for s in ontology.reserved] == [
        (TAG, "tag", MetadataKind.STRING),
        (SPLIT, "split", MetadataKind.ENUM),
        (CAPTURED, "captureDateTime", MetadataKind.DATETIME),
    ]
    assert ontology.custom == [] and ontology.get("split").option("train").id == TRAIN

    weather = await client.metadata.create_schema(" weather ", MetadataKind.ENUM, options=["sun", "rain"])
    score = await client.metadata.create_schema("score", "CustomMetadataNumber")
    assert weather.name == "weather" and [o.name for o in weather.options] == ["sun", "rain"]
    assert [s.name for s in (await client.metadata.ontology()).custom] == ["weather", "score"]
    assert emu.backend.metadata.schemas[score.id]["kind"] == "CustomMetadataNumber"

    renamed = await client.metadata.update_schema("score", name="quality")
    assert renamed.id == score.id and emu.backend.metadata.schemas[score.id]["name"] == "quality"
    changed = await client.metadata.update_enum_option(weather.id, "rain", name="storm")
    assert [(o.id, o.name) for o in changed.options] == [
        (weather.options[0].id, "sun"),
        (weather.options[1].id, "storm"),
    ]

    assert await client.metadata.delete_schema("quality") is True
    assert score.id not in emu.backend.metadata.schemas
    assert [s.name for s in (await client.metadata.ontology()).custom] == ["weather"]


async def test_schema_changes_are_checked(emu: Emulator, client: Client) -> None:
    await client.metadata.create_schema("color", "CustomMetadataString")
    with pytest.raises(ResourceConflictError, match="already exists"):
        await client.metadata.create_schema("color", "CustomMetadataNumber")
    with pytest.raises(InvalidArgumentError, match="kind: must be one of"):
        await client.metadata.create_schema("x", "CustomMetadataEnumOption")
    with pytest.raises(InvalidArgumentError, match="only a CustomMetadataEnum schema has options"):
        await client.metadata.create_schema("x", "CustomMetadataString", options=["a"])
    with pytest.raises(InvalidArgumentError, match=r"options\[1\]: must be 1 to 100 characters"):
        await client.metadata.create_schema("x", "CustomMetadataEnum", options=["a", "  "])
    with pytest.raises(InvalidArgumentError, match="name: must be 1 to 100"):
        await client.metadata.create_schema("n" * 101, "CustomMetadataString")
    with pytest.raises(KeyError, match="not a custom metadata schema"):
        await client.metadata.delete_schema("tag")  # reserved
    with pytest.raises(InvalidArgumentError, match="not an enum"):
        await client.metadata.update_enum_option("color", "a", name="b")


async def test_values_of_every_kind_round_trip(emu: Emulator, client: Client) -> None:
    rid, other = created_rows(emu, 2)
    plus_two = timezone(timedelta(hours=2))
    vector = await client.metadata.create_schema("vector", "CustomMetadataEmbedding")
    score = await client.metadata.create_schema("score", "CustomMetadataNumber")
    failed = await client.metadata.upsert(
        [
            DataRowMetadata(
                data_row_id=rid,
                fields=[
                    MetadataValue(schema_id=TAG, value="night"),
                    MetadataValue(name="split", value="train"),  # an option by name
                    MetadataValue(name="captureDateTime", value=datetime(2024, 4, 1, 14, 30, tzinfo=plus_two)),
                    MetadataValue(name="vector", value=list(range(128))),
                    MetadataValue(name="score", value=3),
                ],
            ),
            {"global_key": "row-1", "fields": [{"name": "captureDateTime", "value": "2024-04-01"}]},
        ]
    )  # fmt: skip
    assert failed == []
    assert stored(emu, rid) == {
        TAG: "night",
        SPLIT: TRAIN,
        CAPTURED: "2024-04-01T12:30:00Z",  # normalised to UTC
        vector.id: [float(x) for x in range(128)],
        score.id: 3.0,
    }
    assert stored(emu, other) == {CAPTURED: "2024-04-01T00:00:00Z"}  # a day without a zone is read as UTC

    (exported,) = await client.metadata.export([rid])
    values = {v.name: v.value for v in exported.fields}
    assert values == {
        "tag": "night",
        "split": TRAIN,
        "captureDateTime": datetime(2024, 4, 1, 12, 30, tzinfo=UTC),
        "vector": [float(x) for x in range(128)],
        "score": 3.0,
    }
    by_key = await client.metadata.export(global_keys=["row-1", "no-such-key"])
    assert [(m.data_row_id, m.global_key) for m in by_key] == [(other, "row-1")]

    # An upsert replaces the values of its schemas and keeps the others; a delete removes the named ones.
    assert await client.metadata.upsert([{"data_row_id": rid, "fields": [{"name": "tag", "value": "day"}]}]) == []
    assert stored(emu, rid)[TAG] == "day" and stored(emu, rid)[score.id] == 3.0
    assert await client.metadata.delete([{"data_row_id": rid, "schema_ids": ["split", score.id]}]) == []
    assert set(stored(emu, rid)) == {TAG, CAPTURED, vector.id}


async def test_values_are_in_the_export_and_leave_with_their_schema(emu: Emulator, client: Client) -> None:
    (rid,) = created_rows(emu, 1)
    mood = await client.metadata.create_schema("mood", "CustomMetadataEnum", options=["calm", "busy"])
    await client.metadata.upsert([{"data_row_id": rid, "fields": [{"name": "mood", "value": "busy"}]}])
    task = await client.exports.create_and_poll(
        data_row_ids=[rid], params={"metadata_fields": True}, poll_interval=0.01
    )
    (record,) = emu.export_records(task.id)
    busy = mood.option("busy").id
    assert record["metadata_fields"] == [
        {"schema_id": mood.id, "schema_name": "mood", "value": {"schema_id": busy, "schema_name": "busy"}}
    ]
    listed = [r async for r in client.data_rows.list(emu.dataset_ids[0]) if r.id == rid]
    assert [(f.schema_id, f.value) for f in listed[0].metadata_fields] == [(mood.id, busy)]
    await client.metadata.delete_schema(mood.id)
    assert stored(emu, rid) == {}
    assert (await client.metadata.export([rid]))[0].fields == []


async def test_each_failed_row_is_reported_and_the_others_are_written(emu: Emulator, client: Client) -> None:
    rows = created_rows(emu, ROWS_PER_REQUEST + 3)
    seeded = emu.data_row_ids(emu.dataset_ids[0])[0]
    items: list[dict[str, Any]] = [
        {"data_row_id": r, "fields": [{"name": "tag", "value": f"t{i}"}]} for i, r in enumerate(rows)
    ]
    items[2] = {"data_row_id": "no-such-row", "fields": [{"name": "tag", "value": "x"}]}
    items[ROWS_PER_REQUEST + 1] = {"data_row_id": seeded, "fields": [{"name": "tag", "value": "x"}]}
    items.append({"global_key": "no-such-key", "fields": [{"name": "tag", "value": "x"}]})
    failed = await client.metadata.upsert(items, max_concurrency=2)
    assert len(emu.api_requests("UpsertMetadata")) == 2
    assert [(f.index, f.data_row_id, f.global_key) for f in failed] == [
        (2, "no-such-row", None),
        (len(items) - 1, None, "no-such-key"),
    ]
    assert "not found" in failed[0].error and failed[0].schema_ids == [TAG]
    (on_seeded,) = await client.metadata.export([seeded])  # a seeded row is written like a created one
    assert [(v.name, v.value) for v in on_seeded.fields] == [("tag", "x")]
    written = [i for i, r in enumerate(rows) if stored(emu, r)]
    assert written == [i for i in range(len(rows)) if i not in (2, ROWS_PER_REQUEST + 1)]

    gone = await client.metadata.delete(
        [{"data_row_id": rows[0], "schema_ids": ["tag"]}, {"global_key": "no-such-key", "schema_ids": ["tag"]}]
    )
    assert [(f.index, f.global_key, f.schema_ids) for f in gone] == [(1, "no-such-key", [TAG])]
    assert stored(emu, rows[0]) == {}  # items are fine-grained: the good row was changed


async def test_a_request_that_fails_whole_reports_each_of_its_rows(emu: Emulator, client: Client) -> None:
    rows = created_rows(emu, ROWS_PER_REQUEST + 2)
    items = [{"data_row_id": r, "fields": [{"name": "tag", "value": "x"}]} for r in rows]
    # After the ontology request, the first chunk's request fails on every attempt (1 + the client's 6 retries).
    first = emu.faults.api_requests + 2
    emu.faults.http_error(503, nth=range(first, first + 7))
    failed = await client.metadata.upsert(items, max_concurrency=1)
    assert [f.index for f in failed] == list(range(ROWS_PER_REQUEST))
    assert "the request failed" in failed[0].error and "503" in failed[0].error
    assert [r for r in rows if stored(emu, r)] == rows[ROWS_PER_REQUEST:]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"name": "tag", "value": 5}, r"items\[1\]\.fields\[0\]\.value \(tag\): must be a string, not int"),
        ({"name": "tag", "value": "x" * 4097}, r"items\[1\]\.fields\[0\]\.value \(tag\): is 4097 characters"),
        ({"name": "split", "value": "holdout"}, r"\(split\): must be one of the options \['train', 'valid', 'test'\]"),
        ({"name": "captureDateTime", "value": "yesterday"}, r"\(captureDateTime\): 'yesterday' is not in an accepted"),
        ({"name": "captureDateTime", "value": 17}, r"\(captureDateTime\): must be a datetime"),
        ({"name": "score", "value": True}, r"\(score\): must be a finite number, not True"),
        ({"name": "score", "value": float("nan")}, r"\(score\): must be a finite number, not nan"),
        ({"name": "vector", "value": [1.0] * 127}, r"\(vector\): must be a list of 128 finite numbers, not 127 items"),
        ({"name": "vector", "value": ["a"] * 128}, r"\(vector\): must be a list of 128 finite numbers"),
        ({"name": "nope", "value": 1}, r"items\[1\]\.fields\[0\]\.schema_id: no metadata schema .* 'nope'"),
        ({"schema_id": TRAIN, "value": 1}, r"schema_id: 'cko8sbscr0003h2dk04w86hof' is an option of 'split'"),
        ({"value": 1}, r"items\[1\]\.fields\[0\]: must give a schema_id or a name"),
    ],
)
async def test_bad_values_fail_before_anything_is_sent(
    emu: Emulator, client: Client, field: dict[str, Any], message: str
) -> None:
    (rid,) = created_rows(emu, 1)
    await client.metadata.create_schema("score", "CustomMetadataNumber")
    await client.metadata.create_schema("vector", "CustomMetadataEmbedding")
    good = {"data_row_id": rid, "fields": [{"name": "tag", "value": "ok"}]}
    with pytest.raises(InvalidArgumentError, match=message):
        await client.metadata.upsert([good, {"data_row_id": rid, "fields": [field]}])
    assert emu.api_requests("UpsertMetadata") == [] and stored(emu, rid) == {}


async def test_bad_items_are_refused(emu: Emulator, client: Client) -> None:
    assert await client.metadata.upsert([]) == [] and await client.metadata.delete([]) == []
    assert emu.api_requests() == []  # nothing to write: nothing sent
    with pytest.raises(InvalidArgumentError, match=r"items\[0\]: must name its data row by exactly one"):
        await client.metadata.upsert([{"data_row_id": "a", "global_key": "b", "fields": []}])
    with pytest.raises(InvalidArgumentError, match=r"items\[1\]: must be a DataRowMetadata or a dict"):
        await client.metadata.upsert([{"data_row_id": "a"}, 5])  # type: ignore[list-item]
    with pytest.raises(InvalidArgumentError, match=r"items\[0\]\.schema_ids: must name at least one"):
        await client.metadata.delete([{"data_row_id": "a", "schema_ids": []}])
    with pytest.raises(InvalidArgumentError, match="exactly one of data_row_ids and global_keys"):
        await client.metadata.export()
    with pytest.raises(InvalidArgumentError, match="wrap it"):
        await client.metadata.export("clrow")
