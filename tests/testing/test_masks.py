"""The mask images the emulator's export rows reference: on its own API origin, behind the key, deterministic PNGs."""

from __future__ import annotations

import io
from typing import Any

import aiohttp
import pytest

from alabelbox.testing import Emulator
from alabelbox.testing.resources.masks import mask_rectangles

np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")


def _label_with_masks(emu: Emulator) -> tuple[int, int, list[dict[str, Any]]]:
    world = emu.world
    for p in range(world.n_projects):
        if world.media[p] != "IMAGE":
            continue
        for i in range(world.n_rows):
            objects = [o for o in world.annotations(p, i)["objects"] if o["annotation_kind"] == "ImageSegmentationMask"]
            if len(objects) >= 2:
                return p, i, objects
    raise AssertionError("no image label with two masks")


async def _png(session: aiohttp.ClientSession, url: str, emu: Emulator) -> Any:
    async with session.get(url, headers={"Authorization": f"Bearer {emu.api_key}"}) as response:
        assert response.status == 200 and response.content_type == "image/png"
        return np.asarray(Image.open(io.BytesIO(await response.read())))


async def test_instance_and_composite_masks_are_the_planned_rectangles(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    p, i, objects = _label_with_masks(emu)
    media = emu.world.media_attributes(p, i)
    width, height = media["width"], media["height"]
    rectangles = mask_rectangles(emu.world.seed, p, i, len(objects), width, height)
    composite_url = objects[0]["composite_mask"]["url"]
    assert composite_url == f"{emu.url}/api/v1/masks/{emu.world.label_id(p, i)}/composite"
    composite = await _png(session, composite_url, emu)
    assert composite.shape == (height, width, 3)
    for obj, (left, top, right, bottom) in zip(objects, rectangles, strict=True):
        instance = await _png(session, obj["mask"]["url"], emu)
        expected = np.zeros((height, width), dtype=np.uint8)
        expected[top:bottom, left:right] = 255
        assert instance.shape == (height, width) and (instance == expected).all()
    # The last instance is painted last: its colour covers exactly its rectangle in the composite.
    left, top, right, bottom = rectangles[-1]
    hit = np.all(composite == np.asarray(objects[-1]["composite_mask"]["color_rgb"], dtype=np.uint8), axis=-1)
    assert hit[top:bottom, left:right].all() and hit.sum() >= (bottom - top) * (right - left)
    assert (await _png(session, composite_url, emu) == composite).all()  # deterministic


async def test_masks_need_the_key_and_a_real_label(emu: Emulator, session: aiohttp.ClientSession) -> None:
    p, i, objects = _label_with_masks(emu)
    url = objects[0]["mask"]["url"]
    async with session.get(url) as response:
        assert response.status == 401
    missing = [
        url.replace(emu.world.label_id(p, i), "nope"),
        url.replace(objects[0]["feature_id"], "nope"),
    ]
    for bad in missing:
        async with session.get(bad, headers={"Authorization": f"Bearer {emu.api_key}"}) as response:
            assert response.status == 404
            assert (await response.json())["code"] == "RESOURCE_NOT_FOUND"
