"""The export record models against every real sample: parse, then dump, gives back the same JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from alabelbox.types import (
    ExportAnnotation,
    ExportRow,
    GenericAnnotation,
    ImageBoundingBox,
    ImagePolygon,
    LegacyLabelRow,
    TextEntity,
)

from .conftest import LEGACY_SAMPLES, NDJSON_SAMPLE


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
    assert row.media_attributes is not None and row.media_attributes.width == 390
    assert row.projects is not None
    (project,) = row.projects.values()
    assert project.name == "roof-wear-highres"
    assert project.labels is not None
    annotations = project.labels[0].annotations
    assert annotations is not None and annotations.classifications is not None
    radio = annotations.classifications[0]
    assert radio.kind == "radio"
    assert radio.radio_answer is not None and radio.radio_answer.value == "false"


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
    assert row.label is not None and row.label.objects is not None
    box = row.label.objects[0]
    assert box.bbox is not None and box.bbox.top == 1333 and isinstance(box.bbox.top, int)
    assert box.instance_uri is not None and box.instance_uri.startswith("https://")
    nested = row.label.objects[1].classifications
    assert nested is not None and nested[-1].answer == "hmmm"  # free text answer is a string


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
    assert row.label is not None and row.label.frames == "https://api.labelbox.com/v1/frames/l1"
    info = row.data_row_workflow_info
    assert info is not None and info.task_name == "Review"
    assert info.workflow_history is not None and info.workflow_history[0].action == "Approve"
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


def test_known_kind_with_bad_geometry_is_an_error_not_a_generic() -> None:
    with pytest.raises(ValidationError):
        ANNOTATIONS.validate_python([{"annotation_kind": "ImagePoint", "point": {"x": "left"}}])


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
    assert row.projects is not None
    ann = row.projects["p"].labels[0].annotations  # type: ignore[index]
    assert ann is not None and ann.frames is not None
    frame_objects = ann.frames["13"].objects
    assert frame_objects is not None and frame_objects["f1"].annotation_kind == "VideoBoundingBox"
    assert ann.classifications is not None
    deep = ann.classifications[0].checklist_answers[0].classifications[0]  # type: ignore[index]
    assert deep.kind == "text" and deep.text_answer is not None
    assert deep.text_answer.content == "深い 🎉"
    assert row.model_dump(exclude_unset=True) == raw
