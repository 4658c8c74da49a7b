"""Export v2 labels to annotation import records, and back.

:func:`label_to_import_records` turns one label of an export (its ``annotations``: objects, classifications,
relationships, video frames, DICOM groups) into the NDJSON lines an import takes, so that labels can move from one
project to another, or from a backup into Labelbox. :func:`import_records_to_annotations` is the inverse: the
``annotations`` member an export would show for those lines. What the server assigns is not carried: feature ids
(the lines get fresh ``uuid`` values derived from them; relationships follow), the ``value`` of each feature (the
ontology's), the URL of a mask's own image (an import names the composite mask and the colour in it), and the text
the server reads from the asset (a text entity's ``token``, a document group's ``text``).
"""

from __future__ import annotations

import uuid as _uuid
from collections.abc import Iterable, Mapping
from typing import Any

from alabelbox._exceptions import InvalidArgumentError

__all__ = ["import_records_to_annotations", "label_to_import_records"]

_NAMESPACE = _uuid.UUID("6f1c1c6e-5a1f-4d8e-9d55-0b7f3a2c9e10")


def _uuid_of(feature_id: object, fallback: str) -> str:
    return str(_uuid.uuid5(_NAMESPACE, str(feature_id))) if feature_id else fallback


def _feature(obj: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if obj.get("name") is not None:
        out["name"] = obj["name"]
    if obj.get("feature_schema_id") is not None:
        out["schemaId"] = obj["feature_schema_id"]
    return out


def _answer(a: Mapping[str, Any]) -> dict[str, Any]:
    return {**_feature(a), "classifications": [_classification(c) for c in a.get("classifications") or []]}


def _classification(c: Mapping[str, Any]) -> dict[str, Any]:
    """An export classification as a nested import classification (``name``/``schemaId`` and ``answer``)."""
    out = _feature(c)
    radio = c.get("radio_answer") or c.get("conversational_radio_answer")
    checklist = c.get("checklist_answers") or c.get("conversational_checklist_answers")
    text = c.get("text_answer") or c.get("conversational_text_answer")
    if radio is not None:
        out["answer"] = _answer(radio)
    elif checklist is not None:
        out["answer"] = [_answer(a) for a in checklist]
    elif text is not None:
        out["answer"] = text.get("content", "")
    else:
        raise InvalidArgumentError("label", f"classification {c.get('name')!r} has no answer")
    return out


def _bbox_of_ring(ring: list[list[float]]) -> dict[str, Any]:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return {"top": min(ys), "left": min(xs), "height": max(ys) - min(ys), "width": max(xs) - min(xs)}


def _geometry(o: Mapping[str, Any]) -> dict[str, Any]:
    """The import geometry members of one export object."""
    kind = str(o.get("annotation_kind") or "")
    if kind.startswith("Geo"):
        geo = o.get("geojson") or {}
        coords: Any = geo.get("coordinates") or []
        if kind == "GeoPoint":
            return {"point": {"x": coords[0], "y": coords[1]}}
        if kind == "GeoPolyline":
            return {"line": [{"x": x, "y": y} for x, y in coords]}
        if kind == "GeoBoundingBox":
            return {"bbox": _bbox_of_ring(coords[0])}
        return {"polygon": [{"x": x, "y": y} for x, y in coords[0]]}
    if "bounding_box" in o:
        out: dict[str, Any] = {"bbox": dict(o["bounding_box"])}
        if o.get("page_number") is not None:
            out["page"] = o["page_number"] - 1
            if o.get("unit"):
                out["unit"] = o["unit"]
        return out
    if "polygon" in o:
        return {"polygon": [dict(p) for p in o["polygon"]]}
    if "point" in o:
        return {"point": dict(o["point"])}
    if "line" in o:
        return {"line": [dict(p) for p in o["line"]]}
    if "composite_mask" in o or "mask" in o:
        composite = o.get("composite_mask") or {}
        url = composite.get("url") or (o.get("mask") or {}).get("url")
        return {"mask": {"instanceURI": url, "colorRGB": list(composite.get("color_rgb") or [255, 255, 255])}}
    if "conversational_location" in o:
        loc = o["conversational_location"]
        return {"location": dict(loc["location"]), "messageId": loc["message_id"]}
    if kind == "DocumentEntityToken" or "groups" in (o.get("location") or {}):
        groups = (o.get("location") or {}).get("groups") or []
        return {
            "textSelections": [
                {"tokenIds": list(g["tokens"]), "groupId": g["id"], "page": g.get("page_number", 1)} for g in groups
            ]
        }
    if "location" in o:
        return {"location": {"start": o["location"]["start"], "end": o["location"]["end"]}}
    raise InvalidArgumentError(
        "label", f"annotation {o.get('name')!r} of kind {kind!r} has no geometry an import takes"
    )


def _keyframe_shape(o: Mapping[str, Any]) -> dict[str, Any]:
    if "bounding_box" in o:
        return {"bbox": dict(o["bounding_box"])}
    if "point" in o:
        return {"point": dict(o["point"])}
    return {"line": [dict(p) for p in o["line"]]}


def _tracked(
    frames: Mapping[str, Any],
    segments: Mapping[str, Any],
    key_frames: Mapping[str, Any],
    row: dict[str, Any],
    group_key: str | None,
) -> list[dict[str, Any]]:
    """The video (or DICOM group) objects as import lines: one per feature, its keyframes per segment."""
    out = []
    for fid, spans in segments.items():
        marks = key_frames.get(fid) or {}
        head: Mapping[str, Any] | None = None
        segs = []
        for lo, hi in spans:
            keyframes = []
            for number in range(int(lo), int(hi) + 1):
                obj = ((frames.get(str(number)) or {}).get("objects") or {}).get(fid)
                if obj is None or (marks and not marks.get(str(number), False) and number not in (lo, hi)):
                    continue
                head = head or obj
                keyframes.append(
                    {
                        "frame": number,
                        **_keyframe_shape(obj),
                        "classifications": [_classification(c) for c in obj.get("classifications") or []],
                    }
                )
            if keyframes:
                segs.append({"keyframes": keyframes})
        if head is None:
            continue
        line = {"uuid": _uuid_of(fid, str(_uuid.uuid4())), "dataRow": row, **_feature(head), "segments": segs}
        if group_key is not None:
            line["groupKey"] = group_key
        out.append(line)
    return out


def _frame_classifications(frames: Mapping[str, Any], row: dict[str, Any]) -> list[dict[str, Any]]:
    """Classifications of single frames as import lines with ``frames`` ranges (consecutive frames merged)."""
    runs: dict[str, tuple[dict[str, Any], list[list[int]]]] = {}
    for number in sorted(frames, key=int):
        for c in (frames[number] or {}).get("classifications") or []:
            line = _classification(c)
            key = repr(sorted(line.items()))
            entry = runs.setdefault(key, (line, []))
            ranges = entry[1]
            n = int(number)
            if ranges and ranges[-1][1] == n - 1:
                ranges[-1][1] = n
            else:
                ranges.append([n, n])
    return [
        {
            "uuid": str(_uuid.uuid4()),
            "dataRow": row,
            **line,
            "frames": [{"start": lo, "end": hi} for lo, hi in ranges],
        }
        for line, ranges in runs.values()
    ]


def label_to_import_records(
    label: Mapping[str, Any] | Any,
    *,
    data_row_id: str | None = None,
    global_key: str | None = None,
) -> list[dict[str, Any]]:
    """The import records (NDJSON dicts) that recreate an export v2 label on a data row.

    Args:
        label: One label of an export line (``line["projects"][project_id]["labels"][0]``), as a dict or an
            :class:`~alabelbox.types.ExportLabel`; or its ``annotations`` member alone.
        data_row_id: The data row the records annotate (exactly one of this and ``global_key``).
        global_key: The data row's global key instead.

    Returns:
        One record per object, classification, relationship and tracked video object, in the order of the label.

    Raises:
        InvalidArgumentError: Not exactly one of ``data_row_id`` and ``global_key``, or an annotation an import
            cannot express.

    Example:
        >>> label = {"annotations": {"objects": [{"feature_id": "f1", "name": "car", "annotation_kind":
        ...     "ImageBoundingBox", "bounding_box": {"top": 1, "left": 2, "height": 3, "width": 4}}],
        ...     "classifications": [{"name": "weather", "text_answer": {"content": "rain"}}], "relationships": []}}
        >>> records = label_to_import_records(label, global_key="street-001.jpg")
        >>> [sorted(set(r) - {"uuid"}) for r in records]
        [['bbox', 'classifications', 'dataRow', 'name'], ['answer', 'dataRow', 'name']]
        >>> import_records_to_annotations(records)["objects"][0]["bounding_box"]
        {'top': 1, 'left': 2, 'height': 3, 'width': 4}
    """
    if (data_row_id is None) == (global_key is None):
        raise InvalidArgumentError("data_row_id", "give exactly one of data_row_id and global_key")
    row = {"id": data_row_id} if data_row_id is not None else {"globalKey": global_key}
    if hasattr(label, "model_dump"):
        label = label.model_dump(mode="json", by_alias=True, exclude_unset=True)
    annotations: Mapping[str, Any] = label.get("annotations", label) if isinstance(label, Mapping) else {}
    out: list[dict[str, Any]] = []
    for o in annotations.get("objects") or []:
        out.append(
            {
                "uuid": _uuid_of(o.get("feature_id"), str(_uuid.uuid4())),
                "dataRow": row,
                **_feature(o),
                **_geometry(o),
                "classifications": [_classification(c) for c in o.get("classifications") or []],
            }
        )
    frames = annotations.get("frames") or {}
    groups = annotations.get("groups") or {}
    if (frames or annotations.get("segments")) and not groups:
        out.extend(
            _tracked(
                frames, annotations.get("segments") or {}, annotations.get("key_frame_feature_map") or {}, row, None
            )
        )
        out.extend(_frame_classifications(frames, row))
    for group_name, group in groups.items():
        segments = (annotations.get("segments") or {}).get(group_name) or {}
        marks = {
            fid: (by_group or {}).get(group_name) or {}
            for fid, by_group in (annotations.get("key_frame_feature_map") or {}).items()
        }
        out.extend(_tracked(group.get("frames") or {}, segments, marks, row, str(group_name).lower()))
    for c in annotations.get("classifications") or []:
        line = {"uuid": _uuid_of(c.get("feature_id"), str(_uuid.uuid4())), "dataRow": row, **_classification(c)}
        if c.get("message_id") is not None:
            line["messageId"] = c["message_id"]
        out.append(line)
    for r in annotations.get("relationships") or []:
        ends = r.get("relationship") or r
        out.append(
            {
                "uuid": _uuid_of(r.get("feature_id"), str(_uuid.uuid4())),
                "dataRow": row,
                **_feature(r),
                "relationship": {
                    "source": _uuid_of(ends.get("source"), ""),
                    "target": _uuid_of(ends.get("target"), ""),
                    "type": ends.get("type") or "unidirectional",
                },
            }
        )
    return out


# ---------------------------------------------------------------- import records -> export annotations


def _export_answer(a: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **_export_feature(a),
        "classifications": [_export_classification(c) for c in a.get("classifications") or []],
    }


def _export_feature(r: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if r.get("schemaId") is not None:
        out["feature_schema_id"] = r["schemaId"]
    if r.get("name") is not None:
        out["name"] = r["name"]
    return out


def _export_classification(r: Mapping[str, Any]) -> dict[str, Any]:
    out = _export_feature(r)
    answer = r.get("answer")
    if isinstance(answer, str):
        out["text_answer"] = {"content": answer}
    elif isinstance(answer, list):
        out["checklist_answers"] = [_export_answer(a) for a in answer]
    elif isinstance(answer, Mapping):
        out["radio_answer"] = _export_answer(answer)
    return out


_VIDEO_KIND = {"bbox": "VideoBoundingBox", "point": "VideoPoint", "line": "VideoPolyline"}


def _export_object(r: Mapping[str, Any], geo: bool) -> dict[str, Any]:
    out: dict[str, Any] = _export_feature(r)
    if "bbox" in r:
        box = dict(r["bbox"])
        if geo:
            t, lft, h, w = box["top"], box["left"], box["height"], box["width"]
            ring = [[lft, t], [lft + w, t], [lft + w, t + h], [lft, t + h], [lft, t]]
            out.update(annotation_kind="GeoBoundingBox", geojson={"type": "Polygon", "coordinates": [ring]})
        elif r.get("page") is not None:
            out.update(annotation_kind="DocumentBoundingBox", page_number=r["page"] + 1, bounding_box=box)
            if r.get("unit"):
                out["unit"] = r["unit"]
        else:
            out.update(annotation_kind="ImageBoundingBox", bounding_box=box)
    elif "polygon" in r:
        if geo:
            ring = [[p["x"], p["y"]] for p in r["polygon"]]
            out.update(annotation_kind="GeoPolygon", geojson={"type": "Polygon", "coordinates": [ring]})
        else:
            out.update(annotation_kind="ImagePolygon", polygon=[dict(p) for p in r["polygon"]])
    elif "point" in r:
        if geo:
            out.update(
                annotation_kind="GeoPoint", geojson={"type": "Point", "coordinates": [r["point"]["x"], r["point"]["y"]]}
            )
        else:
            out.update(annotation_kind="ImagePoint", point=dict(r["point"]))
    elif "line" in r:
        if geo:
            coords = [[p["x"], p["y"]] for p in r["line"]]
            out.update(annotation_kind="GeoPolyline", geojson={"type": "LineString", "coordinates": coords})
        else:
            out.update(annotation_kind="ImagePolyline", line=[dict(p) for p in r["line"]])
    elif "mask" in r:
        url = r["mask"].get("instanceURI")
        out.update(
            annotation_kind="ImageSegmentationMask",
            mask={"url": url},
            composite_mask={"url": url, "color_rgb": list(r["mask"].get("colorRGB") or [255, 255, 255])},
        )
    elif "textSelections" in r:
        groups = [
            {"id": s["groupId"], "page_number": s["page"], "tokens": list(s["tokenIds"])} for s in r["textSelections"]
        ]
        out.update(annotation_kind="DocumentEntityToken", location={"groups": groups})
    elif "messageId" in r:
        loc = {"start": r["location"]["start"], "end": r["location"]["end"]}
        out.update(
            annotation_kind="ConversationalTextEntity",
            conversational_location={"message_id": r["messageId"], "location": loc},
        )
    else:
        out.update(
            annotation_kind="TextEntity", location={"start": r["location"]["start"], "end": r["location"]["end"]}
        )
    out["classifications"] = [_export_classification(c) for c in r.get("classifications") or []]
    return out


def import_records_to_annotations(records: Iterable[Mapping[str, Any]], *, geospatial: bool = False) -> dict[str, Any]:
    """The export v2 ``annotations`` member that import records stand for (the inverse of
    :func:`label_to_import_records`), without the ids and values the server assigns.

    Args:
        records: Import records of one data row (NDJSON dicts; validate them first with
            :func:`~alabelbox.types.validate_import_record` if they come from outside).
        geospatial: The data row is a geospatial tile: points, lines, polygons and boxes are GeoJSON.

    Returns:
        ``{"objects", "classifications", "relationships"}``, plus ``frames``, ``segments`` and
        ``key_frame_feature_map`` when a record tracks an object over video frames (``groups`` for DICOM). Objects
        carry their record's ``uuid`` as ``feature_id``, so relationships name their ends.

    Example:
        >>> records = [{"uuid": "u", "dataRow": {"id": "r"}, "name": "weather", "answer": "rain"}]
        >>> import_records_to_annotations(records)["classifications"]
        [{'name': 'weather', 'text_answer': {'content': 'rain'}}]
    """
    out: dict[str, Any] = {"objects": [], "classifications": [], "relationships": []}
    for r in records:
        if "segments" in r:
            fid = r["uuid"]
            group = r.get("groupKey")
            target = out
            if group is not None:
                target = out.setdefault("groups", {}).setdefault(
                    group, {"name": group, "classifications": [], "frames": {}}
                )
            frames = target.setdefault("frames", {})
            spans, marks = [], {}
            for segment in r["segments"]:
                numbers = []
                for kf in segment["keyframes"]:
                    shape = next(k for k in ("bbox", "point", "line") if k in kf)
                    member = {"bbox": "bounding_box", "point": "point", "line": "line"}[shape]
                    geometry = [dict(p) for p in kf[shape]] if shape == "line" else dict(kf[shape])
                    frame = frames.setdefault(str(kf["frame"]), {"objects": {}, "classifications": []})
                    frame["objects"][fid] = {
                        "feature_id": fid,
                        **_export_feature(r),
                        "annotation_kind": "DICOMPolyline" if group else _VIDEO_KIND[shape],
                        member: geometry,
                        "classifications": [_export_classification(c) for c in kf.get("classifications") or []],
                    }
                    numbers.append(kf["frame"])
                    marks[str(kf["frame"])] = True
                spans.append([min(numbers), max(numbers)])
            if group is None:
                out.setdefault("segments", {})[fid] = spans
                out.setdefault("key_frame_feature_map", {})[fid] = marks
            else:
                out.setdefault("segments", {}).setdefault(group, {})[fid] = spans
                out.setdefault("key_frame_feature_map", {}).setdefault(fid, {})[group] = marks
        elif "relationship" in r:
            rel = r["relationship"]
            out["relationships"].append(
                {
                    **_export_feature(r),
                    "type": rel.get("type", "unidirectional"),
                    "source": rel["source"],
                    "target": rel["target"],
                }
            )
        elif "answer" in r:
            c = _export_classification(r)
            if r.get("messageId") is not None:
                c["message_id"] = r["messageId"]
            if r.get("frames"):
                frames = out.setdefault("frames", {})
                for span in r["frames"]:
                    for n in range(span["start"], span.get("end", span["start"]) + 1):
                        frames.setdefault(str(n), {"objects": {}, "classifications": []})["classifications"].append(c)
            else:
                out["classifications"].append(c)
        else:
            obj = (
                {"feature_id": r["uuid"], **_export_object(r, geospatial)}
                if r.get("uuid")
                else _export_object(r, geospatial)
            )
            out["objects"].append(obj)
    if "frames" in out:
        out["frames"] = dict(sorted(out["frames"].items(), key=lambda kv: int(kv[0])))
    return out
