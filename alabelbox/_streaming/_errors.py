"""Bad bytes to the documented errors, and the slow path that tells them apart.

Positions (pydantic-core's 1-based line and byte column to a global byte offset), excerpts and field paths become
:class:`~alabelbox.ExportParseError`, :class:`~alabelbox.IncompleteExportError` and
:class:`~alabelbox.RecordValidationError`. :class:`Checker` re-validates a record that failed the fast path with
the validator that explains errors, and raises (or, with ``on_invalid="skip"``, collects) the right one.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any, NoReturn

from pydantic import ValidationError

from alabelbox._exceptions import ExportParseError, IncompleteExportError, RecordValidationError

EXCERPT = 40
JSON_WS = b" \t\r\n"  # the only whitespace JSON has (RFC 8259): `bytes.strip()` would also drop \x0b and \x0c
# pydantic-core's parser stops at 200 levels; deeper records are read by the standard library's parser, which
# stops where Python's recursion limit does (about 1,000 levels by default). Deeper than that is reported.
FAST_DEPTH_LIMIT = 200
# pydantic-core rejects escapes of lone UTF-16 surrogates ("\ud800"), which RFC 8259's grammar allows and
# json.loads reads (into a str holding the surrogate): such records are read by json.loads too.
FALLBACK_ERRORS = ("recursion limit exceeded", "surrogate", "unexpected end of hex escape")


class _Skip:
    __slots__ = ()


SKIP: Any = _Skip()  # what the slow path returns for bytes that are not a record to hand out

_POS_RE = re.compile(r"line (\d+) column (\d+)")


VALUE_EXCERPT = 80


def show_value(value: Any) -> str:
    """``value`` as JSON for a message, cut to :data:`VALUE_EXCERPT` characters (the full length said when cut)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) <= VALUE_EXCERPT:
        return text
    return f"{text[: VALUE_EXCERPT - 1]}… ({len(text)} characters)"


def excerpt(data: bytes, at: int) -> str:
    """Up to ``EXCERPT`` bytes of ``data`` around index ``at``, decoded for a message."""
    lo = max(0, at - EXCERPT // 2)
    return data[lo : at + EXCERPT // 2].decode("utf-8", "replace")


def _json_error_column(message: str) -> tuple[int, int]:
    """(line, column), both 1-based, from a pydantic-core JSON error message."""
    m = _POS_RE.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else (1, 1)


def _byte_offset_in(piece: bytes, line: int, column: int) -> int:
    """Byte index in ``piece`` of a 1-based (line, column) from pydantic-core (columns count bytes)."""
    index = 0
    for _ in range(line - 1):
        nl = piece.find(b"\n", index)
        if nl < 0:
            break
        index = nl + 1
    return min(index + column - 1, len(piece))


def _field_path(loc: tuple[int | str, ...]) -> str:
    # Union machinery adds member names such as "tagged-union[...]" or "function-after[...]"; they are not fields.
    return ".".join(str(p) for p in loc if not (isinstance(p, str) and "[" in p))


def parse_error(message: str, piece: bytes, offset: int, line: int | None) -> ExportParseError:
    """The error for malformed JSON in ``piece`` (at global ``offset`` and ``line``), placed at the fault."""
    ln, col = _json_error_column(message)
    at = _byte_offset_in(piece, ln, col)
    return ExportParseError(
        f"malformed JSON: {message}",
        offset=offset + at,
        line=None if line is None else line + piece.count(b"\n", 0, at),  # the line of the byte at ``offset``
        excerpt=excerpt(piece, at),
    )


def _truncated(piece: bytes, offset: int, line: int | None) -> IncompleteExportError:
    """The error for a stream that ends inside the record ``piece``, which starts where a resume starts."""
    return IncompleteExportError(
        "the stream ended inside a record", offset=offset, line=line, excerpt=excerpt(piece, len(piece))
    )


def json_syntax_message(exc: ValidationError) -> str | None:
    """The JSON syntax error that ``exc`` reports, or None if it is about the record's fields."""
    errors = exc.errors(include_url=False, include_input=False)
    if errors and errors[0]["type"] == "json_invalid":
        return str(errors[0].get("ctx", {}).get("error", errors[0]["msg"]))
    return None


logger = logging.getLogger("alabelbox.reader")


class Checker:
    """The slow path: validation with full error handling, for a record whose fast validation raised.

    Attributes:
        invalid: With ``on_invalid="skip"``, the :class:`RecordValidationError` of every record skipped.
    """

    __slots__ = ("_model_name", "_python_validate", "_skip", "_validate", "invalid")

    def __init__(
        self,
        validate: Callable[[bytes], Any],
        *,
        skip: bool,
        model_name: str,
        python_validate: Callable[[Any], Any] | None = None,
    ) -> None:
        self._validate = validate
        self._python_validate = python_validate
        self._skip = skip
        self._model_name = model_name
        self.invalid: list[RecordValidationError] = []

    def report(self) -> None:
        """At the end of a stream: say how many records were skipped, so that nothing is dropped silently."""
        if self.invalid:
            first = self.invalid[0]
            logger.warning(
                "%d invalid records skipped (the first at byte offset %s, line %s: %s)",
                len(self.invalid),
                first.offset,
                first.line,
                first.field_path or first.message,
            )

    def one(self, piece: bytes, offset: int, line: int | None) -> Any:
        """A record that failed the fast path (or spanned chunks): its value, or :data:`SKIP`."""
        if not piece.strip(JSON_WS):  # a whitespace-only line (e.g. "\r" of CRLF): not a record; \x0b is reported
            return SKIP
        return self._check(piece, offset, line, final=False)

    def last(self, piece: bytes, offset: int, line: int) -> Any:
        """The bytes after the last newline at the end of the stream: a complete record, or a truncated one."""
        if not piece.rstrip(JSON_WS).endswith((b"}", b"]")):
            # A complete object or array ends with its closing bracket; anything else was cut off. This also
            # keeps a truncated scalar ("12" of "123") from passing as a record.
            message = self._syntax_error(piece)
            if message is not None and "EOF" not in message:
                raise parse_error(message, piece, offset, line)
            raise _truncated(piece, offset, line)
        return self._check(piece, offset, line, final=True)

    def invalid_record(
        self, exc: ValidationError, data: bytes, offset: int | None, line: int | None
    ) -> RecordValidationError:
        """The error for a record (``data``, at ``offset`` and ``line``) that does not fit the model.

        The message names the first failing field and shows the value found there (cut to
        :data:`VALUE_EXCERPT` characters), so the shape can be seen without looking the record up.
        """
        errors = exc.errors(include_url=False, include_input=False)
        path = _field_path(tuple(errors[0]["loc"])) if errors else ""
        where = ""
        if errors:
            first = exc.errors(include_url=False, include_context=False)[0]
            value = show_value(first.get("input"))
            if first["type"] == "missing":  # the input is the object the field is missing from
                where = f" (field {path} missing from {value})" if path else f" (in {value})"
            else:
                where = f" (field {path} = {value})" if path else f" (the record is {value})"
        return RecordValidationError(
            f"record does not fit {self._model_name}: {errors[0]['msg'] if errors else exc}{where}",
            offset=offset,
            line=line,
            excerpt=data[: EXCERPT * 2].decode("utf-8", "replace"),
            field_path=path,
            validation_errors=[dict(e) for e in errors],
        )

    def reject(self, err: RecordValidationError, exc: ValidationError) -> None:
        """Collect ``err`` (``on_invalid="skip"``) or raise it."""
        if self._skip:
            self.invalid.append(err)
            return
        raise err from exc

    def _check(self, piece: bytes, offset: int, line: int | None, final: bool) -> Any:
        """Validate one record's bytes; raise the documented error, or collect it and return :data:`SKIP`."""
        try:
            return self._validate(piece)
        except ValidationError as exc:
            message = json_syntax_message(exc)
            if message is None:
                self.reject(self.invalid_record(exc, piece, offset, line), exc)
                return SKIP
        except ValueError as exc:  # from_json (model=None)
            message = str(exc)
        if self._python_validate is not None and any(m in message for m in FALLBACK_ERRORS):
            return self._fallback(message, piece, offset, line)
        self._raise_json(message, piece, offset, line, final)

    def _fallback(self, message: str, piece: bytes, offset: int, line: int | None) -> Any:
        """A record pydantic-core cannot parse but JSON allows (deep nesting, lone surrogates): json.loads reads it."""
        try:
            obj = json.loads(piece)  # NaN and Infinity too, as pydantic-core reads them
        except RecursionError:
            raise ExportParseError(
                f"JSON nested too deep: past {FAST_DEPTH_LIMIT} levels records are read by Python's json module, "
                "which stops at Python's recursion limit (sys.getrecursionlimit())",
                offset=offset,
                line=line,
                excerpt=excerpt(piece, 0),
            ) from None
        except ValueError:  # not JSON after all: report pydantic-core's error, which has the byte column
            raise parse_error(message, piece, offset, line) from None
        assert self._python_validate is not None
        try:
            return self._python_validate(obj)
        except ValidationError as exc:
            self.reject(self.invalid_record(exc, piece, offset, line), exc)
            return SKIP

    @staticmethod
    def _raise_json(message: str, piece: bytes, offset: int, line: int | None, final: bool) -> NoReturn:
        if final and "EOF" in message:
            raise _truncated(piece, offset, line)
        raise parse_error(message, piece, offset, line)

    def _syntax_error(self, piece: bytes) -> str | None:
        """The JSON syntax error in ``piece``, if any (validation errors do not count)."""
        try:
            self._validate(piece)
        except ValidationError as exc:
            return json_syntax_message(exc)
        except ValueError as exc:
            return str(exc)
        return None
