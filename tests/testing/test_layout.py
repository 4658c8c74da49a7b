"""The emulator's layout holds: one module per resource with its SDL, resolvers and state; no client imports."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

from graphql import GraphQLObjectType, parse

import alabelbox.testing
import alabelbox.testing.resources as resources_pkg
from alabelbox.testing import Emulator
from alabelbox.testing._schema import BASE_SDL, build
from alabelbox.testing.resources import RESOURCES, Resource

PACKAGE = Path(alabelbox.testing.__file__).parent


def resource_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(resources_pkg.__path__) if not m.name.startswith("_"))


def test_every_resource_module_holds_one_registered_resource_with_its_sdl() -> None:
    assert resource_modules() == sorted(RESOURCES)
    for name in resource_modules():
        module = importlib.import_module(f"alabelbox.testing.resources.{name}")
        assert module.__doc__, f"{name} has no docstring saying what it serves"
        classes = [
            c for c in vars(module).values() if inspect.isclass(c) and issubclass(c, Resource) and c is not Resource
        ]
        assert classes == [RESOURCES[name]], f"{name} must define exactly its registered Resource"
        cls = classes[0]
        if not cls.SDL.strip():  # a REST-only resource (masks): no GraphQL, so it must serve routes
            assert cls.routes is not Resource.routes and not cls.EXTENDS, f"{name} has neither SDL nor routes"
            continue
        assert cls.SDL is module.SDL, f"{name} keeps its SDL fragment in the module"
        parse(cls.SDL)  # each fragment is valid SDL by itself
        for type_name in cls.EXTENDS:
            assert f"extend type {type_name} " in cls.SDL, f"{name} decorates {type_name} without extending it"


async def test_the_assembled_schema_and_the_resolvers_agree() -> None:
    async with Emulator(projects=1, data_rows=3) as emu:
        backend = emu.backend
        schema = build(backend.schema_sdl)
        for root_name in ("Query", "Mutation"):
            root = schema.type_map[root_name]
            assert isinstance(root, GraphQLObjectType)
            for field in root.fields:
                assert field in backend.root, f"{root_name}.{field} has no resolver"
        fields = set(schema.query_type.fields) | set(schema.mutation_type.fields)  # type: ignore[union-attr]
        assert set(backend.root) <= fields, f"resolvers without a field: {set(backend.root) - fields}"
        owners: dict[str, str] = {}
        for name, resource in backend.resources.items():
            for field in resource.root():
                assert field not in owners, f"{field} is resolved by {owners.get(field)} and {name}"
                owners[field] = name
                assert f" {field}(" in resource.SDL or f" {field}:" in resource.SDL, f"{name} resolves {field}"
    assert "type Query" in BASE_SDL and "extend" not in BASE_SDL


def test_the_emulator_never_imports_the_client() -> None:
    # Python imports ``alabelbox/__init__`` before any submodule, so this is checked on the source: no module of
    # the emulator imports the client. The pytest plugin is the glue that hands tests a client: it may import it
    # inside its ``labelbox_client`` fixture (and for type checking), never at import time.
    offenders = []
    plugin = ast.parse((PACKAGE / "pytest_plugin.py").read_text())
    for top in plugin.body:
        if isinstance(top, ast.ImportFrom) and (top.module or "").startswith("alabelbox"):
            offenders.append(f"pytest_plugin.py:{top.lineno} imports {top.module} at import time")
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "pytest_plugin.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        relative = path.relative_to(PACKAGE.parent.parent)
        depth = len(path.relative_to(PACKAGE).parts)  # 1 = alabelbox/testing/x.py
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    # ``from .. import x`` at depth 1 would leave alabelbox.testing.
                    if node.level > depth:
                        offenders.append(f"{relative}:{node.lineno} relative import above alabelbox.testing")
                    continue
                targets = [node.module or ""]
            for target in targets:
                if target == "alabelbox" or (
                    target.startswith("alabelbox.") and not target.startswith("alabelbox.testing")
                ):
                    offenders.append(f"{relative}:{getattr(node, 'lineno', '?')} imports {target}")
    assert offenders == []
    assert len(list(PACKAGE.rglob("*.py"))) > len(RESOURCES)  # the walk saw the resource modules
