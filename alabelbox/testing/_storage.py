"""The storage origin: a bucket on its own port serving export files by signed URL.

URLs look like GCS V4 signed URLs (``X-Goog-*`` query parameters, HMAC-SHA256 over the path and
expiry). No Authorization is needed, and a request that carries the emulator's API key is
recorded as a leak. Files are streamed from disk: ``FileResponse`` (sendfile) when no fault is
active, otherwise a chunked reader that can throttle, reset or truncate.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import socket
import struct
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from aiohttp import web

from ._faults import DownloadFault, Faults
from ._store import Clock, RecordedRequest

BUCKET = "lb-emulator-exports"
_CHUNK = 256 * 1024


class Signer:
    """Signs and verifies storage URLs against the emulator clock."""

    def __init__(self, secret: bytes, clock: Clock) -> None:
        self._secret = secret
        self._clock = clock
        self.base_url = ""

    def _mac(self, path: str, date: str, expires: int) -> str:
        msg = f"{path}\n{date}\n{expires}".encode()
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def sign(self, key: str, ttl: float, *, expired: bool = False) -> str:
        """A signed URL for object ``key`` valid for ``ttl`` seconds of emulator time."""
        now = self._clock.now() - (ttl + 60 if expired else 0)
        date = datetime.fromtimestamp(int(now), tz=UTC).strftime("%Y%m%dT%H%M%SZ")
        expires = max(1, int(ttl))
        path = f"/{BUCKET}/{quote(key)}"
        query = urlencode(
            {
                "X-Goog-Algorithm": "GOOG4-HMAC-SHA256",
                "X-Goog-Credential": "emulator@labelbox-emulator.iam.gserviceaccount.com/"
                + date[:8]
                + "/auto/storage/goog4_request",
                "X-Goog-Date": date,
                "X-Goog-Expires": str(expires),
                "X-Goog-SignedHeaders": "host",
                "X-Goog-Signature": self._mac(path, date, expires),
            }
        )
        return f"{self.base_url}{path}?{query}"

    def check(self, path: str, query: dict[str, str]) -> str | None:
        """None if the signature is valid and current, else the GCS error code."""
        try:
            date = query["X-Goog-Date"]
            expires = int(query["X-Goog-Expires"])
            signature = query["X-Goog-Signature"]
        except (KeyError, ValueError):
            return "MissingSecurityHeader"
        if not hmac.compare_digest(signature, self._mac(path, date, expires)):
            return "SignatureDoesNotMatch"
        issued = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if self._clock.now() > issued.timestamp() + expires:
            return "ExpiredToken"
        return None


def _gcs_error(status: int, code: str, details: str) -> web.Response:
    body = (
        "<?xml version='1.0' encoding='UTF-8'?><Error>"
        f"<Code>{code}</Code><Message>{'Invalid argument.' if status == 400 else 'Access denied.'}"
        f"</Message><Details>{details}</Details></Error>"
    )
    return web.Response(status=status, text=body, content_type="application/xml")


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Inclusive ``(start, end)`` for a single ``bytes=`` range, or None if unsatisfiable."""
    unit, _, spec = header.partition("=")
    if unit.strip() != "bytes" or "," in spec:
        return None
    first, _, last = spec.strip().partition("-")
    try:
        if first == "":
            n = int(last)
            return (max(0, size - n), size - 1) if n > 0 and size else None
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


class StorageApp:
    """aiohttp application of the storage origin."""

    def __init__(
        self, signer: Signer, faults: Faults, api_key: str, log: list[RecordedRequest], clock: Clock
    ) -> None:
        self.signer = signer
        self.faults = faults
        self.api_key = api_key
        self.log = log
        self.clock = clock
        self.objects: dict[str, Path] = {}
        self.key_leaks: list[RecordedRequest] = []
        self.app = web.Application()
        self.app.router.add_get("/{bucket}/{key:.+}", self.handle)

    def publish(self, key: str, path: Path) -> None:
        """Make ``path`` downloadable as object ``key`` (thread-safe: a dict store)."""
        self.objects[key] = path

    async def handle(self, request: web.Request) -> web.StreamResponse:
        record = RecordedRequest(
            origin="storage",
            method=request.method,
            path=request.path,
            query_string=request.query_string,
            headers=dict(request.headers),
            time=self.clock.now(),
        )
        self.log.append(record)
        if any(self.api_key in v for v in request.headers.values()):
            self.key_leaks.append(record)
        response = await self._answer(request)
        record.status.append(response.status)
        return response

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["bucket"] != BUCKET:
            return _gcs_error(404, "NoSuchBucket", "The specified bucket does not exist.")
        problem = self.signer.check(request.raw_path.split("?", 1)[0], dict(request.query))
        if problem == "ExpiredToken":
            return _gcs_error(400, problem, "The provided token has expired.")
        if problem:
            return _gcs_error(403, problem, "The request signature we calculated does not match.")
        path = self.objects.get(request.match_info["key"])
        if path is None or not path.exists():
            return _gcs_error(404, "NoSuchKey", "The specified key does not exist.")
        fault = self.faults.for_download()
        if fault.ttfb:
            await asyncio.sleep(fault.ttfb)
        plain = fault.bandwidth is None and fault.reset_after is None and fault.truncate_after is None
        if plain:
            response = web.FileResponse(path, chunk_size=_CHUNK)
            response.content_type = "application/x-ndjson"
            return response
        return await self._faulty(request, path, fault)

    async def _faulty(
        self, request: web.Request, path: Path, fault: DownloadFault
    ) -> web.StreamResponse:
        size = (await asyncio.to_thread(path.stat)).st_size
        start, end = 0, size - 1
        status = 200
        header = request.headers.get("Range")
        if header:
            got = _parse_range(header, size)
            if got is None:
                return web.Response(status=416, headers={"Content-Range": f"bytes */{size}"})
            start, end = got
            status = 206
        length = end - start + 1
        response = web.StreamResponse(status=status)
        response.content_type = "application/x-ndjson"
        response.content_length = length
        response.headers["Accept-Ranges"] = "bytes"
        if status == 206:
            response.headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        await response.prepare(request)
        limit = fault.reset_after if fault.reset_after is not None else fault.truncate_after
        sent = 0
        began = time.monotonic()
        fh = await asyncio.to_thread(open, path, "rb")
        try:
            fh.seek(start)
            while sent < length:
                want = min(_CHUNK, length - sent)
                if fault.bandwidth:
                    want = min(want, max(1, int(fault.bandwidth / 20)))
                if limit is not None:
                    want = min(want, limit - sent)
                    if want <= 0:
                        break
                chunk = await asyncio.to_thread(fh.read, want) if want > _CHUNK // 4 else fh.read(want)
                if not chunk:
                    break
                await response.write(chunk)
                sent += len(chunk)
                if fault.bandwidth:
                    ahead = sent / fault.bandwidth - (time.monotonic() - began)
                    if ahead > 0:
                        await asyncio.sleep(ahead)
        finally:
            fh.close()
        if limit is not None and sent < length:
            transport = request.transport
            if transport is not None:
                if fault.reset_after is not None:
                    sock = transport.get_extra_info("socket")
                    if sock is not None:
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    transport.abort()
                else:
                    transport.close()
            return response
        await response.write_eof()
        return response


def new_secret() -> bytes:
    """A fresh random signing key."""
    return os.urandom(32)
