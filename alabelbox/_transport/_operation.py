"""GraphQL documents, parsed once and reused by every call."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graphql import DocumentNode, FieldNode, GraphQLSyntaxError, OperationDefinitionNode, OperationType, parse

from alabelbox._exceptions import InvalidQueryError

__all__ = ["Operation", "prepare"]


@dataclass(frozen=True, slots=True)
class Operation:
    """A parsed GraphQL document and what the transport needs to know of it.

    Attributes:
        text: The document exactly as written; this is what goes on the wire.
        document: The parsed document, for gql.
        name: The operation name, or None for an anonymous operation.
        is_mutation: Whether the (first) operation is a mutation; mutations are retried only when safe.
        root_fields: The names of the operation's root fields as they appear in the answer (aliases where given).
    """

    text: str
    document: DocumentNode
    name: str | None
    is_mutation: bool
    root_fields: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """A name for logs and errors: the operation name, or its type when anonymous."""
        return self.name or ("anonymous mutation" if self.is_mutation else "anonymous query")


@lru_cache(maxsize=512)
def prepare(text: str) -> Operation:
    """Parse ``text`` once; the same text again costs a dictionary look-up.

    Raises:
        InvalidQueryError: The text is not a GraphQL document. Nothing is sent.
    """
    try:
        document = parse(text, no_location=True)
    except GraphQLSyntaxError as exc:
        raise InvalidQueryError(f"GraphQL syntax error: {exc.message}") from exc
    first = next((node for node in document.definitions if isinstance(node, OperationDefinitionNode)), None)
    if first is None:
        raise InvalidQueryError("the GraphQL document has no operation")
    return Operation(
        text=text,
        document=document,
        name=first.name.value if first.name else None,
        is_mutation=first.operation is OperationType.MUTATION,
        root_fields=tuple(
            (node.alias or node.name).value for node in first.selection_set.selections if isinstance(node, FieldNode)
        ),
    )
