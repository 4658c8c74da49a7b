"""Signed uploads on the storage origin: PUT to a V4-style signed URL; signature, method, expiry, digest, faults."""

from __future__ import annotations

import base64
import hashlib

import aiohttp

from alabelbox.testing import Emulator


async def test_a_signed_put_stores_the_bytes(emu: Emulator, session: aiohttp.ClientSession) -> None:
    data = "行 1\n".encode() * 5000
    url = emu.sign_upload("imports/batch 1.ndjson")
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    async with session.put(url, data=data, headers={"Content-MD5": md5}) as resp:
        assert resp.status == 200
        assert resp.headers["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    assert emu.stored_object("imports/batch 1.ndjson") == data
    async with session.get(emu.sign_download("imports/batch 1.ndjson")) as resp:
        assert resp.status == 200 and await resp.read() == data
    (put,) = [r for r in emu.storage_requests if r.method == "PUT"]
    assert put.status == [200] and emu.key_leaks == []


async def test_a_download_url_does_not_authorise_an_upload(emu: Emulator, session: aiohttp.ClientSession) -> None:
    async with session.put(emu.sign_download("imports/x.ndjson"), data=b"x") as resp:
        assert resp.status == 403
        assert "<Code>SignatureDoesNotMatch</Code>" in await resp.text()
    tampered = emu.sign_upload("imports/x.ndjson").replace("imports/x.ndjson", "imports/y.ndjson")
    async with session.put(tampered, data=b"x") as resp:
        assert resp.status == 403
    async with session.put(emu.sign_upload("imports/x.ndjson").split("?")[0], data=b"x") as resp:
        assert resp.status == 403 and "<Code>MissingSecurityHeader</Code>" in await resp.text()
    async with session.get(emu.sign_upload("imports/x.ndjson")) as resp:
        assert resp.status == 403  # and an upload URL does not serve a download
    assert [r.status for r in emu.storage_requests] == [[403]] * 4


async def test_an_expired_upload_url_is_refused(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = emu.sign_upload("imports/late.ndjson", ttl=60)
    emu.clock.advance(61)
    async with session.put(url, data=b"late") as resp:
        assert resp.status == 400 and "<Code>ExpiredToken</Code>" in await resp.text()


async def test_bytes_that_do_not_match_their_digest_are_refused(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = emu.sign_upload("imports/bad.ndjson")
    for md5 in (base64.b64encode(hashlib.md5(b"other").digest()).decode(), "not base64!"):
        async with session.put(url, data=b"payload", headers={"Content-MD5": md5}) as resp:
            assert resp.status == 400
            body = await resp.text()
            assert "<Code>BadDigest</Code>" in body and "did not match what was received" in body


async def test_storage_faults_apply_to_uploads(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.faults.storage_error(503, nth=[1])
    url = emu.sign_upload("imports/retry.ndjson")
    async with session.put(url, data=b"first") as resp:
        assert resp.status == 503 and "<Code>ServiceUnavailable</Code>" in await resp.text()
    async with session.put(url, data=b"second") as resp:
        assert resp.status == 200
    assert emu.stored_object("imports/retry.ndjson") == b"second"
