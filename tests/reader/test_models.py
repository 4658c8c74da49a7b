"""The export record models against every real sample: parse, then dump, gives back the same JSON."""

from __future__ import annotations

import doctest
import json
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from alabelbox.types import (
    ClassificationAnswer,
    ConversationalTextEntity,
    DICOMGroup,
    DICOMPolyline,
    DocumentBoundingBox,
    DocumentEntityToken,
    Drift,
    ExportAnnotation,
    ExportRow,
    GenericAnnotation,
    GeoBoundingBox,
    GeospatialAnnotation,
    ImageBoundingBox,
    ImagePoint,
    ImagePolygon,
    ImagePolyline,
    ImageSegmentationMask,
    LabelAnnotations,
    LegacyBoundingBox,
    LegacyClassification,
    LegacyLabel,
    LegacyLabelRow,
    LegacyWorkflowInfo,
    MaskRef,
    MediaAttributes,
    TextAnswer,
    TextEntity,
    Unrecognized,
    VideoBoundingBox,
    drift,
)

from .conftest import LEGACY_SAMPLES, NDJSON_SAMPLE, SAMPLES

REAL = SAMPLES / "real"


def _exact(value: Any) -> Any:
    """JSON value with types made visible, so 1 and 1.0 (or True and 1) do not compare equal."""
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return (type(value).__name__, value)


def test_export_v2_sample_round_trips_line_by_line() -> None:
    lines = NDJSON_SAMPLE.read_bytes().splitlines()
    assert len(lines) == 102
    for line in lines:
        row = ExportRow.model_validate_json(line)
        back = json.loads(row.model_dump_json(by_alias=True, exclude_unset=True))
        assert _exact(back) == _exact(json.loads(line))


def test_export_v2_sample_fields_are_typed() -> None:
    row = ExportRow.model_validate_json(NDJSON_SAMPLE.read_bytes().splitlines()[0])
    assert row.data_row.id == "clsoy26qo03vm0735wxvvmneh"
    assert isinstance(row.media_attributes, MediaAttributes) and row.media_attributes.width == 390
    assert isinstance(row.projects, dict)
    (project,) = row.projects.values()
    assert project.name == "roof-wear-highres"
    assert isinstance(project.labels, list)
    annotations = project.labels[0].annotations
    assert isinstance(annotations, LabelAnnotations) and isinstance(annotations.classifications, list)
    radio = annotations.classifications[0]
    assert radio.kind == "radio"
    assert isinstance(radio.radio_answer, ClassificationAnswer) and radio.radio_answer.value == "false"
    assert drift(row) == []


@pytest.mark.parametrize("path", LEGACY_SAMPLES, ids=lambda p: p.name)
def test_legacy_samples_round_trip(path: Any) -> None:
    original = json.loads(path.read_bytes())
    rows = original if isinstance(original, list) else [original]
    adapter = TypeAdapter(list[LegacyLabelRow])
    parsed = adapter.validate_python(rows)
    back = adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
    assert _exact(back) == _exact(rows)
    assert all(isinstance(r.id, str) and r.data_row_id for r in parsed)


def test_legacy_keys_map_to_snake_case_fields() -> None:
    row = LegacyLabelRow.model_validate_json((LEGACY_SAMPLES[0]).read_bytes())
    assert row.seconds_to_label == 150.908
    assert isinstance(row.label, LegacyLabel) and isinstance(row.label.objects, list)
    box = row.label.objects[0]
    assert isinstance(box.bbox, LegacyBoundingBox) and box.bbox.top == 1333 and isinstance(box.bbox.top, int)
    assert isinstance(box.instance_uri, str) and box.instance_uri.startswith("https://")
    nested = row.label.objects[1].classifications
    assert isinstance(nested, list)
    last = nested[-1]
    assert isinstance(last, LegacyClassification) and last.answer == "hmmm"  # free text answer is a string


def test_legacy_workflow_info_and_video_frames_url() -> None:
    row = LegacyLabelRow.model_validate(
        {
            "ID": "l1",
            "DataRow ID": "d1",
            "Label": {"frames": "https://api.labelbox.com/v1/frames/l1"},
            "DataRow Workflow Info": {
                "taskName": "Review",
                "Workflow History": [{"actorId": "u1", "action": "Approve", "nextTaskName": "Done"}],
            },
        }
    )
    assert isinstance(row.label, LegacyLabel) and row.label.frames == "https://api.labelbox.com/v1/frames/l1"
    info = row.data_row_workflow_info
    assert isinstance(info, LegacyWorkflowInfo) and info.task_name == "Review"
    assert isinstance(info.workflow_history, list) and info.workflow_history[0].action == "Approve"
    assert row.model_dump(exclude_unset=True)["DataRow Workflow Info"]["Workflow History"][0]["actorId"] == "u1"


ANNOTATIONS = TypeAdapter(list[ExportAnnotation])


def test_annotation_union_picks_the_model_by_kind() -> None:
    objs = ANNOTATIONS.validate_python(
        [
            {"annotation_kind": "ImageBoundingBox", "bounding_box": {"top": 1, "left": 2, "height": 3, "width": 4}},
            {"annotation_kind": "ImagePolygon", "polygon": [{"x": 1.5, "y": 2}]},
            {"annotation_kind": "TextEntity", "location": {"start": 3, "end": 9}},
        ]
    )
    assert [type(o).__name__ for o in objs] == ["ImageBoundingBox", "ImagePolygon", "TextEntity"]
    assert isinstance(objs[0], ImageBoundingBox) and isinstance(objs[1], ImagePolygon)
    assert isinstance(objs[2], TextEntity)


def test_unknown_annotation_kind_is_kept_as_generic() -> None:
    raw = {"annotation_kind": "HologramCube", "feature_id": "f", "cube": {"edge": 3}}
    (obj,) = ANNOTATIONS.validate_python([raw])
    assert isinstance(obj, GenericAnnotation)
    assert obj.model_dump(exclude_unset=True) == raw


def test_known_kind_with_unknown_geometry_keeps_its_model_and_the_raw_value() -> None:
    raw = {"annotation_kind": "ImagePoint", "point": {"x": "left"}}
    (obj,) = ANNOTATIONS.validate_python([raw])
    assert isinstance(obj, ImagePoint)
    assert obj.point == Unrecognized({"x": "left"})
    assert obj.model_dump(exclude_unset=True) == raw
    assert drift(obj) == [Drift("point", "unrecognized_shape", {"x": "left"})]


def test_unknown_fields_survive_everywhere() -> None:
    line = NDJSON_SAMPLE.read_bytes().splitlines()[0]
    raw = json.loads(line)
    raw["brand_new_section"] = {"a": [1, 2]}
    raw["data_row"]["shiny"] = True
    label = next(iter(raw["projects"].values()))["labels"][0]
    label["annotations"]["classifications"][0]["radio_answer"]["extra"] = "x"
    row = ExportRow.model_validate(raw)
    assert _exact(row.model_dump(by_alias=True, exclude_unset=True)) == _exact(raw)


def test_video_label_shape() -> None:
    raw = {
        "data_row": {"id": "v"},
        "media_attributes": {"frame_rate": 30, "frame_count": 100},
        "projects": {
            "p": {
                "name": "video",
                "labels": [
                    {
                        "label_kind": "Video",
                        "id": "l",
                        "annotations": {
                            "frames": {
                                "13": {
                                    "objects": {
                                        "f1": {
                                            "feature_id": "f1",
                                            "annotation_kind": "VideoBoundingBox",
                                            "bounding_box": {"top": 1, "left": 1, "height": 2, "width": 2},
                                        }
                                    },
                                    "classifications": [],
                                }
                            },
                            "segments": {"f1": [[13, 13], [18, 19]]},
                            "key_frame_feature_map": {"f1": {"13": True, "18": False}},
                            "classifications": [
                                {
                                    "name": "q",
                                    "checklist_answers": [
                                        {
                                            "name": "a",
                                            "classifications": [
                                                {"name": "deep", "text_answer": {"content": "深い 🎉"}}
                                            ],
                                        }
                                    ],
                                }
                            ],
                        },
                    }
                ],
            }
        },
    }
    row = ExportRow.model_validate(raw)
    assert isinstance(row.projects, dict) and isinstance(row.projects["p"].labels, list)
    ann = row.projects["p"].labels[0].annotations
    assert isinstance(ann, LabelAnnotations) and isinstance(ann.frames, dict)
    frame_objects = ann.frames["13"].objects
    assert isinstance(frame_objects, dict) and isinstance(frame_objects["f1"], VideoBoundingBox)
    assert isinstance(ann.classifications, list) and isinstance(ann.classifications[0].checklist_answers, list)
    nested = ann.classifications[0].checklist_answers[0].classifications
    assert isinstance(nested, list)
    deep = nested[0]
    assert deep.kind == "text" and isinstance(deep.text_answer, TextAnswer)
    assert deep.text_answer.content == "深い 🎉"
    assert row.model_dump(exclude_unset=True) == raw
    assert drift(row) == []


# -- the policy: never rejected, never altered --------------------------------------------------------------------


def test_a_shape_nobody_has_seen_is_kept_raw_not_raised() -> None:
    raw = {
        "data_row": {"id": "d", "global_key": {"not": "a string"}},
        "media_attributes": {"width": "390px", "exif_rotation": [1]},
        "projects": {"p": {"labels": [{"id": "l", "annotations": {"objects": "none", "relationships": [1, 2]}}]}},
    }
    row = ExportRow.model_validate_json(json.dumps(raw))
    assert row.data_row.global_key == Unrecognized({"not": "a string"})
    assert isinstance(row.media_attributes, MediaAttributes)
    assert row.media_attributes.width == Unrecognized("390px")
    assert _exact(row.model_dump(mode="json", by_alias=True, exclude_unset=True)) == _exact(raw)
    assert [(d.path, d.value) for d in drift(row)] == [
        ("data_row.global_key", {"not": "a string"}),
        ("media_attributes.width", "390px"),
        ("media_attributes.exif_rotation", [1]),
        ("projects.p.labels.0.annotations.objects", "none"),
        ("projects.p.labels.0.annotations.relationships", [1, 2]),
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [("Skipped", 1), ("Skipped", "true"), ("Has Open Issues", True), ("Seconds to Label", 1.0), ("Agreement", "0.5")],
)
def test_nothing_is_coerced(key: str, value: Any) -> None:
    raw = {"ID": "l", key: value}
    row = LegacyLabelRow.model_validate_json(json.dumps(raw))
    assert _exact(json.loads(row.model_dump_json(exclude_unset=True))) == _exact(raw)


def test_null_stays_null_and_absent_stays_absent() -> None:
    raw = {"data_row": {"id": "d", "external_id": None}, "media_attributes": None}
    row = ExportRow.model_validate(raw)
    assert row.model_dump(exclude_unset=True) == raw
    assert drift(row) == []


def test_the_ids_that_make_a_record_are_required() -> None:
    with pytest.raises(ValidationError, match="data_row\n  Field required"):
        ExportRow.model_validate({"media_attributes": {}})
    with pytest.raises(ValidationError, match="ID\n  Field required"):
        LegacyLabelRow.model_validate({"Label": "Skip"})


def test_drift_names_unknown_keys_and_kinds() -> None:
    raw = {"annotation_kind": "HologramCube", "feature_id": "f", "cube": {"edge": 3}}
    (obj,) = ANNOTATIONS.validate_python([raw])
    assert drift(obj) == [
        Drift("annotation_kind", "unknown_kind", "HologramCube"),
        Drift("cube", "unknown_key", {"edge": 3}),
    ]
    assert drift([obj, {"k": obj}])[2].path == "1.k.annotation_kind"


def test_dumps_keep_labelbox_key_order() -> None:
    # The fields are declared in the order Labelbox writes them, so a real row dumps its keys in the same order.
    lines = NDJSON_SAMPLE.read_bytes().splitlines()[:5]
    lines += (REAL / "okavango_labels.ndjson").read_bytes().splitlines()[:5]
    lines += (REAL / "radar_tracker_export-result.ndjson").read_bytes().splitlines()[:5]
    for line in lines:
        row = ExportRow.model_validate_json(line)
        assert json.dumps(row.model_dump(mode="json", exclude_unset=True)) == json.dumps(json.loads(line))
    for path in sorted(REAL.glob("glhr_*.json")):
        (first, *_) = json.loads(path.read_bytes())
        legacy = LegacyLabelRow.model_validate(first)
        assert json.dumps(legacy.model_dump(mode="json", exclude_unset=True)) == json.dumps(first)


# -- the nine asset types of the export format ---------------------------------------------------------------

DOCUMENTED = json.loads((SAMPLES / "documented" / "export_v2_annotations_by_asset.json").read_bytes())


def _label_annotations(asset: str) -> LabelAnnotations:
    raw = DOCUMENTED[asset]["annotations"]
    annotations = LabelAnnotations.model_validate_json(json.dumps(raw))
    assert _exact(annotations.model_dump(mode="json", exclude_unset=True)) == _exact(raw)
    assert drift(annotations) == [], f"{asset}: {drift(annotations)}"
    return annotations


def _objects(annotations: LabelAnnotations) -> list[Any]:
    assert isinstance(annotations.objects, list)
    return annotations.objects


def _kinds(annotations: LabelAnnotations) -> list[str]:
    assert isinstance(annotations.classifications, list)
    return [c.kind for c in annotations.classifications]


def test_nine_asset_types_are_documented() -> None:
    assert sorted(DOCUMENTED) == sorted(
        ["image", "video", "text", "geospatial", "audio", "documents", "conversational", "dicom", "html"]
    )


def test_image() -> None:
    annotations = _label_annotations("image")
    assert [type(o) for o in _objects(annotations)] == [ImagePolygon, ImageBoundingBox, ImagePolyline]
    assert _kinds(annotations) == ["checklist", "text"]
    box = _objects(annotations)[1].bounding_box
    assert box["top"] == 48.0 and isinstance(box["top"], float)


def test_image_real_exports() -> None:
    rows = [
        ExportRow.model_validate_json(x)
        for x in (REAL / "radar_tracker_export-result.ndjson").read_bytes().splitlines()
    ]
    kinds = {type(obj) for row in rows for obj in _all_objects(row)}
    assert kinds == {ImageBoundingBox}
    line = (REAL / "lbnb_v2_composite_mask_object.ndjson").read_bytes()
    mask = TypeAdapter(ExportAnnotation).validate_json(line)
    assert isinstance(mask, ImageSegmentationMask) and isinstance(mask.composite_mask, MaskRef)
    assert isinstance(mask.composite_mask.color_rgb, list) and len(mask.composite_mask.color_rgb) == 3


def _all_objects(row: ExportRow) -> list[Any]:
    found: list[Any] = []
    for project in row.projects.values() if isinstance(row.projects, dict) else ():
        for label in project.labels if isinstance(project.labels, list) else ():
            if isinstance(label.annotations, LabelAnnotations) and isinstance(label.annotations.objects, list):
                found += label.annotations.objects
    return found


def test_video() -> None:
    annotations = _label_annotations("video")
    assert isinstance(annotations.frames, dict)
    (frame,) = annotations.frames.values()
    assert isinstance(frame.objects, dict) and isinstance(frame.objects["<cuid>"], VideoBoundingBox)
    assert annotations.segments == {"<cuid>": [[7, 13], [18, 19]]}
    assert annotations.key_frame_feature_map == {"<cuid>": {"13": True, "18": False, "19": True}}


def test_text_and_html() -> None:
    (entity,) = _objects(_label_annotations("text"))
    assert isinstance(entity, TextEntity) and entity.location == {
        "start": 112,
        "end": 128,
        "token": "research suggests",
    }
    html = _label_annotations("html")
    assert _objects(html) == [] and _kinds(html) == ["text", "checklist"]


def test_geospatial() -> None:
    (box,) = _objects(_label_annotations("geospatial"))
    assert isinstance(box, GeoBoundingBox) and isinstance(box, GeospatialAnnotation)
    assert isinstance(box.geojson, dict) and box.geojson["type"] == "Polygon"
    assert box.geojson["coordinates"][0][0] == [-58.64355672718979, -34.47613968717428]


def test_audio() -> None:
    annotations = _label_annotations("audio")
    assert _kinds(annotations) == ["checklist", "text"]
    assert annotations.segments == {} and annotations.timestamp == {}


def test_documents() -> None:
    entity, box = _objects(_label_annotations("documents"))
    assert isinstance(entity, DocumentEntityToken) and isinstance(entity.location, dict)
    (group,) = entity.location["groups"]
    assert group["page_number"] == 1 and len(group["tokens"]) == 2
    assert isinstance(box, DocumentBoundingBox) and box.page_number == 1


def test_documents_legacy_real_export() -> None:
    (row,) = TypeAdapter(list[LegacyLabelRow]).validate_json((REAL / "lbpy_nb_v1_model_run_pdf.json").read_bytes())
    assert drift(row) == [] or all(d.kind == "unknown_key" for d in drift(row))


def test_conversational() -> None:
    annotations = _label_annotations("conversational")
    (entity,) = _objects(annotations)
    assert isinstance(entity, ConversationalTextEntity)
    assert entity.conversational_location == {"message_id": "0", "location": {"start": 0, "end": 8}}
    assert _kinds(annotations) == ["checklist", "text"]
    assert isinstance(annotations.classifications, list) and annotations.classifications[0].message_id == "0"


def test_conversational_real_row() -> None:
    line = (REAL / "lbpy_unit_v2_conversational_row.ndjson").read_bytes()
    row = ExportRow.model_validate_json(line)
    assert isinstance(row.media_attributes, MediaAttributes)
    assert row.media_attributes.asset_type == "conversational"


def test_dicom() -> None:
    annotations = _label_annotations("dicom")
    assert isinstance(annotations.groups, dict) and sorted(annotations.groups) == ["Axial", "Coronal", "Sagittal"]
    axial = annotations.groups["Axial"]
    assert isinstance(axial, DICOMGroup) and isinstance(axial.frames, dict)
    frame_objects = axial.frames["1"].objects
    assert isinstance(frame_objects, dict) and isinstance(frame_objects["<cuid>"], DICOMPolyline)
    assert annotations.segments == {"Axial": {"<cuid>": [[1, 1]]}, "Sagittal": {}, "Coronal": {}}
    assert annotations.key_frame_feature_map == {"<cuid>": {"Axial": {"1": True}, "Coronal": {}, "Sagittal": {}}}


def test_the_policy_examples_run() -> None:
    import alabelbox.types._base
    import alabelbox.types._drift

    for module in (alabelbox.types._base, alabelbox.types._drift):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
