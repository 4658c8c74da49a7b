"""Annotations in export v2 records, as a union discriminated on ``annotation_kind``.

Known kinds get their own model; any other kind validates as :class:`GenericAnnotation`, which keeps every field, so
a kind Labelbox adds later is never dropped and never fatal. Kinds marked UNVERIFIED below are named after the
Labelbox docs from memory; if the real name differs, those objects come back as :class:`GenericAnnotation` with all
their data, never lost.

========================  ==================================  =========================================
kind                      model                               geometry field
========================  ==================================  =========================================
ImageBoundingBox          :class:`ImageBoundingBox`           ``bounding_box``
ImagePolygon              :class:`ImagePolygon`               ``polygon``
ImagePoint                :class:`ImagePoint`                 ``point``
ImagePolyline             :class:`ImagePolyline`              ``line``
ImageSegmentationMask     :class:`ImageSegmentationMask`      ``mask`` / ``composite_mask``
TextEntity                :class:`TextEntity`                 ``location``
VideoBoundingBox          :class:`VideoBoundingBox`           ``bounding_box``
VideoPoint                :class:`VideoPoint`                 ``point``
VideoPolyline             :class:`VideoPolyline`              ``line``
VideoSegmentationMask     :class:`VideoSegmentationMask`      ``composite_mask``       (UNVERIFIED)
ConversationalTextEntity  :class:`ConversationalTextEntity`   ``location``             (UNVERIFIED)
DocumentBoundingBox       :class:`DocumentBoundingBox`        ``bounding_box``, page   (UNVERIFIED)
DocumentEntity            :class:`DocumentEntity`             ``text_selections``      (UNVERIFIED)
GeospatialPoint ...       :class:`GeospatialAnnotation`       ``point`` etc.           (UNVERIFIED)
anything else             :class:`GenericAnnotation`          kept as sent
========================  ==================================  =========================================

Geometry is kept lean on purpose: :class:`BoundingBox`, :class:`Coordinate` and :class:`TextLocation` are
``TypedDict`` classes, validated (``top``/``left``/``x``/``y`` must be numbers) but stored as plain dicts, so a
polygon of a thousand vertices costs a thousand dicts, not a thousand model instances (measured: model geometry made
a list of five annotations 1.35x slower to validate than TypedDict geometry). Read them as ``box["top"]``,
``vertex["x"]``. Numbers stay ``int`` when they were integers on the wire.

How the union is chosen: a string discriminator on ``annotation_kind`` picks the known model (one dict lookup, no
copy), and only when the kind is unknown does validation fall back to :class:`GenericAnnotation`. An object whose kind
*is* known but whose fields are wrong is an error, not a silent generic: :class:`GenericAnnotation` refuses known
kinds.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired, TypeAlias

from pydantic import ConfigDict, Field, field_validator, with_config
from typing_extensions import TypedDict

from alabelbox.types._base import ExportModel, Number
from alabelbox.types.classifications import ExportClassification

__all__ = [
    "BoundingBox",
    "ConversationalTextEntity",
    "Coordinate",
    "DocumentBoundingBox",
    "DocumentEntity",
    "ExportAnnotation",
    "ExportRelationship",
    "GenericAnnotation",
    "GeospatialAnnotation",
    "ImageBoundingBox",
    "ImagePoint",
    "ImagePolygon",
    "ImagePolyline",
    "ImageSegmentationMask",
    "KnownAnnotation",
    "LabelAnnotations",
    "MaskRef",
    "RelationshipEnds",
    "TextEntity",
    "TextLocation",
    "VideoBoundingBox",
    "VideoFrame",
    "VideoPoint",
    "VideoPolyline",
    "VideoSegmentationMask",
]


@with_config(ConfigDict(extra="allow"))
class BoundingBox(TypedDict):
    """An axis-aligned box in pixels (images, video) or in ``unit`` (documents)."""

    top: Number
    left: Number
    height: Number
    width: Number


@with_config(ConfigDict(extra="allow"))
class Coordinate(TypedDict):
    """A point: pixels for images, longitude (x) / latitude (y) for geospatial rows."""

    x: Number
    y: Number


@with_config(ConfigDict(extra="allow"))
class TextLocation(TypedDict):
    """A character range in a text (with ``message_id``, in one message of a conversation).

    ``start`` is the first character, ``end`` the last (inclusive, as Labelbox sends it).
    """

    start: int
    end: int
    message_id: NotRequired[str]


class MaskRef(ExportModel):
    """A reference to a mask image: a URL to fetch with the API key, and the mask's colour for composite masks."""

    url: str | None = None
    color_rgb: list[int] | None = None
    """Composite masks: the RGB colour of this instance in the shared mask image."""


class _AnnotationBase(ExportModel):
    """Fields common to every annotation object."""

    feature_id: str | None = None
    """The id of this annotation instance (stable across label versions)."""
    feature_schema_id: str | None = None
    """The ontology id of the tool that made it."""
    name: str | None = None
    """The tool's display name."""
    value: str | None = None
    """The tool's value as set in the ontology."""
    classifications: list[ExportClassification] | None = None
    """Classifications nested under this object."""


class ImageBoundingBox(_AnnotationBase):
    """A bounding box on an image."""

    annotation_kind: Literal["ImageBoundingBox"]
    bounding_box: BoundingBox


class ImagePolygon(_AnnotationBase):
    """A polygon on an image."""

    annotation_kind: Literal["ImagePolygon"]
    polygon: list[Coordinate]


class ImagePoint(_AnnotationBase):
    """A point on an image."""

    annotation_kind: Literal["ImagePoint"]
    point: Coordinate


class ImagePolyline(_AnnotationBase):
    """A polyline on an image."""

    annotation_kind: Literal["ImagePolyline"]
    line: list[Coordinate]


class ImageSegmentationMask(_AnnotationBase):
    """A segmentation mask on an image."""

    annotation_kind: Literal["ImageSegmentationMask"]
    mask: MaskRef | None = None
    composite_mask: MaskRef | None = None


class TextEntity(_AnnotationBase):
    """A named entity on a text row."""

    annotation_kind: Literal["TextEntity"]
    location: TextLocation


class VideoBoundingBox(_AnnotationBase):
    """A bounding box on one video frame."""

    annotation_kind: Literal["VideoBoundingBox"]
    bounding_box: BoundingBox


class VideoPoint(_AnnotationBase):
    """A point on one video frame."""

    annotation_kind: Literal["VideoPoint"]
    point: Coordinate


class VideoPolyline(_AnnotationBase):
    """A polyline on one video frame."""

    annotation_kind: Literal["VideoPolyline"]
    line: list[Coordinate]


class VideoSegmentationMask(_AnnotationBase):
    """A segmentation mask on one video frame (UNVERIFIED kind name)."""

    annotation_kind: Literal["VideoSegmentationMask"]
    composite_mask: MaskRef | None = None
    mask: MaskRef | None = None


class ConversationalTextEntity(_AnnotationBase):
    """An entity inside one message of a conversational row (UNVERIFIED kind name)."""

    annotation_kind: Literal["ConversationalTextEntity"]
    location: TextLocation


class DocumentBoundingBox(_AnnotationBase):
    """A bounding box on a page of a PDF (UNVERIFIED kind name)."""

    annotation_kind: Literal["DocumentBoundingBox"]
    bounding_box: BoundingBox
    page_number: int | None = None
    """The page, as Labelbox numbers it."""
    unit: str | None = None
    """The unit of ``bounding_box``, e.g. ``"POINTS"``."""


class DocumentEntity(_AnnotationBase):
    """A text entity on a PDF, as token selections (UNVERIFIED kind name)."""

    annotation_kind: Literal["DocumentEntity"]
    text_selections: list[dict[str, Any]] | None = None
    """Each selection: ``token_ids``, ``group_id``, ``page``."""


class GeospatialAnnotation(_AnnotationBase):
    """A geospatial (tiled imagery) object; coordinates are longitude/latitude (UNVERIFIED kind names)."""

    annotation_kind: Literal["GeospatialPoint", "GeospatialPolygon", "GeospatialPolyline", "GeospatialBoundingBox"]
    point: Coordinate | None = None
    polygon: list[Coordinate] | None = None
    line: list[Coordinate] | None = None
    bounding_box: BoundingBox | None = None


class GenericAnnotation(_AnnotationBase):
    """An annotation of a kind this version of alabelbox does not know. Every field is kept as sent."""

    annotation_kind: str | None = None

    @field_validator("annotation_kind")
    @classmethod
    def _not_a_known_kind(cls, kind: str | None) -> str | None:
        # Reached only when the typed model of a known kind failed: report that failure, do not hide it.
        if kind in _KNOWN_KINDS:
            raise ValueError(f"a {kind} annotation that does not fit its model")
        return kind


_KNOWN_KINDS: frozenset[str] = frozenset(
    {
        "ImageBoundingBox",
        "ImagePolygon",
        "ImagePoint",
        "ImagePolyline",
        "ImageSegmentationMask",
        "TextEntity",
        "VideoBoundingBox",
        "VideoPoint",
        "VideoPolyline",
        "VideoSegmentationMask",
        "ConversationalTextEntity",
        "DocumentBoundingBox",
        "DocumentEntity",
        "GeospatialPoint",
        "GeospatialPolygon",
        "GeospatialPolyline",
        "GeospatialBoundingBox",
    }
)

KnownAnnotation: TypeAlias = Annotated[
    ImageBoundingBox
    | ImagePolygon
    | ImagePoint
    | ImagePolyline
    | ImageSegmentationMask
    | TextEntity
    | VideoBoundingBox
    | VideoPoint
    | VideoPolyline
    | VideoSegmentationMask
    | ConversationalTextEntity
    | DocumentBoundingBox
    | DocumentEntity
    | GeospatialAnnotation,
    Field(discriminator="annotation_kind"),
]
"""An annotation of a kind alabelbox knows, discriminated on ``annotation_kind``."""

ExportAnnotation: TypeAlias = Annotated[KnownAnnotation | GenericAnnotation, Field(union_mode="left_to_right")]
"""Any annotation object: a known kind's model, or :class:`GenericAnnotation` for a kind alabelbox does not know."""


class RelationshipEnds(ExportModel):
    """The two ends of a relationship, as annotation ``feature_id`` values."""

    source: str | None = None
    target: str | None = None
    type: str | None = None
    """``"unidirectional"`` or ``"bidirectional"``."""


class ExportRelationship(ExportModel):
    """A relationship between two annotations of the same label."""

    feature_id: str | None = None
    feature_schema_id: str | None = None
    name: str | None = None
    value: str | None = None
    relationship: RelationshipEnds | None = None


class VideoFrame(ExportModel):
    """The annotations on one video frame."""

    objects: dict[str, ExportAnnotation] | None = None
    """Objects on this frame, keyed by ``feature_id``."""
    classifications: list[ExportClassification] | None = None


class LabelAnnotations(ExportModel):
    """The ``annotations`` of a label.

    Image, text, document and conversational labels use ``objects`` / ``classifications`` / ``relationships``.
    Video labels use ``frames`` / ``segments`` / ``key_frame_feature_map`` / ``classifications``.
    """

    objects: list[ExportAnnotation] | None = None
    classifications: list[ExportClassification] | None = None
    relationships: list[ExportRelationship] | None = None
    frames: dict[str, VideoFrame] | None = None
    """Video: frame number (a string key, as on the wire) to the annotations on that frame."""
    segments: dict[str, list[list[int]]] | None = None
    """Video: ``feature_id`` to the ``[start, end]`` frame ranges the object spans."""
    key_frame_feature_map: dict[str, dict[str, bool]] | None = None
    """Video: ``feature_id`` to {frame number: whether that frame is a key frame}."""
