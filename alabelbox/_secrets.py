"""Secrets and their redaction: the API key and the signatures of signed URLs never reach an error, a log or a repr.

Two kinds of secret may turn up in what a server or a library says back to us:

* **The API key.** Every :class:`~alabelbox.Client` registers its key here for as long as it lives. Text is redacted
  of every registered key (keys shorter than :data:`MIN_REGISTERED_LENGTH` are not registered process-wide, since
  a short word would be blanked from every message; the client still redacts its own key from what it builds).
* **Signed URLs.** A signed storage URL is a credential: whoever holds it may read the file until it expires. The
  query of every ``http(s)://`` URL in a text is replaced by ``<redacted>`` (the path stays, for diagnosis), and
  so is the value of any signing parameter (``...Signature=``, ``...Credential=``, ``sig=``, ``...token=``) in a
  query without a scheme, as in an echoed request line.

:class:`~alabelbox.LabelboxError` passes every attribute it is given through :func:`redact_value`, deeply (lists,
tuples, dicts: keys and values), so ``str(err)``, ``repr(err)``, ``err.errors``, ``err.body_excerpt`` and the
pickle are clean whatever the server echoed. Redaction always runs *before* a text is cut to an excerpt, so a key
across the cut cannot leave a prefix behind (:func:`cut`).

Locals in tracebacks
    Debuggers and error trackers that show the locals of each frame (``pytest --showlocals``, rich, Sentry) would
    show a key held in a plain ``str`` local. The library keeps the key in a :class:`Secret`, whose ``repr`` and
    ``str`` are ``<redacted>``, and builds the ``Authorization`` header inside the call that sends it, so no
    long-lived library frame holds it; a GraphQL answer that quotes it is dropped from the transport's frame before
    its error is raised, and foreign (aiohttp) errors are chained without their frames. What remains: a signed URL
    is an argument of the download frames (``url``, and aiohttp's ``ClientResponse`` repr), so a traceback with
    locals shows it; and aiohttp's own frames hold the request headers while a request
    is being sent, and gql's transport keeps its session headers on the transport object (shown by ``repr`` only as
    an object address). Error trackers should scrub ``Authorization`` headers as well (Sentry does by default).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "MIN_REGISTERED_LENGTH",
    "REDACTED",
    "Secret",
    "cut",
    "redact_text",
    "redact_value",
    "register",
    "unregister",
]

REDACTED: Final = "<redacted>"
#: Keys shorter than this are not redacted process-wide (see the module doc).
MIN_REGISTERED_LENGTH: Final = 12
#: A trailing fragment of a key at least this long is blanked where a text was cut (see :func:`cut`).
_MIN_FRAGMENT: Final = 4
_MAX_DEPTH: Final = 32

# The query of an http(s) URL: from "?" to the first character that cannot be in a URL.
# "+", not "*": an empty query (or one already redacted, "?<redacted>") is left alone, so redacting twice is
# the same as once (an unpickled error is redacted again).
_URL_QUERY = re.compile(r"(?i)(\bhttps?://[^\s?#\"'<>]*)\?[^\s#\"'<>]+")

# A signing parameter anywhere (an echoed request line ``GET /file?X-Goog-Signature=...`` has no scheme).
_SIGNING_PARAM = re.compile(r"(?i)\b((?:[\w-]*signature|[\w-]*credential|sig|[\w-]*token)=)[^&\s#\"'<>]+")

_lock = threading.Lock()
_registered: dict[str, int] = {}


class Secret:
    """A string that does not show itself: ``repr`` and ``str`` are ``<redacted>``; :meth:`reveal` gives it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")


def register(key: str) -> None:
    """Redact ``key`` from every error and log text from now on, until :func:`unregister` (reference counted)."""
    if len(key) < MIN_REGISTERED_LENGTH:
        return
    with _lock:
        _registered[key] = _registered.get(key, 0) + 1


def unregister(key: str) -> None:
    """Undo one :func:`register` of ``key``."""
    with _lock:
        count = _registered.get(key, 0) - 1
        if count > 0:
            _registered[key] = count
        else:
            _registered.pop(key, None)


def _keys() -> tuple[str, ...]:
    return tuple(_registered)


def redact_text(text: str, *extra: str) -> str:
    """``text`` without any registered key, any key in ``extra``, or the query of any URL."""
    for key in (*extra, *_keys()):
        if key and key in text:
            text = text.replace(key, REDACTED)
    if "?" in text:
        if "://" in text:
            text = _URL_QUERY.sub(rf"\1?{REDACTED}", text)
        if "=" in text:
            text = _SIGNING_PARAM.sub(rf"\1{REDACTED}", text)
    return text


def redact_value(value: Any, *extra: str, _depth: int = 0) -> Any:
    """``value`` with :func:`redact_text` applied to every string in it: lists, tuples and mappings, deeply.

    Other objects are returned as they are (numbers, None, exceptions). Mappings become plain dicts.
    """
    if isinstance(value, str):
        return redact_text(value, *extra)
    if isinstance(value, (bytes, bytearray)):
        return redact_text(bytes(value).decode("utf-8", "replace"), *extra)
    if _depth >= _MAX_DEPTH and isinstance(value, (list, tuple, Mapping)):
        return REDACTED  # deeper than any real error payload: not worth walking
    if isinstance(value, list):
        return [redact_value(item, *extra, _depth=_depth + 1) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(redact_value(item, *extra, _depth=_depth + 1) for item in value)
    if isinstance(value, Mapping):
        return {
            redact_value(k, *extra, _depth=_depth + 1): redact_value(v, *extra, _depth=_depth + 1)
            for k, v in value.items()
        }
    return value


def _strip_fragment(text: str, keys: tuple[str, ...]) -> str:
    """Blank a trailing fragment of a key: what is left of a key that a cut went through."""
    for key in keys:
        for size in range(min(len(key) - 1, len(text)), _MIN_FRAGMENT - 1, -1):
            if text.endswith(key[:size]):
                return text[:-size] + REDACTED
    return text


def cut(text: str, limit: int, *extra: str, truncated: bool = False) -> str:
    """``text`` redacted, then cut to ``limit`` characters (with ``…`` when cut).

    Args:
        text: The text, e.g. a decoded body.
        limit: The longest result, before the ellipsis.
        extra: Keys to redact besides the registered ones.
        truncated: ``text`` is itself the head of something longer (a body read up to a limit), so a key may have
            been cut at its end: a trailing fragment of a key is blanked too.
    """
    text = redact_text(text, *extra)
    keys = tuple(k for k in (*extra, *_keys()) if k)
    if truncated:
        text = _strip_fragment(text, keys)
    if len(text) <= limit:
        return text + ("…" if truncated else "")
    return text[:limit] + "…"
