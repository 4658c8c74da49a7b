"""Drift: what in a record the typed models did not recognise (values kept raw, unknown keys, unknown kinds)."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from pydantic import BaseModel

from alabelbox.types._base import Unrecognized
from alabelbox.types.annotations import GenericAnnotation

__all__ = ["Drift", "drift"]

DriftKind = Literal["unrecognized_shape", "unknown_key", "unknown_kind"]


class Drift(NamedTuple):
    """One thing in a record that the typed models did not recognise.

    Attributes:
        path: The dotted path of wire keys and list indexes, e.g. ``"media_attributes.exif_rotation"``.
        kind: ``"unrecognized_shape"`` (a field's value kept as :class:`~alabelbox.types.Unrecognized`),
            ``"unknown_key"`` (a key no model declares, kept as an extra field) or ``"unknown_kind"`` (an annotation
            whose ``annotation_kind`` is not one alabelbox knows, read as ``GenericAnnotation``).
        value: The raw value (for ``"unknown_kind"``: the kind).
    """

    path: str
    kind: DriftKind
    value: Any


def drift(record: Any) -> list[Drift]:
    """Everything in ``record`` (a validated model, or a list or dict of them) that alabelbox did not recognise.

    The models never reject what Labelbox writes, so a shape change shows up here instead of as an error: a test
    or a pipeline that wants to notice drift checks ``drift(row)`` (and may raise). An empty list means every
    value had a shape alabelbox types. Keys inside the plain-dict geometry (``bounding_box``, ``location``...) are
    not checked.

    Example:
        >>> from alabelbox.types import ExportRow
        >>> row = ExportRow.model_validate(
        ...     {"data_row": {"id": "d1"}, "media_attributes": {"exif_rotation": [1]}, "brand_new": 1}
        ... )
        >>> for item in drift(row):
        ...     print(item.path, item.kind, item.value)
        media_attributes.exif_rotation unrecognized_shape [1]
        brand_new unknown_key 1
    """
    found: list[Drift] = []
    _walk(record, "", found)
    return found


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _walk(value: Any, path: str, found: list[Drift]) -> None:
    if isinstance(value, Unrecognized):
        found.append(Drift(path, "unrecognized_shape", value.root))
    elif isinstance(value, BaseModel):
        if type(value) is GenericAnnotation:
            kind = value.annotation_kind
            found.append(Drift(_join(path, "annotation_kind"), "unknown_kind", getattr(kind, "root", kind)))
        present = value.model_fields_set
        for name, info in type(value).model_fields.items():
            if name in present:
                _walk(getattr(value, name), _join(path, info.alias or name), found)
        for key, extra in (value.model_extra or {}).items():
            found.append(Drift(_join(path, key), "unknown_key", extra))
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, _join(path, key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, _join(path, index), found)
