"""The layout holds: every resource has its files, query constants name their operations, the public surface is
``__all__``, imports point one way.

A resource reached as ``client.<name>`` is the class of ``alabelbox/resources/<name>.py``, sends the documents of
``alabelbox/_queries/<name>.py``, is served by ``alabelbox/testing/resources/<name>.py`` and tested in
``tests/resources/test_<name>.py`` (or ``tests/<name>/``); CONTRIBUTING.md, "Adding a client resource", says the same.

Patterned on httpx's ``tests/test_exported_members.py`` and anyio's ``test_all_attributes``.
"""

from __future__ import annotations
import __future__

import ast
import functools
import importlib
import inspect
import pkgutil
import types
from pathlib import Path

import graphql
import pytest

import alabelbox
import alabelbox._queries
import alabelbox.resources
from alabelbox._client import Client
from alabelbox.resources._base import Resource

PACKAGE = Path(alabelbox.__file__).parent
TESTS = Path(__file__).parent


def _client_resources() -> dict[str, type[Resource]]:
    """``client.<name>`` -> its class, for every lazy resource attribute of :class:`Client`."""
    found: dict[str, type[Resource]] = {}
    for name, member in vars(Client).items():
        if isinstance(member, functools.cached_property):
            cls = inspect.get_annotations(member.func, eval_str=True)["return"]
            if inspect.isclass(cls) and issubclass(cls, Resource):
                found[name] = cls
    return found


RESOURCES = _client_resources()


def test_the_client_has_its_resources() -> None:
    # A guard on the walk: if it found nothing, the tests below would pass vacuously.
    assert {"projects", "datasets", "data_rows", "labels", "users", "tasks", "exports"} <= set(RESOURCES)


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_resource_has_its_files(name: str) -> None:
    cls = RESOURCES[name]
    assert cls.__module__ == f"alabelbox.resources.{name}", f"client.{name} is {cls.__module__}.{cls.__name__}"
    assert cls.__name__ in alabelbox.resources.__all__, f"{cls.__name__} is not in alabelbox.resources.__all__"
    assert (PACKAGE / "_queries" / f"{name}.py").is_file(), f"no alabelbox/_queries/{name}.py"
    assert (PACKAGE / "testing" / "resources" / f"{name}.py").is_file(), f"no emulator module for client.{name}"
    assert (TESTS / "resources" / f"test_{name}.py").is_file() or (TESTS / name).is_dir(), f"no tests of client.{name}"


def _public_methods(cls: type) -> dict[str, object]:
    methods: dict[str, object] = {}
    for name, member in vars(cls).items():
        func = member.__func__ if isinstance(member, classmethod | staticmethod) else member
        if not name.startswith("_") and inspect.isfunction(func):
            methods[name] = func
    return methods


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_public_method_of_a_resource_has_an_example(name: str) -> None:
    # The examples are run against the emulator by tests/test_docstring_examples.py.
    methods = _public_methods(RESOURCES[name])
    assert methods, f"client.{name} has no public method"
    missing = sorted(m for m, func in methods.items() if ">>> " not in (inspect.getdoc(func) or ""))
    assert missing == [], f"client.{name}: methods without a docstring example: {missing}"


def _operation_names() -> set[str]:
    names = set()
    for _, _, document in _query_constants():
        (operation,) = graphql.parse(document).definitions
        assert isinstance(operation, graphql.OperationDefinitionNode) and operation.name is not None
        names.add(operation.name.value)
    return names


def test_no_operation_name_is_typed_again() -> None:
    # The helpers take the operation's name from the parsed document: a string literal of it is a second copy.
    names = _operation_names()
    typed = {
        f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}"
        for folder in ("resources", "_exports")
        for path in (PACKAGE / folder).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names
    }
    assert typed == set()


def _query_constants() -> list[tuple[str, str, str]]:
    found = []
    for info in pkgutil.iter_modules(alabelbox._queries.__path__):
        module = importlib.import_module(f"alabelbox._queries.{info.name}")
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if isinstance(value, str) and value.lstrip().startswith(("query", "mutation")):
                found.append((info.name, name, value))
    return found


@pytest.mark.parametrize(("module", "constant", "document"), _query_constants())
def test_every_query_constant_names_its_operation(module: str, constant: str, document: str) -> None:
    (operation,) = graphql.parse(document).definitions
    assert isinstance(operation, graphql.OperationDefinitionNode)
    assert operation.name is not None, f"{module}.{constant} is anonymous"
    expected = "".join(part.capitalize() for part in constant.split("_"))
    # Operations the SDK sends keep its name, with the ``PyApi`` suffix, so the server sees what it knows.
    name = operation.name.value.removesuffix("PyApi")
    assert name.lower() == expected.lower(), f"{module}.{constant} holds {operation.name.value}"


def test_the_public_surface_is_all() -> None:
    public = {
        name
        for name, value in vars(alabelbox).items()
        if not name.startswith("_") and not isinstance(value, (types.ModuleType, __future__._Feature))
    }
    assert public == set(alabelbox.__all__) - {"__version__"}
    assert sorted(alabelbox.__all__) == list(alabelbox.__all__)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        (
            "types",
            (
                "alabelbox._client",
                "alabelbox.resources",
                "alabelbox._transport",
                "alabelbox._exports",
                "alabelbox._polling",
            ),
        ),
        ("_streaming", ("alabelbox._client", "alabelbox.resources", "alabelbox._transport", "alabelbox._exports")),
        ("_exports", ("alabelbox.resources", "alabelbox.destinations", "alabelbox._cli.")),
        ("testing", ("alabelbox._client", "alabelbox.resources", "alabelbox.types", "alabelbox._transport")),
        ("_queries", ("alabelbox._client", "alabelbox.resources", "alabelbox.types")),
    ],
)
def test_the_dependency_direction_holds(folder: str, forbidden: tuple[str, ...]) -> None:
    wrong = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in (PACKAGE / folder).rglob("*.py")
        for name in _imports(path)
        if name.startswith(forbidden)
    }
    assert wrong == set()


def test_the_validation_and_error_modules_import_nothing_of_the_client() -> None:
    for module in ("_validation.py", "_exceptions.py"):
        assert {name for name in _imports(PACKAGE / module) if name.startswith("alabelbox")} <= {
            "alabelbox._exceptions",
            "alabelbox._secrets",
        }
