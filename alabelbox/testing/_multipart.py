"""GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec), as the SDK sends.

Parts: ``operations`` (the JSON body of an ordinary request, with ``null`` where files go), ``map`` (JSON:
part name -> list of paths such as ``variables.file``), then one part per file. The result is the ordinary
body with every mapped path replaced by an :class:`~alabelbox.testing.resources.uploads.Upload`.

The body is read whole and cut at its boundary when it has the plain shape every client sends (no preamble,
part headers that are ASCII ``Content-Disposition`` / ``Content-Type`` / ``Content-Length`` lines): that costs a
few slices per part instead of aiohttp's streaming reader, which parses each part's headers several times.
Anything else (a preamble, a transfer encoding, a nested multipart, non-ASCII headers) goes through aiohttp's
reader over the same bytes, so both paths read a request the same way.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, StreamReader, web
from aiohttp.base_protocol import BaseProtocol
from aiohttp.helpers import parse_mimetype
from aiohttp.multipart import content_disposition_filename, parse_content_disposition

from .resources.uploads import Upload


class MultipartError(ValueError):
    """The multipart request does not follow the spec; the message says how."""


_PLAIN_HEADERS = frozenset({"content-disposition", "content-type", "content-length"})


async def read_operations(request: web.Request) -> dict[str, Any]:
    """The operations object of a multipart request, with its files in place."""
    body = await request.read()
    parts = split(request.headers.get("Content-Type", ""), body)
    if parts is None:
        fields, files = await read_streaming(request.headers, body)
    else:
        fields, files = {}, {}
        for name, filename, content_type, data in parts:
            if name in ("operations", "map"):
                try:
                    fields[name] = json.loads(data.decode())
                except ValueError as exc:
                    raise MultipartError(f"the {name!r} part is not JSON: {exc}") from exc
            else:
                files[name] = Upload(filename=filename or name, content_type=content_type, data=data)
    return _assemble(fields, files)


_BOUNDARY = re.compile(r'multipart/form-data; ?boundary=("?)([0-9A-Za-z\'()+_,./:=?-]{1,70})\1')
_DISPOSITION = re.compile(r'form-data; name="([^"\\;/%][^"\\;%]*)"(?:; filename="([^"\\;/%][^"\\;%]*)")?')


def _boundary(content_type: str) -> bytes | None:
    plain = _BOUNDARY.fullmatch(content_type)
    if plain is not None:
        return plain.group(2).encode("ascii")
    value = parse_mimetype(content_type).parameters.get("boundary")
    return value.encode("latin-1") if value and value.isascii() else None


def _disposition(header: str) -> tuple[str | None, str | None]:
    """(name, filename) of a ``Content-Disposition`` header, as aiohttp's part reader gives them (the plain
    ``form-data; name="..."; filename="..."`` without escapes read directly: aiohttp's parser costs a millisecond)."""
    plain = _DISPOSITION.fullmatch(header)
    if plain is not None:
        return plain.group(1), plain.group(2)
    return _parsed_disposition(header)


@lru_cache(maxsize=256)
def _parsed_disposition(header: str) -> tuple[str | None, str | None]:
    _, params = parse_content_disposition(header)
    return content_disposition_filename(params, "name"), content_disposition_filename(params, "filename")


@lru_cache(maxsize=256)
def _plain_type(content_type: str) -> bool:
    """Whether a part's ``Content-Type`` is neither multipart nor of a charset other than UTF-8."""
    mime = parse_mimetype(content_type)
    return mime.type != "multipart" and mime.parameters.get("charset", "utf-8").lower() in ("utf-8", "utf8")


def split(content_type: str, body: bytes) -> list[tuple[str, str | None, str | None, bytes]] | None:
    """``(name, filename, content type, bytes)`` of every part, or None when the body is not of the plain shape."""
    boundary = _boundary(content_type)
    if boundary is None:
        return None
    opening = b"--" + boundary + b"\r\n"
    if not body.startswith(opening):
        return None
    delimiter = b"\r\n--" + boundary
    end = body.find(delimiter + b"--")
    if end < 0:
        return None
    out = []
    for chunk in body[len(opening) : end].split(delimiter + b"\r\n"):
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep or not head.isascii():
            return None
        headers: dict[str, str] = {}
        for line in head.decode("ascii").split("\r\n"):
            key, colon, value = line.partition(":")
            key = key.lower()
            if not colon or key not in _PLAIN_HEADERS or key in headers or key != key.strip():
                return None
            headers[key] = value.strip()
        content_type_ = headers.get("content-type")
        if content_type_ is not None and not _plain_type(content_type_):
            return None
        if "content-disposition" not in headers:
            return None
        name, filename = _disposition(headers["content-disposition"])
        out.append((name or "", filename, content_type_, data))
    return out


async def read_streaming(headers: Mapping[str, str], body: bytes) -> tuple[dict[str, Any], dict[str, Upload]]:
    """The JSON fields and the files of a multipart ``body`` (sent with ``headers``) as aiohttp's streaming reader
    reads them (for the shapes :func:`split` leaves)."""
    loop = asyncio.get_running_loop()
    stream = StreamReader(BaseProtocol(loop), 2**16, loop=loop)
    stream.feed_data(body)
    stream.feed_eof()
    reader = MultipartReader(headers, stream)
    fields: dict[str, Any] = {}
    files: dict[str, Upload] = {}
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, BodyPartReader):
            raise MultipartError("nested multipart parts are not supported")
        name = part.name or ""
        if name in ("operations", "map"):
            try:
                fields[name] = json.loads(await part.text())
            except ValueError as exc:
                raise MultipartError(f"the {name!r} part is not JSON: {exc}") from exc
        else:
            data = bytes(await part.read())
            files[name] = Upload(
                filename=part.filename or name,
                content_type=part.headers.get("Content-Type"),
                data=data,
            )
    return fields, files


def _assemble(fields: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
    operations, mapping = fields.get("operations"), fields.get("map")
    if not isinstance(operations, dict):
        raise MultipartError("the 'operations' part is missing or not a JSON object")
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, dict):
        raise MultipartError("the 'map' part must be a JSON object")
    for name, paths in mapping.items():
        upload = files.get(name)
        if upload is None:
            raise MultipartError(f"the map names file part {name!r}, which the request does not carry")
        if not isinstance(paths, list):
            raise MultipartError(f"the map entry of {name!r} must be a list of paths")
        for path in paths:
            _place(operations, str(path), upload)
    return operations


def _place(operations: dict[str, Any], path: str, upload: Upload) -> None:
    keys = path.split(".")
    target: Any = operations
    for key in keys[:-1]:
        if isinstance(target, list):
            target = target[int(key)] if key.isdigit() and int(key) < len(target) else None
        else:
            target = target.get(key) if isinstance(target, dict) else None
        if target is None:
            raise MultipartError(f"the map path {path!r} leads nowhere in the operations")
    last = keys[-1]
    if isinstance(target, list) and last.isdigit() and int(last) < len(target):
        target[int(last)] = upload
    elif isinstance(target, dict):
        target[last] = upload
    else:
        raise MultipartError(f"the map path {path!r} leads nowhere in the operations")
