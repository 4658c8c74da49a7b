"""Every ``>>>`` example in the public API's docstrings runs, against the emulator.

This replaces ``python -m doctest`` / ``--doctest-modules``, which cannot run the examples: they use top-level
``await``, ``async for`` and ``async with``, and a live server. Each docstring's examples run in order, in one
namespace (the defining module's globals plus a connected ``client`` and real ids under readable names); each
example is compiled with ``PyCF_ALLOW_TOP_LEVEL_AWAIT`` and awaited when it is a coroutine. A shown output is
checked (``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` are on, so ``'...'`` stands for a value that varies).

A public method that calls the network must have an example, unless :data:`NO_EXAMPLE_NEEDED` says why not.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import functools
import inspect
import io
import json
import re
import sys
import tomllib
import traceback
import types
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import alabelbox
import alabelbox.destinations
import alabelbox.resources
import alabelbox.types
import alabelbox.webhooks
from alabelbox.testing import Emulator

ROOTS = (alabelbox, alabelbox.types, alabelbox.resources, alabelbox.destinations, alabelbox.webhooks)
"""The public packages; everything reachable from their ``__all__`` is walked."""

NO_EXAMPLE_NEEDED: dict[str, str] = {
    "alabelbox._client.Client.aclose": "closing is shown by the `async with` of the Client example",
    "alabelbox._pagination.PageIterator.aclose": "closing is shown by the `async with` of Paginator.iter_pages",
    "alabelbox._exports.stream.ShardStream.aclose": "closing is shown by the `async with` of Exports.stream",
    "alabelbox._streaming._reader.RecordReader.aclose": "closing is shown by the `async with` of read_records",
}
"""Network methods without an example, each with the reason an example would add nothing."""

_NETWORK_RETURNS = frozenset(
    {"AbstractAsyncContextManager", "AsyncGenerator", "AsyncIterator", "PageIterator", "Paginator", "ShardStream"}
)
_NAME = re.compile(r"[A-Za-z_]\w*")
_CHECKER = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _ours(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.startswith("alabelbox") and not module.startswith("alabelbox.testing")


def _function_of(member: object) -> types.FunctionType | None:
    if isinstance(member, classmethod | staticmethod):
        member = member.__func__
    elif isinstance(member, property):
        member = member.fget
    elif isinstance(member, functools.cached_property):
        member = member.func
    return member if isinstance(member, types.FunctionType) else None


def _return_names(func: types.FunctionType) -> set[str]:
    """The names in ``func``'s return annotation (a string: every module has ``from __future__ import annotations``)."""
    return set(_NAME.findall(str(inspect.get_annotations(func).get("return", ""))))


def _public_api() -> dict[str, object]:
    """Qualified name -> every public module, class, function and method reachable from :data:`ROOTS`.

    From a class: its bases and its own public methods and properties; from a function or method: the classes its
    return annotation names (so ``client.exports`` reaches ``Exports``, and ``Exports.stream`` reaches ``ShardStream``).
    """
    found: dict[str, object] = {}
    pending: list[object] = [getattr(root, name) for root in ROOTS for name in root.__all__]

    def follow(func: types.FunctionType) -> None:
        pending.extend(func.__globals__.get(name) for name in _return_names(func))

    while pending:
        obj = pending.pop()
        if not (inspect.isclass(obj) or inspect.isfunction(obj)) or not _ours(obj) or obj.__name__.startswith("_"):
            continue
        key = f"{obj.__module__}.{obj.__qualname__}"
        if key in found:
            continue
        found[key] = obj
        found.setdefault(obj.__module__, sys.modules[obj.__module__])
        if inspect.isfunction(obj):
            follow(obj)
            continue
        assert inspect.isclass(obj)
        pending.extend(obj.__mro__[1:])
        for name, member in vars(obj).items():
            func = _function_of(member)
            if func is not None and not name.startswith("_"):
                found[f"{key}.{name}"] = func
                follow(func)
    return found


def _calls_network(obj: object) -> bool:
    if not isinstance(obj, types.FunctionType):
        return False
    return (
        inspect.iscoroutinefunction(obj)
        or inspect.isasyncgenfunction(obj)
        or bool(_return_names(obj) & _NETWORK_RETURNS)
    )


def _examples(obj: object) -> list[doctest.Example]:
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else getattr(obj, "__doc__", None)
    return doctest.DocTestParser().get_examples(doc) if isinstance(doc, str) else []


PUBLIC_API = _public_api()
DOCUMENTED = {name: obj for name, obj in sorted(PUBLIC_API.items()) if _examples(obj)}


def _short(name: str) -> str:
    """``alabelbox.resources.projects.Projects.retrieve`` -> ``Projects.retrieve`` (modules keep their name)."""
    obj = PUBLIC_API[name]
    return name if inspect.ismodule(obj) else obj.__qualname__  # type: ignore[attr-defined]


# -- the emulator and the namespace ----------------------------------------------------------------------------------


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    # Project 0 is IMAGE, project 1 VIDEO (for the legacy frames); tasks are ready at once.
    return {"seed": 0, "projects": 2, "data_rows": 12, "batch_size": 5, "task_seconds": 0.0, "shard_bytes": 4096}


@pytest_asyncio.fixture
async def namespace(
    labelbox_emulator: Emulator,
    labelbox_client: alabelbox.Client,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> AsyncIterator[dict[str, Any]]:
    """What the examples may use besides their module's globals: a client and real ids."""
    emulator, client = labelbox_emulator, labelbox_client
    # `alabelbox.Client()` in an example reads these, as a user's code would; files it writes land in tmp_path.
    monkeypatch.setenv("LABELBOX_API_KEY", emulator.api_key)
    monkeypatch.setenv("LABELBOX_ENDPOINT", emulator.endpoint)
    monkeypatch.chdir(tmp_path)
    project_id, video_project_id = emulator.project_ids
    dataset_id = emulator.dataset_ids[0]
    task = await client.exports.create_and_poll(project_id=project_id, poll_interval=0.01)
    data_row_id = emulator.data_row_ids(dataset_id)[0]
    models: dict[str, Any] = {}
    if "model" in request.node.callspec.params["name"].lower():
        # A model over an ontology, and its run "baseline" with one row in the TRAINING split.
        ontology = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}
        ontology_id = emulator.backend.ontologies.upsert_ontology(
            {"name": "Boxes", "normalized": json.dumps(ontology), "mediaType": "IMAGE"}
        )
        model = await client.models.create("detector", ontology_id=ontology_id)
        run = await client.model_runs.create(model.id, name="baseline")
        await client.model_runs.upsert_data_rows(run.id, data_row_ids=[data_row_id], poll_interval=0.01)
        await client.model_runs.assign_split(run.id, "TRAINING", data_row_ids=[data_row_id], poll_interval=0.01)
        global_key = (await client.data_rows.retrieve(data_row_id)).global_key
        models = {"ontology_id": ontology_id, "model_id": model.id, "model_run_id": run.id, "global_key": global_key}
    # A created row, which the examples write keys, attachments and metadata to.
    dataset_key = emulator.backend.datasets.find(dataset_id)
    assert dataset_key is not None
    created = {"rowData": "https://example.com/cat.jpg", "globalKey": "cat-gk", "externalId": "cat.jpg"}
    row_id = emulator.backend.data_rows.create(dataset_key, created)
    # The server generates a legacy export file while the first exportLabels call waits 2 s to ask again; asked once
    # here, the examples' calls find the file ready (the server reuses it for 30 minutes), as a user often would.
    for legacy_project in (project_id, video_project_id):
        await client.exports.export_labels_url(legacy_project, poll_interval=0.01)
    yield {
        "alabelbox": alabelbox,
        "client": client,
        "project_id": project_id,
        "video_project_id": video_project_id,
        "dataset_id": dataset_id,
        "data_row_id": data_row_id,
        "model_run_id": emulator.add_model_run(),  # a run for the import examples; the model examples' own below
        **models,
        "label_id": emulator.label_ids(project_id)[0],
        "label_ids": emulator.label_ids(project_id)[:3],
        "batch_id": emulator.world.batch_id(0, 0),
        "app_id": emulator.backend.foundry.app_id(0),  # a seeded Foundry app over project 0's ontology
        "user_id": emulator.user_id,
        "member_id": emulator.world.user_id(2),  # organization role NONE: a project-based user
        "other_dataset_id": emulator.dataset_ids[1],
        "row_ids": emulator.data_row_ids(emulator.dataset_ids[1]),  # rows not in project_id yet
        "keys": [emulator.world.global_key(1, i) for i in range(emulator.world.n_rows)],
        "task": task,
        "task_id": task.id,
        "line": emulator.export_lines(task.id)[0],
        "row_id": row_id,
        "slice_id": emulator.catalog_slice_ids[0],  # every row of dataset_id, row_id included
        "model_slice_id": emulator.model_slice_ids[1],  # the TRAINING split of a run
        "global_key": created["globalKey"],
        "external_id": created["externalId"],
    }
    # An example may start a task and not wait for it; the emulator's writer thread, stopped mid-write at close,
    # leaves its shard file open (a ResourceWarning), so let every task finish first.
    for task_id in list(emulator.backend.tasks):
        await emulator.wait_task(task_id)


# -- running one docstring -------------------------------------------------------------------------------------------


async def _run_example(example: doctest.Example, namespace: dict[str, Any], where: str) -> None:
    code = compile(example.source, where, "single", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    out = io.StringIO()
    failure: str | None = None
    with contextlib.redirect_stdout(out):
        try:
            result = eval(code, namespace)
            if inspect.iscoroutine(result):
                await result
        except Exception as exc:
            if example.exc_msg is None:
                raise AssertionError(f"{where} raised:\n{example.source}") from exc
            got_exc = traceback.format_exception_only(type(exc), exc)[-1]
            if not _CHECKER.check_output(example.exc_msg, got_exc, _FLAGS):
                failure = f"expected the exception\n{example.exc_msg}got\n{got_exc}"
        else:
            if example.exc_msg is not None:
                failure = f"expected the exception\n{example.exc_msg}but nothing was raised"
    got = out.getvalue()
    # An expected exception's traceback is its ``want``: matched above, against the exception, not stdout.
    if (
        failure is None
        and example.exc_msg is None
        and example.want
        and not _CHECKER.check_output(example.want, got, _FLAGS)
    ):
        failure = f"expected\n{example.want}got\n{got}"
    assert failure is None, f"{where}:\n{example.source}{failure}"


@pytest.mark.parametrize("name", DOCUMENTED, ids=_short)
async def test_docstring_examples_run(name: str, namespace: dict[str, Any]) -> None:
    obj = DOCUMENTED[name]
    module = obj if inspect.ismodule(obj) else sys.modules[obj.__module__]
    scope = {**vars(module), **namespace}
    for number, example in enumerate(_examples(obj), 1):
        directives = [flag for flag, on in doctest.OPTIONFLAGS_BY_NAME.items() if example.options.get(on)]
        assert not directives, f"{name}, example {number}: remove {directives}; this runner honours no directives"
        await _run_example(example, scope, f"<{name}, example {number}, docstring line {example.lineno + 1}>")


# -- coverage of the examples ----------------------------------------------------------------------------------------


def test_network_methods_have_examples() -> None:
    missing = sorted(
        name
        for name, obj in PUBLIC_API.items()
        if _calls_network(obj) and not _examples(obj) and name not in NO_EXAMPLE_NEEDED
    )
    assert not missing, f"network methods without an `Example:` (add one, or a reason to NO_EXAMPLE_NEEDED): {missing}"


def test_no_example_needed_is_current() -> None:
    stale = {
        name: why
        for name, why in NO_EXAMPLE_NEEDED.items()
        if name not in PUBLIC_API or not _calls_network(PUBLIC_API[name]) or _examples(PUBLIC_API[name])
    }
    assert not stale, f"NO_EXAMPLE_NEEDED names something gone, not a network method, or with an example: {stale}"


def test_the_walk_reaches_the_resources() -> None:
    # A guard on the walk itself: if it stopped following return annotations, the test above would pass vacuously.
    for name in ("Client.execute", "Exports.stream", "Exports.export_labels", "Exports.wait", "Paginator"):
        assert any(key.endswith(name) for key in PUBLIC_API), name
    assert len(DOCUMENTED) >= 40


def test_plain_doctest_is_not_enabled() -> None:
    # --doctest-modules would collect these examples without an event loop or a server, and fail on each.
    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert "doctest" not in str(config["tool"]["pytest"]["ini_options"])
