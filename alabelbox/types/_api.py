"""Base of the models of GraphQL API objects (projects, datasets, data rows, labels, users).

Unlike the export record models, these parse timestamps into aware ``datetime`` objects: they are read to be used
(compared, sorted), not dumped back byte for byte. Fields are snake_case; the API's camelCase names are the aliases.
Unknown fields are kept (``extra="allow"``), so a field selected by a custom query is not lost.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = ["ApiModel"]


class ApiModel(BaseModel):
    """Base of every API object model: frozen, validated by field name or API name."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        extra="allow",
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
    )
