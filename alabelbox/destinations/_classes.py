"""The class list of a training format: the ontology's tools as the export shows them, numbered in a stable way.

An export does not carry the ontology itself, only the tools each annotation used (``name`` and
``feature_schema_id``). Classes are keyed by ``name``: a real export (labelformat's sample) gives one
``feature_schema_id`` to several names, so the id cannot be the key. Without ``classes=`` the classes are numbered
in order of first appearance; pass the list to pin the numbering from one export to the next (annotations of a name
not in it are then skipped, and counted).
"""

from __future__ import annotations

from collections.abc import Sequence

from alabelbox._exceptions import InvalidArgumentError

__all__ = ["ClassList"]


class ClassList:
    """Class names to ids, ``first`` upward (1 for COCO, 0 for YOLO)."""

    def __init__(self, classes: Sequence[str] | None, *, first: int) -> None:
        self._first = first
        self._pinned = classes is not None
        self._ids: dict[str, int] = {}
        self.schema_ids: dict[str, str | None] = {}
        """The ``feature_schema_id`` first seen for each class."""
        if classes is not None:
            if isinstance(classes, str) or not all(isinstance(c, str) for c in classes):
                raise InvalidArgumentError("classes", f"expected a list of class names, got {classes!r}")
            if len(set(classes)) != len(classes):
                raise InvalidArgumentError("classes", f"the class names repeat: {list(classes)!r}")
            for name in classes:
                self._ids[name] = first + len(self._ids)

    def id_of(self, name: str | None, schema_id: str | None) -> int | None:
        """The id of class ``name``, new if unpinned; None if the list is pinned and lacks it."""
        key = name if name is not None else schema_id or "unnamed"
        found = self._ids.get(key)
        if found is None:
            if self._pinned:
                return None
            found = self._ids[key] = self._first + len(self._ids)
        self.schema_ids.setdefault(key, schema_id)
        return found

    def items(self) -> list[tuple[int, str]]:
        """``(id, name)`` in id order."""
        return [(i, name) for name, i in self._ids.items()]
