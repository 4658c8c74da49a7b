"""The reader's defects on real exports, each with the smallest input that showed it, read from bytes.

Every test here failed before the fix (this module imports only names that existed then, so it runs on the old
code too). Clean means: the record is read (never rejected) and dumps back to the same JSON, types included.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import TypeAdapter

from alabelbox._exceptions import RecordValidationError
from alabelbox._streaming import read_records
from alabelbox.types import ExportAnnotation, ExportRow, LegacyLabelRow

from .conftest import chunked


def exact(value: Any) -> Any:
    """A JSON value with its types made visible, so ``"5.249"`` and ``5.249`` (or ``1`` and ``1.0``) differ."""
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [exact(v) for v in value]
    return (type(value).__name__, value)


async def round_trip(data: bytes, model: Any, fmt: Any) -> None:
    """Read ``data`` (4-byte chunks, so records span chunks) and check each record dumps back as it was."""
    async with read_records(chunked(data, 4), model, format=fmt) as reader:
        values = [r.value async for r in reader]
    originals = json.loads(data) if fmt == "json" else [json.loads(x) for x in data.splitlines()]
    adapter = TypeAdapter(model)
    dumped = [adapter.dump_python(v, mode="json", by_alias=True, exclude_unset=True) for v in values]
    assert exact(dumped) == exact(originals)


LEGACY = {
    "L1 skipped row": b'[{"ID":"cjlmqp9dnw28w0771zeasfqie","Label":"Skip"}]',
    "L2 video row with frames inline": (
        b'[{"ID":"ckqcx1dae06ez0y61e7dsh65i","Label":[{"frameNumber":1,"classifications":[],"objects":[]}]}]'
    ),
    "L3 answer as a list of options": (
        b'[{"ID":"l3","Label":{"classifications":[{"title":"asdsadsad",'
        b'"answer":[{"title":"asdasdsa","value":"asdasdsa"}]}]}}]'
    ),
    "L4 nested classification lists": (
        b'[{"ID":"l4","Label":{"objects":[{"title":"car","classifications":[[{"title":"colour","answer":"red"}]]}]}}]'
    ),
    "L5 empty agreement": b'[{"ID":"l5","Agreement":"","Benchmark Agreement":""}]',
    "L6 seconds to label as a string": b'[{"ID":"l6","Seconds to Label":"5.249"}]',
}


@pytest.mark.parametrize("data", LEGACY.values(), ids=LEGACY.keys())
async def test_legacy_defects_read_and_round_trip(data: bytes) -> None:
    await round_trip(data, LegacyLabelRow, "json")


EXPORT_V2 = {
    "V1 exif_rotation integer": b'{"data_row":{"id":"d1"},"media_attributes":{"exif_rotation":1}}',
    "V2 conversational entity": (
        b'{"data_row":{"id":"d2"},"projects":{"p":{"labels":[{"id":"l","annotations":{"objects":[{'
        b'"feature_id":"f","annotation_kind":"ConversationalTextEntity",'
        b'"conversational_location":{"message_id":"0","location":{"start":0,"end":8}}}]}}]}}}'
    ),
    "V3 DICOM keyed by group": (
        b'{"data_row":{"id":"d3"},"projects":{"p":{"labels":[{"id":"l","annotations":{'
        b'"segments":{"Axial":{"f1":[[1,1]]}},"key_frame_feature_map":{"f1":{"Axial":{"1":true}}}}}]}}}'
    ),
}


@pytest.mark.parametrize("data", EXPORT_V2.values(), ids=EXPORT_V2.keys())
async def test_export_v2_defects_read_and_round_trip(data: bytes) -> None:
    await round_trip(data + b"\n", ExportRow, "ndjson")


async def test_l6_seconds_to_label_keeps_its_json_type() -> None:
    row = LegacyLabelRow.model_validate_json(b'{"ID":"l6","Seconds to Label":"5.249"}')
    assert row.seconds_to_label == "5.249"
    assert json.loads(row.model_dump_json(exclude_unset=True)) == {"ID": "l6", "Seconds to Label": "5.249"}


async def test_a_known_kind_that_does_not_fit_is_still_read() -> None:
    # Before: the typed model refused it and GenericAnnotation refused known kinds, so the whole row was lost.
    raw = {"annotation_kind": "ImagePoint", "feature_id": "f", "point": {"x": "left"}}
    (obj,) = TypeAdapter(list[ExportAnnotation]).validate_python([raw])
    assert obj.annotation_kind == "ImagePoint"
    assert obj.model_dump(mode="json", exclude_unset=True) == raw


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (
            b'{"data_row": {"id": 42}}',
            "Input should be a valid string (field data_row.id = 42) at byte offset 10, line 1",
        ),
        (b'{"media_attributes": {}}', 'Field required (field data_row missing from {"media_attributes": {}})'),
        (b"[1]", "Input should be an object (the record is [1])"),
        (
            b'{"data_row": {"id": ["' + b"x" * 200 + b'"]}}',
            '(field data_row.id = ["' + "x" * 77 + "… (204 characters))",
        ),
    ],
)
async def test_a_validation_error_shows_the_value_beside_path_offset_and_line(line: bytes, shown: str) -> None:
    data = b" " * 9 + b"\n" + line + b"\n"  # a blank first line (not a record): the record is line 1, at byte 10
    with pytest.raises(RecordValidationError) as info:
        async with read_records(chunked(data, 7), ExportRow, format="ndjson") as reader:
            [r async for r in reader]
    assert shown in str(info.value)
    assert (info.value.offset, info.value.line) == (10, 1)
