"""A griffe extension: read a Google-style ``Example:`` section as a section of examples.

alabelbox's docstrings head their ``>>>`` examples with ``Example:`` (which ``tests/test_docstring_examples.py``
runs). griffe reads the singular as an admonition, whose body is markdown, so the examples would render as nested
quotes and their output (``['a', 'b']``) as broken cross-references; ``Examples:`` is its examples section, whose
``>>>`` blocks render as Python console code. This renames the heading when the docs are built, and nowhere else.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Rewrite ``Example:`` headings to ``Examples:`` in every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _HEADING.sub(r"\1Examples:", obj.docstring.value)
