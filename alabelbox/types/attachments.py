"""A data-row attachment as the GraphQL API returns it (``dataRow { attachments }``, the attachment mutations).

Named ``Attachment`` because :class:`alabelbox.types.DataRowAttachment` is an export record's attachment.
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field

from alabelbox.types._api import ApiModel

__all__ = ["Attachment", "AttachmentType"]


class AttachmentType(enum.StrEnum):
    """The kinds of attachment Labelbox shows beside an asset (the official SDK's ``AttachmentType``).

    Example:
        >>> AttachmentType("RAW_TEXT") is AttachmentType.RAW_TEXT
        True
    """

    AUDIO = "AUDIO"
    VIDEO = "VIDEO"
    IMAGE = "IMAGE"
    IMAGE_OVERLAY = "IMAGE_OVERLAY"
    HTML = "HTML"
    RAW_TEXT = "RAW_TEXT"
    TEXT_URL = "TEXT_URL"
    PDF_URL = "PDF_URL"
    CAMERA_IMAGE = "CAMERA_IMAGE"


class Attachment(ApiModel):
    """One attachment of a data row: extra context labelers see beside the asset.

    Example:
        >>> a = Attachment.model_validate({"id": "cla1", "type": "RAW_TEXT", "value": "shot at dusk", "name": None})
        >>> a.type, a.value
        (<AttachmentType.RAW_TEXT: 'RAW_TEXT'>, 'shot at dusk')
    """

    id: str
    type: Annotated[AttachmentType | str, Field(union_mode="left_to_right")]
    """An :class:`AttachmentType` (a type this version does not know stays the API's string)."""
    value: str
    """A URL to a file, or the text itself."""
    name: str | None = None
