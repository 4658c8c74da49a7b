"""GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec), as the SDK sends.

Parts: ``operations`` (the JSON body of an ordinary request, with ``null`` where files go), ``map`` (JSON:
part name -> list of paths such as ``variables.file``), then one part per file. The result is the ordinary
body with every mapped path replaced by an :class:`~alabelbox.testing.resources.uploads.Upload`.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import BodyPartReader, web

from .resources.uploads import Upload


class MultipartError(ValueError):
    """The multipart request does not follow the spec; the message says how."""


async def read_operations(request: web.Request) -> dict[str, Any]:
    """The operations object of a multipart request, with its files in place."""
    reader = await request.multipart()
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
