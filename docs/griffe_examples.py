"""A griffe extension that reads alabelbox's docstrings as the site should show them.

The docstrings are Google style with a few reStructuredText habits, which griffe would otherwise render literally:

- ``Example:`` heads the ``>>>`` examples (``tests/test_docstring_examples.py`` runs them). griffe reads the
  singular as an admonition whose body is markdown, so the examples would render as nested quotes and their output
  (``['a', 'b']``) as broken cross-references; ``Examples:`` is griffe's examples section, rendered as code.
- Sphinx roles (``:class:`~alabelbox.Client```, ``:meth:`wait```, ...) become cross-references, resolved in the
  docstring's own scope. A name that does not resolve, or resolves to nothing on the site, stays plain code: the
  references are marked optional, so they never fail ``mkdocs build --strict``.
- A paragraph ending in ``::`` (a reST literal block) loses the marker; the indented block after it is code anyway.

The docstrings themselves are not changed; this only runs when the site is built.
"""

from __future__ import annotations

import html
import re
from typing import Any

import griffe

_EXAMPLE_HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)
_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj|const|type):`(~?)\.?([\w.]+)(?:\(\))?`")
_LITERAL_MARKER_LINE = re.compile(r"^\s*::\s*$", re.MULTILINE)
_LITERAL_MARKER_END = re.compile(r"(\S)::\s*$", re.MULTILINE)


def _target(obj: griffe.Object, name: str) -> str | None:
    """The full path ``name`` refers to from ``obj``'s scope, or None."""
    if name.startswith("alabelbox"):
        return name
    first, _, rest = name.partition(".")
    scopes = [obj, *([obj.parent] if obj.parent is not None else [])]
    for scope in scopes:
        if first in scope.members:  # a sibling method or attribute, e.g. :meth:`wait` inside a class
            return f"{scope.path}.{name}"
        try:
            resolved = scope.resolve(first)
        except (griffe.NameResolutionError, ValueError):
            continue
        return f"{resolved}.{rest}" if rest else resolved
    return None


def _rewrite(obj: griffe.Object, text: str) -> str:
    def role(match: re.Match[str]) -> str:
        short, name = match.group(1), match.group(2)
        shown = name.rsplit(".", 1)[-1] if short else name
        target = _target(obj, name)
        code = f"<code>{html.escape(shown)}</code>"
        if target is None:
            return f"`{shown}`"
        return f'<autoref identifier="{html.escape(target)}" optional>{code}</autoref>'

    text = _EXAMPLE_HEADING.sub(r"\1Examples:", text)
    text = _ROLE.sub(role, text)
    text = _LITERAL_MARKER_LINE.sub("", text)
    return _LITERAL_MARKER_END.sub(r"\1:", text)


class ExampleSections(griffe.Extension):
    """Rewrite every docstring of a loaded package once the whole package is known (so names resolve)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        stack: list[griffe.Object] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.docstring is not None:
                obj.docstring.value = _rewrite(obj, obj.docstring.value)
            stack.extend(member for member in obj.members.values() if isinstance(member, griffe.Object))
