"""The custom metadata ontology (the reserved schemas every organization has, and custom ones) and metadata values.

:meth:`Metadata.resolve_fields` checks the metadata fields of a data-row upsert (``[{schemaId, value}]``, as
the SDK's ``parse_upsert_metadata`` flattens them, an enum value being its option's schema id) with the
API's rules and turns them into ``DataRow.metadataFields``.

As the official SDK 7.17's ``DataRowMetadataOntology`` sends them: ``upsertCustomMetadataSchema`` creates a
custom schema (no ``id``) or renames one and its enum options (with ``id``; an option without one is added,
an option left out is removed); ``deleteCustomMetadataSchema`` deletes it (its values leave every row).
``upsertDataRowCustomMetadata`` / ``deleteDataRowCustomMetadata`` write the values of rows (created, or seeded
through ``data_rows.write``'s overlay), each row all or nothing, and answer the rows that failed, with the
error; ``dataRowCustomMetadata`` answers one entry per requested row (an enum value as its option's schema id
with ``{}``, as the SDK's ``parse_metadata`` reads it).

State: the custom schemas and options (by id); values live on the rows (``data_rows.created`` and
``data_rows.seeded_writes``).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from .._data import JSONDict
from ._base import ApiError, Resolver, Resource, bad_input, not_found

MAX_STRING = 4096
"""The longest string metadata value (characters)."""
MAX_NAME = 100
"""The longest schema or option name (characters, after stripping)."""
EMBEDDING_SIZE = 128
"""The length of an embedding metadata value."""
MAX_ROWS = 1000
"""The most rows one metadata upsert, delete or export takes (the SDK sends 50)."""
KINDS = frozenset(
    {
        "CustomMetadataString",
        "CustomMetadataNumber",
        "CustomMetadataDateTime",
        "CustomMetadataEnum",
        "CustomMetadataEmbedding",
    }
)
OPTION = "CustomMetadataEnumOption"
NOT_ALLOWED = "OPERATION_NOT_ALLOWED"

SDL = """
type MetadataOption { id: ID! name: String! kind: String! reserved: Boolean! }
type MetadataSchema { id: ID! name: String! kind: String! reserved: Boolean!
  options: [MetadataOption!] }

input UpsertCustomMetadataSchemaEnumOptionInput { id: ID name: String! kind: String! }
input UpsertCustomMetadataSchemaInput { id: ID name: String! kind: String!
  options: [UpsertCustomMetadataSchemaEnumOptionInput!] }
type DeleteCustomMetadataSchemaResult { success: Boolean! }

input DataRowCustomMetadataUpsertInput { schemaId: ID! value: Json }
input DataRowCustomMetadataBatchUpsertInput { dataRowId: ID globalKey: String
  fields: [DataRowCustomMetadataUpsertInput!]! }
input DataRowIdentifierCustomMetadataBatchDeleteInput { dataRowIdentifier: DataRowIdentifierInput!
  schemaIds: [ID!]! }
input DataRowCustomMetadataDataRowIdentifiersInput { ids: [String!]! idType: IdType! }
input DataRowCustomMetadataWhereInput { dataRowIdentifiers: DataRowCustomMetadataDataRowIdentifiersInput }
type DataRowCustomMetadataBatchResult { globalKey: String dataRowId: String error: String
  fields: [CustomMetadata!]! }
type DataRowCustomMetadata { dataRowId: ID! globalKey: String fields: [CustomMetadata!]! }

extend type Query {
  customMetadataOntology: [MetadataSchema!]!
  dataRowCustomMetadata(where: DataRowCustomMetadataWhereInput!): [DataRowCustomMetadata!]!
}
extend type Mutation {
  upsertCustomMetadataSchema(data: UpsertCustomMetadataSchemaInput!): MetadataSchema!
  deleteCustomMetadataSchema(schema: WhereUniqueIdInput!): DeleteCustomMetadataSchemaResult!
  upsertDataRowCustomMetadata(data: [DataRowCustomMetadataBatchUpsertInput!]!): [DataRowCustomMetadataBatchResult!]!
  deleteDataRowCustomMetadata(dataRowIdentifiers: [DataRowIdentifierCustomMetadataBatchDeleteInput!]):
    [DataRowCustomMetadataBatchResult!]!
}
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
    """The metadata ontology (reserved and custom schemas) and the metadata values of created rows."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.schemas: dict[str, JSONDict] = {s["id"]: s for s in RESERVED}
        self.options: dict[str, tuple[JSONDict, JSONDict]] = {
            o["id"]: (s, o) for s in RESERVED for o in s["options"] or []
        }
        self._counter = 0

    # ------------------------------------------------------------ the ontology

    def _new_id(self) -> str:
        self._counter += 1
        return str(self.world.ids.encode("m", 1, self._counter))

    def upsert_schema(self, data: JSONDict) -> JSONDict:
        """Create a custom schema (no ``id``) or rename one and its options; the schema."""
        name = _name(data.get("name"), "name")
        kind = data.get("kind")
        if kind not in KINDS:
            raise bad_input(f"kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
        sid = data.get("id")
        old = self.schemas.get(str(sid)) if sid is not None else None
        if sid is not None and old is None:
            raise not_found("metadata schema", sid)
        if old is not None and old["reserved"]:
            raise ApiError(f"Metadata schema {old['name']!r} is reserved: it cannot be changed", NOT_ALLOWED)
        if old is not None and old["kind"] != kind:
            raise bad_input(f"The kind of metadata schema {old['name']!r} is {old['kind']}, not {kind}")
        for other in self.schemas.values():
            if other["name"] == name and other is not old:
                raise ApiError(f"A metadata schema named {name!r} already exists", "RESOURCE_CONFLICT")
        raw = data.get("options") or []
        if raw and kind != "CustomMetadataEnum":
            raise bad_input(f"Only a CustomMetadataEnum schema has options, not {kind}")
        known = {o["id"]: o for o in (old or {}).get("options") or []}
        options: list[JSONDict] = []
        for n, o in enumerate(raw):
            oname = _name(o.get("name"), f"options[{n}].name")
            if o.get("kind") != OPTION:
                raise bad_input(f"options[{n}].kind must be {OPTION}, not {o.get('kind')!r}")
            if any(x["name"] == oname for x in options):
                raise bad_input(f"options[{n}]: the option {oname!r} is given twice")
            oid = o.get("id")
            if oid is not None and oid not in known:
                raise not_found("metadata enum option", oid)
            options.append({"id": oid or self._new_id(), "name": oname, "kind": OPTION, "reserved": False})
        schema: JSONDict = {
            "id": old["id"] if old else self._new_id(),
            "name": name,
            "kind": kind,
            "reserved": False,
            "options": options,
        }
        for gone in set(known) - {o["id"] for o in options}:
            self.options.pop(gone, None)
            self._purge({gone})
        self.schemas[schema["id"]] = schema
        for o in options:
            self.options[o["id"]] = (schema, o)
        return schema

    def delete_schema(self, sid: object) -> bool:
        """Delete a custom schema; its values leave every row."""
        schema = self.schemas.get(str(sid))
        if schema is None:
            raise not_found("metadata schema", sid)
        if schema["reserved"]:
            raise ApiError(f"Metadata schema {schema['name']!r} is reserved: it cannot be deleted", NOT_ALLOWED)
        del self.schemas[schema["id"]]
        for o in schema["options"] or []:
            self.options.pop(o["id"], None)
        self._purge({schema["id"]})
        return True

    def _purge(self, ids: set[str]) -> None:
        """Remove the values of schemas (or enum options) ``ids`` from every row that holds some."""
        rows = self.backend.data_rows
        for rid in list(rows.created.keys()):
            fields = rows.created.get(rid).get("metadataFields") or []
            kept = [f for f in fields if not _names_one_of(f, ids)]
            if len(kept) != len(fields):
                rows.update_created(str(rid), {"metadataFields": kept})
        for written in list(rows.seeded_writes.values()):
            fields = written.get("metadataFields") or []
            kept = [f for f in fields if not _names_one_of(f, ids)]
            if len(kept) != len(fields):
                written["metadataFields"] = kept

    # ------------------------------------------------------------ values

    def export_field(self, field: JSONDict) -> JSONDict:
        """A stored ``metadataFields`` entry as an export v2 line's ``metadata_fields`` entry."""
        value = field["value"]
        if isinstance(value, str) and value in self.options:
            value = {"schema_id": value, "schema_name": self.options[value][1]["name"]}
        schema = self.schemas.get(field["schemaId"])
        name = schema["name"] if schema else field["name"]
        return {"schema_id": field["schemaId"], "schema_name": name, "value": value}

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

    def _row(self, ident: object, kind: str) -> tuple[int, int] | str:
        """The live row ``ident`` names (by ``ID`` or ``GKEY``), as ``data_rows.find_any`` gives it; ValueError
        says why not."""
        rows = self.backend.data_rows
        if not isinstance(ident, str) or not ident:
            raise ValueError("The data row id or global key is missing")
        rid = rows.global_key_taken(ident) if kind == "GKEY" else ident
        found = rows.find_any(rid) if rid is not None else None
        if found is None:
            what = "global key" if kind == "GKEY" else "id"
            raise ValueError(f"Data row not found: no data row with {what} {ident!r}")
        return found

    def upsert_values(self, items: list[JSONDict]) -> list[JSONDict]:
        """Apply each row's fields (all or nothing per row); the rows that failed."""
        if len(items) > MAX_ROWS:
            raise bad_input(f"At most {MAX_ROWS} data rows per metadata upsert, got {len(items)}")
        rows = self.backend.data_rows
        failed: list[JSONDict] = []
        for item in items:
            rid_in, gkey = item.get("dataRowId"), item.get("globalKey")
            sent = [{"schemaId": f.get("schemaId"), "value": f.get("value")} for f in item.get("fields") or []]
            try:
                if bool(rid_in) == bool(gkey):
                    raise ValueError("Give exactly one of dataRowId and globalKey")
                rid = self._row(rid_in, "ID") if rid_in else self._row(gkey, "GKEY")
                new = self.resolve_fields(sent)
            except ValueError as e:
                failed.append({"dataRowId": rid_in, "globalKey": gkey, "error": str(e), "fields": sent})
                continue
            merged = {f["schemaId"]: f for f in rows.current(rid)["metadataFields"]}
            merged.update((f["schemaId"], f) for f in new)
            rows.write(rid, {"metadataFields": list(merged.values())})
        return failed

    def delete_values(self, items: list[JSONDict]) -> list[JSONDict]:
        """Remove each row's schemas (all or nothing per row); the rows that failed."""
        if len(items) > MAX_ROWS:
            raise bad_input(f"At most {MAX_ROWS} data rows per metadata delete, got {len(items)}")
        rows = self.backend.data_rows
        failed: list[JSONDict] = []
        for item in items:
            ident = item.get("dataRowIdentifier") or {}
            ids = [str(i) for i in item.get("schemaIds") or []]
            try:
                rid = self._row(ident.get("id"), str(ident.get("idType")))
                for n, sid in enumerate(ids):
                    if sid not in self.schemas and sid not in self.options:
                        raise ValueError(f"schemaIds[{n}]: unknown schema id {sid!r}")
            except ValueError as e:
                failed.append(
                    {
                        "dataRowId": ident.get("id"),
                        "globalKey": None,
                        "error": str(e),
                        "fields": [{"schemaId": i, "value": None} for i in ids],
                    }
                )
                continue
            gone = set(ids)
            fields = rows.current(rid)["metadataFields"]
            kept = [f for f in fields if not _names_one_of(f, gone)]
            rows.write(rid, {"metadataFields": kept})
        return failed

    def values(self, where: JSONDict) -> list[JSONDict]:
        """``dataRowCustomMetadata``: one entry per requested row that exists, in order."""
        idents = where.get("dataRowIdentifiers") or {}
        ids, kind = [str(i) for i in idents.get("ids") or []], str(idents.get("idType") or "ID")
        if len(ids) > MAX_ROWS:
            raise bad_input(f"At most {MAX_ROWS} data rows per metadata export, got {len(ids)}")
        rows = self.backend.data_rows
        out: list[JSONDict] = []
        for ident in ids:
            rid = rows.global_key_taken(ident) if kind == "GKEY" else ident
            found = rows.find_any(rid) if rid is not None else None
            if found is None:
                continue
            obj = rows.any_obj(found)
            fields = obj.get("metadataFields") or []
            out.append(
                {
                    "dataRowId": obj["id"],
                    "globalKey": obj.get("globalKey"),
                    "fields": [self._wire_value(f) for f in fields],
                }
            )
        return out

    def _wire_value(self, field: JSONDict) -> JSONDict:
        if field.get("kind") == "CustomMetadataEnum" or _names_one_of(field, self.options.keys(), parent=False):
            return {"schemaId": field["value"], "value": {}}
        return {"schemaId": field["schemaId"], "value": field["value"]}

    def root(self) -> dict[str, Resolver]:
        return {
            "customMetadataOntology": lambda info: list(self.schemas.values()),
            "upsertCustomMetadataSchema": lambda info, data: self.upsert_schema(data),
            "deleteCustomMetadataSchema": lambda info, schema: {"success": self.delete_schema(schema.get("id"))},
            "upsertDataRowCustomMetadata": lambda info, data: self.upsert_values(data),
            "deleteDataRowCustomMetadata": lambda info, dataRowIdentifiers=None: self.delete_values(
                dataRowIdentifiers or []
            ),
            "dataRowCustomMetadata": lambda info, where: self.values(where),
        }


def _names_one_of(field: JSONDict, ids: Any, *, parent: bool = True) -> bool:
    """Whether a stored field's schema (``parent``) or its enum option is one of ``ids``."""
    value = field["value"]
    return (parent and field["schemaId"] in ids) or (isinstance(value, str) and value in ids)


def _name(value: object, field: str) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(name) <= MAX_NAME:
        raise bad_input(f"{field} must be 1 to {MAX_NAME} characters after stripping, got {value!r}")
    return name


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
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{where}: a finite number is expected, not {value!r}")
        return value
    if kind == "CustomMetadataDateTime":
        try:
            datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{where}: {value!r} is not an ISO 8601 datetime") from None
        return value
    if kind == "CustomMetadataEmbedding":
        ok = isinstance(value, list) and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in value
        )
        if not ok or len(value) != EMBEDDING_SIZE:
            size = len(value) if isinstance(value, list) else type(value).__name__
            raise ValueError(f"{where}: an embedding is a list of {EMBEDDING_SIZE} finite numbers, not {size}")
        return [float(x) for x in value]
    if value in {o["id"] for o in schema["options"] or []}:
        return value
    raise ValueError(f"{where}: an enum value must be one of its option ids, not {value!r}")
