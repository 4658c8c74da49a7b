"""``client.attachments``: add, update, delete and list the attachments of a data row.

Attachments are context labelers see beside an asset (a text note, an overlay image, a URL). They are also set
when rows are created (``attachments`` of a data-row spec) and appear in exports with ``attachments=True``.
"""

from __future__ import annotations

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._pagination import Paginator
from alabelbox._queries.attachments import CREATE_ATTACHMENT, DELETE_ATTACHMENT, LIST_ATTACHMENTS, UPDATE_ATTACHMENT
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, DEFAULT_WINDOW, Resource, TimeoutArg
from alabelbox.types.attachments import Attachment, AttachmentType

__all__ = ["Attachments"]

#: Attachments per page of :meth:`Attachments.list`.
PAGE_SIZE = 100


class Attachments(Resource):
    """The attachments of data rows (the SDK's ``DataRow.create_attachment``, ``AssetAttachment.update`` and
    ``.delete``, ``DataRow.attachments()``)."""

    async def create(
        self,
        data_row_id: str,
        *,
        type: AttachmentType | str,
        value: str,
        name: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Attachment:
        """Add an attachment to a data row.

        Args:
            data_row_id: The data row.
            type: An :class:`AttachmentType` (or its name).
            value: A URL, or the text itself; not empty.
            name: A name shown with it.
            timeout: Limits for this call.

        Raises:
            InvalidArgumentError: ``type`` is not an attachment type, or ``value`` is empty.
            ResourceNotFoundError: There is no such data row.

        Example:
            >>> note = await client.attachments.create(row_id, type="RAW_TEXT", value="shot at dusk", name="note")
            >>> note.type, note.value, note.name
            (<AttachmentType.RAW_TEXT: 'RAW_TEXT'>, 'shot at dusk', 'note')
        """
        variables = {
            "dataRowId": check_id("data_row_id", data_row_id),
            "type": _type(type),
            "value": _value(value),
            "name": _name(name),
        }
        attachment: Attachment = await self._mutate(CREATE_ATTACHMENT, variables, Attachment, timeout=timeout)
        return attachment

    async def update(
        self,
        attachment_id: str,
        *,
        type: AttachmentType | str | None = None,
        value: str | None = None,
        name: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Attachment:
        """Change an attachment's type, value or name (the ones given; at least one).

        Raises:
            InvalidArgumentError: Nothing to change, an unknown ``type``, or an empty ``value``.
            ResourceNotFoundError: There is no such attachment.

        Example:
            >>> note = await client.attachments.create(row_id, type="RAW_TEXT", value="draft")
            >>> (await client.attachments.update(note.id, value="final", name="note")).value
            'final'
        """
        variables: dict[str, object] = {"id": check_id("attachment_id", attachment_id)}
        if type is None and value is None and name is None:
            raise InvalidArgumentError("update", "give at least one of type, value and name")
        if type is not None:
            variables["type"] = _type(type)
        if value is not None:
            variables["value"] = _value(value)
        if name is not None:
            variables["name"] = _name(name)
        attachment: Attachment = await self._mutate(UPDATE_ATTACHMENT, variables, Attachment, timeout=timeout)
        return attachment

    async def delete(self, attachment_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Remove an attachment from its data row.

        Raises:
            ResourceNotFoundError: There is no such attachment (already deleted, for instance).

        Example:
            >>> note = await client.attachments.create(row_id, type="TEXT_URL", value="https://example.com/a.txt")
            >>> await client.attachments.delete(note.id)
            >>> [a.id for a in await client.attachments.list(row_id)]
            []
        """
        await self._mutate(DELETE_ATTACHMENT, {"id": check_id("attachment_id", attachment_id)}, timeout=timeout)

    def list(
        self,
        data_row_id: str,
        *,
        page_size: int = PAGE_SIZE,
        window: int | None = DEFAULT_WINDOW,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Attachment]:
        """The attachments of a data row, oldest first (``async for`` over them, or await the first page).

        Raises:
            ResourceNotFoundError: There is no such data row (when the first page is fetched).

        Example:
            >>> await client.attachments.create(row_id, type="IMAGE_OVERLAY", value="https://example.com/o.png")
            Attachment(...)
            >>> [a.type for a in await client.attachments.list(row_id)]
            [<AttachmentType.IMAGE_OVERLAY: 'IMAGE_OVERLAY'>]
        """
        return self._offset_listing(
            LIST_ATTACHMENTS,
            {"id": check_id("data_row_id", data_row_id)},
            Attachment,
            path=("dataRow", "attachments"),
            page_size=check_positive_int("page_size", page_size),
            window=window,
            timeout=timeout,
        )


def _type(value: object) -> str:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return AttachmentType(value).value
    except ValueError:
        names = ", ".join(t.value for t in AttachmentType)
        raise InvalidArgumentError("type", f"must be one of {names}, not {value!r}") from None


def _value(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError("value", f"must be a non-empty string (a URL or the text), not {value!r}")
    return value


def _name(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidArgumentError("name", f"must be a string, not {type(value).__name__}")
    return value
