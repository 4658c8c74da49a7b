"""GraphQL multipart requests: the one way files reach the API (uploads, annotation imports, data-row ingestion).

A multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec) carries three kinds of part:
``operations`` (the JSON body of an ordinary request, with ``null`` where the files go), ``map`` (part name ->
the variable paths it fills, such as ``variables.file``) and one part per file. :class:`Multipart` is that
request's files; :meth:`Multipart.form` builds the body of one attempt.

Files are streamed: a local path is opened anew for every attempt and read in chunks of :data:`CHUNK` bytes in a
worker thread, a file object is rewound to where it stood when the request was made, bytes are sent as they are.
So a retry sends the whole file again, and no file is ever read whole into memory. The body goes where the
transport posts it (the API's GraphQL URL, with the key), and nowhere else.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import aiohttp
from aiohttp.abc import AbstractStreamWriter
from aiohttp.payload import Payload

__all__ = ["CHUNK", "FilePart", "Multipart"]

CHUNK = 256 * 1024
"""The bytes read from a file at once while it is sent."""
_OCTETS = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class FilePart:
    """One file of a GraphQL multipart request.

    ``content`` is bytes, a local path (streamed from disk, opened anew for every attempt) or a seekable binary
    file object (streamed from where it stands now, rewound there for every attempt; it is not closed).
    ``part`` is the name of its part (the filename when None), as the ``map`` names it.
    """

    content: bytes | bytearray | memoryview | os.PathLike[str] | IO[bytes]
    filename: str
    content_type: str | None = None
    part: str | None = None
    _start: int = field(default=0, init=False, repr=False, compare=False)
    _size: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        content = self.content
        if isinstance(content, (bytes, bytearray, memoryview)):
            size, start = len(content), 0
        elif isinstance(content, os.PathLike):
            size, start = os.stat(content).st_size, 0
        else:
            if not content.seekable():
                raise ValueError(f"the file object of {self.filename!r} cannot seek: give its bytes instead")
            start = content.tell()
            size = content.seek(0, io.SEEK_END) - start
            content.seek(start)
        object.__setattr__(self, "_start", start)
        object.__setattr__(self, "_size", size)

    @property
    def size(self) -> int:
        """The bytes the part carries (what the request's ``contentLength`` says)."""
        return self._size

    @property
    def name(self) -> str:
        """The part's name in the request."""
        return self.part if self.part is not None else self.filename


@dataclass(frozen=True, slots=True)
class Multipart:
    """The files of one GraphQL multipart request: variable path (``variables.file``) -> file."""

    files: Mapping[str, FilePart]

    def __post_init__(self) -> None:
        names = [f.name for f in self.files.values()]
        if len(set(names)) != len(names):
            raise ValueError(f"two files of one multipart request have the same part name: {names}")

    @classmethod
    def single(cls, file: FilePart, path: str = "variables.file") -> Multipart:
        """A request with one file, in variable ``path``."""
        return cls({path: file})

    @classmethod
    def of_tuples(cls, files: Mapping[str, tuple[str, bytes, str]]) -> Multipart:
        """``variable path -> (filename, content, content type)`` (the client's ``execute(files=)``), each part
        named after its file."""
        return cls(
            {path: FilePart(content, name, content_type) for path, (name, content, content_type) in files.items()}
        )

    def form(self, payload: Mapping[str, Any]) -> aiohttp.FormData:
        """The body of one attempt: ``operations`` (``payload``, with null where the files go), ``map``, the files.

        A fresh body per attempt: aiohttp consumes one once, and every attempt must send every file whole.
        """
        form = aiohttp.FormData(quote_fields=False)
        form.add_field("operations", json.dumps(payload))
        form.add_field("map", json.dumps({f.name: [path] for path, f in self.files.items()}))
        for file in self.files.values():
            form.add_field(file.name, _FilePayload(file), filename=file.filename)
        return form


class _FilePayload(Payload):
    """A file part, streamed: exactly ``file.size`` bytes, read a chunk at a time off the event loop."""

    def __init__(self, file: FilePart) -> None:
        super().__init__(file, content_type=file.content_type or _OCTETS, filename=file.filename)
        self._file = file
        self._size = file.size

    async def write(self, writer: AbstractStreamWriter) -> None:
        file = self._file
        content = file.content
        if isinstance(content, (bytes, bytearray, memoryview)):
            await writer.write(bytes(content))
            return
        loop = asyncio.get_running_loop()
        opened = isinstance(content, os.PathLike)
        handle: IO[bytes] = (
            await loop.run_in_executor(None, open, content, "rb") if isinstance(content, os.PathLike) else content
        )
        try:
            if not opened:
                await loop.run_in_executor(None, handle.seek, file._start)
            left = file.size
            while left > 0:
                chunk = await loop.run_in_executor(None, handle.read, min(CHUNK, left))
                if not chunk:
                    raise OSError(f"{file.filename!r} ended {left} bytes short of the {file.size} it had")
                await writer.write(chunk)
                left -= len(chunk)
        finally:
            if opened:
                await loop.run_in_executor(None, handle.close)

    async def write_with_length(self, writer: AbstractStreamWriter, content_length: int | None) -> None:
        await self.write(writer)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        raise TypeError("a streamed file part has no text form")
