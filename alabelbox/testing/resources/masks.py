"""Mask images: ``GET /api/v1/masks/{label}/{feature}/mask.png`` and ``GET /api/v1/masks/{label}/composite``.

The export rows' ``ImageSegmentationMask`` objects point here (on the emulator's own API origin, behind the key, as
Labelbox serves masks from its API origin). The pixels are generated from the row, deterministically: instance ``k``
of a label is a rectangle placed by the seed. ``mask.png`` is that instance alone (greyscale, 255 inside);
``composite`` is one RGB image per label with every instance painted in its ``color_rgb`` (in order, so a later
instance covers an earlier one). The images have the data row's width and height, and compress to a few kB.
"""

from __future__ import annotations

import struct
import zlib

from aiohttp import web

from .._data import K_LABEL, JSONDict, mix
from ._base import Resource, RestError

__all__ = ["Masks", "mask_rectangles", "png"]


def png(width: int, height: int, rows: list[bytes], channels: int) -> bytes:
    """A PNG of ``rows`` (each ``width * channels`` bytes): greyscale (1 channel) or RGB (3), 8 bits."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    colour_type = 0 if channels == 1 else 2
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def mask_rectangles(seed: int, p: int, i: int, count: int, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """``(left, top, right, bottom)`` of each of a label's ``count`` mask instances, inside the image."""
    out = []
    for k in range(count):
        h = mix(seed, p, i, 7000 + k)
        w, hh = max(1, width // 8 + h % max(1, width // 4)), max(1, height // 8 + (h >> 16) % max(1, height // 4))
        left = (h >> 32) % max(1, width - w)
        top = (h >> 44) % max(1, height - hh)
        out.append((left, top, left + w, top + hh))
    return out


class Masks(Resource):
    """Serves the mask images the export rows reference."""

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/masks/{label}/{feature}/mask.png", self._instance),
            web.get("/masks/{label}/composite", self._composite),
        ]

    def _label(self, request: web.Request) -> tuple[int, int, list[JSONDict], int, int]:
        world = self.world
        got = world.find(request.match_info["label"], K_LABEL)
        if got is None or world.media[got[0]] != "IMAGE":
            raise RestError(404, f"no mask for label {request.match_info['label']!r}", "RESOURCE_NOT_FOUND")
        p, i = got
        objects = [
            o for o in world.annotations(p, i).get("objects", []) if o.get("annotation_kind") == "ImageSegmentationMask"
        ]
        media = world.media_attributes(p, i)
        return p, i, objects, int(media["width"]), int(media["height"])

    async def _instance(self, request: web.Request) -> web.Response:
        p, i, objects, width, height = self._label(request)
        feature = request.match_info["feature"]
        index = next((k for k, o in enumerate(objects) if o["feature_id"] == feature), None)
        if index is None:
            raise RestError(404, f"no mask {feature!r} in label {request.match_info['label']!r}", "RESOURCE_NOT_FOUND")
        left, top, right, bottom = mask_rectangles(self.world.seed, p, i, len(objects), width, height)[index]
        background = bytes(width)
        inside = bytes(left) + b"\xff" * (right - left) + bytes(width - right)
        rows = [inside if top <= y < bottom else background for y in range(height)]
        return web.Response(body=png(width, height, rows, 1), content_type="image/png")

    async def _composite(self, request: web.Request) -> web.Response:
        p, i, objects, width, height = self._label(request)
        rectangles = mask_rectangles(self.world.seed, p, i, len(objects), width, height)
        rows = []
        for y in range(height):
            row = bytearray(3 * width)
            for (left, top, right, bottom), obj in zip(rectangles, objects, strict=True):
                if top <= y < bottom:
                    row[3 * left : 3 * right] = bytes(obj["composite_mask"]["color_rgb"]) * (right - left)
            rows.append(bytes(row))
        return web.Response(body=png(width, height, rows, 3), content_type="image/png")
