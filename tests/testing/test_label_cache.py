"""The emulator keeps each seeded label's legacy ``label`` text and fixed fields: same bytes, bounded, and dropped
when the origins' URLs change."""

from __future__ import annotations

from typing import Any

import aiohttp

from alabelbox.testing import Emulator
from alabelbox.testing.resources._base import dumps_text
from alabelbox.testing.resources.labels import LegacyTextCache

from .conftest import Gql

PAGE = """query P($projectId: ID!, $skip: Int, $first: PageSize) { project(where: {id: $projectId}) {
    labels(skip: $skip, first: $first) { id label createdAt updatedAt type { id name } } } }"""


async def raw_page(emu: Emulator, session: aiohttp.ClientSession, p: int, skip: int) -> bytes:
    body = {"query": PAGE, "variables": {"projectId": emu.project_ids[p], "skip": skip, "first": 50}}
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    async with session.post(emu.endpoint, json=body, headers=headers) as resp:
        assert resp.status == 200
        return await resp.read()


def fresh_text(emu: Emulator, p: int, i: int) -> str:
    # What the emulator made before it kept anything: the generated legacy object, encoded anew.
    return dumps_text(emu.backend.labels.legacy_label(p, i))


async def test_a_second_walk_is_served_from_the_cache_byte_for_byte(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    cache = emu.backend.labels.legacy_texts
    # Every media type: IMAGE, VIDEO (a frames URL on the emulator's origin), TEXT, CONVERSATIONAL, PDF.
    for p in range(5):
        first = [await raw_page(emu, session, p, skip) for skip in (0, 50, 100)]
        misses = cache.misses
        again = [await raw_page(emu, session, p, skip) for skip in (0, 50, 100)]
        assert again == first
        assert cache.misses == misses  # nothing made anew the second time
    assert cache.hits >= 5 * 150
    for p in range(5):
        for i in (0, 49, 149):
            assert emu.backend.labels.legacy_label_text(p, i) == fresh_text(emu, p, i)


async def test_deleted_and_template_labels_keep_their_text(emu: Emulator, gql: Gql) -> None:
    pid = emu.project_ids[0]
    ids = emu.label_ids(pid)
    query = "query($id: ID!){label(where: {id: $id}){id label}}"
    _, before = await gql(query, {"id": ids[3]})
    q = """mutation B($projectId: ID!, $where: WhereBulkLabelDelete) { project(where: {id: $projectId}) {
        bulkDeleteLabels(where: $where, makeTemplates: true, waitForQueue: true) { count } } }"""
    _, body = await gql(q, {"projectId": pid, "where": {"id_in": [ids[3]]}})
    assert body["data"]["project"]["bulkDeleteLabels"] == {"count": 1}
    _, after = await gql(query, {"id": ids[3]})
    assert after == before  # a template keeps its label
    assert after["data"]["label"]["label"] == fresh_text(emu, 0, 3)
    _, listed = await gql(PAGE, {"projectId": pid, "skip": 0, "first": 5})
    assert [label["id"] for label in listed["data"]["project"]["labels"]] == [ids[i] for i in (0, 1, 2, 4, 5)]


def test_the_cache_is_bounded_by_bytes_and_drops_the_least_recently_used() -> None:
    cache = LegacyTextCache(max_bytes=100)
    urls = ("http://127.0.0.1:1", "http://127.0.0.1:1")
    for i in range(10):
        cache.put(0, i, urls, "x" * 30)
    assert cache.size_bytes <= 100 and len(cache) == 3
    assert [cache.get(0, i, urls) for i in (7, 8, 9)] == ["x" * 30] * 3
    assert cache.get(0, 6, urls) is None
    cache.get(0, 7, urls)  # 7 is now the most recent: 8 goes first
    cache.put(0, 10, urls, "y" * 30)
    assert cache.get(0, 8, urls) is None and cache.get(0, 7, urls) == "x" * 30
    cache.put(0, 11, urls, "z" * 101)  # larger than the whole cache: not kept, nothing dropped for it
    assert cache.get(0, 11, urls) is None and len(cache) == 3
    # Multi-byte characters are counted as UTF-8 bytes.
    wide = LegacyTextCache(max_bytes=8)
    wide.put(0, 0, urls, "🌿🌿")
    wide.put(0, 1, urls, "🌿")
    assert wide.size_bytes == 4 and wide.get(0, 1, urls) == "🌿" and wide.get(0, 0, urls) is None


def test_new_origins_drop_every_text() -> None:
    cache = LegacyTextCache(max_bytes=1_000)
    old: Any = ("http://127.0.0.1:1", "http://127.0.0.1:1")
    new: Any = ("http://127.0.0.1:2", "http://127.0.0.1:2")
    cache.put(0, 0, old, "frames at :1")
    assert cache.get(0, 0, old) == "frames at :1"
    assert cache.get(0, 0, new) is None and len(cache) == 0
