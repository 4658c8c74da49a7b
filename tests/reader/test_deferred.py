"""Deferred sections (``ExportLabel.annotations``): validated on first access, the same values as eager validation."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from alabelbox.types import (
    ExportLabel,
    ExportRow,
    GenericAnnotation,
    ImageBoundingBox,
    LabelAnnotations,
    Lenient,
    Unrecognized,
    drift,
)
from alabelbox.types._deferred import Deferred, _Section

from .conftest import NDJSON_SAMPLE, SAMPLES

EAGER: TypeAdapter[Any] = TypeAdapter(Lenient[LabelAnnotations | None])
"""The annotations validated eagerly, from JSON: what the field held before it was deferred."""

# Keys in an order that is not the declared one, an unknown key, an unknown kind, and a known kind.
RAW = {
    "relationships": [],
    "objects": [
        {
            "annotation_kind": "ImageBoundingBox",
            "name": "box",
            "bounding_box": {"top": 1, "left": 2.5, "height": 3, "width": 4},
        },
        {"annotation_kind": "Hologram", "feature_id": "f2"},
    ],
    "brand_new": {"x": 1},
    "classifications": [{"name": "q", "radio_answer": {"name": "yes", "classifications": []}}],
}
LINE = json.dumps({"id": "l1", "annotations": RAW}, separators=(",", ":"))


def _label() -> ExportLabel:
    return ExportLabel.model_validate_json(LINE)


def _section(label: ExportLabel) -> _Section:
    section = label.__dict__["annotations"]
    assert isinstance(section, _Section)
    return section


def test_reading_keeps_the_parsed_json_and_the_first_access_validates_once() -> None:
    label = _label()
    assert not hasattr(_section(label), "typed")
    assert _section(label).raw == RAW
    annotations = label.annotations
    assert isinstance(annotations, LabelAnnotations)
    assert label.annotations is annotations  # cached on the record
    assert isinstance(annotations.objects, list)
    assert [type(o) for o in annotations.objects] == [ImageBoundingBox, GenericAnnotation]


def test_an_untouched_record_dumps_the_json_it_was_read_from_key_for_key() -> None:
    label = _label()
    assert label.model_dump_json(exclude_unset=True) == LINE  # input key order, not declaration order
    assert not hasattr(_section(label), "typed")  # the dump did not validate


def test_the_typed_value_equals_eager_validation_from_json() -> None:
    label = _label()
    eager = EAGER.validate_json(json.dumps(RAW))
    assert label.annotations == eager
    cases: list[dict[str, Any]] = [{}, {"exclude_none": True}, {"exclude_unset": True}, {"exclude_defaults": True}]
    for options in cases:
        assert label.model_dump(**options)["annotations"] == EAGER.dump_python(eager, **options), options
        assert json.loads(label.model_dump_json(**options))["annotations"] == json.loads(
            EAGER.dump_json(eager, **options)
        ), options


def test_a_dump_that_needs_the_typed_form_gives_what_eager_validation_gave() -> None:
    label = _label()  # not accessed: the dump validates
    dumped = label.model_dump()["annotations"]
    assert dumped["frames"] is None and dumped["brand_new"] == {"x": 1}
    assert dumped["objects"][0]["bounding_box"] == {"top": 1, "left": 2.5, "height": 3, "width": 4}


def test_include_and_exclude_reach_into_the_section_as_before() -> None:
    label = ExportLabel.model_validate_json('{"id": "l1", "annotations": {"objects": [], "classifications": []}}')
    included = label.model_dump(include={"id": True, "annotations": {"objects"}}, exclude_unset=True)
    assert included == {"id": "l1", "annotations": {"objects": []}}
    excluded = label.model_dump(exclude={"annotations": {"objects"}}, exclude_unset=True)
    assert excluded == {"id": "l1", "annotations": {"classifications": []}}


def test_unknown_shapes_are_kept_and_reported_through_the_deferred_field() -> None:
    label = ExportLabel.model_validate_json('{"id": "l", "annotations": ["not", "an", "object"]}')
    assert label.annotations == Unrecognized(["not", "an", "object"])
    assert drift(label) == [("annotations", "unrecognized_shape", ["not", "an", "object"])]
    assert label.model_dump(exclude_unset=True) == {"id": "l", "annotations": ["not", "an", "object"]}
    paths = [(d.path, d.kind) for d in drift(_label())]
    assert paths == [
        ("annotations.objects.1.annotation_kind", "unknown_kind"),
        ("annotations.brand_new", "unknown_key"),
    ]


def test_absent_and_null_annotations_read_as_none_and_stay_as_they_were() -> None:
    absent = ExportLabel.model_validate_json('{"id": "l"}')
    null = ExportLabel.model_validate_json('{"id": "l", "annotations": null}')
    assert absent.annotations is None and null.annotations is None
    assert absent.model_dump_json(exclude_unset=True) == '{"id":"l"}'
    assert null.model_dump_json(exclude_unset=True) == '{"id":"l","annotations":null}'


def test_equality_does_not_depend_on_which_record_was_read() -> None:
    touched, untouched = _label(), _label()
    assert isinstance(touched.annotations, LabelAnnotations)
    assert touched == untouched and untouched == touched
    other = ExportLabel.model_validate_json('{"id": "l1", "annotations": {"objects": []}}')
    assert other != untouched


@pytest.mark.parametrize("touch", [False, True])
def test_pickle_and_deepcopy_keep_the_record(touch: bool) -> None:
    label = _label()
    if touch:
        assert label.annotations is not None
    for clone in (pickle.loads(pickle.dumps(label)), copy.deepcopy(label)):
        assert clone == label
        assert json.loads(clone.model_dump_json(exclude_unset=True)) == json.loads(LINE)
        if not touch:
            assert clone.model_dump_json(exclude_unset=True) == LINE
        assert isinstance(clone.annotations, LabelAnnotations)


def test_assignment_and_construction_take_a_typed_value() -> None:
    label = ExportLabel(id="l")
    assert label.annotations is None and "annotations" not in label.model_fields_set
    label.annotations = LabelAnnotations(objects=[])
    assert "annotations" in label.model_fields_set
    assert label.annotations == LabelAnnotations(objects=[])
    assert label.model_dump(exclude_unset=True) == {"id": "l", "annotations": {"objects": []}}
    built = ExportLabel(id="l", annotations=LabelAnnotations(objects=[]))
    assert built.model_dump_json(exclude_unset=True) == '{"id":"l","annotations":{"objects":[]}}'


def test_no_model_under_a_deferred_section_has_an_alias() -> None:
    # The untouched dump is the raw JSON whatever by_alias says: right only while no wire name differs.
    seen: set[type[Any]] = set()

    def walk(model: type[Any]) -> None:
        if model in seen or not hasattr(model, "model_fields"):
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            assert info.alias in (None, name), (model, name)
            for arg in _types_in(info.annotation):
                walk(arg)

    walk(LabelAnnotations)
    assert ImageBoundingBox in seen


def _types_in(annotation: Any) -> list[Any]:
    out = [annotation]
    for arg in getattr(annotation, "__args__", ()):
        out += _types_in(arg)
    for arg in getattr(annotation, "__metadata__", ()):
        out += _types_in(arg)
    return out


def _export_v2_lines() -> list[tuple[str, bytes]]:
    files = [NDJSON_SAMPLE, *sorted((SAMPLES / "real").glob("*.ndjson"))]
    return [(f"{path.name}:{n}", line) for path in files for n, line in enumerate(Path(path).read_bytes().splitlines())]


def _labels(row: ExportRow) -> list[ExportLabel]:
    found: list[ExportLabel] = []
    for project in (row.projects or {}).values() if isinstance(row.projects, dict) else []:
        if isinstance(project.labels, list):
            found += project.labels
    for experiment in (row.experiments or {}).values() if isinstance(row.experiments, dict) else []:
        for run in (experiment.runs or {}).values() if isinstance(experiment.runs, dict) else []:
            for labels in (run.labels, run.predictions):
                found += labels if isinstance(labels, list) else []
    return found


def test_every_sample_label_reads_the_same_as_eager_validation() -> None:
    checked = 0
    for name, line in _export_v2_lines():
        if b'"data_row"' not in line:
            continue  # an import file's annotation line, not an export row
        row = ExportRow.model_validate_json(line)
        for label in _labels(row):
            raw = _section(label).raw
            eager = EAGER.validate_json(json.dumps(raw))
            assert label.annotations == eager, name
            assert label.model_dump(mode="json")["annotations"] == EAGER.dump_python(eager, mode="json"), name
            checked += 1
    assert checked >= 20


def test_the_marker_is_on_the_field() -> None:
    assert any(isinstance(m, Deferred) for m in ExportLabel.model_fields["annotations"].metadata)
