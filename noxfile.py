"""nox sessions: tests, lint, typecheck, bench, demo.

    python3 -m venv .venv && .venv/bin/pip install -q nox && .venv/bin/nox -s tests
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
# Sessions run on the interpreter nox runs on, so the README commands work wherever python3 is.


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite, the official-SDK conformance tests included."""
    session.install("-e", ".[test,sdk,fast]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the package, tests and benchmarks."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", "alabelbox", "tests", "benchmarks", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package and the tests."""
    session.install("-e", ".[test,sdk,bench]", "mypy>=1.10")
    session.run("mypy", "alabelbox", "tests")


@nox.session
def demo(session: nox.Session) -> None:
    """The README's demo: an embedded emulator, a filtered listing and a streaming export."""
    session.install("-e", ".")
    session.run("alabelbox", "demo", *session.posargs)
