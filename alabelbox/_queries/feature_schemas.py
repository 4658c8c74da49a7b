"""Feature schema queries (the REST calls are in the resource: ``/api/v1/feature-schemas/...``)."""

from __future__ import annotations

from typing import Final

__all__ = ["CREATE_FEATURE_SCHEMA", "FEATURE_SCHEMA_FIELDS", "LIST_FEATURE_SCHEMAS", "RETRIEVE_FEATURE_SCHEMA"]

#: The fields of the SDK's ``FeatureSchema`` (a root schema node; its id is ``normalized.featureSchemaId``).
FEATURE_SCHEMA_FIELDS: Final = "id name normalized"

CREATE_FEATURE_SCHEMA: Final = f"""
mutation CreateFeatureSchema($data: UpsertRootSchemaNodeInput!) {{
  upsertRootSchemaNode(data: $data) {{ {FEATURE_SCHEMA_FIELDS} }}
}}
"""

RETRIEVE_FEATURE_SCHEMA: Final = f"""
query RetrieveFeatureSchema($where: RootSchemaNodeWhere!) {{
  rootSchemaNode(where: $where) {{ {FEATURE_SCHEMA_FIELDS} }}
}}
"""

LIST_FEATURE_SCHEMAS: Final = f"""
query ListFeatureSchemas($search: String, $filter: RootSchemaNodeFilter, $from: String, $first: PageSize) {{
  rootSchemaNodes(where: {{filter: $filter, search: $search}}, after: $from, first: $first) {{
    nodes {{ {FEATURE_SCHEMA_FIELDS} }}
    nextCursor
  }}
}}
"""
