"""The emulator keeps each seeded label's legacy ``label`` text and fixed fields: same bytes, bounded, and dropped
when the origins' URLs change."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from alabelbox.testing import Emulator
from alabelbox.testing._execution import RawJson, encode_response
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


def raw(text: str) -> RawJson:
    return RawJson(dumps_text(text).encode())


def test_the_cache_is_bounded_by_bytes_and_drops_the_least_recently_used() -> None:
    cache = LegacyTextCache(max_bytes=100)
    urls = ("http://127.0.0.1:1", "http://127.0.0.1:1")
    for i in range(10):
        cache.put(0, i, urls, raw("x" * 28))  # 30 bytes with its quotes
    assert cache.size_bytes <= 100 and len(cache) == 3
    assert [got.value() for i in (7, 8, 9) if (got := cache.get(0, i, urls))] == ["x" * 28] * 3
    assert cache.get(0, 6, urls) is None
    cache.get(0, 7, urls)  # 7 is now the most recent: 8 goes first
    cache.put(0, 10, urls, raw("y" * 28))
    assert cache.get(0, 8, urls) is None and cache.get(0, 7, urls) is not None
    cache.put(0, 11, urls, raw("z" * 101))  # larger than the whole cache: not kept, nothing dropped for it
    assert cache.get(0, 11, urls) is None and len(cache) == 3
    # Multi-byte characters are counted as UTF-8 bytes.
    wide = LegacyTextCache(max_bytes=10)
    wide.put(0, 0, urls, raw("🌿🌿"))  # 10 bytes
    wide.put(0, 1, urls, raw("🌿"))  # 6 bytes
    assert wide.size_bytes == 6 and wide.get(0, 0, urls) is None
    assert (got := wide.get(0, 1, urls)) is not None and got.value() == "🌿"


def test_new_origins_drop_every_text() -> None:
    cache = LegacyTextCache(max_bytes=1_000)
    old: Any = ("http://127.0.0.1:1", "http://127.0.0.1:1")
    new: Any = ("http://127.0.0.1:2", "http://127.0.0.1:2")
    cache.put(0, 0, old, raw("frames at :1"))
    assert cache.get(0, 0, old) is not None
    assert cache.get(0, 0, new) is None and len(cache) == 0


def test_encoded_values_are_written_as_json_dumps_would_write_them() -> None:
    texts = ['{"title": "moss 🌿", "value": "損傷"}', 'quote " backslash \\ tab \t nul \u0000', ""]
    errors = [{"message": "\x00 not a mark"}]
    payload: dict[str, Any] = {
        "data": {"labels": [{"id": "a", "label": raw(t), "n": 1.5} for t in texts], "none": None},
        "errors": errors,
    }
    plain: dict[str, Any] = {
        "data": {"labels": [{"id": "a", "label": t, "n": 1.5} for t in texts], "none": None},
        "errors": errors,
    }
    assert encode_response(payload) == json.dumps(plain, ensure_ascii=False).encode()
    assert encode_response(plain) == json.dumps(plain, ensure_ascii=False).encode()


async def test_answers_keep_the_json_content_type(emu: Emulator, session: aiohttp.ClientSession) -> None:
    body = {"query": PAGE, "variables": {"projectId": emu.project_ids[0], "skip": 0, "first": 2}}
    async with session.post(emu.endpoint, json=body, headers={"Authorization": f"Bearer {emu.api_key}"}) as resp:
        assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
        got = await resp.json()
    assert [label["label"] for label in got["data"]["project"]["labels"]] == [fresh_text(emu, 0, i) for i in (0, 1)]
