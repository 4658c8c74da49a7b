"""The two tables built column by column: export rows go straight into per-column lists, then into Arrow arrays.

The same flattening as :func:`~alabelbox.destinations.annotation_records` and
:func:`~alabelbox.destinations.row_record` (the tests hold the tables of both equal), without a Python record per
annotation: each annotation appends its values to the columns it has, a column it lacks is padded with nulls only
when the next value (or the batch) comes, and the columns a label's annotations share (data row, label, project) are
extended once per label. The JSON columns stay UTF-8 ``bytes`` from ``pydantic_core.to_json`` until Arrow copies
them (a Python ``str`` of text with one emoji takes four bytes a character). This is what keeps a Parquet export's
memory low and its time a fraction of the record-by-record path's.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping
from itertools import repeat
from typing import Any

from pydantic_core import to_json

from alabelbox.destinations._flatten import (
    _CLASSIFICATION_KEYS,
    _OBJECT_KEYS,
    _RELATIONSHIP_KEYS,
    _ROW_SECTIONS,
    ANNOTATION_COLUMNS,
    label_sources,
)
from alabelbox.destinations._optional import require

__all__ = ["AnnotationColumns", "RowColumns", "columns_batch", "count_annotations"]

_LABEL_COLUMNS = ("data_row_id", "global_key", "external_id", "source", "project_id", "label_id")
_EACH_COLUMNS = ("frame", "kind", "feature_id", "feature_schema_id", "name", "value", "parent_feature_id", "extra")
_SPARSE_COLUMNS = tuple(c for c in ANNOTATION_COLUMNS if c not in _LABEL_COLUMNS + _EACH_COLUMNS)
_SECTION_KEYS = frozenset(_ROW_SECTIONS)
_RELATIONSHIP_KNOWN = _RELATIONSHIP_KEYS | {"source", "target", "type"}
#: Rough Arrow bytes of one annotation beside its ``extra`` JSON (ids, names, geometry).
ANNOTATION_BYTES = 200


def _num(value: Any) -> float | None:
    if value.__class__ is float:
        return float(value)
    return None if value is None or isinstance(value, bool) else float(value)


def _int(value: Any) -> int | None:
    if value.__class__ is int:
        return int(value)
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _extra(obj: Mapping[str, Any], known: frozenset[str]) -> bytes | None:
    if obj.keys() <= known:
        return None
    return to_json({k: v for k, v in obj.items() if k not in known})


class _Sparse:
    """A column most annotations leave null: its values, and the index of the annotation of each."""

    __slots__ = ("index", "values")

    def __init__(self) -> None:
        self.index: list[int] = []
        self.values: list[Any] = []

    def put(self, index: int, value: Any) -> None:
        if value is not None:
            self.index.append(index)
            self.values.append(value)

    def take(self) -> tuple[list[int], list[Any]]:
        taken = self.index, self.values
        self.index, self.values = [], []
        return taken


def count_annotations(row: Mapping[str, Any]) -> int:
    """The row's annotation count, as the annotations table would hold (without building it)."""
    return _counts(row, True)[1]


def _counts(row: Mapping[str, Any], annotations: bool) -> tuple[int, int]:
    """``(labels, annotations)`` of a row; the annotations are counted only if asked (else 0)."""
    labels = total = 0
    for _source, _container, label in label_sources(row):
        labels += 1
        if not annotations:
            continue
        content = label.get("annotations") or {}
        for obj in content.get("objects") or []:
            total += 1
            if nested := obj.get("classifications"):
                total += _count_classifications(nested)
        if nested := content.get("classifications"):
            total += _count_classifications(nested)
        total += len(content.get("relationships") or [])
        for frame in (content.get("frames") or {}).values():
            objects = (frame or {}).get("objects") or {}
            for obj in objects.values() if isinstance(objects, dict) else objects:
                total += 1
                if nested := obj.get("classifications"):
                    total += _count_classifications(nested)
            total += _count_classifications((frame or {}).get("classifications"))
    return labels, total


def _count_classifications(items: Any) -> int:
    total = 0
    for item in items or []:
        if isinstance(item, list):
            total += _count_classifications(item)
            continue
        total += 1
        radio = item.get("radio_answer")
        if isinstance(radio, dict) and (nested := radio.get("classifications")):
            total += _count_classifications(nested)
        checklist = item.get("checklist_answers")
        if checklist:
            for answer in checklist:
                if isinstance(answer, dict) and (nested := answer.get("classifications")):
                    total += _count_classifications(nested)
        text = item.get("text_answer")
        if isinstance(text, dict) and (nested := text.get("classifications")):
            total += _count_classifications(nested)
    return total


class AnnotationColumns:
    """The annotations table being gathered: :meth:`add` a row, :meth:`take` the columns as a record batch."""

    def __init__(self, kinds: Counter[str] | None = None) -> None:
        self.n = 0
        self.bytes = 0
        self.kinds: Counter[str] = Counter() if kinds is None else kinds
        """Annotations added, by kind (``"unknown"`` for an object without ``annotation_kind``)."""
        self._label: dict[str, list[Any]] = {name: [] for name in _LABEL_COLUMNS}
        # One tuple per annotation of its _EACH_COLUMNS (transposed when taken): one append, not eight.
        self._each: list[tuple[Any, ...]] = []
        self._kinds: list[Any] = []
        self._sparse = {name: _Sparse() for name in _SPARSE_COLUMNS}
        self._record = self._each.append
        self._strings: dict[str, str] = {}
        self._kind = self._kinds.append
        s = self._sparse
        self._bbox = (s["bbox_top"].put, s["bbox_left"].put, s["bbox_height"].put, s["bbox_width"].put)
        self._point = (s["point_x"].put, s["point_y"].put)
        self._points = s["points"].put
        self._mask = (s["mask_url"].put, s["mask_color"].put, s["mask_composite"].put)
        self._text = (s["text_start"].put, s["text_end"].put, s["message_id"].put)
        self._page = s["page_number"].put
        self._answer = (s["answer"].put, s["answers"].put, s["answer_values"].put, s["answer_schema_ids"].put)
        self._relationship = (
            s["relationship_source"].put,
            s["relationship_target"].put,
            s["relationship_type"].put,
        )

    def _share(self, value: Any) -> Any:
        """One copy per row group of a string that repeats (a name, a schema id); anything else as it is."""
        if value.__class__ is str:
            return self._strings.setdefault(value, value)
        return value

    def add(self, row: Mapping[str, Any]) -> int:
        """Append the annotations of ``row``; return how many."""
        data_row = row.get("data_row") or {}
        ids = (data_row.get("id"), data_row.get("global_key"), data_row.get("external_id"))
        first = self.n
        label_columns = self._label
        for source, container, label in label_sources(row):
            start = self.n
            self._annotations(label.get("annotations") or {})
            count = self.n - start
            if count:
                for name, value in zip(_LABEL_COLUMNS, (*ids, source, container, label.get("id")), strict=True):
                    label_columns[name].extend(repeat(value, count))
        added = self.n - first
        if added:
            self.kinds.update(self._kinds)
            self._kinds.clear()
        return added

    def _annotations(self, annotations: Mapping[str, Any]) -> None:
        classifications = self._classifications
        for obj in annotations.get("objects") or []:
            self._object(obj, None)
            if nested := obj.get("classifications"):
                classifications(nested, None, obj.get("feature_id"))
        classifications(annotations.get("classifications"), None, None)
        for rel in annotations.get("relationships") or []:
            self._relation(rel)
        frames = annotations.get("frames")
        if frames:
            for frame_key, frame in frames.items():
                number = _int(frame_key)
                objects = (frame or {}).get("objects") or {}
                for obj in objects.values() if isinstance(objects, dict) else objects:
                    self._object(obj, number)
                    if nested := obj.get("classifications"):
                        classifications(nested, number, obj.get("feature_id"))
                classifications((frame or {}).get("classifications"), number, None)

    def _done(
        self, obj: Mapping[str, Any], frame: int | None, parent: str | None, kind: Any, extra: bytes | None
    ) -> None:
        # The kind, schema id, name and value come from the ontology: one copy of each per row group, not one per
        # annotation (the export's JSON gives every occurrence its own string).
        share = self._share
        self._record(
            (frame, share(kind), obj.get("feature_id"), share(obj.get("feature_schema_id")), share(obj.get("name")),
             share(obj.get("value")), parent, extra)
        )  # fmt: skip
        self._kind(kind or "unknown")
        self.bytes += ANNOTATION_BYTES if extra is None else ANNOTATION_BYTES + len(extra)
        self.n += 1

    def _object(self, obj: Mapping[str, Any], frame: int | None) -> None:
        i = self.n
        box = obj.get("bounding_box")
        if isinstance(box, dict):
            top, left, height, width = self._bbox
            top(i, _num(box.get("top")))
            left(i, _num(box.get("left")))
            height(i, _num(box.get("height")))
            width(i, _num(box.get("width")))
        point = obj.get("point")
        if isinstance(point, dict):
            self._point[0](i, _num(point.get("x")))
            self._point[1](i, _num(point.get("y")))
        vertices = obj.get("polygon")
        if vertices is None:
            vertices = obj.get("line")
        if isinstance(vertices, list):
            self._points(i, [{"x": _num(v.get("x")), "y": _num(v.get("y"))} for v in vertices if isinstance(v, dict)])
        mask = obj.get("mask")
        composite = obj.get("composite_mask")
        if isinstance(composite, dict) and composite.get("url"):
            url, color, is_composite = self._mask
            url(i, composite.get("url"))
            rgb = composite.get("color_rgb")
            color(i, [int(c) for c in rgb] if isinstance(rgb, list) else None)
            is_composite(i, True)
        elif isinstance(mask, dict) and mask.get("url"):
            self._mask[0](i, mask.get("url"))
            self._mask[2](i, False)
        location = obj.get("location")
        conversational = obj.get("conversational_location")
        message = None
        if isinstance(conversational, dict):
            message = conversational.get("message_id")
            location = conversational.get("location")
        if isinstance(location, dict):
            start, end, _message = self._text
            start(i, _int(location.get("start")))
            end(i, _int(location.get("end")))
            if message is None:
                message = location.get("message_id")
        if message is not None:
            self._text[2](i, message)
        page = obj.get("page_number")
        if page is not None:
            self._page(i, _int(page))
        self._done(obj, frame, None, obj.get("annotation_kind"), _extra(obj, _OBJECT_KEYS))

    def _classifications(self, items: Any, frame: int | None, parent: str | None) -> None:
        for item in items or []:
            if isinstance(item, list):  # legacy-style nesting of lists
                self._classifications(item, frame, parent)
                continue
            i = self.n
            answer_put, answers_put, values_put, schema_ids_put = self._answer
            radio = item.get("radio_answer")
            checklist = item.get("checklist_answers")
            text = item.get("text_answer")
            if radio is not None:
                kind = "radio"
                if isinstance(radio, dict):
                    share = self._share
                    answer_put(i, share(radio.get("name")))
                    values_put(i, [share(radio.get("value"))])
                    schema_ids_put(i, [share(radio.get("feature_schema_id"))])
                else:
                    answer_put(i, to_json(radio).decode())
            elif checklist is not None:
                kind = "checklist"
                chosen = [a for a in checklist if isinstance(a, dict)]
                share = self._share
                answers_put(i, [share(a.get("name")) for a in chosen])
                values_put(i, [share(a.get("value")) for a in chosen])
                schema_ids_put(i, [share(a.get("feature_schema_id")) for a in chosen])
            elif text is not None:
                kind = "text"
                answer_put(i, text.get("content") if isinstance(text, dict) else str(text))
            else:
                kind = "classification"
            self._done(item, frame, parent, kind, _extra(item, _CLASSIFICATION_KEYS))
            # Then the classifications under its answers (most answers have none: no call for them).
            if isinstance(radio, dict) and (nested := radio.get("classifications")):
                self._classifications(nested, frame, item.get("feature_id"))
            if checklist:
                for answer in checklist:
                    if isinstance(answer, dict) and (nested := answer.get("classifications")):
                        self._classifications(nested, frame, item.get("feature_id"))
            if isinstance(text, dict) and (nested := text.get("classifications")):
                self._classifications(nested, frame, item.get("feature_id"))

    def _relation(self, rel: Mapping[str, Any]) -> None:
        i = self.n
        ends = rel.get("relationship") or {}
        source, target, kind = self._relationship
        source(i, ends.get("source", rel.get("source")))
        target(i, ends.get("target", rel.get("target")))
        kind(i, ends.get("type", rel.get("type")))
        self._done(rel, None, None, "relationship", _extra(rel, _RELATIONSHIP_KNOWN))

    def take(self) -> dict[str, Any]:
        """The gathered columns (give them to :func:`columns_batch`); the builder is empty again."""
        n = self.n
        columns: dict[str, Any] = {}
        for name, values in self._label.items():
            columns[name] = values.copy()
            values.clear()
        for name, column in zip(_EACH_COLUMNS, zip(*self._each, strict=True) if n else repeat((), 8), strict=True):
            columns[name] = list(column)
        self._each.clear()  # the appends are bound to this very list
        self._strings.clear()
        for name, sparse in self._sparse.items():
            columns[name] = _Scattered(n, *sparse.take())
        self.n = 0
        self.bytes = 0
        return columns


class RowColumns:
    """The rows table being gathered: :meth:`add` a row (with its annotation count), :meth:`take` a record batch."""

    def __init__(self) -> None:
        self.n = 0
        self.bytes = 0
        self._columns: dict[str, list[Any]] = {}
        names = (
            "data_row_id",
            "global_key",
            "external_id",
            "row_data",
            "dataset_id",
            "mime_type",
            "width",
            "height",
            "label_count",
            "annotation_count",
            *_ROW_SECTIONS,
            "extra",
        )
        self._columns = {name: [] for name in names}
        self._appends = [self._columns[name].append for name in names]

    def add(self, row: Mapping[str, Any], annotations: int | None = None) -> None:
        """Append ``row``; ``annotations`` is its annotation count when known (else it is counted)."""
        data_row = row.get("data_row") or {}
        media = row.get("media_attributes") or {}
        details = data_row.get("details") or {}
        labels, counted = _counts(row, annotations is None)
        sections = [row.get(section) for section in _ROW_SECTIONS]
        texts = [None if value is None else to_json(value) for value in sections]
        extra = None
        if not row.keys() <= _SECTION_KEYS:
            extra = to_json({k: v for k, v in row.items() if k not in _SECTION_KEYS})
        values = (
            data_row.get("id"),
            data_row.get("global_key"),
            data_row.get("external_id"),
            data_row.get("row_data"),
            details.get("dataset_id"),
            media.get("mime_type"),
            _int(media.get("width")),
            _int(media.get("height")),
            labels,
            counted if annotations is None else annotations,
            *texts,
            extra,
        )
        for append, value in zip(self._appends, values, strict=True):
            append(value)
        self.n += 1
        self.bytes += sum(len(t) for t in texts if t is not None) + (len(extra) if extra is not None else 0)

    def take(self) -> dict[str, list[Any]]:
        """The gathered columns (give them to :func:`columns_batch`); the builder is empty again."""
        columns: dict[str, list[Any]] = {}
        for name, values in self._columns.items():
            columns[name] = values.copy()
            values.clear()
        self.n = 0
        self.bytes = 0
        return columns


def columns_batch(columns: dict[str, Any], schema: Any, pool: Any = None) -> Any:
    """Gathered columns as one record batch of ``schema``; the lists are emptied as they are converted.

    The arrays are assembled from their buffers (:func:`arrow_array`), not with ``pyarrow.array``, whose first call
    imports pandas when it is installed (about 45 MB and a second or two, for nothing here). ``pool`` is the Arrow
    memory pool the arrays are allocated from (default: Arrow's default pool).
    """
    pa = require("pyarrow", "the Arrow tables")
    arrays = []
    for field in schema:
        values = columns.pop(field.name)
        if isinstance(values, _Scattered):
            arrays.append(values.array(pa, field.type, pool))
        else:
            arrays.append(arrow_array(pa, values, field.type, pool))
            values.clear()
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class _Scattered:
    """A sparse column taken: ``values`` at ``index`` of ``n``, null elsewhere."""

    __slots__ = ("index", "n", "values")

    def __init__(self, n: int, index: list[int], values: list[Any]) -> None:
        self.n = n
        self.index = index
        self.values = values

    def array(self, pa: Any, type: Any, pool: Any = None) -> Any:
        n, index = self.n, self.index
        if not index:
            return pa.nulls(n, type, memory_pool=pool)
        dense = arrow_array(pa, self.values, type, pool)
        if len(index) == n:
            return dense
        # Spread the dense values to their places with a take of indices that are null elsewhere.
        positions = array("i", bytes(4 * n))
        bitmap = bytearray((n + 7) // 8)
        for j, i in enumerate(index):
            positions[i] = j
            bitmap[i >> 3] |= 1 << (i & 7)
        indices = pa.Array.from_buffers(
            pa.int32(), n, [pa.py_buffer(bitmap), pa.py_buffer(positions)], null_count=n - len(index)
        )
        return require("pyarrow.compute", "the Arrow tables").take(dense, indices, memory_pool=pool)


def _validity(pa: Any, values: list[Any]) -> tuple[Any, int]:
    """The validity bitmap of ``values`` (None where every value is set) and the null count."""
    nulls = values.count(None)
    if not nulls:
        return None, 0
    # Bit i of the integer is value i: little-endian bytes of it are Arrow's LSB-first bitmap.
    bits = int("".join(["0" if v is None else "1" for v in reversed(values)]), 2)
    return pa.py_buffer(bits.to_bytes((len(values) + 7) // 8, "little")), nulls


def _bools(pa: Any, values: list[Any]) -> Any:
    if not values:
        return pa.py_buffer(b"")
    bits = int("".join(["1" if v else "0" for v in reversed(values)]), 2)
    return pa.py_buffer(bits.to_bytes((len(values) + 7) // 8, "little"))


def _offsets(pa: Any, lengths: Any, pool: Any = None) -> Any:
    """The int32 offsets buffer of values of ``lengths``: their running sum from 0, summed by Arrow."""
    sizes = array("i", [0, *lengths])
    counted = pa.Array.from_buffers(pa.int32(), len(sizes), [None, pa.py_buffer(sizes)], null_count=0)
    summed = require("pyarrow.compute", "the Arrow tables").cumulative_sum_checked(counted, memory_pool=pool)
    return summed.buffers()[1]


def _string_buffers(pa: Any, values: list[Any], nulls: int, pool: Any = None) -> tuple[Any, Any]:
    """The offsets and data buffers of a string array of ``values`` (``str`` or UTF-8 ``bytes``, None)."""
    first = next(v for v in values if v is not None)
    binary = first.__class__ is bytes
    filled: list[Any] = values
    if nulls:
        empty = b"" if binary else ""
        filled = [empty if v is None else v for v in values]
    try:
        if binary:
            data = b"".join(filled)  # the JSON columns
            lengths = map(len, filled)
        else:
            text = "".join(filled)
            if text.isascii():
                data = text.encode("ascii")
                lengths = map(len, filled)
            else:
                # UTF-8 lengths without one encode per value: encode once, split at a separator no value holds.
                joined = "\0".join(filled)
                if "\0" in text:
                    raise TypeError
                pieces = joined.encode().split(b"\0")
                data = b"".join(pieces)
                lengths = map(len, pieces)
    except TypeError:  # a mixed column, or one with NUL characters: one encode each
        filled = [v if v.__class__ is bytes else v.encode() for v in filled]
        data = b"".join(filled)
        lengths = map(len, filled)
    return _offsets(pa, lengths, pool), pa.py_buffer(data)


_NUMBERS = {"double": ("d", 0.0), "int64": ("q", 0), "int32": ("i", 0)}
_KINDS: dict[Any, str] = {}


def _kind(pa: Any, type: Any) -> str:
    if type == pa.string():
        return "string"
    if type == pa.bool_():
        return "bool"
    if pa.types.is_list(type):
        return "list"
    return str(type)


def arrow_array(pa: Any, values: list[Any], type: Any, pool: Any = None) -> Any:
    """``values`` (Python values, None for null) as an Arrow array of ``type``, built from its buffers.

    Strings may be ``str`` or UTF-8 ``bytes`` (the JSON columns). Raises ``OverflowError`` for an integer that
    does not fit its column.
    """
    n = len(values)
    validity, nulls = _validity(pa, values)
    if nulls == n:
        return pa.nulls(n, type, memory_pool=pool)
    name = _KINDS.get(type)
    if name is None:
        name = _KINDS[type] = _kind(pa, type)
    if name == "string":
        return pa.Array.from_buffers(type, n, [validity, *_string_buffers(pa, values, nulls, pool)], null_count=nulls)
    if name in _NUMBERS:
        code, zero = _NUMBERS[name]
        numbers = array(code, [zero if v is None else v for v in values])
        return pa.Array.from_buffers(type, n, [validity, pa.py_buffer(numbers)], null_count=nulls)
    if name == "bool":
        return pa.Array.from_buffers(type, n, [validity, _bools(pa, values)], null_count=nulls)
    if name == "list":
        lengths = [0 if v is None else len(v) for v in values]
        flat = [item for v in values if v is not None for item in v]
        item = type.value_type
        if pa.types.is_struct(item):
            children = [arrow_array(pa, [p[f.name] for p in flat], f.type, pool) for f in item]
            child = pa.Array.from_buffers(item, len(flat), [None], null_count=0, children=children)
        else:
            child = arrow_array(pa, flat, item, pool)
        offsets = _offsets(pa, lengths, pool)
        return pa.Array.from_buffers(type, n, [validity, offsets], null_count=nulls, children=[child])
    raise TypeError(f"no Arrow builder for a column of type {type}")
