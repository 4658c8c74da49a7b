"""Annotations kept as bytes: what imports leave (pre-labels, predictions, imported labels) packed with :mod:`marshal`.

An emulator keeps every annotation it was sent. As Python objects each is half a dozen dicts and lists that the
cyclic garbage collector visits on every full collection: the more imports an emulator had, the more each later one
paid. Packed, the annotations of a data row are one ``bytes`` object, which the collector does not track, and
smaller. :func:`pack_part` is about 1 µs per annotation, :func:`unpack` about twice that, and unpacking happens only
when the annotations are read (an export, the truth API, a send to annotate).

:mod:`marshal` keeps what JSON gives exactly (dict order, ``int`` and ``float`` values, strings with lone
surrogates); a value it cannot hold (an object of another type, a nesting too deep) is kept as it is.
"""

from __future__ import annotations

import marshal
from typing import Any, TypeAlias

Packed: TypeAlias = "bytes | dict[str, Any]"
"""An annotation object as :func:`pack` keeps it."""
_JOINABLE = 2
"""The :mod:`marshal` version of parts: before version 3 an object is written in full wherever it occurs (no
references back to one written earlier), so parts written apart can be put together."""


def pack(value: dict[str, Any]) -> Packed:
    """``value`` as bytes (``value`` itself when :mod:`marshal` cannot hold it)."""
    try:
        return marshal.dumps(value)
    except ValueError:
        return value


def pack_part(value: dict[str, Any]) -> Packed:
    """``value`` as a part that :func:`join` can put in a list (``value`` itself when :mod:`marshal` cannot hold
    it): marshal's version 2, whose output refers to nothing outside itself."""
    try:
        return marshal.dumps(value, _JOINABLE)
    except ValueError:
        return value


def join(content: dict[str, Any]) -> Packed:
    """``content`` packed, when its members are lists of :func:`pack_part` parts (as an import builds the
    annotations of a data row), without unpacking them: the bytes are those ``marshal.dumps(unpacked, 2)`` would
    write. Other content is unpacked where it holds parts, and packed by :func:`pack`."""
    out = [b"{"]
    for key, parts in content.items():
        if type(key) is not str or type(parts) is not list or not all(type(p) is bytes for p in parts):
            return pack({k: _unpacked(v) for k, v in content.items()})
        out += (marshal.dumps(key, _JOINABLE), b"[", len(parts).to_bytes(4, "little", signed=True), *parts)
    out.append(b"0")
    return b"".join(out)


def _unpacked(value: Any) -> Any:
    return [unpack(v) if type(v) is bytes else v for v in value] if type(value) is list else value


def unpack(value: Packed) -> dict[str, Any]:
    """The annotation object :func:`pack` kept: a fresh copy for bytes, else the object it kept."""
    return marshal.loads(value) if type(value) is bytes else value  # type: ignore[return-value]


__all__ = ["Packed", "join", "pack", "pack_part", "unpack"]
