"""User queries."""

from __future__ import annotations

from typing import Final

__all__ = ["CURRENT_USER", "LIST_USERS", "RETRIEVE_USER", "USER_FIELDS"]

#: The fields of the SDK's ``GetUserPyApi``.
USER_FIELDS: Final = "id email name nickname picture isExternalUser isViewer createdAt updatedAt lastLoginAt"

CURRENT_USER: Final = f"""
query CurrentUser {{
  user {{ {USER_FIELDS} }}
}}
"""

RETRIEVE_USER: Final = f"""
query RetrieveUser($id: ID!) {{
  user(where: {{id: $id}}) {{ {USER_FIELDS} }}
}}
"""

LIST_USERS: Final = f"""
query ListUsers($skip: Int, $first: PageSize) {{
  organization {{ users(skip: $skip, first: $first) {{ {USER_FIELDS} }} }}
}}
"""
