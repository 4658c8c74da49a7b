"""YOLO: an image project's export as a YOLO (Ultralytics) label folder, detection or segmentation, streamed.

Layout of ``path`` (a folder)::

    labels/<stem>.txt   one line per object: ``class cx cy w h`` (detect) or ``class x1 y1 x2 y2 ...`` (segment),
                        every coordinate divided by the image's width or height (0-1); an image with no object
                        gets an empty file (a background image, as YOLO expects)
    classes.txt         the class names, line n is class n
    data.yaml           ``names:`` the same list, for Ultralytics
    images.csv          stem, data-row id, global key, external id, row data: where each image comes from

``<stem>`` is the external id (else the global key, else the data-row id) without its extension, made safe for a
file name; a stem seen before gets the data-row id appended, so no file is overwritten.

What goes where
    ``task="detect"``: ``ImageBoundingBox``. ``task="segment"``: ``ImagePolygon``, and ``ImageBoundingBox`` as its
    four corners. Everything else (points, polylines, masks, classifications, relationships) is counted in
    :attr:`WriteSummary.skipped` by kind; rows that are not images, or whose ``media_attributes`` lack a width and
    height (needed to normalise), in ``skipped_rows``. Coordinates are written with ``repr`` (the shortest string
    that reads back as the same float), so nothing is rounded.

Libraries
    The format is a few lines of text per image; no library is needed (``labelformat`` needs the whole export and
    the class names up front, and handles boxes only). The folder is written as ``<path>.part`` and renamed at the
    end.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Literal

import anyio

from alabelbox._exceptions import InvalidArgumentError
from alabelbox.destinations._base import WriteSummary, commit_path, part_path, remove_quietly
from alabelbox.destinations._classes import ClassList
from alabelbox.destinations._flatten import kind_of, label_sources, walk
from alabelbox.destinations.coco import file_name, is_image

__all__ = ["YoloDestination", "YoloTask", "stem_for"]

YoloTask = Literal["detect", "segment"]
_UNSAFE = re.compile(r"[^\w.\-]+")


def stem_for(row: Mapping[str, Any]) -> str:
    """The label file's stem for a row: its file name without extension, safe on every file system."""
    name = file_name(row)
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    return _UNSAFE.sub("_", stem).strip("._") or str((row.get("data_row") or {}).get("id"))


class YoloDestination:
    """Writes a YOLO label folder (see the module docstring).

    Args:
        path: The folder to write.
        task: ``"detect"`` (boxes) or ``"segment"`` (polygons, boxes as polygons).
        classes: Pin the class list (ids 0, 1, ... in this order); default: in order of first appearance.
        project_id: Take only the labels of this project (or model run).
    """

    def __init__(
        self,
        path: Path,
        *,
        task: YoloTask = "detect",
        classes: list[str] | None = None,
        project_id: str | None = None,
    ) -> None:
        if task not in ("detect", "segment"):
            raise InvalidArgumentError("task", f"expected 'detect' or 'segment', got {task!r}")
        self.summary = WriteSummary()
        self._path = path
        self._part = part_path(path)
        remove_quietly(self._part)
        (self._part / "labels").mkdir(parents=True)
        self._task = task
        self._classes = ClassList(classes, first=0)
        self._project_id = project_id
        self._stems: set[str] = set()
        self._index_file: IO[str] = (self._part / "images.csv").open("w", encoding="utf-8", newline="")
        self._index = csv.writer(self._index_file)
        self._index.writerow(["stem", "data_row_id", "global_key", "external_id", "row_data"])

    async def add(self, row: dict[str, Any]) -> None:
        """Write one image's label file."""
        self.summary.rows += 1
        media = row.get("media_attributes") or {}
        width, height = media.get("width"), media.get("height")
        usable = is_image(row) and _positive(width) and _positive(height)
        w = float(width) if usable else 0.0  # type: ignore[arg-type]
        h = float(height) if usable else 0.0  # type: ignore[arg-type]
        lines: list[str] = []
        for _source, container, label in label_sources(row):
            keep = self._project_id is None or container == self._project_id
            for what, obj, frame, _parent in walk(label.get("annotations") or {}):
                kind = kind_of(what, obj)
                if not keep:
                    self.summary.skipped["other_project"] += 1
                    continue
                line = self._line(obj, w, h) if usable and frame is None else None
                if line is None:
                    self.summary.skipped[kind] += 1
                else:
                    lines.append(line)
                    self.summary.written[kind] += 1
        if not usable:
            self.summary.skipped_rows += 1
            return
        data_row = row.get("data_row") or {}
        stem = stem_for(row)
        if stem in self._stems:
            stem = f"{stem}_{data_row.get('id')}"
        self._stems.add(stem)
        text = "".join(line + "\n" for line in lines)
        await anyio.Path(self._part / "labels" / f"{stem}.txt").write_text(text, encoding="utf-8")
        ids = [data_row.get(k) for k in ("id", "global_key", "external_id", "row_data")]
        self._index.writerow([stem, *ids])

    def _line(self, obj: Mapping[str, Any], width: float, height: float) -> str | None:
        kind = obj.get("annotation_kind")
        if kind == "ImageBoundingBox":
            box = obj["bounding_box"]
            left, top, w, h = (float(box[k]) for k in ("left", "top", "width", "height"))
            if self._task == "detect":
                coords = [(left + w / 2) / width, (top + h / 2) / height, w / width, h / height]
            else:
                corners = [(left, top), (left + w, top), (left + w, top + h), (left, top + h)]
                coords = [c for x, y in corners for c in (x / width, y / height)]
        elif kind == "ImagePolygon" and self._task == "segment":
            coords = [c for v in obj["polygon"] for c in (float(v["x"]) / width, float(v["y"]) / height)]
        else:
            return None
        category = self._classes.id_of(obj.get("name"), obj.get("feature_schema_id"))
        if category is None:
            return None
        return " ".join([str(category), *map(repr, coords)])

    async def commit(self) -> WriteSummary:
        """Write the class list and rename the folder into place."""
        self._index_file.close()
        names = [name for _i, name in self._classes.items()]
        await anyio.Path(self._part / "classes.txt").write_text("".join(n + "\n" for n in names), encoding="utf-8")
        # JSON strings are YAML scalars, so any class name is written safely without a YAML library.
        yaml = "names:\n" + "".join(f"  {i}: {json.dumps(n, ensure_ascii=False)}\n" for i, n in enumerate(names))
        await anyio.Path(self._part / "data.yaml").write_text(f"path: .\n{yaml}", encoding="utf-8")
        await commit_path(self._part, self._path)
        self.summary.paths = [self._path]
        return self.summary

    async def discard(self) -> None:
        """Remove the partial folder."""
        self._index_file.close()
        remove_quietly(self._part)


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
