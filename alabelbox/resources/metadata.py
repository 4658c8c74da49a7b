"""``client.metadata``: the data-row metadata ontology (custom schemas and enum options) and metadata values.

Values are written in bulk: :meth:`Metadata.upsert` and :meth:`Metadata.delete` check every item against the
ontology before anything is sent (a bad item raises, naming its index, field and value), then send the items 50
rows per request, a few requests at a time. Each row is applied whole or not at all; the rows that failed come back
as :class:`MetadataFailure` with their index, and a request that failed as a whole reports each of its rows, so no
row's outcome is lost.

The value rules, by kind (the official SDK's, plus the limits the API enforces):

- string: a ``str`` of at most 4,096 characters;
- number: an ``int`` or ``float`` (not a ``bool``), finite; sent as a float;
- datetime: a ``datetime``, a ``date`` or an ISO 8601 string; sent in UTC as ``2024-04-01T12:30:00Z`` (a value
  without a zone is read as UTC, as the SDK reads it);
- enum: one of the schema's options, by id or by name;
- embedding: a list of exactly 128 finite numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from alabelbox._batching import chunks, run_bounded
from alabelbox._exceptions import (
    ApiConnectionError,
    ApiStatusError,
    AuthenticationError,
    AuthorizationError,
    InvalidArgumentError,
    InvalidQueryError,
)
from alabelbox._metadata_values import metadata_values
from alabelbox._queries.metadata import (
    DELETE_METADATA,
    DELETE_METADATA_SCHEMA,
    EXPORT_METADATA,
    METADATA_ONTOLOGY,
    UPSERT_METADATA,
    UPSERT_METADATA_SCHEMA,
)
from alabelbox._validation import check_id, check_positive_int, parse_date
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, operation_of, parse_many
from alabelbox.types.metadata import (
    DataRowMetadata,
    MetadataDeletion,
    MetadataFailure,
    MetadataKind,
    MetadataOntology,
    MetadataSchema,
    MetadataValue,
)

__all__ = ["ROWS_PER_REQUEST", "Metadata"]

ROWS_PER_REQUEST = 50
"""Rows per metadata upsert, delete or export request (the official SDK's batch)."""
MAX_NAME_LENGTH = 100
"""The longest schema or option name (characters, after stripping)."""

_FATAL = (AuthenticationError, AuthorizationError, InvalidQueryError)
_WRITABLE_KINDS = frozenset(k for k in MetadataKind if k is not MetadataKind.OPTION)


class Metadata(Resource):
    """The metadata ontology and the metadata values of data rows (the SDK's ``DataRowMetadataOntology``)."""

    # ------------------------------------------------------------ the ontology

    async def ontology(self, *, timeout: TimeoutArg = DEFAULT) -> MetadataOntology:
        """Every metadata schema of the organization, reserved and custom, with enum options.

        Example:
            >>> ontology = await client.metadata.ontology()
            >>> [s.name for s in ontology.reserved]
            ['tag', 'split', 'captureDateTime']
            >>> ontology.get("split").option("train").kind
            <MetadataKind.OPTION: 'CustomMetadataEnumOption'>
        """
        operation, _ = operation_of(METADATA_ONTOLOGY)
        data = await self._execute(METADATA_ONTOLOGY, timeout=timeout)
        schemas = parse_many(MetadataSchema, data.get("customMetadataOntology"), operation)
        return MetadataOntology(schemas=schemas)

    async def create_schema(
        self,
        name: str,
        kind: MetadataKind | str,
        *,
        options: Iterable[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> MetadataSchema:
        """Create a custom metadata schema (with its options, for an enum).

        Args:
            name: 1 to 100 characters (stripped); no other schema may have it.
            kind: A :class:`MetadataKind` other than ``OPTION``.
            options: The option names of an enum (only an enum has options).
            timeout: Limits for this call.

        Raises:
            InvalidArgumentError: A bad name, kind or option (named in the message).
            ResourceConflictError: A schema of that name exists.

        Example:
            >>> weather = await client.metadata.create_schema("weather", "CustomMetadataEnum", options=["sun", "rain"])
            >>> weather.kind, [o.name for o in weather.options]
            (<MetadataKind.ENUM: 'CustomMetadataEnum'>, ['sun', 'rain'])
        """
        kind = _kind(kind)
        names = [_schema_name(f"options[{n}]", o) for n, o in enumerate(options or [])]
        if names and kind is not MetadataKind.ENUM:
            raise InvalidArgumentError("options", f"only a CustomMetadataEnum schema has options, not {kind.value}")
        if len(set(names)) != len(names):
            raise InvalidArgumentError("options", f"holds a name twice: {names!r}")
        data: dict[str, Any] = {"name": _schema_name("name", name), "kind": kind.value}
        if names:
            data["options"] = [{"name": o, "kind": MetadataKind.OPTION.value} for o in names]
        return await self._upsert_schema(data, timeout)

    async def update_schema(self, schema: str, *, name: str, timeout: TimeoutArg = DEFAULT) -> MetadataSchema:
        """Rename a custom schema (given by id or name); its options and values stay.

        Raises:
            KeyError: No custom schema has that id or name.

        Example:
            >>> await client.metadata.create_schema("score", "CustomMetadataNumber")
            MetadataSchema(...)
            >>> (await client.metadata.update_schema("score", name="quality")).name
            'quality'
        """
        found = await self._custom(schema, timeout)
        data = _schema_input(found)
        data["name"] = _schema_name("name", name)
        return await self._upsert_schema(data, timeout)

    async def update_enum_option(
        self, schema: str, option: str, *, name: str, timeout: TimeoutArg = DEFAULT
    ) -> MetadataSchema:
        """Rename an option (given by id or name) of a custom enum schema (given by id or name).

        Raises:
            KeyError: No custom schema or no option of it has that id or name.
            InvalidArgumentError: The schema is not an enum, or the new name is taken.

        Example:
            >>> await client.metadata.create_schema("light", "CustomMetadataEnum", options=["day", "night"])
            MetadataSchema(...)
            >>> [o.name for o in (await client.metadata.update_enum_option("light", "day", name="noon")).options]
            ['noon', 'night']
        """
        found = await self._custom(schema, timeout)
        if found.kind is not MetadataKind.ENUM:
            raise InvalidArgumentError("schema", f"{found.name!r} is a {found.kind}, not an enum")
        target = found.option(option)
        new = _schema_name("name", name)
        if any(o.name == new and o.id != target.id for o in found.options):
            raise InvalidArgumentError("name", f"{found.name!r} already has an option {new!r}")
        data = _schema_input(found)
        for o in data["options"]:
            if o["id"] == target.id:
                o["name"] = new
        return await self._upsert_schema(data, timeout)

    async def delete_schema(self, schema: str, *, timeout: TimeoutArg = DEFAULT) -> bool:
        """Delete a custom schema (given by id or name); its values leave every data row.

        Returns:
            Whether the server says it deleted it.

        Raises:
            KeyError: No custom schema has that id or name.

        Example:
            >>> await client.metadata.create_schema("temporary", "CustomMetadataString")
            MetadataSchema(...)
            >>> await client.metadata.delete_schema("temporary")
            True
        """
        found = await self._custom(schema, timeout)
        answer = await self._mutate(DELETE_METADATA_SCHEMA, {"where": {"id": found.id}}, timeout=timeout)
        return bool(answer.get("success")) if isinstance(answer, dict) else False

    # ------------------------------------------------------------ values

    async def upsert(
        self,
        items: Iterable[DataRowMetadata | Mapping[str, Any]],
        *,
        max_concurrency: int = 4,
        timeout: TimeoutArg = DEFAULT,
    ) -> list[MetadataFailure]:
        """Set metadata values on data rows (the SDK's ``bulk_upsert``); a value replaces the row's value of its
        schema, the row's other values stay.

        Args:
            items: One :class:`DataRowMetadata` (or a dict of its fields) per row.
            max_concurrency: Requests in flight at once.
            timeout: Limits for each request.

        Returns:
            The rows that failed, each with its index in ``items`` and the error; empty when all were written.

        Raises:
            InvalidArgumentError: An item or value breaks a rule (the message names ``items[i].fields[j]``, the
                field and the value); nothing was sent.

        Example:
            >>> failed = await client.metadata.upsert(
            ...     [{"data_row_id": row_id, "fields": [{"name": "tag", "value": "night"},
            ...                                         {"name": "split", "value": "train"}]}]
            ... )
            >>> failed
            []
            >>> [(v.name, v.value) for v in (await client.metadata.export([row_id]))[0].fields][0]
            ('tag', 'night')
        """
        rows = [_row_item(n, DataRowMetadata, item) for n, item in enumerate(items)]
        limit = check_positive_int("max_concurrency", max_concurrency)
        if not rows:
            return []
        ontology = await self.ontology(timeout=timeout)
        wire: list[dict[str, Any]] = []
        schemas: list[list[str]] = []
        for n, r in enumerate(rows):
            values = [
                metadata_values(ontology, f"items[{n}].fields[{k}]", schema_id=f.schema_id, name=f.name, value=f.value)
                for k, f in enumerate(r.fields)
            ]
            schemas.append([v[0]["schemaId"] for v in values])  # an enum's first entry is its schema
            fields = [entry for v in values for entry in v]
            wire.append({"dataRowId": r.data_row_id, "globalKey": r.global_key, "fields": fields})
        return await self._write(UPSERT_METADATA, "metadata", wire, rows, schemas, limit, timeout)

    async def delete(
        self,
        items: Iterable[MetadataDeletion | Mapping[str, Any]],
        *,
        max_concurrency: int = 4,
        timeout: TimeoutArg = DEFAULT,
    ) -> list[MetadataFailure]:
        """Remove the values of some schemas from data rows (the SDK's ``bulk_delete``).

        Args:
            items: One :class:`MetadataDeletion` (or a dict of its fields) per row; a schema is given by id or name
                (an enum's id removes its value, whichever option it is).
            max_concurrency: Requests in flight at once.
            timeout: Limits for each request.

        Returns:
            The rows that failed, each with its index and the error; empty when all were changed.

        Example:
            >>> await client.metadata.delete([{"data_row_id": row_id, "schema_ids": ["tag"]}])
            []
        """
        rows = [_row_item(n, MetadataDeletion, item) for n, item in enumerate(items)]
        limit = check_positive_int("max_concurrency", max_concurrency)
        if not rows:
            return []
        ontology = await self.ontology(timeout=timeout)
        wire = []
        schemas = []
        for n, r in enumerate(rows):
            if not r.schema_ids:
                raise InvalidArgumentError(f"items[{n}].schema_ids", "must name at least one schema")
            ids = [_schema_id(ontology, f"items[{n}].schema_ids[{k}]", s) for k, s in enumerate(r.schema_ids)]
            ident = {"id": r.data_row_id, "idType": "ID"} if r.data_row_id else {"id": r.global_key, "idType": "GKEY"}
            wire.append({"dataRowIdentifier": ident, "schemaIds": ids})
            schemas.append(ids)
        return await self._write(DELETE_METADATA, "deletes", wire, rows, schemas, limit, timeout)

    async def export(
        self,
        data_row_ids: Iterable[str] | None = None,
        *,
        global_keys: Iterable[str] | None = None,
        max_concurrency: int = 4,
        timeout: TimeoutArg = DEFAULT,
    ) -> list[DataRowMetadata]:
        """The metadata of data rows, by id or by global key (the SDK's ``bulk_export``).

        Each value carries its schema's ``name``; an enum's value is the option's id (its schema id is the enum's);
        a datetime's is an aware ``datetime``. A row that does not exist is left out.

        Raises:
            InvalidArgumentError: Neither or both of ``data_row_ids`` and ``global_keys``.

        Example:
            >>> [m.data_row_id for m in await client.metadata.export([row_id])] == [row_id]
            True
        """
        if (data_row_ids is None) == (global_keys is None):
            raise InvalidArgumentError("data_row_ids", "give exactly one of data_row_ids and global_keys")
        kind, values = ("ID", data_row_ids) if data_row_ids is not None else ("GKEY", global_keys)
        argument = "data_row_ids" if kind == "ID" else "global_keys"
        if isinstance(values, str):
            raise InvalidArgumentError(argument, f"must be a list, not the string {values!r}; wrap it: [value]")
        ids = [check_id(f"{argument}[{n}]", v) for n, v in enumerate(values or [])]
        limit = check_positive_int("max_concurrency", max_concurrency)
        ontology = await self.ontology(timeout=timeout)

        async def request(part: Sequence[str]) -> Any:
            return await self._mutate(
                EXPORT_METADATA, {"identifiers": {"ids": list(part), "idType": kind}}, timeout=timeout, idempotent=True
            )

        pages = await run_bounded([partial(request, p) for _, p in chunks(ids, ROWS_PER_REQUEST)], limit)
        return [_exported(ontology, row) for page in pages for row in page or []]

    # ------------------------------------------------------------ plumbing

    async def _upsert_schema(self, data: dict[str, Any], timeout: TimeoutArg) -> MetadataSchema:
        schema: MetadataSchema = await self._mutate(
            UPSERT_METADATA_SCHEMA, {"data": data}, MetadataSchema, timeout=timeout
        )
        return schema

    async def _custom(self, schema: str, timeout: TimeoutArg) -> MetadataSchema:
        check_id("schema", schema)
        ontology = await self.ontology(timeout=timeout)
        for s in ontology.custom:
            if schema in (s.id, s.name):
                return s
        raise KeyError(f"{schema!r} is not a custom metadata schema (reserved ones cannot be changed)")

    async def _write(
        self,
        query: str,
        variable: str,
        wire: list[dict[str, Any]],
        rows: Sequence[DataRowMetadata | MetadataDeletion],
        schemas: Sequence[list[str]],
        limit: int,
        timeout: TimeoutArg,
    ) -> list[MetadataFailure]:
        """Send ``wire`` (one entry per row of ``rows``, whose resolved schema ids are ``schemas``) in chunks."""

        def failure(index: int, error: str) -> MetadataFailure:
            row = rows[index]
            return MetadataFailure(
                index=index,
                data_row_id=row.data_row_id,
                global_key=row.global_key,
                error=error,
                schema_ids=schemas[index],
            )

        async def request(offset: int, part: Sequence[dict[str, Any]]) -> list[MetadataFailure]:
            try:
                # Writing the same values (or removing them) twice leaves the same rows: safe to retry.
                answer = await self._mutate(query, {variable: list(part)}, timeout=timeout, idempotent=True)
            except _FATAL:
                raise
            except (ApiStatusError, ApiConnectionError) as e:
                return [failure(offset + k, f"the request failed: {e}") for k in range(len(part))]
            return [failure(offset + k, error) for k, error in _failures(rows[offset : offset + len(part)], answer)]

        parts = await run_bounded([partial(request, o, p) for o, p in chunks(wire, ROWS_PER_REQUEST)], limit)
        return sorted((f for part in parts for f in part), key=lambda f: f.index)


def _kind(value: object) -> MetadataKind:
    try:
        kind = MetadataKind(str(value)) if isinstance(value, str) else None
    except ValueError:
        kind = None
    if kind is None or kind not in _WRITABLE_KINDS:
        names = ", ".join(sorted(k.value for k in _WRITABLE_KINDS))
        raise InvalidArgumentError("kind", f"must be one of {names}, not {value!r}")
    return kind


def _schema_name(argument: str, value: object) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidArgumentError(argument, f"must be 1 to {MAX_NAME_LENGTH} characters (stripped), not {value!r}")
    return name


def _schema_input(schema: MetadataSchema) -> dict[str, Any]:
    """The upsert input that keeps ``schema`` as it is (options included, by id)."""
    data: dict[str, Any] = {"id": schema.id, "name": schema.name, "kind": str(schema.kind)}
    if schema.options:
        data["options"] = [{"id": o.id, "name": o.name, "kind": MetadataKind.OPTION.value} for o in schema.options]
    return data


def _row_item(n: int, model: type[Any], item: object) -> Any:
    """Item ``n`` as ``model``, naming exactly one data row."""
    if isinstance(item, Mapping):
        try:
            item = model.model_validate(item)
        except ValueError as e:
            raise InvalidArgumentError(f"items[{n}]", f"is not a {model.__name__}: {e}") from None
    if not isinstance(item, model):
        raise InvalidArgumentError(f"items[{n}]", f"must be a {model.__name__} or a dict, not {type(item).__name__}")
    if bool(item.data_row_id) == bool(item.global_key):
        raise InvalidArgumentError(f"items[{n}]", "must name its data row by exactly one of data_row_id and global_key")
    return item


def _schema_id(ontology: MetadataOntology, where: str, value: str) -> str:
    try:
        return ontology.get(value).id
    except KeyError:
        found = ontology.find(value)
        if found is not None:
            return value
        raise InvalidArgumentError(where, f"no metadata schema has the id or name {value!r}") from None


def _failures(part: Sequence[DataRowMetadata | MetadataDeletion], answer: Any) -> list[tuple[int, str]]:
    """``(position in part, error)`` of the failed rows of one request, matched by data row id or global key."""
    pending: dict[str, list[int]] = {}
    for k, row in enumerate(part):
        pending.setdefault(str(row.data_row_id or row.global_key), []).append(k)
    out: list[tuple[int, str]] = []
    for entry in answer if isinstance(answer, list) else []:
        if not isinstance(entry, dict) or not entry.get("error"):
            continue
        ks = pending.get(str(entry.get("dataRowId") or entry.get("globalKey")))
        if ks:
            out.append((ks.pop(0), str(entry["error"])))
    return out


def _exported(ontology: MetadataOntology, row: dict[str, Any]) -> DataRowMetadata:
    values: list[MetadataValue] = []
    for f in row.get("fields") or []:
        found = ontology.find(str(f.get("schemaId")))
        if found is None:
            values.append(MetadataValue(schema_id=f.get("schemaId"), value=f.get("value")))
            continue
        schema, option = found
        if option is not None:
            values.append(MetadataValue(schema_id=schema.id, name=schema.name, value=option.id))
        elif schema.kind is MetadataKind.ENUM:
            continue  # the option's entry carries an enum's value
        elif schema.kind is MetadataKind.DATETIME and isinstance(f.get("value"), str):
            values.append(MetadataValue(schema_id=schema.id, name=schema.name, value=_stamp(f["value"])))
        else:
            values.append(MetadataValue(schema_id=schema.id, name=schema.name, value=f.get("value")))
    return DataRowMetadata(data_row_id=row.get("dataRowId"), global_key=row.get("globalKey"), fields=values)


def _stamp(value: str) -> datetime | str:
    try:
        return parse_date("value", value).as_utc()
    except InvalidArgumentError:
        return value  # an unexpected format stays as the server sent it
