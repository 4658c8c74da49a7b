"""Data-row attachments, one at a time, as the official SDK 7.17 sends them.

``createDataRowAttachment(data: {type, value, name, dataRowId})``, ``updateDataRowAttachment(where: {id},
data: {name, type, value})`` and ``deleteDataRowAttachment(where: {id})`` change the ``attachments`` of a row,
created or seeded (``data_rows.write``), so the change shows in ``dataRow { attachments }``, the dataset listings
and the exports (``includeAttachments``).

State: which row holds each attachment this module created (attachments that came with an ingested row are
found by a scan of the created rows).
"""

from __future__ import annotations

from typing import Any

from .._data import JSONDict
from ._base import Info, Resolver, Resource, bad_input, not_found

RowRef = tuple[int, int] | str
"""A live data row as ``data_rows.find_any`` gives it: ``(d, i)`` seeded, or a created row's id."""


def data_row_id(world: Any, ref: RowRef) -> str:
    """The id of row ``ref``."""
    return ref if isinstance(ref, str) else str(world.row_id(*ref))


SDL = """
enum AttachmentType { AUDIO VIDEO IMAGE IMAGE_OVERLAY HTML RAW_TEXT TEXT_URL PDF_URL CAMERA_IMAGE }

input DataRowAttachmentCreateInput { type: AttachmentType! value: String! name: String dataRowId: ID! }
input DataRowAttachmentUpdateInput { type: AttachmentType value: String name: String }

extend type Mutation {
  createDataRowAttachment(data: DataRowAttachmentCreateInput!): AssetAttachment!
  updateDataRowAttachment(where: WhereUniqueIdInput!, data: DataRowAttachmentUpdateInput!): AssetAttachment!
  deleteDataRowAttachment(where: WhereUniqueIdInput!): AssetAttachment!
}
"""


class Attachments(Resource):
    """The single-attachment mutations on created data rows."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.owner: dict[str, str] = {}
        """``attachment id -> data row id`` for the attachments created here."""
        self._counter = 0

    def _writable_row(self, rid: object) -> RowRef:
        found = self.backend.data_rows.find_any(rid)
        if found is None:
            raise not_found("data row", rid)
        return found

    def locate(self, attachment_id: str) -> tuple[RowRef, int]:
        """``(row, index in its attachments)`` of a live attachment; RESOURCE_NOT_FOUND if there is none."""
        rows = self.backend.data_rows
        candidates = [self.owner[attachment_id]] if attachment_id in self.owner else list(rows.created.keys())
        for rid in candidates:
            found = rows.find_any(rid) if isinstance(rid, str) else None
            if found is None:
                continue
            for n, a in enumerate(rows.current(found)["attachments"]):
                if a["id"] == attachment_id:
                    return found, n
        raise not_found("attachment", attachment_id)

    def create(self, data: JSONDict) -> JSONDict:
        """Add one attachment to a created row; the attachment."""
        rid = self._writable_row(data.get("dataRowId"))
        value = data.get("value")
        if not isinstance(value, str) or not value:
            raise bad_input("Attachment value must be a non-empty string")
        self._counter += 1
        attachment = {
            "id": self.world.ids.encode("a", 1, self._counter),
            "type": data["type"],
            "value": value,
            "name": data.get("name"),
        }
        rows = self.backend.data_rows
        rows.write(rid, {"attachments": [*rows.current(rid)["attachments"], attachment]})
        self.owner[attachment["id"]] = data_row_id(self.world, rid)
        return dict(attachment)

    def update(self, attachment_id: str, data: JSONDict) -> JSONDict:
        """Change the fields of ``data`` that are set; the attachment."""
        rid, n = self.locate(attachment_id)
        rows = self.backend.data_rows
        attachments = [dict(a) for a in rows.current(rid)["attachments"]]
        if data.get("value") is not None and not data["value"]:
            raise bad_input("Attachment value must be a non-empty string")
        attachments[n].update({k: v for k, v in data.items() if k in ("type", "value", "name") and v is not None})
        rows.write(rid, {"attachments": attachments})
        return dict(attachments[n])

    def delete(self, attachment_id: str) -> JSONDict:
        """Remove an attachment from its row; the attachment as it was."""
        rid, n = self.locate(attachment_id)
        rows = self.backend.data_rows
        attachments = list(rows.current(rid)["attachments"])
        gone = attachments.pop(n)
        rows.write(rid, {"attachments": attachments})
        self.owner.pop(attachment_id, None)
        return dict(gone)

    def root(self) -> dict[str, Resolver]:
        def update(info: Info, where: JSONDict, data: JSONDict) -> JSONDict:
            return self.update(str(where.get("id")), data)

        return {
            "createDataRowAttachment": lambda info, data: self.create(data),
            "updateDataRowAttachment": update,
            "deleteDataRowAttachment": lambda info, where: self.delete(str(where.get("id"))),
        }
