"""Nothing in the repository cites a document that is not in it.

Research notes, issue numbers and seed documents live outside the repository, so a reader of the code cannot follow
a pointer to a section of the research notes or to an issue number. The wire protocol the code relies on is written
down in docs/wire.md, and that is what the code cites. The patterns are assembled from pieces so that this file does
not match itself.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]

ABSENT = re.compile(
    "|".join(
        [
            "labelbox" + "-wire",  # the research notes' file name
            "wire" + " reference",
            "\u00a7",  # a section sign: a section of some other document
            r"\b[Ii]" + r"ssues? #?[0-9]",  # the issue tracker
            "seed" + " 00[0-9]",  # the seed documents
            "seed" + "s?/",
        ]
    )
)
SCANNED_DIRS = ("alabelbox", "tests", "benchmarks", "docs", "examples")
SCANNED_FILES = ("README.md", "CHANGELOG.md", "CONTRIBUTING.md", "noxfile.py", "pyproject.toml", "mkdocs.yml")
SUFFIXES = {".py", ".md", ".ipynb", ".toml", ".yml", ".yaml", ".txt", ".cfg", ".graphql"}


def _scanned() -> list[Path]:
    files = [ROOT / name for name in SCANNED_FILES]
    for folder in SCANNED_DIRS:
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in SUFFIXES and "__pycache__" not in p.parts]
    return sorted(p for p in files if p.is_file())


def test_no_citation_of_an_absent_document() -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _scanned()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ABSENT.search(line)
    ]
    assert hits == [], "cite docs/ (e.g. docs/wire.md) instead:\n" + "\n".join(hits)


def test_the_guard_sees_each_kind_of_citation() -> None:
    for line in [
        "see labelbox" + "-wire.md",
        "wire" + " reference 1.4",
        "\u00a74.3",
        "(" + "i" + "ssue 4)",
        "I" + "ssue 15 adds labels",
        "(i" + "ssues 13 and 15)",
        "seed" + " 000",
    ]:
        assert ABSENT.search(line), line
    assert not ABSENT.search('see docs/wire.md, "Errors"')
