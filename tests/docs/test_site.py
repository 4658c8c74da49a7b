"""The documentation site builds with warnings as errors, and its API reference covers every public name.

CI runs only ``nox -s tests``, so this is where CI builds the site (``nox -s docs`` runs the same build). The docs
extra is installed by the tests session; without it (a bare ``pip install -e .[test]``) the test is skipped.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import alabelbox
import alabelbox.destinations
import alabelbox.resources
import alabelbox.testing
import alabelbox.types

ROOT = Path(__file__).parents[2]

pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e .[docs])")
pytest.importorskip("mkdocstrings_handlers.python", reason="the docs extra is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once with ``mkdocs build --strict`` into a temporary directory."""
    out = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return out


def _anchors(page: Path) -> set[str]:
    return set(re.findall(r'id="([\w.]+)"', page.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("package", "page"),
    [
        (alabelbox, "alabelbox"),
        (alabelbox.resources, "resources"),
        (alabelbox.types, "types"),
        (alabelbox.testing, "testing"),
        (alabelbox.destinations, "destinations"),
    ],
)
def test_every_public_name_has_a_reference_entry(site: Path, package: ModuleType, page: str) -> None:
    anchors = _anchors(site / "reference" / page / "index.html")
    prefix = package.__name__
    names = [name for name in package.__all__ if not name.startswith("__")]  # __version__: in the text
    missing = [name for name in names if f"{prefix}.{name}" not in anchors]
    assert missing == [], f"not in the API reference page reference/{page}.md: {missing}"


def test_the_resources_reached_from_the_client_are_documented(site: Path) -> None:
    anchors = _anchors(site / "reference" / "resources" / "index.html")
    for name in ("Exports.create", "Exports.wait", "Exports.stream", "Exports.download", "Exports.export_labels"):
        assert any(anchor.endswith(name) for anchor in anchors), name


def test_pages_include_the_repository_files_they_name(site: Path) -> None:
    benchmarks = (site / "benchmarks" / "index.html").read_text(encoding="utf-8")
    assert "bench_transport.py --requests" in benchmarks  # included from benchmarks/RESULTS.md, not copied
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "Unreleased" in changelog
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert "--resume" in cli and "export-labels" in cli  # generated from the click command
    examples = (site / "examples" / "index.html").read_text(encoding="utf-8")
    assert "LABELBOX_ENDPOINT" in examples and "labelbox_emulator_options" in examples


def test_docstrings_render_as_markdown_not_rest(site: Path) -> None:
    """docs/griffe_examples.py: ``Example:`` sections render as code, Sphinx roles as links, no stray ``::``."""
    page = (site / "reference" / "alabelbox" / "index.html").read_text(encoding="utf-8")
    assert "<blockquote>\n<blockquote>" not in page
    for name in ("alabelbox", "resources", "types", "testing"):
        text = (site / "reference" / name / "index.html").read_text(encoding="utf-8")
        assert ":class:" not in text and ":meth:" not in text and "<p>::</p>" not in text, name
    assert 'href="#alabelbox.ExportTask"' in page  # e.g. :class:`ExportTask` in a docstring became a link
