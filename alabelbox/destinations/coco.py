"""COCO: an image project's export as one COCO JSON file (detection, segmentation, keypoints), streamed.

What goes where
    ``ImageBoundingBox`` -> a box (``segmentation: []``); ``ImagePolygon`` -> a polygon segmentation with its
    box and area; ``ImageSegmentationMask`` -> an RLE segmentation (the mask image fetched, see below);
    ``ImagePoint`` -> a keypoint annotation (``keypoints: [x, y, 2]``; the class gets ``keypoints: ["point"]``).
    Polylines, classifications, relationships and non-image kinds have no COCO form: they are counted in
    :attr:`WriteSummary.skipped`, by kind, so ``written + skipped`` is every annotation of the input. Rows that are
    not images (``media_attributes.mime_type``) are counted in ``skipped_rows``. One COCO image per data row, with
    the annotations of every label of the row (pass ``project_id=`` to keep one project's).

Streaming
    COCO is one JSON object whose ``images`` and ``annotations`` arrays come before ``categories``; the arrays are
    spooled to two files beside the output as rows arrive, and joined into ``<path>.part`` at the end, then renamed.
    Memory is one row's annotations (and its masks) whatever the size of the export.

Libraries
    ``pycocotools`` (the reference implementation) encodes masks to RLE and computes their area and box, and the
    tests load every file with its ``COCO()``. ``labelformat`` reads Labelbox exports, but only boxes, with the class
    names given up front and the whole file read before writing; ``supervision`` brings OpenCV and more; neither
    streams. The box, polygon and keypoint cases are a few lines each, written here.

Masks
    ``masks="fetch"`` downloads the mask images through the client's pool (concurrently, bounded, the key only on the
    API origin: :class:`~alabelbox.destinations._masks.MaskFetcher`) and needs ``client=``; ``masks="skip"`` counts
    mask annotations as skipped instead. Needs the ``coco`` extra (``pycocotools``, ``numpy``, ``pillow``) for masks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Literal

import anyio

from alabelbox._exceptions import InvalidArgumentError
from alabelbox.destinations._base import WriteSummary, commit_path, part_path, remove_quietly
from alabelbox.destinations._classes import ClassList
from alabelbox.destinations._flatten import kind_of, label_sources, walk
from alabelbox.destinations._masks import MaskFetcher, decode_mask
from alabelbox.destinations._optional import require

__all__ = ["CocoDestination", "MaskMode", "file_name", "is_image", "mask_ref", "polygon_area"]

MaskMode = Literal["fetch", "skip"]


def polygon_area(flat: list[float]) -> float:
    """The area of a polygon given as ``[x1, y1, x2, y2, ...]`` (the shoelace formula)."""
    xs, ys = flat[0::2], flat[1::2]
    n = len(xs)
    twice = sum(xs[k] * ys[(k + 1) % n] - xs[(k + 1) % n] * ys[k] for k in range(n))
    return abs(twice) / 2.0


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return value


def is_image(row: Mapping[str, Any]) -> bool:
    """Whether the row is an image (by its mime type, or by having image annotations when it has none)."""
    mime = (row.get("media_attributes") or {}).get("mime_type")
    if isinstance(mime, str):
        return mime.startswith("image/")
    return True


def file_name(row: Mapping[str, Any]) -> str:
    """The image's file name: its external id, else its global key, else its data-row id."""
    data_row = row.get("data_row") or {}
    return str(data_row.get("external_id") or data_row.get("global_key") or data_row.get("id"))


class CocoDestination:
    """Writes a COCO JSON file (see the module docstring).

    Args:
        path: The ``.json`` file to write.
        client: The client to fetch masks with (needed for ``masks="fetch"`` when the export has masks).
        masks: ``"fetch"`` the mask images, or ``"skip"`` mask annotations.
        classes: Pin the categories (ids 1, 2, ... in this order); default: in order of first appearance.
        project_id: Take only the labels of this project (or model run).
        mask_concurrency: Mask downloads in flight at once.
    """

    def __init__(
        self,
        path: Path,
        *,
        client: Any = None,
        masks: MaskMode = "fetch",
        classes: list[str] | None = None,
        project_id: str | None = None,
        mask_concurrency: int = 8,
    ) -> None:
        if masks not in ("fetch", "skip"):
            raise InvalidArgumentError("masks", f"expected 'fetch' or 'skip', got {masks!r}")
        self.summary = WriteSummary()
        self._path = path
        self._part = part_path(path)
        self._masks = masks
        self._fetcher = MaskFetcher(client, concurrency=mask_concurrency) if client is not None else None
        self._classes = ClassList(classes, first=1)
        self._keypoint_classes: set[int] = set()
        self._project_id = project_id
        self._images_spool = path.with_name(path.name + ".part.images")
        self._annotations_spool = path.with_name(path.name + ".part.annotations")
        self._images: IO[str] = self._images_spool.open("w", encoding="utf-8")
        self._annotations: IO[str] = self._annotations_spool.open("w", encoding="utf-8")
        self._image_id = 0
        self._annotation_id = 0
        self._spooled = 0

    async def add(self, row: dict[str, Any]) -> None:
        """Convert one row into an image and its annotations."""
        self.summary.rows += 1
        objects: list[Mapping[str, Any]] = []
        for source, container, label in label_sources(row):
            del source
            annotations = label.get("annotations") or {}
            keep = self._project_id is None or container == self._project_id
            for obj in annotations.get("objects") or []:
                if keep:
                    objects.append({**obj, "_label_id": label.get("id")})
                else:
                    self.summary.skipped["other_project"] += 1
            self._skip_the_rest(annotations, keep)
        if not is_image(row):
            self.summary.skipped_rows += 1
            for obj in objects:
                self.summary.skipped[str(obj.get("annotation_kind"))] += 1
            return
        masks = await self._fetch_masks(objects)
        media = row.get("media_attributes") or {}
        self._image_id += 1
        image = {
            "id": self._image_id,
            "file_name": file_name(row),
            "width": media.get("width"),
            "height": media.get("height"),
            "labelbox_data_row_id": (row.get("data_row") or {}).get("id"),
            "labelbox_global_key": (row.get("data_row") or {}).get("global_key"),
            "labelbox_row_data": (row.get("data_row") or {}).get("row_data"),
        }
        lines = []
        for obj in objects:
            annotation = self._annotation(obj, masks, image)
            if annotation is not None:
                lines.append(json.dumps(annotation, ensure_ascii=False))
        await anyio.to_thread.run_sync(self._spool, json.dumps(image, ensure_ascii=False), lines)

    def _spool(self, image: str, annotations: list[str]) -> None:
        self._images.write(("," if self._image_id > 1 else "") + image + "\n")
        for text in annotations:
            self._annotations.write(("," if self._spooled else "") + text + "\n")
            self._spooled += 1

    def _skip_the_rest(self, annotations: Mapping[str, Any], keep: bool) -> None:
        """Count what COCO has no place for: classifications, relationships, video frames."""
        for what, obj, _frame, _parent in walk(annotations):
            if what == "object" and _frame is None:
                continue  # the objects are handled by add()
            if not keep:
                self.summary.skipped["other_project"] += 1
            else:
                self.summary.skipped[kind_of(what, obj)] += 1

    async def _fetch_masks(self, objects: list[Mapping[str, Any]]) -> dict[str, bytes]:
        urls = [url for obj in objects if (url := mask_ref(obj)[0]) is not None]
        if not urls or self._masks == "skip":
            return {}
        if self._fetcher is None:
            raise InvalidArgumentError(
                "client",
                "the export has segmentation masks, which are fetched by URL: pass client=, or masks='skip'",
            )
        found = await self._fetcher.fetch_all(urls)
        self.summary.masks_fetched = self._fetcher.fetched
        return found

    def _annotation(
        self, obj: Mapping[str, Any], masks: dict[str, bytes], image: dict[str, Any]
    ) -> dict[str, Any] | None:
        kind = str(obj.get("annotation_kind"))
        if kind not in ("ImageBoundingBox", "ImagePolygon", "ImageSegmentationMask", "ImagePoint"):
            self.summary.skipped[kind] += 1
            return None
        if kind == "ImageSegmentationMask" and self._masks == "skip":
            self.summary.skipped[kind] += 1
            return None
        category = self._classes.id_of(obj.get("name"), obj.get("feature_schema_id"))
        if category is None:
            self.summary.skipped["not_in_classes"] += 1
            return None
        out: dict[str, Any] = {
            "image_id": image["id"],
            "category_id": category,
            "iscrowd": 0,
            "labelbox_feature_id": obj.get("feature_id"),
            "labelbox_label_id": obj.get("_label_id"),
        }
        if kind == "ImageBoundingBox":
            box = obj["bounding_box"]
            left, top = _number(box["left"]), _number(box["top"])
            width, height = _number(box["width"]), _number(box["height"])
            out.update(bbox=[left, top, width, height], area=width * height, segmentation=[])
        elif kind == "ImagePolygon":
            flat = [_number(c) for vertex in obj["polygon"] for c in (vertex["x"], vertex["y"])]
            xs, ys = flat[0::2], flat[1::2]
            out.update(
                segmentation=[flat],
                bbox=[min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)],
                area=polygon_area(flat),
            )
        elif kind == "ImagePoint":
            x, y = _number(obj["point"]["x"]), _number(obj["point"]["y"])
            self._keypoint_classes.add(category)
            out.update(keypoints=[x, y, 2], num_keypoints=1, bbox=[x, y, 0, 0], area=0, segmentation=[])
        else:
            url, color = mask_ref(obj)
            if url is None:
                self.summary.skipped[kind] += 1
                return None
            out.update(self._rle(decode_mask(masks[url], url, color), image))
        self._annotation_id += 1
        out["id"] = self._annotation_id
        self.summary.written[kind] += 1
        return out

    def _rle(self, mask: Any, image: dict[str, Any]) -> dict[str, Any]:
        mask_api = require("pycocotools.mask", "COCO masks")
        rle = mask_api.encode(mask)
        if image.get("height") is None:
            image["height"], image["width"] = int(mask.shape[0]), int(mask.shape[1])
        box = [float(v) for v in mask_api.toBbox(rle)]
        area = int(mask_api.area(rle))
        return {
            "segmentation": {"size": [int(s) for s in rle["size"]], "counts": rle["counts"].decode("ascii")},
            "bbox": box,
            "area": area,
        }

    async def commit(self) -> WriteSummary:
        """Join the spools and the categories into the COCO file and rename it into place."""
        await anyio.to_thread.run_sync(self._join)
        await commit_path(self._part, self._path)
        self.summary.paths = [self._path]
        return self.summary

    def _join(self) -> None:
        self._images.close()
        self._annotations.close()
        categories = []
        for category_id, name in self._classes.items():
            category: dict[str, Any] = {
                "id": category_id,
                "name": name,
                "supercategory": "",
                "labelbox_feature_schema_id": self._classes.schema_ids.get(name),
            }
            if category_id in self._keypoint_classes:
                category.update(keypoints=["point"], skeleton=[])
            categories.append(category)
        info = {"description": "Labelbox export written by alabelbox", "version": "1.0"}
        with self._part.open("w", encoding="utf-8") as out:
            out.write('{"info": ' + json.dumps(info) + ', "licenses": [],\n"images": [\n')
            _copy(self._images_spool, out)
            out.write('],\n"annotations": [\n')
            _copy(self._annotations_spool, out)
            out.write('],\n"categories": ' + json.dumps(categories, ensure_ascii=False) + "}\n")
        self._images_spool.unlink()
        self._annotations_spool.unlink()

    async def discard(self) -> None:
        """Remove the spools and the partial file."""
        self._images.close()
        self._annotations.close()
        for path in (self._images_spool, self._annotations_spool, self._part):
            remove_quietly(path)


def _copy(source: Path, out: IO[str]) -> None:
    with source.open(encoding="utf-8") as fh:
        while chunk := fh.read(1 << 20):
            out.write(chunk)


def mask_ref(obj: Mapping[str, Any]) -> tuple[str | None, list[int] | None]:
    """The URL of an object's mask and, for a composite mask, its instance colour."""
    if obj.get("annotation_kind") != "ImageSegmentationMask":
        return None, None
    composite = obj.get("composite_mask")
    if isinstance(composite, Mapping) and composite.get("url"):
        color = composite.get("color_rgb")
        return str(composite["url"]), [int(c) for c in color] if isinstance(color, list) else None
    mask = obj.get("mask")
    if isinstance(mask, Mapping) and mask.get("url"):
        return str(mask["url"]), None
    return None, None
