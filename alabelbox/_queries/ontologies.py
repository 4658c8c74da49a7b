"""Ontology queries (the REST calls are in the resource: ``/api/v1/ontologies/...``)."""

from __future__ import annotations

from typing import Final

__all__ = ["CREATE_ONTOLOGY", "LIST_ONTOLOGIES", "ONTOLOGY_FIELDS", "RETRIEVE_ONTOLOGY"]

#: The fields of the SDK's ``Ontology``.
ONTOLOGY_FIELDS: Final = (
    "id name description createdAt updatedAt mediaType normalized objectSchemaCount classificationSchemaCount"
)

#: ``upsertOntology`` without an id creates; ``normalized`` is the JSON text of the tools and classifications.
CREATE_ONTOLOGY: Final = f"""
mutation CreateOntology($data: UpsertOntologyInput!) {{
  upsertOntology(data: $data) {{ {ONTOLOGY_FIELDS} }}
}}
"""

RETRIEVE_ONTOLOGY: Final = f"""
query RetrieveOntology($id: ID!) {{
  ontology(where: {{id: $id}}) {{ {ONTOLOGY_FIELDS} }}
}}
"""

#: Cursor pages of ontologies whose name contains ``search`` (all of them when it is null), as the SDK asks.
LIST_ONTOLOGIES: Final = f"""
query ListOntologies($search: String, $filter: OntologyFilter, $from: String, $first: PageSize) {{
  ontologies(where: {{filter: $filter, search: $search}}, after: $from, first: $first) {{
    nodes {{ {ONTOLOGY_FIELDS} }}
    nextCursor
  }}
}}
"""
