"""What goes into data-row ingestion (:class:`DataRowSpec`, :class:`DataRowKey`, :class:`AttachmentSpec`) and what
comes out of it (:class:`IngestResult`, :class:`FailedDataRow`, :class:`IngestProgress`).

A spec is plain data: a frozen dataclass (cheap to build by the million) or a plain ``dict`` with the same keys, as
the official SDK takes them. ``client.data_rows.create`` checks every spec before it sends its chunk, and names the
spec's index and field when one is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from alabelbox.types.attachments import AttachmentType

__all__ = [
    "AttachmentSpec",
    "DataRowKey",
    "DataRowSpec",
    "FailedDataRow",
    "IngestProgress",
    "IngestResult",
    "MetadataFieldSpec",
    "RowData",
]

RowData = str | os.PathLike[str] | bytes | IO[bytes] | Mapping[str, Any] | Sequence[Any]
"""What ``row_data`` may be: a URL (or text), a local path, bytes, a binary file object, or JSON (an object, e.g.
conversational or tiled-imagery row data)."""


@dataclass(frozen=True, slots=True)
class AttachmentSpec:
    """An attachment to create with a data row.

    Example:
        >>> AttachmentSpec(AttachmentType.RAW_TEXT, "a caption", name="caption").type
        <AttachmentType.RAW_TEXT: 'RAW_TEXT'>
    """

    type: AttachmentType | str
    value: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class MetadataFieldSpec:
    """A metadata value to set on a data row: the field by ``schema_id`` or by ``name``.

    Example:
        >>> MetadataFieldSpec(name="tag", value="night").value
        'night'
    """

    value: Any
    schema_id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class DataRowKey:
    """Which existing data row an upsert updates: by id or by global key (the SDK's ``UniqueId`` / ``GlobalKey``).

    Example:
        >>> DataRowKey.global_key("img-1")
        DataRowKey(type='GKEY', value='img-1')
        >>> DataRowKey.id("cl0000000000000000000000x").type
        'ID'
    """

    type: Literal["ID", "GKEY"]
    value: str

    @classmethod
    def id(cls, data_row_id: str) -> DataRowKey:
        """The data row with this id."""
        return cls("ID", data_row_id)

    @classmethod
    def global_key(cls, key: str) -> DataRowKey:
        """The data row with this global key."""
        return cls("GKEY", key)


@dataclass(frozen=True, slots=True)
class DataRowSpec:
    """One data row to create (or, with ``key``, to upsert).

    ``row_data`` is a URL, a local path (the file is uploaded, as the SDK uploads it), bytes or a binary file object
    (uploaded too, named by ``filename``), or JSON row data such as a conversation. Unset fields are not sent.

    Example:
        >>> spec = DataRowSpec("https://example.com/cat.jpg", global_key="cat-1", external_id="cat.jpg")
        >>> spec.global_key
        'cat-1'
    """

    row_data: RowData | None = None
    global_key: str | None = None
    external_id: str | None = None
    media_type: str | None = None
    metadata_fields: Sequence[MetadataFieldSpec | Mapping[str, Any]] | None = None
    attachments: Sequence[AttachmentSpec | Mapping[str, Any]] | None = None
    key: DataRowKey | None = None
    """For upserts: the existing row to update (None: create a new one)."""
    filename: str | None = None
    """For bytes or a file object: the uploaded file's name (default ``data``)."""
    content_type: str | None = None
    """For uploaded content: its MIME type (default: guessed from the name)."""


@dataclass(frozen=True, slots=True)
class FailedDataRow:
    """A spec the server did not apply, and why.

    Attributes:
        index: The spec's 0-based position in what was given (None when the server's report could not be matched to
            a spec).
        message: The server's error.
        global_key: The spec's global key, as sent.
        external_id: The spec's external id, as sent.
        row_data: The row data as sent (the uploaded file's URL for local content).
    """

    index: int | None
    message: str
    global_key: str | None = None
    external_id: str | None = None
    row_data: str | None = None


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """How far an ingestion is, given to ``on_progress`` after each chunk and each uploaded file.

    Attributes:
        read: Specs read from the input so far.
        sent: Specs in chunks whose ``upsertDataRows`` was sent.
        accepted: Rows the server created or updated.
        failed: Rows the server reported as failed.
        uploaded_files: Local files (or bytes) uploaded.
        uploaded_bytes: Their bytes.
    """

    read: int
    sent: int
    accepted: int
    failed: int
    uploaded_files: int
    uploaded_bytes: int


@dataclass
class IngestResult:
    """The outcome of ``client.data_rows.create`` / ``upsert``, over every chunk.

    Attributes:
        dataset_id: Where the rows went.
        read: Specs read from the input.
        sent: Specs in chunks that were sent (``upsertDataRows``); a spec is in at most one sent chunk.
        accepted: Rows created or updated.
        failed: Every spec the server did not apply, with its index and error.
        task_ids: The server task of each chunk, in the order the chunks were sent.
        uploaded_files: Local files (or bytes) uploaded.
        uploaded_bytes: Their bytes.
        next_index: Every spec before this index was sent (with the ones that failed listed in ``failed``); where to
            resume after an interruption.

    Example:
        >>> result = IngestResult("cl0000000000000000000000d", read=3, sent=3, accepted=3)
        >>> result.ok
        True
    """

    dataset_id: str
    read: int = 0
    sent: int = 0
    accepted: int = 0
    failed: list[FailedDataRow] = field(default_factory=list)
    task_ids: list[str] = field(default_factory=list)
    uploaded_files: int = 0
    uploaded_bytes: int = 0
    next_index: int = 0

    @property
    def ok(self) -> bool:
        """Whether every spec read was sent and accepted."""
        return not self.failed and self.accepted == self.read == self.sent

    def progress(self) -> IngestProgress:
        """The counts as an :class:`IngestProgress`."""
        return IngestProgress(
            self.read, self.sent, self.accepted, len(self.failed), self.uploaded_files, self.uploaded_bytes
        )

    def summary(self) -> str:
        """One line for logs and the command line.

        Example:
            >>> IngestResult("d", read=5, sent=5, accepted=4, failed=[FailedDataRow(2, "bad")]).summary()
            '5 read, 5 sent, 4 accepted, 1 failed (0 files, 0 bytes uploaded) in 0 tasks'
        """
        return (
            f"{self.read} read, {self.sent} sent, {self.accepted} accepted, {len(self.failed)} failed "
            f"({self.uploaded_files} files, {self.uploaded_bytes} bytes uploaded) in {len(self.task_ids)} tasks"
        )
