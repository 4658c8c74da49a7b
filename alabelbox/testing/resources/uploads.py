"""File uploads: the ``uploadFile`` mutation, sent as a GraphQL multipart request (the SDK's ``upload_data``).

The server turns the multipart parts into an :class:`Upload` in the operation's variables (see
``_multipart``); this resource checks the declared length, keeps the bytes on the storage origin and answers
with a signed URL of them, as the API answers with a storage URL.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from .._data import JSONDict
from ._base import ApiError, Info, Resolver, Resource, bad_input

UPLOAD_URL_TTL = 7 * 86_400.0
"""Lifetime of the URL ``uploadFile`` returns."""

SDL = """
type UploadedFile { url: String! filename: String! }

extend type Mutation { uploadFile(file: Upload!, contentLength: Int!, sign: Boolean): UploadedFile! }
"""


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart request."""

    filename: str
    content_type: str | None
    data: bytes


def _safe(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", filename)[-100:] or "file"


class Uploads(Resource):
    """Uploaded files, kept on the storage origin under ``uploads/``."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.keys: list[str] = []
        """Storage keys of every uploaded file, in upload order."""

    def store(self, data: bytes, filename: str) -> str:
        """Keep ``data`` on the storage origin; its storage key."""
        key = f"uploads/{secrets.token_hex(8)}-{_safe(filename)}"
        self.backend.storage.put(key, data)
        self.keys.append(key)
        return key

    def root(self) -> dict[str, Resolver]:
        def upload_file(info: Info, file: Any, contentLength: int, sign: bool | None = None) -> JSONDict:
            if not isinstance(file, Upload):
                raise bad_input("uploadFile expects a file part (a GraphQL multipart request)")
            if contentLength != len(file.data):
                raise bad_input(
                    f"contentLength {contentLength} does not match the {len(file.data)} bytes of file {file.filename!r}"
                )
            fault = self.backend.faults.take_upload_fault()
            if fault is not None and fault[0] == "fail":
                raise ApiError(
                    "Upload failed: the storage backend is unavailable", "INTERNAL_SERVER_ERROR", status=fault[1]
                )
            key = self.store(file.data, file.filename)
            url = self.backend.signer.sign(key, UPLOAD_URL_TTL, expired=fault is not None)
            return {"url": url, "filename": file.filename}

        return {"uploadFile": upload_file}
