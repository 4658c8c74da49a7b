"""Annotations in export v2 records, as a union discriminated on ``annotation_kind``.

Known kinds get their own model; any other kind validates as :class:`GenericAnnotation`, which keeps every field, so
a kind Labelbox adds later is never dropped and never fatal. Where each kind was seen: *real* is a file of
``tests/reader/samples/real/`` (see its ``SOURCES.md``), *documented* is the Labelbox docs' export format pages or the
labelbox-python integration fixtures ``expected_export_v2_<asset>`` (``tests/data/annotation_import/conftest.py``).
Kinds marked UNVERIFIED are named from memory of the docs; if the real name differs, those objects come back as
:class:`GenericAnnotation` with all their data, never lost.

=========================  ==============  ===================================  =======================================
kind                       asset           model                                geometry field (seen in)
=========================  ==============  ===================================  =======================================
ImageBoundingBox           image           :class:`ImageBoundingBox`            ``bounding_box`` (real)
ImagePolygon               image           :class:`ImagePolygon`                ``polygon`` (documented)
ImagePoint                 image           :class:`ImagePoint`                  ``point`` (documented)
ImagePolyline              image           :class:`ImagePolyline`               ``line`` (documented)
ImageSegmentationMask      image           :class:`ImageSegmentationMask`       ``mask``, ``composite_mask`` (real)
VideoBoundingBox           video           :class:`VideoBoundingBox`            ``bounding_box`` (documented)
VideoPoint                 video           :class:`VideoPoint`                  ``point`` (documented)
VideoPolyline              video           :class:`VideoPolyline`               ``line`` (documented)
VideoSegmentationMask      video           :class:`VideoSegmentationMask`       ``composite_mask`` (UNVERIFIED)
TextEntity                 text, HTML      :class:`TextEntity`                  ``location`` with ``token`` (documented)
ConversationalTextEntity   conversational  :class:`ConversationalTextEntity`    ``conversational_location`` (documented)
DocumentEntityToken        documents       :class:`DocumentEntityToken`         ``location.groups`` (documented)
DocumentBoundingBox        documents       :class:`DocumentBoundingBox`         ``bounding_box``, ``page_number`` (doc.)
DocumentEntity             documents       :class:`DocumentEntity`              ``text_selections`` (UNVERIFIED)
GeoBoundingBox             geospatial      :class:`GeoBoundingBox`              ``geojson`` Polygon (documented)
GeoPoint                   geospatial      :class:`GeoPoint`                    ``geojson`` Point (UNVERIFIED name)
GeoPolygon                 geospatial      :class:`GeoPolygon`                  ``geojson`` Polygon (UNVERIFIED name)
GeoPolyline                geospatial      :class:`GeoPolyline`                 ``geojson`` LineString (UNVERIFIED name)
DICOMPolyline              DICOM           :class:`DICOMPolyline`               ``line`` (documented)
DICOMSegmentationMask      DICOM           :class:`DICOMSegmentationMask`       ``mask`` (UNVERIFIED)
anything else              any             :class:`GenericAnnotation`           kept as sent
=========================  ==============  ===================================  =======================================

Audio and HTML labels (documented) carry classifications only (audio also ``segments`` and ``timestamp``), which
:class:`LabelAnnotations` types.

Geometry is kept lean on purpose: :class:`BoundingBox`, :class:`Coordinate` and :class:`TextLocation` are
``TypedDict`` classes, validated (``top``/``left``/``x``/``y`` must be numbers) but stored as plain dicts, so a
polygon of a thousand vertices costs a thousand dicts, not a thousand model instances (measured: model geometry made
a list of five annotations 1.35x slower to validate than TypedDict geometry). Read them as ``box["top"]``,
``vertex["x"]``. Numbers stay ``int`` when they were integers on the wire.

How the union is chosen: a string discriminator on ``annotation_kind`` picks the known model (one dict lookup, no
copy); only when the kind is unknown (or missing) does validation fall back to :class:`GenericAnnotation`. A known
kind never fails: its fields are optional and :data:`~alabelbox.types.Lenient`, so geometry of a shape nobody has
seen is kept as an :class:`~alabelbox.types.Unrecognized` inside the typed model, and the row is never lost.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired, TypeAlias

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from alabelbox.types._base import ExportModel, Lenient, Number
from alabelbox.types.classifications import ExportClassification

__all__ = [
    "BoundingBox",
    "ConversationalLocation",
    "ConversationalTextEntity",
    "Coordinate",
    "DICOMGroup",
    "DICOMPolyline",
    "DICOMSegmentationMask",
    "DocumentBoundingBox",
    "DocumentEntity",
    "DocumentEntityToken",
    "DocumentLocation",
    "DocumentTokenGroup",
    "ExportAnnotation",
    "ExportRelationship",
    "GenericAnnotation",
    "GeoBoundingBox",
    "GeoJsonGeometry",
    "GeoPoint",
    "GeoPolygon",
    "GeoPolyline",
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

_GEOMETRY = ConfigDict(extra="allow", strict=True)


@with_config(_GEOMETRY)
class BoundingBox(TypedDict):
    """An axis-aligned box in pixels (images, video) or in ``unit`` (documents)."""

    top: Number
    left: Number
    height: Number
    width: Number


@with_config(_GEOMETRY)
class Coordinate(TypedDict):
    """A point: pixels for images, video and DICOM."""

    x: Number
    y: Number


@with_config(_GEOMETRY)
class TextLocation(TypedDict):
    """A character range in a text (with ``message_id``, in one message of a conversation).

    ``start`` is the first character, ``end`` the last (inclusive, as Labelbox sends it); ``token`` the text itself
    (documented: ``expected_export_v2_text``).
    """

    start: int
    end: int
    token: NotRequired[str]
    message_id: NotRequired[str]


@with_config(_GEOMETRY)
class ConversationalLocation(TypedDict):
    """Where a conversational entity is: a message and a character range in it."""

    message_id: str
    location: TextLocation


@with_config(_GEOMETRY)
class DocumentTokenGroup(TypedDict):
    """A run of selected tokens on one page of a document."""

    id: str
    page_number: int
    tokens: list[str]
    """The ids of the selected tokens (from the document's text layer)."""
    text: NotRequired[str]
    """The selected text."""


@with_config(_GEOMETRY)
class DocumentLocation(TypedDict):
    """The ``location`` of a document entity: its token groups."""

    groups: list[DocumentTokenGroup]


@with_config(_GEOMETRY)
class GeoJsonGeometry(TypedDict):
    """A GeoJSON geometry (``[longitude, latitude]`` positions); ``coordinates`` nest by ``type``."""

    type: str
    """``"Point"``, ``"LineString"``, ``"Polygon"``, ``"MultiPolygon"``..."""
    coordinates: Any


class MaskRef(ExportModel):
    """A reference to a mask image: a URL to fetch with the API key, and the mask's colour for composite masks."""

    url: Lenient[str | None] = None
    color_rgb: Lenient[list[int] | None] = None
    """Composite masks: the RGB colour of this instance in the shared mask image."""


class _AnnotationBase(ExportModel):
    """Fields common to every annotation object, in the order Labelbox writes them."""

    feature_id: Lenient[str | None] = None
    """The id of this annotation instance (stable across label versions)."""
    feature_schema_id: Lenient[str | None] = None
    """The ontology id of the tool that made it."""
    name: Lenient[str | None] = None
    """The tool's display name."""
    value: Lenient[str | None] = None
    """The tool's value as set in the ontology."""
    annotation_kind: Lenient[str | None] = None
    """The kind (see the module docstring); each known kind's model narrows it to its literal."""
    classifications: Lenient[list[ExportClassification] | None] = None
    """Classifications nested under this object."""


class ImageBoundingBox(_AnnotationBase):
    """A bounding box on an image."""

    annotation_kind: Literal["ImageBoundingBox"]
    bounding_box: Lenient[BoundingBox | None] = None


class ImagePolygon(_AnnotationBase):
    """A polygon on an image."""

    annotation_kind: Literal["ImagePolygon"]
    polygon: Lenient[list[Coordinate] | None] = None


class ImagePoint(_AnnotationBase):
    """A point on an image."""

    annotation_kind: Literal["ImagePoint"]
    point: Lenient[Coordinate | None] = None


class ImagePolyline(_AnnotationBase):
    """A polyline on an image."""

    annotation_kind: Literal["ImagePolyline"]
    line: Lenient[list[Coordinate] | None] = None


class ImageSegmentationMask(_AnnotationBase):
    """A segmentation mask on an image (real: ``lbnb_v2_composite_mask_object.ndjson``, a composite mask)."""

    annotation_kind: Literal["ImageSegmentationMask"]
    mask: Lenient[MaskRef | None] = None
    composite_mask: Lenient[MaskRef | None] = None


class TextEntity(_AnnotationBase):
    """A named entity on a text (or HTML) row."""

    annotation_kind: Literal["TextEntity"]
    location: Lenient[TextLocation | None] = None


class VideoBoundingBox(_AnnotationBase):
    """A bounding box on one video frame."""

    annotation_kind: Literal["VideoBoundingBox"]
    bounding_box: Lenient[BoundingBox | None] = None


class VideoPoint(_AnnotationBase):
    """A point on one video frame."""

    annotation_kind: Literal["VideoPoint"]
    point: Lenient[Coordinate | None] = None


class VideoPolyline(_AnnotationBase):
    """A polyline on one video frame."""

    annotation_kind: Literal["VideoPolyline"]
    line: Lenient[list[Coordinate] | None] = None


class VideoSegmentationMask(_AnnotationBase):
    """A segmentation mask on one video frame (UNVERIFIED kind name)."""

    annotation_kind: Literal["VideoSegmentationMask"]
    composite_mask: Lenient[MaskRef | None] = None
    mask: Lenient[MaskRef | None] = None


class ConversationalTextEntity(_AnnotationBase):
    """An entity inside one message of a conversational row.

    Labelbox writes the range under ``conversational_location`` (documented: ``expected_export_v2_conversation``);
    ``location`` is kept for exports that put it there.
    """

    annotation_kind: Literal["ConversationalTextEntity"]
    conversational_location: Lenient[ConversationalLocation | None] = None
    location: Lenient[TextLocation | None] = None


class DocumentEntityToken(_AnnotationBase):
    """A text entity on a document (PDF), as groups of tokens per page (documented: ``expected_export_v2_document``)."""

    annotation_kind: Literal["DocumentEntityToken"]
    location: Lenient[DocumentLocation | None] = None


class DocumentBoundingBox(_AnnotationBase):
    """A bounding box on a page of a document (documented: ``expected_export_v2_document``)."""

    annotation_kind: Literal["DocumentBoundingBox"]
    page_number: Lenient[int | None] = None
    """The page, as Labelbox numbers it (from 1)."""
    bounding_box: Lenient[BoundingBox | None] = None
    unit: Lenient[str | None] = None
    """The unit of ``bounding_box``, e.g. ``"POINTS"``."""


class DocumentEntity(_AnnotationBase):
    """A text entity on a document, as token selections (UNVERIFIED kind name; Labelbox writes DocumentEntityToken)."""

    annotation_kind: Literal["DocumentEntity"]
    text_selections: Lenient[list[dict[str, Any]] | None] = None
    """Each selection: ``token_ids``, ``group_id``, ``page``."""


class GeospatialAnnotation(_AnnotationBase):
    """Base of the geospatial (tiled imagery) kinds: the geometry is GeoJSON, positions ``[longitude, latitude]``."""

    geojson: Lenient[GeoJsonGeometry | None] = None


class GeoBoundingBox(GeospatialAnnotation):
    """A box on tiled imagery: a GeoJSON Polygon, bottom-left, top-left, top-right, bottom-right, bottom-left."""

    annotation_kind: Literal["GeoBoundingBox"]


class GeoPoint(GeospatialAnnotation):
    """A point on tiled imagery (UNVERIFIED kind name)."""

    annotation_kind: Literal["GeoPoint"]


class GeoPolygon(GeospatialAnnotation):
    """A polygon on tiled imagery (UNVERIFIED kind name)."""

    annotation_kind: Literal["GeoPolygon"]


class GeoPolyline(GeospatialAnnotation):
    """A polyline on tiled imagery (UNVERIFIED kind name)."""

    annotation_kind: Literal["GeoPolyline"]


class DICOMPolyline(_AnnotationBase):
    """A polyline on one frame of one DICOM group (documented: ``expected_export_v2_dicom``)."""

    annotation_kind: Literal["DICOMPolyline"]
    line: Lenient[list[Coordinate] | None] = None


class DICOMSegmentationMask(_AnnotationBase):
    """A segmentation mask on one frame of one DICOM group (UNVERIFIED kind name)."""

    annotation_kind: Literal["DICOMSegmentationMask"]
    mask: Lenient[MaskRef | None] = None
    composite_mask: Lenient[MaskRef | None] = None


class GenericAnnotation(_AnnotationBase):
    """An annotation of a kind this version of alabelbox does not know (or without a kind). Every field is kept."""


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
    | DocumentEntityToken
    | DocumentBoundingBox
    | DocumentEntity
    | GeoBoundingBox
    | GeoPoint
    | GeoPolygon
    | GeoPolyline
    | DICOMPolyline
    | DICOMSegmentationMask,
    Field(discriminator="annotation_kind"),
]
"""An annotation of a kind alabelbox knows, discriminated on ``annotation_kind``."""

ExportAnnotation: TypeAlias = Annotated[KnownAnnotation | GenericAnnotation, Field(union_mode="left_to_right")]
"""Any annotation object: a known kind's model, or :class:`GenericAnnotation` for a kind alabelbox does not know."""


class RelationshipEnds(ExportModel):
    """The two ends of a relationship, as annotation ``feature_id`` values."""

    source: Lenient[str | None] = None
    target: Lenient[str | None] = None
    type: Lenient[str | None] = None
    """``"unidirectional"`` or ``"bidirectional"``."""


class ExportRelationship(ExportModel):
    """A relationship between two annotations of the same label."""

    feature_id: Lenient[str | None] = None
    feature_schema_id: Lenient[str | None] = None
    name: Lenient[str | None] = None
    value: Lenient[str | None] = None
    relationship: Lenient[RelationshipEnds | None] = None


class VideoFrame(ExportModel):
    """The annotations on one video (or DICOM) frame."""

    objects: Lenient[dict[str, ExportAnnotation] | None] = None
    """Objects on this frame, keyed by ``feature_id``."""
    classifications: Lenient[list[ExportClassification] | None] = None


class DICOMGroup(ExportModel):
    """One view of a DICOM label (``Axial``, ``Sagittal``, ``Coronal``), laid out like a video label."""

    name: Lenient[str | None] = None
    classifications: Lenient[list[ExportClassification] | None] = None
    frames: Lenient[dict[str, VideoFrame] | None] = None
    """Frame number (a string key) to the annotations on that frame."""


_Ranges: TypeAlias = list[list[int]]
_KeyFrames: TypeAlias = dict[str, bool]

Segments: TypeAlias = dict[str, Annotated[_Ranges | dict[str, _Ranges], Field(union_mode="left_to_right")]]
KeyFrameFeatureMap: TypeAlias = dict[
    str, Annotated[_KeyFrames | dict[str, _KeyFrames], Field(union_mode="left_to_right")]
]


class LabelAnnotations(ExportModel):
    """The ``annotations`` of a label; which keys are present depends on the asset type.

    * image, text, documents, conversational, geospatial, HTML: ``objects`` / ``classifications`` /
      ``relationships``;
    * video: ``frames`` / ``segments`` / ``key_frame_feature_map`` / ``classifications``;
    * DICOM: ``groups`` (per view, each like a video label), ``segments`` and ``key_frame_feature_map`` with a level
      keyed by group, ``classifications``;
    * audio: ``classifications``, ``segments``, ``timestamp``.
    """

    objects: Lenient[list[ExportAnnotation] | None] = None
    classifications: Lenient[list[ExportClassification] | None] = None
    relationships: Lenient[list[ExportRelationship] | None] = None
    frames: Lenient[dict[str, VideoFrame] | None] = None
    """Video: frame number (a string key, as on the wire) to the annotations on that frame."""
    groups: Lenient[dict[str, DICOMGroup] | None] = None
    """DICOM: group (``Axial``, ``Sagittal``, ``Coronal``) to its frames and classifications."""
    segments: Lenient[Segments | None] = None
    """Video: ``feature_id`` to the ``[start, end]`` frame ranges the object spans. DICOM: group to that map."""
    key_frame_feature_map: Lenient[KeyFrameFeatureMap | None] = None
    """Video: ``feature_id`` to {frame number: whether it is a key frame}. DICOM: ``feature_id`` to group to that."""
    timestamp: Lenient[dict[str, Any] | None] = None
    """Audio (documented as ``{}``)."""
