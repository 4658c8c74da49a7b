"""The storage origin: a bucket on its own port serving export files by signed URL, and taking signed uploads.

URLs look like GCS V4 signed URLs (``X-Goog-*`` query parameters, HMAC-SHA256 over the method, the path
and the expiry; a GET URL does not authorise a PUT). A PUT to a signed upload URL stores the body (checked
against ``Content-MD5`` when sent), as a GCS V4 signed upload does; injected storage faults apply to it. A GET
URL also answers HEAD (status, ``Content-Length``, ``ETag``: the object's MD5, and no body), as GCS and S3 do.
No Authorization is needed, and a request that carries the emulator's API key is
recorded as a leak. Files are streamed from disk: ``FileResponse`` (sendfile) when no fault is
active, otherwise a chunked reader that can throttle, reset or truncate. A client that goes away
mid-body is not an error of the bucket: it is logged at DEBUG only.

Small objects that are only put (the files ``uploadFile`` takes: images, descriptor files, manifests) stay in
memory, up to :data:`MEMORY_BYTES` in all, and are written to disk when first downloaded: a file per upload
cost more CPU than the rest of the upload, and a real bucket does not spend its API server's CPU on it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import logging
import os
import socket
import struct
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from aiohttp import web

from ._faults import DownloadFault, Faults, StorageFault
from ._store import Clock, RecordedRequest

BUCKET = "lb-emulator-exports"
_CHUNK = 256 * 1024
MAX_UPLOAD = 256 * 1024 * 1024
"""The largest body a signed PUT may carry."""
MEMORY_OBJECT_BYTES = 1024 * 1024
"""Objects up to this size are kept in memory until first downloaded."""
MEMORY_BYTES = 256 * 1024 * 1024
"""The most bytes of objects kept in memory; later ones go to disk at once."""
_log = logging.getLogger(__name__)

# What a GCS bucket front end says for each injected status (XML API error codes).
_STATUS_ERRORS = {
    429: ("SlowDown", "Please reduce your request rate."),
    500: ("InternalError", "We encountered an internal error. Please try again."),
    502: ("BadGateway", "The server encountered a temporary error. Please try again."),
    503: ("ServiceUnavailable", "We encountered an internal error. Please try again."),
    504: ("GatewayTimeout", "The server encountered a temporary error. Please try again."),
}


class Signer:
    """Signs and verifies storage URLs against the emulator clock."""

    def __init__(self, secret: bytes, clock: Clock) -> None:
        self._secret = secret
        self._clock = clock
        self.base_url = ""
        self._last_date: tuple[int, str, str] = (-1, "", "")

    def _mac(self, path: str, date: str, expires: int, method: str = "GET") -> str:
        # GET keeps the message it always had, so download URLs are unchanged.
        msg = f"{path}\n{date}\n{expires}" if method == "GET" else f"{method}\n{path}\n{date}\n{expires}"
        return hmac.new(self._secret, msg.encode(), hashlib.sha256).hexdigest()

    def sign(self, key: str, ttl: float, *, expired: bool = False, method: str = "GET") -> str:
        """A signed URL for ``method`` (GET to download, PUT to upload) on object ``key``, for ``ttl`` seconds."""
        now = self._clock.now() - (ttl + 60 if expired else 0)
        date, head = self._date(int(now))
        expires = max(1, int(ttl))
        path = f"/{BUCKET}/{quote(key)}"
        # urlencode's output for these fields: the date, the expiry and the hex signature need no escaping.
        signature = self._mac(path, date, expires, method)
        query = f"{head}&X-Goog-Expires={expires}&X-Goog-SignedHeaders=host&X-Goog-Signature={signature}"
        return f"{self.base_url}{path}?{query}"

    def _date(self, second: int) -> tuple[str, str]:
        """The ``X-Goog-Date`` of a second and the query's fields up to it (kept for the next URL of that second)."""
        if self._last_date[0] != second:
            date = datetime.fromtimestamp(second, tz=UTC).strftime("%Y%m%dT%H%M%SZ")
            head = urlencode(
                {
                    "X-Goog-Algorithm": "GOOG4-HMAC-SHA256",
                    "X-Goog-Credential": "emulator@labelbox-emulator.iam.gserviceaccount.com/"
                    + date[:8]
                    + "/auto/storage/goog4_request",
                    "X-Goog-Date": date,
                }
            )
            self._last_date = (second, date, head)
        return self._last_date[1], self._last_date[2]

    def check(self, path: str, query: dict[str, str], method: str = "GET") -> str | None:
        """None if the signature is valid for ``method`` and current, else the GCS error code."""
        try:
            date = query["X-Goog-Date"]
            expires = int(query["X-Goog-Expires"])
            signature = query["X-Goog-Signature"]
        except (KeyError, ValueError):
            return "MissingSecurityHeader"
        if not hmac.compare_digest(signature, self._mac(path, date, expires, method)):
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


def _injected(fault: StorageFault) -> web.Response:
    code, message = _STATUS_ERRORS.get(fault.status, ("InternalError", "Injected by the emulator."))
    body = (
        "<?xml version='1.0' encoding='UTF-8'?><Error>"
        f"<Code>{code}</Code><Message>{message}</Message>"
        "<Details>Injected by the emulator.</Details></Error>"
    )
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    return web.Response(status=fault.status, text=body, content_type="application/xml", headers=headers)


def _body_length(request: web.Request, size: int) -> int:
    """How many body bytes a download of a ``size``-byte object sends (0 if its Range is unsatisfiable)."""
    header = request.headers.get("Range")
    if not header:
        return size
    got = _parse_range(header, size)
    return 0 if got is None else got[1] - got[0] + 1


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

    def __init__(self, signer: Signer, faults: Faults, api_key: str, log: list[RecordedRequest], clock: Clock) -> None:
        self.signer = signer
        self.faults = faults
        self.api_key = api_key
        self.log = log
        self.clock = clock
        self.objects: dict[str, Path] = {}
        """Every object's file (an object still in :attr:`_memory` has no file yet)."""
        self._memory: dict[str, bytes] = {}
        self._memory_bytes = 0
        self._lock = threading.Lock()
        self.key_leaks: list[RecordedRequest] = []
        self.upload_dir: Path | None = None
        """Where uploaded objects are written (set by the emulator on start)."""
        self.app = web.Application(client_max_size=MAX_UPLOAD)
        self.app.router.add_get("/{bucket}/{key:.+}", self.handle)
        self.app.router.add_put("/{bucket}/{key:.+}", self.handle)

    def publish(self, key: str, path: Path) -> None:
        """Make ``path`` downloadable as object ``key`` (thread-safe: a dict store)."""
        self.objects[key] = path

    def put(self, key: str, data: bytes) -> Path:
        """Store ``data`` as object ``key`` (replacing it) and make it downloadable; the path of its file (written
        when first needed for a small object, see the module docstring)."""
        if self.upload_dir is None:
            raise RuntimeError("the storage origin has no upload directory yet")
        path = self.upload_dir / hashlib.sha256(key.encode()).hexdigest()
        with self._lock:
            old = self._memory.pop(key, None)
            self._memory_bytes -= len(old) if old is not None else 0
            small = len(data) <= MEMORY_OBJECT_BYTES and self._memory_bytes + len(data) <= MEMORY_BYTES
            if small:
                self._memory[key] = bytes(data)
                self._memory_bytes += len(data)
        if small:
            if old is None and key in self.objects:
                path.unlink(missing_ok=True)  # an older version of the object, on disk
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        self.publish(key, path)
        return path

    def read(self, key: str) -> bytes:
        """The bytes of object ``key`` (KeyError if there is none)."""
        path = self.objects[key]
        data = self._memory.get(key)
        return data if data is not None else path.read_bytes()

    def _to_disk(self, key: str) -> None:
        """Write object ``key`` to its file if it is only in memory (before a download serves the file)."""
        with self._lock:
            data = self._memory.get(key)
            path = self.objects.get(key)
            if data is None or path is None:
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            del self._memory[key]
            self._memory_bytes -= len(data)

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
        injected = self.faults.for_storage_request()
        if injected is not None:
            return _injected(injected)
        if request.match_info["bucket"] != BUCKET:
            return _gcs_error(404, "NoSuchBucket", "The specified bucket does not exist.")
        # A URL signed for GET also answers HEAD (the object's metadata, no body), as GCS and S3 do.
        method = "GET" if request.method == "HEAD" else request.method
        problem = self.signer.check(request.raw_path.split("?", 1)[0], dict(request.query), method)
        if problem == "ExpiredToken":
            return _gcs_error(400, problem, "The provided token has expired.")
        if problem:
            return _gcs_error(403, problem, "The request signature we calculated does not match.")
        if request.method == "PUT":
            return await self._upload(request)
        self._to_disk(request.match_info["key"])
        path = self.objects.get(request.match_info["key"])
        try:
            size = -1 if path is None else path.stat().st_size
        except OSError:
            size = -1
        if path is None or size < 0:
            return _gcs_error(404, "NoSuchKey", "The specified key does not exist.")
        if request.method == "HEAD":
            return await self._head(path, size)
        fault = self.faults.for_download(_body_length(request, size))
        if fault.ttfb:
            await asyncio.sleep(fault.ttfb)
        plain = fault.bandwidth is None and fault.reset_after is None and fault.truncate_after is None
        if plain:
            response = web.FileResponse(path, chunk_size=_CHUNK)
            response.content_type = "application/x-ndjson"
            return response
        return await self._faulty(request, path, size, fault)

    @staticmethod
    async def _head(path: Path, size: int) -> web.Response:
        """What a bucket answers to HEAD: 200, the object's size, type and ETag (its MD5, as the PUT answered)."""
        digest = await asyncio.to_thread(_md5_of, path)
        return web.Response(
            status=200,
            headers={
                "Content-Length": str(size),
                "Content-Type": "application/x-ndjson",
                "ETag": f'"{digest}"',
                "Accept-Ranges": "bytes",
                "x-goog-stored-content-length": str(size),
            },
        )

    async def _upload(self, request: web.Request) -> web.Response:
        """Store the body of a signed PUT; ``Content-MD5``, when sent, must match it."""
        data = await request.read()
        digest = hashlib.md5(data).digest()
        sent = request.headers.get("Content-MD5")
        if sent is not None:
            try:
                expected = base64.b64decode(sent, validate=True)
            except binascii.Error:
                expected = b""
            if expected != digest:
                return _gcs_error(400, "BadDigest", "The Content-MD5 you specified did not match what was received.")
        key = request.match_info["key"]
        await asyncio.to_thread(self.put, key, data)
        return web.Response(
            status=200, headers={"ETag": f'"{digest.hex()}"', "x-goog-stored-content-length": str(len(data))}
        )

    async def _faulty(self, request: web.Request, path: Path, size: int, fault: DownloadFault) -> web.StreamResponse:
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
        limit = fault.reset_after if fault.reset_after is not None else fault.truncate_after
        try:
            sent = await self._send(request, response, path, start, length, limit, fault.bandwidth)
            if limit is None or sent >= length:
                await response.write_eof()
                return response
        except ConnectionError as exc:
            # The client stopped reading (a `break`, a timeout): a bucket does not complain. aiohttp's own
            # write_eof after this return meets the same closed transport and stays quiet too.
            _log.debug("storage: the client went away during %s: %r", request.path, exc)
            return response
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

    @staticmethod
    async def _send(
        request: web.Request,
        response: web.StreamResponse,
        path: Path,
        start: int,
        length: int,
        limit: int | None,
        bandwidth: float | None,
    ) -> int:
        """Send up to ``limit`` of ``length`` bytes from ``start``, throttled; how many were sent."""
        await response.prepare(request)
        sent = 0
        began = time.monotonic()
        fh = await asyncio.to_thread(open, path, "rb")
        try:
            fh.seek(start)
            while sent < length:
                want = min(_CHUNK, length - sent)
                if bandwidth:
                    want = min(want, max(1, int(bandwidth / 20)))
                if limit is not None:
                    want = min(want, limit - sent)
                    if want <= 0:
                        break
                chunk = await asyncio.to_thread(fh.read, want) if want > _CHUNK // 4 else fh.read(want)
                if not chunk:
                    break
                await response.write(chunk)
                sent += len(chunk)
                if bandwidth:
                    ahead = sent / bandwidth - (time.monotonic() - began)
                    if ahead > 0:
                        await asyncio.sleep(ahead)
        finally:
            fh.close()
        return sent


def _md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def new_secret() -> bytes:
    """A fresh random signing key."""
    return os.urandom(32)
