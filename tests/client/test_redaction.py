"""Secrets in errors: the key and signed-URL queries are redacted deeply, before any cut, and stay out of pickles."""

from __future__ import annotations

import pickle
import secrets

from alabelbox import LabelboxError, UnexpectedResponseError
from alabelbox._secrets import REDACTED, Secret, cut, redact_text, register, unregister
from alabelbox._transport._mapping import excerpt, map_graphql_errors

KEY = secrets.token_hex(24)


def test_every_attribute_is_redacted_deeply_and_so_is_the_pickle() -> None:
    register(KEY)
    try:
        error = UnexpectedResponseError(
            f"no: {KEY}",
            body_excerpt=f"Bearer {KEY}",
            errors=[{"message": KEY, "extensions": {"headers": {"Authorization": [f"Bearer {KEY}"]}}}],
        )
        error.later = {"added": (KEY,)}
        blob = pickle.dumps(error)
    finally:
        unregister(KEY)
    assert KEY not in str(error) + repr(error) + repr(vars(error)) + repr(error.args)
    assert KEY.encode() not in blob
    assert error.errors[0]["extensions"]["headers"]["Authorization"] == [f"Bearer {REDACTED}"]
    assert error.later == {"added": (REDACTED,)}  # type: ignore[attr-defined]
    assert str(pickle.loads(blob)) == str(error)


def test_short_keys_are_not_redacted_process_wide() -> None:
    register("k")
    try:
        assert str(LabelboxError("look at this key")) == "look at this key"
    finally:
        unregister("k")
    assert redact_text("a k here", "k") == f"a {REDACTED} here"  # the client still redacts its own


def test_a_key_across_the_cut_leaves_no_prefix() -> None:
    body = ("x" * 195 + KEY).encode()
    text = excerpt(body, redact=lambda t: redact_text(t, KEY))
    assert KEY[:4] not in text and text.startswith("x" * 195) and text.endswith("…")
    # A body read only up to a limit may end inside a key: the fragment goes too.
    assert cut("x" * 10 + KEY[:20], 200, KEY, truncated=True) == "x" * 10 + REDACTED + "…"


def test_signed_url_queries_are_redacted_with_or_without_a_scheme() -> None:
    text = redact_text("timeout to host https://s.test/b/f.ndjson?X-Goog-Signature=abc&X-Goog-Expires=60 now")
    assert text == f"timeout to host https://s.test/b/f.ndjson?{REDACTED} now"
    echoed = redact_text("GET /f?X-Amz-Credential=AK%2F1&X-Amz-Signature=deadbeef&x=1 HTTP/1.1")
    assert "AK%2F1" not in echoed and "deadbeef" not in echoed and "x=1" in echoed


def test_the_raw_graphql_errors_are_redacted_with_the_clients_own_key() -> None:
    errors = [{"message": f"bad key k-{KEY}", "extensions": {"code": "FOO", "quoted": [KEY]}}]
    error = map_graphql_errors(
        errors, status=200, headers={}, operation="Me", redact=lambda t: t.replace(KEY, REDACTED)
    )
    assert KEY not in repr(error.errors) and KEY not in str(error)


def test_a_secret_does_not_show_itself() -> None:
    secret = Secret(KEY)
    assert KEY not in repr(secret) + str(secret) and secret.reveal() == KEY
