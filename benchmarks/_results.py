"""Markdown for the benchmarks' ``--markdown`` blocks, and the marked blocks of ``RESULTS.md`` they replace.

Every benchmark renders its tables with :func:`table` and wraps them with :func:`block`; ``nox -s bench`` runs each
benchmark through this module, which passes the benchmark's output through as it comes and then replaces, in
``RESULTS.md``, every block the benchmark printed::

    python benchmarks/_results.py -- python benchmarks/bench_transport.py --requests 5000 --markdown

A block is the lines between ``<!-- results:NAME -->`` and ``<!-- /results:NAME -->``; the markers stay, the text
around them (the analysis) is never touched.
"""

from __future__ import annotations

import argparse
import datetime
import re
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
MARKDOWN_FLAG = "--markdown"
#: The hand-written sections write ratios with a multiplication sign; spelled by name for ruff's RUF001.
TIMES = "\N{MULTIPLICATION SIGN}"
_BLOCK = re.compile(r"^<!-- results:(?P<name>[\w.-]+) -->\n(?P<body>.*?)^<!-- /results:(?P=name) -->$", re.M | re.S)


class MarkersError(ValueError):
    """Raised when a text lacks a block's markers, or holds them more than once or out of order."""


def begin(name: str) -> str:
    return f"<!-- results:{name} -->"


def end(name: str) -> str:
    return f"<!-- /results:{name} -->"


def replace_block(text: str, name: str, body: str) -> str:
    """Return ``text`` with the lines between ``name``'s markers replaced by ``body`` (the markers are kept)."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\n") == begin(name)]
    ends = [i for i, line in enumerate(lines) if line.rstrip("\n") == end(name)]
    if len(starts) != 1 or len(ends) != 1:
        raise MarkersError(
            f"expected one {begin(name)!r} line and one {end(name)!r} line, found {len(starts)} and {len(ends)}"
        )
    if ends[0] < starts[0]:
        raise MarkersError(f"{end(name)!r} comes before {begin(name)!r}")
    body = body.strip("\n")
    new = "".join(lines[: starts[0] + 1]) + (body + "\n" if body else "") + "".join(lines[ends[0] :])
    return new


def blocks(output: str) -> dict[str, str]:
    """Every block printed in ``output``, by name (the markers excluded); a name printed twice keeps the last."""
    return {m["name"]: m["body"].strip("\n") for m in _BLOCK.finditer(output)}


def update(path: Path, output: str) -> list[str]:
    """Replace in ``path`` every block printed in ``output``; return their names.

    Raises:
        MarkersError: ``output`` holds no block, or ``path`` lacks the markers of one (then nothing is written).
    """
    found = blocks(output)
    if not found:
        raise MarkersError(f"no {begin('NAME')} ... {end('NAME')} block in the output")
    text = path.read_text(encoding="utf-8")
    for name, body in found.items():
        try:
            text = replace_block(text, name, body)
        except MarkersError as exc:
            raise MarkersError(f"{path}: {exc}") from None
    path.write_text(text, encoding="utf-8")
    return list(found)


# -- rendering -------------------------------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    """A markdown table; ``align`` holds one ``l`` or ``r`` per column (default: the first left, the rest right)."""
    align = align or "l" + "r" * (len(header) - 1)
    if len(align) != len(header) or any(len(row) != len(header) for row in rows):
        raise ValueError("every row and the alignment need one entry per column")
    rule = "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"
    lines = ["|" + "|".join(f" {cell} " if cell else " " for cell in row) + "|" for row in [header, *rows]]
    return "\n".join([lines[0], rule, *lines[1:]])


def command(argv: Sequence[str] | None = None) -> str:
    """The command that ran, as documented in RESULTS.md: ``python benchmarks/<script> <args>``, no ``--markdown``."""
    argv = sys.argv if argv is None else argv
    args = [a for a in argv[1:] if a != MARKDOWN_FLAG]
    return shlex.join(["python", f"benchmarks/{Path(argv[0]).name}", *args])


def block(name: str, body: str, argv: Sequence[str] | None = None, now: datetime.datetime | None = None) -> str:
    """The block a benchmark prints with ``--markdown``: markers, the command, the date (UTC), then ``body``."""
    now = now or datetime.datetime.now(datetime.UTC)
    stamp = now.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{begin(name)}\nCommand (run {stamp}):\n\n    {command(argv)}\n\n{body.strip()}\n{end(name)}"


def ratio(value: float, digits: int = 2) -> str:
    """A ratio as the hand-written sections print it: ``1.11`` and a multiplication sign."""
    return f"{value:.{digits}f}{TIMES}"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


# -- the runner nox uses ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=RESULTS, help="the markdown file to update (RESULTS.md)")
    parser.add_argument("command", nargs="+", help="the benchmark command (after --), --markdown included")
    args = parser.parse_args(argv)
    # Pass the benchmark's output through line by line: the long runs report progress as they go.
    lines: list[str] = []
    with subprocess.Popen(args.command, stdout=subprocess.PIPE, text=True, encoding="utf-8") as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
    if proc.returncode:
        print(f"{shlex.join(args.command)} exited with {proc.returncode}; {args.file} left as it was", file=sys.stderr)
        return proc.returncode
    try:
        names = update(args.file, "".join(lines))
    except MarkersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.file}: rewrote {', '.join(names)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
