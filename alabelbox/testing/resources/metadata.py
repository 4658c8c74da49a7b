"""The custom metadata ontology: the reserved schemas every organization has, and metadata values.

:meth:`Metadata.resolve_fields` checks the metadata fields of a data-row upsert (``[{schemaId, value}]``, as
the SDK's ``parse_upsert_metadata`` flattens them, an enum value being its option's schema id) with the
API's rules and turns them into ``DataRow.metadataFields``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .._data import JSONDict
from ._base import Resolver, Resource

MAX_STRING = 4096
"""The longest string metadata value (characters)."""

SDL = """
type MetadataOption { id: ID! name: String! kind: String! reserved: Boolean! }
type MetadataSchema { id: ID! name: String! kind: String! reserved: Boolean!
  options: [MetadataOption!] }

extend type Query { customMetadataOntology: [MetadataSchema!]! }
"""

RESERVED: list[JSONDict] = [
    {"id": "cko8s9r5v0001h2dk9elqdidh", "name": "tag", "kind": "CustomMetadataString", "reserved": True, "options": []},
    {
        "id": "cko8sbczn0002h2dkdaxb5kal",
        "name": "split",
        "kind": "CustomMetadataEnum",
        "reserved": True,
        "options": [
            {"id": "cko8sbscr0003h2dk04w86hof", "name": "train", "kind": "CustomMetadataEnumOption", "reserved": True},
            {"id": "cko8sc2yr0004h2dk69aj5x63", "name": "valid", "kind": "CustomMetadataEnumOption", "reserved": True},
            {"id": "cko8scbz70005h2dkastwhgqt", "name": "test", "kind": "CustomMetadataEnumOption", "reserved": True},
        ],
    },
    {
        "id": "cko8sdzv70006h2dk8jg64zvb",
        "name": "captureDateTime",
        "kind": "CustomMetadataDateTime",
        "reserved": True,
        "options": [],
    },
]


class Metadata(Resource):
    """The reserved metadata schemas (custom schemas come with data-row metadata)."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.schemas: dict[str, JSONDict] = {s["id"]: s for s in RESERVED}
        self.options: dict[str, tuple[JSONDict, JSONDict]] = {
            o["id"]: (s, o) for s in RESERVED for o in s["options"] or []
        }

    def export_field(self, field: JSONDict) -> JSONDict:
        """A stored ``metadataFields`` entry as an export v2 line's ``metadata_fields`` entry."""
        value = field["value"]
        if value in self.options:
            value = {"schema_id": value, "schema_name": self.options[value][1]["name"]}
        return {"schema_id": field["schemaId"], "schema_name": field["name"], "value": value}

    def resolve_fields(self, fields: Any) -> list[JSONDict]:
        """``metadataFields`` for an upsert's ``metadata_fields``; ValueError names the bad field."""
        if not isinstance(fields, list):
            raise ValueError("metadata_fields must be a list")
        out: list[JSONDict] = []
        for n, f in enumerate(fields):
            sid = f.get("schemaId") or f.get("schema_id") if isinstance(f, dict) else None
            value = f.get("value") if isinstance(f, dict) else None
            if sid in self.options:
                parent, _ = self.options[sid]
                out.append({"schemaId": parent["id"], "name": parent["name"], "value": sid, "kind": parent["kind"]})
                continue
            schema = self.schemas.get(str(sid))
            if schema is None:
                raise ValueError(f"metadata_fields[{n}]: unknown schema id {sid!r}")
            if schema["kind"] == "CustomMetadataEnum" and value == {}:
                continue  # the SDK sends an enum as {parent, {}} then {option id, {}}: the option carries it
            out.append(
                {
                    "schemaId": schema["id"],
                    "name": schema["name"],
                    "value": _check(schema, value, n),
                    "kind": schema["kind"],
                }
            )
        return out

    def root(self) -> dict[str, Resolver]:
        return {"customMetadataOntology": lambda info: RESERVED}


def _check(schema: JSONDict, value: Any, n: int) -> Any:
    where = f"metadata_fields[{n}] ({schema['name']})"
    kind = schema["kind"]
    if kind == "CustomMetadataString":
        if not isinstance(value, str):
            raise ValueError(f"{where}: a string is expected, not {type(value).__name__}")
        if len(value) > MAX_STRING:
            raise ValueError(f"{where}: {len(value)} characters, more than the {MAX_STRING} allowed")
        return value
    if kind == "CustomMetadataNumber":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{where}: a number is expected, not {type(value).__name__}")
        return value
    if kind == "CustomMetadataDateTime":
        try:
            datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{where}: {value!r} is not an ISO 8601 datetime") from None
        return value
    raise ValueError(f"{where}: an enum value must be one of its option ids, not {value!r}")
