"""nox sessions: tests, lint, typecheck, docs, fuzz, bench, demo.

python3 -m venv .venv && .venv/bin/pip install -q nox && .venv/bin/nox -s tests
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
# Sessions run on the interpreter nox runs on, so the README commands work wherever python3 is.


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite: the official-SDK conformance tests, the destinations, the Dask and Ray readers and
    the documentation build included."""
    session.install("-e", ".[test,sdk,docs,formats,dask,ray]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the package, tests and benchmarks: lint rules and formatting."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", "alabelbox", "tests", "benchmarks", "examples", "noxfile.py")
    session.run("ruff", "format", "--check", "alabelbox", "tests", "benchmarks", "examples", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package and the tests."""
    session.install("-e", ".[test,sdk,bench,formats,dask,ray]", "mypy>=1.10")
    session.run("mypy", "alabelbox", "tests", "examples")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into site/ with warnings as errors (``-- serve`` to preview it instead)."""
    session.install("-e", ".[docs]")
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:], env=_QUIET_MKDOCS)
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs, env=_QUIET_MKDOCS)


#: mkdocs-material prints a banner about MkDocs 2 on every build; it is not a warning of this site.
_QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1"}


@nox.session
def fuzz(session: nox.Session) -> None:
    """The reader's fuzz harness, long: corrupted exports of every category against json.loads.

    ``nox -s fuzz`` runs 3,000 cases per category (seed 0); pass options through, e.g.
    ``nox -s fuzz -- --cases 500 --seed 7`` or ``-- --category truncate``. The suite runs a bounded version
    (``tests/reader/test_fuzz.py``). Exits non-zero and lists the failures if any rule is broken.
    """
    session.install("-e", ".[test]")
    session.run("python", "-m", "tests.reader.fuzz", *(session.posargs or ["--cases", "3000", "--seed", "0"]))


#: The commands documented in benchmarks/RESULTS.md, by the name ``nox -s bench -- NAME`` takes.
BENCHMARKS: dict[str, list[list[str]]] = {
    "transport": [["bench_transport.py", "--requests", "5000", "--concurrency", "64", "--rounds", "7"]],
    "emulator": [["bench_emulator.py", "--size-mb", "1024", "--runs", "3"]],
    "reader": [
        ["bench_reader.py", "--sizes", "100", "--repeat", "3"],
        ["bench_reader.py", "--sizes", "1000", "--repeat", "1"],  # json.load of 1 GB needs ~8.4 GB of RAM
    ],
    "pagination": [
        ["bench_pagination.py", "--labels", "10000", "--rows", "50000", "--latency", "0.03", "0.1", "--runs", "3"],
    ],
    "export": [["bench_export.py", "--size-mb", "300", "--repeats", "3"]],
    "project-setup": [["bench_project_setup.py", "--schemas", "40", "--latency", "0.05", "--runs", "3"]],
    "batches": [["bench_batches.py", "--batches", "200", "--rows", "1000", "--latency", "0.02", "--runs", "3"]],
    "cluster": [["bench_cluster.py", "--size-mb", "30", "--repeats", "3"]],
    "ingest": [
        [
            "bench_ingest.py",
            "--rows",
            "100000",
            "--files",
            "2000",
            "--runs",
            "3",
            "--wide",
            "64",
            "--memory",
            "10000,50000,100000,200000",
        ]
    ],
    "model-runs": [
        ["bench_model_runs.py", "--rows", "5000", "--latency", "0.05", "--task-seconds", "2", "--runs", "3"]
    ],
    # Before/after a refactoring, alternated: transport, reader and export on a base commit and on this tree (here
    # main just before the resource-layout work; name the commit before yours to check a refactoring of your own).
    "layout": [["bench_layout.py", "--base", "20090b3", "--rounds", "2"]],
    "imports": [["bench_imports.py", "--annotations", "100000", "--rows", "20000", "--latency", "0.05", "--runs", "2"]],
    "destinations": [
        ["bench_parquet.py", "--size-mb", "200", "--repeats", "3"],
        ["bench_parquet.py", "--size-mb", "1024", "--repeats", "1"],  # the SDK script holds the whole export
    ],
    "catalog": [["bench_catalog.py", "--rows", "5000", "--latency", "0.05", "--runs", "3"]],
    "slices": [["bench_slices.py", "--rows", "20000", "--latency", "0.05", "--task-seconds", "1", "--runs", "3"]],
    "upload-stream": [["bench_upload_stream.py", "--mb", "48", "--runs", "3"]],
}


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmarks and rewrite their figures in benchmarks/RESULTS.md.

    Each benchmark runs with the command its RESULTS.md section documents, plus ``--markdown``; its output is passed
    through as it comes, and the blocks it printed replace the text between the matching
    ``<!-- results:NAME -->`` markers (the analysis around them is left alone). A benchmark that fails leaves its
    section as it was.

    The full set takes a long time (tens of minutes: the 1 GB reader and export cases). Name the ones to run:

        nox -s bench -- transport reader   # or any name of BENCHMARKS below
    """
    unknown = sorted(set(session.posargs) - BENCHMARKS.keys())
    if unknown:
        session.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    session.install("-e", ".[bench,sdk,formats,dask,ray]")
    for name in session.posargs or list(BENCHMARKS):
        for script, *args in BENCHMARKS[name]:
            # _results.py runs the benchmark, captures its stdout and rewrites the blocks it printed.
            session.run("python", "benchmarks/_results.py", "--", "python", f"benchmarks/{script}", *args, "--markdown")


@nox.session
def demo(session: nox.Session) -> None:
    """The README's demo: an embedded emulator, a filtered listing and a streaming export."""
    session.install("-e", ".")
    session.run("alabelbox", "demo", *session.posargs)
