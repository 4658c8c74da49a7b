"""The annotation import format (Labelbox's NDJSON import lines), typed and checked before anything is sent.

One model per kind of line. Every kind of the export format has its import line here:

========================  =================================  ===============================================
model                     NDJSON geometry member             becomes, in an export
========================  =================================  ===============================================
:class:`ImportBoundingBox`   ``bbox`` (``page``, ``unit``)   ImageBoundingBox, DocumentBoundingBox (PDF),
                                                             GeoBoundingBox (geospatial)
:class:`ImportPolygon`       ``polygon``                     ImagePolygon, GeoPolygon
:class:`ImportPoint`         ``point``                       ImagePoint, GeoPoint
:class:`ImportPolyline`      ``line``                        ImagePolyline, GeoPolyline, DICOMPolyline
:class:`ImportMask`          ``mask`` (``instanceURI`` +     ImageSegmentationMask
                             ``colorRGB``, or ``png``)
:class:`ImportTextEntity`    ``location``                    TextEntity
:class:`ImportConversationEntity`  ``location`` + ``messageId``  ConversationalTextEntity
:class:`ImportDocumentEntity`  ``textSelections``            DocumentEntityToken
:class:`ImportRelationship`  ``relationship``                a label's ``relationships``
:class:`ImportVideoObject`   ``segments`` of ``keyframes``   VideoBoundingBox / VideoPoint / VideoPolyline per
                             (``groupKey`` for DICOM)        frame, DICOMPolyline in a DICOM group
:class:`ImportRadio`         ``answer`` (an object)          radio classification (``frames`` on video)
:class:`ImportChecklist`     ``answer`` (a list)             checklist classification
:class:`ImportText`          ``answer`` (a string)           free-text classification
========================  =================================  ===============================================

Every line names its data row (:class:`ImportDataRow`: exactly one of ``id`` and ``global_key``) and its feature
(``name`` or ``schema_id``, at least one), and has a ``uuid`` (made for you when not given; relationships name
their ends by it). Nested classifications (:class:`ImportNestedRadio`, :class:`ImportNestedChecklist`,
:class:`ImportNestedText`) hang under an object, a keyframe, or an answer (:class:`ImportAnswer`).

Build lines as models, or pass the NDJSON dicts themselves: :func:`validate_import_record` checks a dict and raises
:class:`~alabelbox.AnnotationValidationError` naming the record's index and the field that is wrong. Either way
``to_record()`` gives the NDJSON dict that is sent.

Example:
    >>> box = ImportBoundingBox(
    ...     data_row=ImportDataRow(global_key="roof-001.png"),
    ...     name="damage",
    ...     bbox=ImportBox(top=10, left=20, height=30, width=40),
    ...     classifications=[ImportNestedRadio(name="severity", answer=ImportAnswer(name="high"))],
    ...     uuid="b2f0c8e0-0000-4000-8000-000000000001",
    ... )
    >>> box.to_record()["bbox"]
    {'top': 10, 'left': 20, 'height': 30, 'width': 40}
    >>> validate_import_record({"dataRow": {"id": "x"}, "name": "car", "bbox": {"top": 1}}, index=7)
    Traceback (most recent call last):
    ...
    alabelbox._exceptions.AnnotationValidationError: records[7].bbox.left: Field required
"""

from __future__ import annotations

import uuid as _uuid
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from alabelbox._exceptions import AnnotationValidationError

__all__ = [
    "ImportAnnotation",
    "ImportAnswer",
    "ImportBoundingBox",
    "ImportBox",
    "ImportChecklist",
    "ImportConversationEntity",
    "ImportDataRow",
    "ImportDocumentEntity",
    "ImportFrameRange",
    "ImportKeyframe",
    "ImportMask",
    "ImportMaskData",
    "ImportNestedChecklist",
    "ImportNestedClassification",
    "ImportNestedRadio",
    "ImportNestedText",
    "ImportPoint",
    "ImportPolygon",
    "ImportPolyline",
    "ImportRadio",
    "ImportRelationship",
    "ImportRelationshipEnds",
    "ImportSegment",
    "ImportSpan",
    "ImportText",
    "ImportTextEntity",
    "ImportTextSelection",
    "ImportVideoObject",
    "ImportXY",
    "validate_import_record",
]

Number: TypeAlias = int | float


class _Model(BaseModel):
    """Frozen, camelCase on the wire, strict (``"2"`` is not a number), unknown members refused (a misspelt
    ``bbbox`` is an error, not lost)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        extra="forbid",
        strict=True,
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
    )

    def to_record(self) -> dict[str, Any]:
        """The NDJSON dict of this line: the members that were set (and the ``uuid``, made if it was not)."""
        out = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        uuid = getattr(self, "uuid", None)
        return {"uuid": uuid, **out} if uuid is not None and "uuid" not in out else out


class ImportDataRow(_Model):
    """The data row a line annotates: exactly one of ``id`` and ``global_key``."""

    id: str | None = None
    global_key: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ImportDataRow:
        if (self.id is None) == (self.global_key is None):
            raise ValueError("set exactly one of id and globalKey")
        return self


class _Feature(_Model):
    """A feature named by ``name`` or ``schema_id`` (at least one)."""

    name: str | None = None
    schema_id: str | None = None

    @model_validator(mode="after")
    def _named(self) -> Any:
        if self.name is None and self.schema_id is None:
            raise ValueError("set name or schemaId")
        return self


class ImportAnswer(_Feature):
    """An option of a radio or checklist question, with the classifications nested under it."""

    classifications: list[ImportNestedClassification] = Field(default_factory=list)
    confidence: float | None = None


class ImportNestedRadio(_Feature):
    """A radio question nested under an object, a keyframe or an answer."""

    answer: ImportAnswer


class ImportNestedChecklist(_Feature):
    """A checklist question nested under an object, a keyframe or an answer (at least one answer)."""

    answer: Annotated[list[ImportAnswer], Field(min_length=1)]


class ImportNestedText(_Feature):
    """A free-text question nested under an object, a keyframe or an answer."""

    answer: str


ImportNestedClassification: TypeAlias = ImportNestedRadio | ImportNestedChecklist | ImportNestedText
"""A nested classification: radio, checklist or free text."""


class _Line(_Feature):
    uuid: str = Field(default_factory=lambda: str(_uuid.uuid4()))
    data_row: ImportDataRow
    confidence: float | None = None
    custom_metrics: list[dict[str, Any]] | None = None


class _Object(_Line):
    classifications: list[ImportNestedClassification] = Field(default_factory=list)


class ImportBox(_Model):
    """A box in pixels (PDF: in ``unit``); ``height`` and ``width`` are not negative."""

    top: Number
    left: Number
    height: Annotated[Number, Field(ge=0)]
    width: Annotated[Number, Field(ge=0)]


class ImportXY(_Model):
    """A point: pixels on an image, longitude and latitude on a geospatial asset."""

    x: Number
    y: Number


class ImportBoundingBox(_Object):
    """A bounding box; on a document, with its 0-based ``page`` and ``unit`` (``POINTS``, ``PIXELS``...)."""

    bbox: ImportBox
    page: Annotated[int, Field(ge=0)] | None = None
    unit: str | None = None


class ImportPolygon(_Object):
    """A polygon of at least three points."""

    polygon: Annotated[list[ImportXY], Field(min_length=3)]


class ImportPoint(_Object):
    """A point."""

    point: ImportXY


class ImportPolyline(_Object):
    """A polyline of at least two points."""

    line: Annotated[list[ImportXY], Field(min_length=2)]


class ImportMaskData(_Model):
    """A mask: the URL of a mask image and the colour of this object in it, or a binary PNG (base64)."""

    instance_uri: str | None = Field(default=None, alias="instanceURI")
    color_rgb: Annotated[list[int], Field(min_length=3, max_length=3)] | None = Field(default=None, alias="colorRGB")
    png: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> ImportMaskData:
        if (self.instance_uri is None) == (self.png is None):
            raise ValueError("set instanceURI (with colorRGB) or png")
        if self.instance_uri is not None and self.color_rgb is None:
            raise ValueError("colorRGB is required with instanceURI")
        if self.color_rgb is not None and not all(0 <= c <= 255 for c in self.color_rgb):
            raise ValueError("colorRGB values must be 0-255")
        return self


class ImportMask(_Object):
    """A segmentation mask."""

    mask: ImportMaskData


class ImportSpan(_Model):
    """Character offsets ``start`` <= ``end``."""

    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]

    @model_validator(mode="after")
    def _ordered(self) -> ImportSpan:
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class ImportTextEntity(_Object):
    """A named entity in a text asset."""

    location: ImportSpan


class ImportConversationEntity(_Object):
    """A named entity in one message of a conversation."""

    location: ImportSpan
    message_id: str


class ImportTextSelection(_Model):
    """Tokens of one group on one page of a document."""

    token_ids: Annotated[list[str], Field(min_length=1)]
    group_id: str
    page: Annotated[int, Field(ge=1)]


class ImportDocumentEntity(_Object):
    """A named entity in a document (text layer tokens)."""

    text_selections: Annotated[list[ImportTextSelection], Field(min_length=1)]


class ImportRelationshipEnds(_Model):
    """The ``uuid`` of the source and target annotations (lines of the same import, on the same data row)."""

    source: str
    target: str
    type: Literal["unidirectional", "bidirectional"] = "unidirectional"


class ImportRelationship(_Line):
    """A relationship between two annotations of the same data row."""

    relationship: ImportRelationshipEnds


class ImportKeyframe(_Model):
    """One keyframe of a video (or DICOM) object: exactly one of ``bbox``, ``point`` and ``line``."""

    frame: Annotated[int, Field(ge=0)]
    bbox: ImportBox | None = None
    point: ImportXY | None = None
    line: Annotated[list[ImportXY], Field(min_length=2)] | None = None
    classifications: list[ImportNestedClassification] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_shape(self) -> ImportKeyframe:
        if sum(v is not None for v in (self.bbox, self.point, self.line)) != 1:
            raise ValueError("set exactly one of bbox, point and line")
        return self


class ImportSegment(_Model):
    """A run of keyframes of one object."""

    keyframes: Annotated[list[ImportKeyframe], Field(min_length=1)]


class ImportVideoObject(_Line):
    """An object tracked over video frames (or DICOM slices: set ``group_key``, e.g. ``axial``)."""

    segments: Annotated[list[ImportSegment], Field(min_length=1)]
    group_key: str | None = None


class ImportFrameRange(_Model):
    """Video frames ``start`` to ``end`` (inclusive) a classification holds on."""

    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)] | None = None


class _Classification(_Line):
    message_id: str | None = None
    frames: list[ImportFrameRange] | None = None


class ImportRadio(_Classification):
    """A radio classification of the whole asset (of a message with ``message_id``; of frames on video)."""

    answer: ImportAnswer


class ImportChecklist(_Classification):
    """A checklist classification (at least one answer)."""

    answer: Annotated[list[ImportAnswer], Field(min_length=1)]


class ImportText(_Classification):
    """A free-text classification."""

    answer: str


ImportAnnotation: TypeAlias = (
    ImportBoundingBox
    | ImportPolygon
    | ImportPoint
    | ImportPolyline
    | ImportMask
    | ImportTextEntity
    | ImportConversationEntity
    | ImportDocumentEntity
    | ImportRelationship
    | ImportVideoObject
    | ImportRadio
    | ImportChecklist
    | ImportText
)
"""Any import line."""

for _cls in (ImportAnswer, ImportNestedRadio, ImportNestedChecklist, ImportNestedText):
    _cls.model_rebuild()

_BY_MEMBER: tuple[tuple[str, type[_Model]], ...] = (
    ("segments", ImportVideoObject),
    ("relationship", ImportRelationship),
    ("bbox", ImportBoundingBox),
    ("polygon", ImportPolygon),
    ("point", ImportPoint),
    ("line", ImportPolyline),
    ("mask", ImportMask),
    ("textSelections", ImportDocumentEntity),
)


def _model_of(record: Mapping[str, Any]) -> type[_Model] | None:
    for member, model in _BY_MEMBER:
        if member in record:
            return model
    if "location" in record:
        return ImportConversationEntity if "messageId" in record else ImportTextEntity
    answer = record.get("answer")
    if isinstance(answer, str):
        return ImportText
    if isinstance(answer, list):
        return ImportChecklist
    if isinstance(answer, dict):
        return ImportRadio
    return None


_TYPE_TAGS = frozenset({"int", "float", "str", "bool", "list", "dict", "tuple", "none"})


def _path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a record path, without the tags of union members (``int``, model names)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in _TYPE_TAGS and not part[:1].isupper() and "[" not in part and "-" not in part:
            out += f".{part}"
    return out


def _parse_annotation(record: Mapping[str, Any], index: int) -> ImportAnnotation:
    if not isinstance(record, Mapping):
        raise AnnotationValidationError(index, "", f"expected a dict, got {type(record).__name__}")
    model = _model_of(record)
    if model is None:
        raise AnnotationValidationError(
            index,
            "",
            "no geometry (bbox, polygon, point, line, mask, location, textSelections, segments, relationship) "
            "and no answer",
        )
    try:
        return model.model_validate(record)  # type: ignore[return-value]
    except ValidationError as exc:
        first = exc.errors()[0]
        # A union of nested classifications reports every member's complaint: name the one that fits the answer.
        raise AnnotationValidationError(index, _path(first["loc"]).lstrip("."), first["msg"]) from None


def validate_import_record(record: Mapping[str, Any] | ImportAnnotation, *, index: int = 0) -> dict[str, Any]:
    """Check one import line and return its NDJSON dict (a model's ``to_record()``; a dict's copy, with a ``uuid``
    made when it has none).

    Args:
        record: An import model, or an NDJSON dict (camelCase members, as Labelbox documents them).
        index: The record's position in its import, for the error message.

    Raises:
        AnnotationValidationError: The record does not fit; its ``index`` and ``field`` say where.

    Example:
        >>> validate_import_record(
        ...     {"uuid": "u1", "dataRow": {"globalKey": "a.png"}, "name": "weather", "answer": {"name": "rain"}}
        ... )["answer"]
        {'name': 'rain'}
    """
    if isinstance(record, _Model):
        return record.to_record()
    parsed = _parse_annotation(record, index)
    # What was sent is what goes (the model forbids unknown members, so nothing unchecked rides along); dumping the
    # model again would cost twice the check. Only a missing uuid is added.
    return dict(record) if "uuid" in record else {"uuid": parsed.uuid, **record}
