"""Credentials that travel as a name: ApiKey, ClientSpec, a Client that refuses to pickle, errors that pickle."""

from __future__ import annotations

import copy
import inspect
import pickle
import secrets
from typing import Any

import pytest

import alabelbox
from alabelbox import ApiKey, AuthenticationError, Client, ClientSpec, InvalidArgumentError, LabelboxError, Timeout
from alabelbox._secrets import register, unregister
from alabelbox.testing import Emulator

KEY = f"lb-test-{secrets.token_hex(20)}"
SIGNATURE = secrets.token_hex(32)
SIGNED_URL = f"https://storage.example.com/bucket/file.ndjson?X-Goog-Signature={SIGNATURE}&X-Goog-Expires=60"
ENV = "ALABELBOX_TEST_CREDENTIALS_KEY"


def key_from_somewhere() -> str:
    """A module-level factory: pickles by reference."""
    return KEY


def test_from_env_reads_the_variable_when_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ApiKey.from_env(ENV)
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(AuthenticationError, match=f"{ENV} is not set in this process"):
        source.resolve()
    monkeypatch.setenv(ENV, KEY)
    assert source.resolve() == KEY
    assert repr(source) == f"ApiKey.from_env({ENV!r})" and source.env == ENV


def test_sources_pickle_as_a_name_never_as_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, KEY)
    for source in (ApiKey.from_env(ENV), ApiKey.from_callable(key_from_somewhere)):
        blob = pickle.dumps(source)
        assert KEY.encode() not in blob
        again = pickle.loads(blob)
        assert again == source and hash(again) == hash(source)
        assert again.resolve() == KEY
        assert KEY not in repr(source)


def test_a_callable_that_fails_or_returns_no_string_is_an_authentication_error() -> None:
    def broken() -> str:
        raise RuntimeError(f"vault down; tried {KEY}")

    with pytest.raises(AuthenticationError, match="raised RuntimeError") as caught:
        ApiKey.from_callable(broken).resolve()
    assert KEY not in str(caught.value) and caught.value.__cause__ is None
    with pytest.raises(AuthenticationError, match="returned NoneType"):
        ApiKey.from_callable(lambda: None).resolve()  # type: ignore[arg-type, return-value]


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [({}, "api_key"), ({"env": ""}, "env"), ({"factory": 42}, "factory"), ({"env": "A", "factory": str}, "api_key")],
)
def test_bad_sources_are_rejected(kwargs: dict[str, Any], argument: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        ApiKey(**kwargs)
    assert caught.value.argument == argument


def test_client_rejects_a_key_of_another_type() -> None:
    with pytest.raises(InvalidArgumentError, match="got int"):
        Client(api_key=42)  # type: ignore[arg-type]


def test_a_client_does_not_pickle_and_says_what_to_send_instead() -> None:
    client = Client(api_key=KEY, endpoint="http://127.0.0.1:9/graphql")
    with pytest.raises(TypeError, match=r"cannot be pickled .* send client\.spec\(\)"):
        pickle.dumps(client)
    with pytest.raises(TypeError, match="cannot be pickled"):
        copy.copy(client)


def test_spec_needs_a_key_given_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TypeError, match=r"ApiKey\.from_env"):
        Client(api_key=KEY, endpoint="http://127.0.0.1:9/graphql").spec()
    monkeypatch.setenv("LABELBOX_API_KEY", KEY)
    default = Client(endpoint="http://127.0.0.1:9/graphql", timeout=Timeout(total=5)).spec()
    assert default == ClientSpec(
        endpoint="http://127.0.0.1:9/graphql", api_key=ApiKey.from_env("LABELBOX_API_KEY"), timeout=Timeout(total=5)
    )
    by_callable = Client(api_key=key_from_somewhere, endpoint="http://127.0.0.1:9/graphql").spec()
    assert by_callable.api_key == ApiKey.from_callable(key_from_somewhere)
    for spec in (default, by_callable):
        assert KEY.encode() not in pickle.dumps(spec)


async def test_a_spec_makes_a_working_client_where_the_variable_is_set(
    labelbox_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = labelbox_emulator
    spec = ClientSpec(endpoint=emu.endpoint, api_key=ApiKey.from_env(ENV))
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(AuthenticationError, match=ENV):
        spec.client()
    monkeypatch.setenv(ENV, emu.api_key)
    async with pickle.loads(pickle.dumps(spec)).client() as client:
        assert (await client.users.me()).id == emu.user_id
        assert client.spec() == spec


def _every_error_type() -> list[type[LabelboxError]]:
    found: list[type[LabelboxError]] = []
    pending: list[type[LabelboxError]] = [LabelboxError]
    while pending:
        cls = pending.pop()
        if cls not in found:
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__qualname__)


def _make(cls: type[LabelboxError]) -> LabelboxError:
    """An instance of ``cls`` whose every text quotes the key and a signed URL."""
    text = f"failed with Bearer {KEY} on {SIGNED_URL}"
    params = dict(inspect.signature(cls.__init__).parameters)
    if "argument" in params:
        return cls("argument", text)  # type: ignore[call-arg]
    if "index" in params and "field" in params:
        return cls(3, "bbox.left", text)  # type: ignore[call-arg,arg-type]
    if "kwargs" in params:  # it passes them on to LabelboxError
        params = {**params, **inspect.signature(LabelboxError.__init__).parameters}
    offered: dict[str, Any] = {
        "operation": "GET /bucket/file.ndjson",
        "status": 503,
        "errors": [{"message": text}],
        "task_id": "task-1",
        "body_excerpt": text,
        "excerpt": text,
        "field_path": "a.b",
        "retry_after": 1.5,
        "import_ids": ["import-1"],
        "failed": 2,
        "first_errors": [{"message": text}],
    }
    kwargs = {name: value for name, value in offered.items() if name in params}
    if "offset" in params:
        kwargs.update(offset=10, line=2)
    return cls(text, **kwargs)


@pytest.mark.parametrize("cls", _every_error_type(), ids=lambda c: c.__name__)
def test_every_error_type_pickles_whole_and_without_secrets(cls: type[LabelboxError]) -> None:
    register(KEY)
    try:
        error = _make(cls)
        blob = pickle.dumps(error)
    finally:
        unregister(KEY)
    assert KEY.encode() not in blob and SIGNATURE.encode() not in blob
    again = pickle.loads(blob)
    assert type(again) is cls
    assert str(again) == str(error) and repr(again) == repr(error) and again.args == error.args
    assert vars(again) == vars(error)
    assert KEY not in str(again) + repr(vars(again)) and SIGNATURE not in str(again) + repr(vars(again))


def test_the_walk_found_the_cluster_errors() -> None:
    names = {cls.__name__ for cls in _every_error_type()}
    assert {"SignedUrlExpiredError", "ShardReadError", "InvalidArgumentError", "RecordValidationError"} <= names
    assert len(names) >= 35
    assert alabelbox.SignedUrlExpiredError.__mro__[1] is alabelbox.ExportDownloadError


async def test_an_export_task_and_its_shards_pickle_without_any_client(
    labelbox_emulator: Emulator, labelbox_client: Client
) -> None:
    emu, client = labelbox_emulator, labelbox_client
    task = await client.exports.create_and_poll(project_id=emu.project_ids[0], poll_interval=0.02)
    shards = await client.exports.shards(task)
    blob = pickle.dumps((task, shards))
    assert emu.api_key.encode() not in blob and b"X-Goog" not in blob
    again_task, again_shards = pickle.loads(blob)
    assert again_task == task and again_shards == shards
