"""The annotation import format, typed: every kind validates, bad records fail naming index and field; export labels
convert to import records and back, on the real export samples."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alabelbox import (
    AnnotationValidationError,
    InvalidArgumentError,
    import_records_to_annotations,
    label_to_import_records,
)
from alabelbox.types import (
    ExportLabel,
    ImportAnnotation,
    ImportAnswer,
    ImportBoundingBox,
    ImportBox,
    ImportChecklist,
    ImportConversationEntity,
    ImportDataRow,
    ImportDocumentEntity,
    ImportFrameRange,
    ImportKeyframe,
    ImportMask,
    ImportMaskData,
    ImportNestedChecklist,
    ImportNestedText,
    ImportPoint,
    ImportPolygon,
    ImportPolyline,
    ImportRadio,
    ImportRelationship,
    ImportRelationshipEnds,
    ImportSegment,
    ImportSpan,
    ImportText,
    ImportTextEntity,
    ImportTextSelection,
    ImportVideoObject,
    ImportXY,
    validate_import_record,
)

SAMPLES = Path(__file__).parents[1] / "reader" / "samples"
ROW = {"id": "clrow0000000000000000000"}
XY: list[dict[str, Any]] = [{"x": 1, "y": 2}, {"x": 3.5, "y": 4}, {"x": 5, "y": 0}]

#: One NDJSON record of every kind, as Labelbox documents the import format.
EVERY_KIND: dict[str, dict[str, Any]] = {
    "bbox": {"name": "car", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}},
    "document bbox": {
        "name": "total",
        "bbox": {"top": 1, "left": 2, "height": 3, "width": 4},
        "page": 0,
        "unit": "POINTS",
    },
    "polygon": {"name": "road", "polygon": XY},
    "point": {"schemaId": "ckschema000000000000000000", "point": {"x": 1, "y": 2}},
    "polyline": {"name": "lane", "line": XY[:2]},
    "mask url": {"name": "sky", "mask": {"instanceURI": "https://example.com/m.png", "colorRGB": [255, 0, 0]}},
    "mask png": {"name": "sky", "mask": {"png": "iVBORw0KGgo="}},
    "text entity": {"name": "person", "location": {"start": 0, "end": 5}},
    "conversation entity": {"name": "intent", "location": {"start": 0, "end": 5}, "messageId": "m-1"},
    "document entity": {"name": "party", "textSelections": [{"tokenIds": ["t1", "t2"], "groupId": "g1", "page": 1}]},
    "relationship": {"name": "follows", "relationship": {"source": "u1", "target": "u2", "type": "bidirectional"}},
    "video object": {
        "name": "car",
        "segments": [
            {
                "keyframes": [
                    {"frame": 1, "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}},
                    {
                        "frame": 5,
                        "bbox": {"top": 2, "left": 2, "height": 3, "width": 4},
                        "classifications": [{"name": "moving", "answer": {"name": "yes"}}],
                    },
                ]
            }
        ],
    },
    "dicom polyline": {
        "name": "edge",
        "groupKey": "axial",
        "segments": [{"keyframes": [{"frame": 1, "line": XY[:2]}]}],
    },
    "radio nested": {
        "name": "weather",
        "answer": {
            "name": "rain",
            "classifications": [
                {"name": "how hard", "answer": [{"name": "light"}]},
                {"name": "note", "answer": "drizzle"},
            ],
        },
    },
    "checklist": {"name": "tags", "answer": [{"name": "a"}, {"schemaId": "ckschema000000000000000001"}]},
    "text": {"name": "comment", "answer": "free text ✍️"},
    "video radio": {"name": "scene", "answer": {"name": "day"}, "frames": [{"start": 1, "end": 9}]},
    "message radio": {"name": "intent", "answer": {"name": "ask"}, "messageId": "m-0"},
    "geo point": {"name": "tree", "point": {"x": -58.6, "y": -34.4}},
}


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_every_kind_validates_and_keeps_what_was_sent(kind: str) -> None:
    record = {"uuid": f"u-{kind}", "dataRow": ROW, **EVERY_KIND[kind]}
    out = validate_import_record(record, index=4)
    for key, value in record.items():
        assert out[key] == value, key
    # the dump is NDJSON-ready and validates again to itself
    assert validate_import_record(json.loads(json.dumps(out))) == out


def test_typed_lines_dump_as_the_documented_records() -> None:
    row = ImportDataRow(id=ROW["id"])
    typed: list[ImportAnnotation] = [
        ImportBoundingBox(
            uuid="1",
            data_row=row,
            name="total",
            bbox=ImportBox(top=1, left=2, height=3, width=4),
            page=0,
            unit="POINTS",
        ),
        ImportPolygon(uuid="2", data_row=row, name="road", polygon=[ImportXY(**p) for p in XY]),
        ImportPoint(uuid="3", data_row=row, schema_id="ckschema000000000000000000", point=ImportXY(x=1, y=2)),
        ImportPolyline(uuid="4", data_row=row, name="lane", line=[ImportXY(**p) for p in XY[:2]]),
        ImportMask(
            uuid="5",
            data_row=row,
            name="sky",
            mask=ImportMaskData(instance_uri="https://example.com/m.png", color_rgb=[255, 0, 0]),
        ),
        ImportTextEntity(uuid="6", data_row=row, name="person", location=ImportSpan(start=0, end=5)),
        ImportConversationEntity(
            uuid="7", data_row=row, name="intent", location=ImportSpan(start=0, end=5), message_id="m-1"
        ),
        ImportDocumentEntity(
            uuid="8",
            data_row=row,
            name="party",
            text_selections=[ImportTextSelection(token_ids=["t1", "t2"], group_id="g1", page=1)],
        ),
        ImportRelationship(
            uuid="9",
            data_row=row,
            name="follows",
            relationship=ImportRelationshipEnds(source="u1", target="u2", type="bidirectional"),
        ),
        ImportVideoObject(
            uuid="10",
            data_row=row,
            name="edge",
            group_key="axial",
            segments=[ImportSegment(keyframes=[ImportKeyframe(frame=1, line=[ImportXY(**p) for p in XY[:2]])])],
        ),
        ImportRadio(
            uuid="11",
            data_row=row,
            name="scene",
            answer=ImportAnswer(name="day"),
            frames=[ImportFrameRange(start=1, end=9)],
        ),
        ImportChecklist(
            uuid="12",
            data_row=row,
            name="tags",
            answer=[
                ImportAnswer(
                    name="a",
                    classifications=[
                        ImportNestedChecklist(name="sub", answer=[ImportAnswer(name="b")]),
                        ImportNestedText(name="n", answer="t"),
                    ],
                )
            ],
        ),
        ImportText(uuid="13", data_row=row, name="comment", answer="free text ✍️"),
    ]
    records = [t.to_record() for t in typed]
    assert records[0] == {
        "uuid": "1",
        "dataRow": ROW,
        "name": "total",
        "bbox": {"top": 1, "left": 2, "height": 3, "width": 4},
        "page": 0,
        "unit": "POINTS",
    }
    assert records[4]["mask"] == {"instanceURI": "https://example.com/m.png", "colorRGB": [255, 0, 0]}
    assert records[6]["messageId"] == "m-1" and records[7]["textSelections"][0]["tokenIds"] == ["t1", "t2"]
    assert records[9]["groupKey"] == "axial" and records[10]["frames"] == [{"start": 1, "end": 9}]
    assert records[11]["answer"][0]["classifications"][1] == {"name": "n", "answer": "t"}
    for n, record in enumerate(records):
        assert validate_import_record(record, index=n) == record
        assert validate_import_record(typed[n]) == record


def test_a_uuid_is_made_when_not_given() -> None:
    a = validate_import_record({"dataRow": ROW, "name": "comment", "answer": "x"})
    b = validate_import_record({"dataRow": ROW, "name": "comment", "answer": "x"})
    assert a["uuid"] != b["uuid"] and len(a["uuid"]) == 36


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"name": "car", "bbox": {"top": 1, "left": 2, "height": 3}}, "bbox.width", "Field required"),
    ({"name": "car", "bbox": {"top": "1", "left": 2, "height": 3, "width": 4}}, "bbox.top", "valid"),
    ({"name": "car", "bbox": {"top": 1, "left": 2, "height": -3, "width": 4}}, "bbox.height", "greater than"),
    ({"bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}, "", "set name or schemaId"),
    ({"name": "road", "polygon": XY[:2]}, "polygon", "at least 3"),
    ({"name": "lane", "line": [{"x": 1, "y": 2}, {"x": 1}]}, "line[1].y", "Field required"),
    ({"name": "sky", "mask": {"instanceURI": "https://x/m.png"}}, "mask", "colorRGB is required"),
    ({"name": "sky", "mask": {"instanceURI": "https://x/m.png", "colorRGB": [1, 2]}}, "mask.colorRGB", "at least 3"),
    ({"name": "person", "location": {"start": 5, "end": 2}}, "location", "end must not be before start"),
    ({"name": "car", "segments": [{"keyframes": [{"frame": 1}]}]}, "segments[0].keyframes[0]", "exactly one"),
    ({"name": "tags", "answer": []}, "answer", "at least 1"),
    ({"name": "tags"}, "", "no geometry"),
    (
        {"name": "weather", "answer": {"name": "rain", "classifications": [{"name": "x", "answer": 5}]}},
        "answer.classifications[0].answer",
        "valid",
    ),
    (
        {"name": "car", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}, "colour": "red"},
        "colour",
        "not permitted",
    ),
    ({"name": "car", "point": {"x": 1, "y": 2}, "dataRow": {"id": "a", "globalKey": "b"}}, "dataRow", "exactly one"),
]


@pytest.mark.parametrize(
    ("record", "field", "message"), BAD, ids=[f"{b[1] or 'record'}-{i}" for i, b in enumerate(BAD)]
)
def test_a_bad_record_names_its_index_and_field(record: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(AnnotationValidationError) as caught:
        validate_import_record({"dataRow": ROW, **record}, index=12)
    err = caught.value
    assert isinstance(err, InvalidArgumentError) and isinstance(err, ValueError)
    assert err.index == 12 and err.field == field
    assert message in str(err) and str(err).startswith(f"records[12]{'.' + field if field else ''}:")


def test_not_a_dict() -> None:
    with pytest.raises(AnnotationValidationError, match=r"records\[3\]: expected a dict"):
        validate_import_record(["bbox"], index=3)  # type: ignore[arg-type]


# -- export labels <-> import records --------------------------------------------------------------------------------

#: Members the server assigns or reads from the asset, which an import does not carry: compared with them aside
#: (feature ids and relationship ends that name them, values, a mask's own image URL, entity text).
_SERVER = {"feature_id", "value", "source", "target", "mask", "token", "text"}


def _aside(a: Any) -> Any:
    if isinstance(a, dict):
        # An export spells the answers of a message classification conversational_*; they read the same.
        out = {k.removeprefix("conversational_"): _aside(v) for k, v in a.items() if k not in _SERVER}
        if out.get("annotation_kind") == "GeoBoundingBox":
            # The server draws the box's ring; which corner comes first is its choice.
            ring = out["geojson"]["coordinates"][0]
            out["geojson"] = {**out["geojson"], "coordinates": [sorted(map(tuple, ring))]}
        return {k: v for k, v in out.items() if v not in ([], {}, None)}
    if isinstance(a, list):
        return [_aside(v) for v in a]
    return a


def _no_uuids(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records without their uuids (made afresh by each conversion) and the relationship ends that name them."""
    return [{k: v for k, v in r.items() if k not in ("uuid", "relationship")} for r in records]


def _labels(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            for project in (row.get("projects") or {}).values():
                for label in project["labels"]:
                    yield row["data_row"]["id"], label


REAL_V2 = [
    SAMPLES / "export-v2-project-roof-wear.ndjson",
    SAMPLES / "real" / "radar_tracker_export-result.ndjson",
    SAMPLES / "real" / "okavango_labels.ndjson",
    SAMPLES / "real" / "labelformat_export-result.ndjson",
]


@pytest.mark.parametrize("path", REAL_V2, ids=lambda p: p.name)
def test_real_export_labels_round_trip_through_import_records(path: Path) -> None:
    count = 0
    for row, label in _labels(path):
        records = label_to_import_records(label, data_row_id=row)
        for n, record in enumerate(records):
            validate_import_record(record, index=n)
        assert _aside(import_records_to_annotations(records)) == _aside(label["annotations"]), row
        # and the typed label converts the same
        assert label_to_import_records(ExportLabel.model_validate(label), data_row_id=row) == records
        count += 1
    assert count > 0


def test_the_composite_mask_sample_converts_to_a_mask_record() -> None:
    obj = json.loads((SAMPLES / "real" / "lbnb_v2_composite_mask_object.ndjson").read_text().splitlines()[0])
    (record,) = label_to_import_records({"annotations": {"objects": [obj]}}, global_key="gk")
    assert record["dataRow"] == {"globalKey": "gk"}
    assert record["mask"] == {
        "instanceURI": obj["composite_mask"]["url"],
        "colorRGB": obj["composite_mask"]["color_rgb"],
    }
    assert validate_import_record(record)["mask"] == record["mask"]


DOCUMENTED = json.loads((SAMPLES / "documented" / "export_v2_annotations_by_asset.json").read_text())


@pytest.mark.parametrize("asset", sorted(DOCUMENTED))
def test_every_documented_asset_converts_and_comes_back(asset: str) -> None:
    annotations = DOCUMENTED[asset]["annotations"]
    records = label_to_import_records({"annotations": annotations}, data_row_id="r1")
    assert records, asset
    for n, record in enumerate(records):
        validate_import_record(record, index=n)
    back = import_records_to_annotations(records, geospatial=asset == "geospatial")
    # Converting again gives the same records: the conversion is a fixed point after one trip.
    again = label_to_import_records({"annotations": back}, data_row_id="r1")
    assert _no_uuids(again) == _no_uuids(records)
    if asset in ("image", "text", "documents", "conversational", "audio", "html", "geospatial"):
        assert _aside(back) == _aside({k: v for k, v in annotations.items() if k not in ("segments", "timestamp")})


def test_video_keyframes_and_frame_classifications() -> None:
    annotations = {
        "frames": {
            "3": {
                "objects": {
                    "f1": {
                        "feature_id": "f1",
                        "name": "car",
                        "annotation_kind": "VideoBoundingBox",
                        "bounding_box": {"top": 1, "left": 1, "height": 2, "width": 2},
                    }
                },
                "classifications": [{"name": "scene", "radio_answer": {"name": "day"}}],
            },
            "4": {"objects": {}, "classifications": [{"name": "scene", "radio_answer": {"name": "day"}}]},
            "9": {
                "objects": {
                    "f1": {
                        "feature_id": "f1",
                        "name": "car",
                        "annotation_kind": "VideoBoundingBox",
                        "bounding_box": {"top": 5, "left": 1, "height": 2, "width": 2},
                    }
                },
                "classifications": [],
            },
        },
        "segments": {"f1": [[3, 9]]},
        "key_frame_feature_map": {"f1": {"3": True, "9": True}},
        "classifications": [],
    }
    records = label_to_import_records({"annotations": annotations}, data_row_id="r1")
    obj, scene = records
    assert [k["frame"] for k in obj["segments"][0]["keyframes"]] == [3, 9]
    assert scene["frames"] == [{"start": 3, "end": 4}] and scene["answer"]["name"] == "day"
    back = import_records_to_annotations(records)
    assert back["segments"] == {obj["uuid"]: [[3, 9]]}
    assert [n for n, f in back["frames"].items() if f["classifications"]] == ["3", "4"]


def test_exactly_one_data_row_reference() -> None:
    with pytest.raises(InvalidArgumentError, match="exactly one of data_row_id and global_key"):
        label_to_import_records({"annotations": {}})
    with pytest.raises(InvalidArgumentError, match="exactly one"):
        label_to_import_records({"annotations": {}}, data_row_id="a", global_key="b")
