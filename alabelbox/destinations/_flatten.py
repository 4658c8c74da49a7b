"""Export v2 rows to flat records: one per data row, one per annotation. Pure Python, no optional dependency.

A row is read as the dict the export holds (``model=None``), or as an :class:`~alabelbox.types.ExportRow`, which is
dumped back to that dict first (``by_alias=True, exclude_unset=True``: the wire form, every unknown key kept).

What counts as one annotation (each yields exactly one record, so counts by kind are exact):

* each object of a label (``annotations.objects[]``), its ``kind`` the ``annotation_kind``;
* each object of each video frame (``annotations.frames[n].objects``), with ``frame`` set;
* each classification, wherever it sits: global, on a video frame, under an object, or under an answer of another
  classification (``parent_feature_id`` says where), its ``kind`` ``"radio"``, ``"checklist"``, ``"text"`` or
  ``"classification"`` when it carries no answer;
* each relationship (``kind`` ``"relationship"``).

Geometry goes to typed columns (``bbox_*``, ``point_x``/``point_y``, ``points`` for polygons and polylines,
``mask_url``/``mask_color``, ``text_start``/``text_end``/``message_id``, ``page_number``), copied as the export holds
it (no rounding, no unit change). Every other key of the annotation (nested classifications aside, which are rows of
their own) is kept in ``extra``, a JSON string, so nothing of the input is lost.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_json

__all__ = [
    "ANNOTATION_COLUMNS",
    "annotation_records",
    "as_dict",
    "classification_kind",
    "kind_of",
    "label_sources",
    "row_record",
    "walk",
]

_OBJECT_KEYS = frozenset(
    {
        "feature_id",
        "feature_schema_id",
        "name",
        "value",
        "annotation_kind",
        "classifications",
        "bounding_box",
        "point",
        "polygon",
        "line",
        "mask",
        "composite_mask",
        "location",
        "conversational_location",
        "page_number",
    }
)
_CLASSIFICATION_KEYS = frozenset(
    {"feature_id", "feature_schema_id", "name", "value", "radio_answer", "checklist_answers", "text_answer"}
)
_RELATIONSHIP_KEYS = frozenset({"feature_id", "feature_schema_id", "name", "value", "relationship"})
_ROW_SECTIONS = (
    "data_row",
    "media_attributes",
    "attachments",
    "metadata_fields",
    "embeddings",
    "projects",
    "experiments",
)


def as_dict(row: Any) -> dict[str, Any]:
    """The row as the export's JSON object: a dict as is, a pydantic model dumped to its wire form."""
    if isinstance(row, BaseModel):
        return row.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(row, dict):
        return row if isinstance(row, dict) else dict(row)
    raise TypeError(f"expected an export row (a dict or an ExportRow), got {type(row).__name__}")


def _json(value: Any) -> str | None:
    return None if value is None else to_json(value).decode()


def _num(value: Any) -> float | None:
    return None if value is None or isinstance(value, bool) else float(value)


def label_sources(row: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """``(source, container_id, label)`` for every label of a row.

    ``source`` is ``"project"`` (``container_id`` the project id), or ``"model_run"`` / ``"prediction"`` for the
    ground truth and predictions of a model-run export (``container_id`` the model-run id).
    """
    for project_id, project in (row.get("projects") or {}).items():
        for label in (project or {}).get("labels") or []:
            yield "project", project_id, label
    for experiment in (row.get("experiments") or {}).values():
        for run_id, run in ((experiment or {}).get("runs") or {}).items():
            for label in (run or {}).get("labels") or []:
                yield "model_run", run_id, label
            for label in (run or {}).get("predictions") or []:
                yield "prediction", run_id, label


def row_record(row: Mapping[str, Any], annotations: int | None = None) -> dict[str, Any]:
    """The export-rows table's record of one row (see :func:`alabelbox.destinations.rows_schema`).

    ``annotations`` is the row's annotation count when the caller has flattened it already (else it is counted).
    """
    data_row = row.get("data_row") or {}
    media = row.get("media_attributes") or {}
    details = data_row.get("details") or {}
    labels = 0
    counted = 0
    for _source, _container, label in label_sources(row):
        labels += 1
        if annotations is None:
            counted += _count_annotations(label.get("annotations") or {})
    record: dict[str, Any] = {
        "data_row_id": data_row.get("id"),
        "global_key": data_row.get("global_key"),
        "external_id": data_row.get("external_id"),
        "row_data": data_row.get("row_data"),
        "dataset_id": details.get("dataset_id"),
        "mime_type": media.get("mime_type"),
        "width": _int(media.get("width")),
        "height": _int(media.get("height")),
        "label_count": labels,
        "annotation_count": counted if annotations is None else annotations,
    }
    for section in _ROW_SECTIONS:
        record[section] = _json(row.get(section))
    rest = {k: v for k, v in row.items() if k not in _ROW_SECTIONS}
    record["extra"] = _json(rest) if rest else None
    return record


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _count_annotations(annotations: Mapping[str, Any]) -> int:
    return sum(1 for _ in walk(annotations))


def walk(annotations: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], int | None, str | None]]:
    """``(what, obj, frame, parent_feature_id)`` for each annotation of a label; ``what`` is object/classification/
    relationship."""
    for obj in annotations.get("objects") or []:
        yield "object", obj, None, None
        yield from _classifications(obj.get("classifications"), None, obj.get("feature_id"))
    yield from _classifications(annotations.get("classifications"), None, None)
    for rel in annotations.get("relationships") or []:
        yield "relationship", rel, None, None
    for frame_key, frame in (annotations.get("frames") or {}).items():
        number = _int(frame_key)
        objects = (frame or {}).get("objects") or {}
        for obj in objects.values() if isinstance(objects, dict) else objects:
            yield "object", obj, number, None
            yield from _classifications(obj.get("classifications"), number, obj.get("feature_id"))
        yield from _classifications((frame or {}).get("classifications"), number, None)


def _classifications(
    items: Any, frame: int | None, parent: str | None
) -> Iterator[tuple[str, Mapping[str, Any], int | None, str | None]]:
    for item in items or []:
        if isinstance(item, list):  # legacy-style nesting of lists
            yield from _classifications(item, frame, parent)
            continue
        yield "classification", item, frame, parent
        answers: list[Any] = []
        if isinstance(item.get("radio_answer"), dict):
            answers.append(item["radio_answer"])
        answers.extend(a for a in item.get("checklist_answers") or [] if isinstance(a, dict))
        if isinstance(item.get("text_answer"), dict):
            answers.append(item["text_answer"])
        for answer in answers:
            yield from _classifications(answer.get("classifications"), frame, item.get("feature_id"))


def classification_kind(item: Mapping[str, Any]) -> str:
    """``"radio"``, ``"checklist"``, ``"text"``, or ``"classification"`` when it carries no answer."""
    if item.get("radio_answer") is not None:
        return "radio"
    if item.get("checklist_answers") is not None:
        return "checklist"
    if item.get("text_answer") is not None:
        return "text"
    return "classification"


def kind_of(what: str, obj: Mapping[str, Any]) -> str:
    """The ``kind`` column of an annotation that :func:`walk` yielded."""
    if what == "object":
        return str(obj.get("annotation_kind"))
    if what == "classification":
        return classification_kind(obj)
    return "relationship"


def annotation_records(row: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The flattened annotations of one row, one record per annotation (see the module docstring)."""
    data_row = row.get("data_row") or {}
    base = {
        "data_row_id": data_row.get("id"),
        "global_key": data_row.get("global_key"),
        "external_id": data_row.get("external_id"),
    }
    for source, container, label in label_sources(row):
        template = {**_BLANK, **base, "source": source, "project_id": container, "label_id": label.get("id")}
        for what, obj, frame, parent in walk(label.get("annotations") or {}):
            record = template.copy()
            record["frame"] = frame
            record["parent_feature_id"] = parent
            record["feature_id"] = obj.get("feature_id")
            record["feature_schema_id"] = obj.get("feature_schema_id")
            record["name"] = obj.get("name")
            record["value"] = obj.get("value")
            if what == "object":
                _object_columns(obj, record)
                known = _OBJECT_KEYS
            elif what == "classification":
                _classification_columns(obj, record)
                known = _CLASSIFICATION_KEYS
            else:
                record["kind"] = "relationship"
                ends = obj.get("relationship") or {}
                record["relationship_source"] = ends.get("source", obj.get("source"))
                record["relationship_target"] = ends.get("target", obj.get("target"))
                record["relationship_type"] = ends.get("type", obj.get("type"))
                known = _RELATIONSHIP_KEYS | {"source", "target", "type"}
            rest = {k: v for k, v in obj.items() if k not in known}
            record["extra"] = _json(rest) if rest else None
            yield record


def _object_columns(obj: Mapping[str, Any], record: dict[str, Any]) -> None:
    record["kind"] = obj.get("annotation_kind")
    box = obj.get("bounding_box")
    if isinstance(box, dict):
        record["bbox_top"] = _num(box.get("top"))
        record["bbox_left"] = _num(box.get("left"))
        record["bbox_height"] = _num(box.get("height"))
        record["bbox_width"] = _num(box.get("width"))
    point = obj.get("point")
    if isinstance(point, dict):
        record["point_x"] = _num(point.get("x"))
        record["point_y"] = _num(point.get("y"))
    vertices = obj.get("polygon") if obj.get("polygon") is not None else obj.get("line")
    if isinstance(vertices, list):
        record["points"] = [{"x": _num(v.get("x")), "y": _num(v.get("y"))} for v in vertices if isinstance(v, dict)]
    mask = obj.get("mask") if isinstance(obj.get("mask"), dict) else None
    composite = obj.get("composite_mask") if isinstance(obj.get("composite_mask"), dict) else None
    if composite is not None and composite.get("url"):
        record["mask_url"] = composite.get("url")
        color = composite.get("color_rgb")
        record["mask_color"] = [int(c) for c in color] if isinstance(color, list) else None
        record["mask_composite"] = True
    elif mask is not None and mask.get("url"):
        record["mask_url"] = mask.get("url")
        record["mask_composite"] = False
    location = obj.get("location")
    conversational = obj.get("conversational_location")
    if isinstance(conversational, dict):
        record["message_id"] = conversational.get("message_id")
        location = conversational.get("location")
    if isinstance(location, dict):
        record["text_start"] = _int(location.get("start"))
        record["text_end"] = _int(location.get("end"))
        if record["message_id"] is None:
            record["message_id"] = location.get("message_id")
    record["page_number"] = _int(obj.get("page_number"))


def _classification_columns(obj: Mapping[str, Any], record: dict[str, Any]) -> None:
    kind = classification_kind(obj)
    record["kind"] = kind
    if kind == "radio":
        answer = obj["radio_answer"]
        record["answer"] = answer.get("name") if isinstance(answer, dict) else _json(answer)
        record["answer_values"] = [answer.get("value")] if isinstance(answer, dict) else None
        record["answer_schema_ids"] = [answer.get("feature_schema_id")] if isinstance(answer, dict) else None
    elif kind == "checklist":
        answers = [a for a in obj["checklist_answers"] if isinstance(a, dict)]
        record["answers"] = [a.get("name") for a in answers]
        record["answer_values"] = [a.get("value") for a in answers]
        record["answer_schema_ids"] = [a.get("feature_schema_id") for a in answers]
    elif kind == "text":
        answer = obj["text_answer"]
        record["answer"] = answer.get("content") if isinstance(answer, dict) else str(answer)


ANNOTATION_COLUMNS: tuple[str, ...] = (
    "data_row_id",
    "global_key",
    "external_id",
    "source",
    "project_id",
    "label_id",
    "frame",
    "kind",
    "feature_id",
    "feature_schema_id",
    "name",
    "value",
    "parent_feature_id",
    "bbox_top",
    "bbox_left",
    "bbox_height",
    "bbox_width",
    "point_x",
    "point_y",
    "points",
    "mask_url",
    "mask_color",
    "mask_composite",
    "text_start",
    "text_end",
    "message_id",
    "page_number",
    "answer",
    "answers",
    "answer_values",
    "answer_schema_ids",
    "relationship_source",
    "relationship_target",
    "relationship_type",
    "extra",
)
"""The columns of the annotations table, in order (their Arrow types: ``ANNOTATIONS_SCHEMA``)."""

_BLANK: dict[str, Any] = dict.fromkeys(ANNOTATION_COLUMNS)
