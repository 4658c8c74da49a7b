"""Data-row attachments: create, update, delete one, and list a data row's, as the official SDK 7.17 sends them."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ATTACHMENT_FIELDS",
    "CREATE_ATTACHMENT",
    "DELETE_ATTACHMENT",
    "LIST_ATTACHMENTS",
    "UPDATE_ATTACHMENT",
]

#: The fields of the SDK's ``AssetAttachment``.
ATTACHMENT_FIELDS: Final = "id type value name"

CREATE_ATTACHMENT: Final = f"""
mutation CreateAttachment($type: AttachmentType!, $value: String!, $name: String, $dataRowId: ID!) {{
  createDataRowAttachment(data: {{type: $type, value: $value, name: $name, dataRowId: $dataRowId}}) {{
    {ATTACHMENT_FIELDS}
  }}
}}
"""

UPDATE_ATTACHMENT: Final = f"""
mutation UpdateAttachment($id: ID!, $name: String, $type: AttachmentType, $value: String) {{
  updateDataRowAttachment(where: {{id: $id}}, data: {{name: $name, type: $type, value: $value}}) {{
    {ATTACHMENT_FIELDS}
  }}
}}
"""

DELETE_ATTACHMENT: Final = """
mutation DeleteAttachment($id: ID!) {
  deleteDataRowAttachment(where: {id: $id}) { id }
}
"""

LIST_ATTACHMENTS: Final = f"""
query ListAttachments($id: ID!, $skip: Int, $first: PageSize) {{
  dataRow(where: {{id: $id}}) {{ attachments(skip: $skip, first: $first) {{ {ATTACHMENT_FIELDS} }} }}
}}
"""
