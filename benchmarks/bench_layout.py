"""Before/after a refactoring: the transport, reader and export benchmarks on a base commit and on this tree.

The base commit's files are exported (``git archive``) to a temporary directory; each benchmark then runs as a
subprocess from each tree, with that tree first on ``PYTHONPATH`` (so it runs its own scripts on its own code),
alternating which tree goes first from one round to the next, so a machine whose load drifts charges both alike.
The key figures are parsed from each run's output and their medians compared: a ratio new/old near 1.0 is no
change (higher is better for throughput, lower for CPU and time).

With ``--markdown`` the table is printed again as the ``layout`` block of RESULTS.md (see ``_results.py``).

Usage::

    python benchmarks/bench_layout.py --base 20090b3 --rounds 2   # main just before the resource-layout work
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import _results

ROOT = Path(__file__).resolve().parents[1]

#: name -> (script and arguments, parser of its output into {figure: value}, figures where lower is better)
Parser = Callable[[str], dict[str, float]]


def parse_transport(out: str) -> dict[str, float]:
    """``alabelbox Client : N req/s  C us CPU/req`` and the overhead ratios."""
    figures: dict[str, float] = {}
    if match := re.search(r"alabelbox Client\s*:\s*([\d.]+) req/s\s+([\d.]+) us CPU/req", out):
        figures["transport: client req/s"] = float(match.group(1))
        figures["transport: client us CPU/req"] = float(match.group(2))
    if match := re.search(r"overhead ratio\s*:\s*([\d.]+)x wall, ([\d.]+)x CPU", out):
        figures["transport: CPU vs bare aiohttp"] = float(match.group(2))
    return figures


def parse_reader(out: str) -> dict[str, float]:
    """``  100 MB <case>: {'mbps': ...}`` of the reader's own cases."""
    figures: dict[str, float] = {}
    for match in re.finditer(r"^\s+\d+ MB (reader_\w+): (\{.*\})$", out, re.MULTILINE):
        figures[f"reader: {match.group(1)} MB/s"] = float(ast.literal_eval(match.group(2))["mbps"])
    return figures


def parse_export(out: str) -> dict[str, float]:
    """The streamed consumers' totals (``run N <kind> k=K: {...}``) and the end-to-end waits, in seconds.

    The SDK's figure is the same code on both trees: it shows how much the machine's load moved between them.
    """
    runs: dict[str, list[float]] = {}
    for match in re.finditer(r"run \d+\s+(\S+) k=(\d+): (\{.*\})$", out, re.MULTILINE):
        kind, k, data = match.group(1), match.group(2), json.loads(match.group(3))
        if isinstance(data, dict) and isinstance(data.get("total"), int | float):
            runs.setdefault(f"export: {kind} k={k} total s", []).append(float(data["total"]))
    for match in re.finditer(r"^\| (\S+-e2e) \| ([\d.]+) s \|", out, re.MULTILINE):
        runs.setdefault(f"export: {match.group(1)} create to last s", []).append(float(match.group(2)))
    figures = {name: statistics.median(values) for name, values in runs.items()}
    sdk = figures.get("export: sdk k=1 total s")
    for name, total in list(figures.items()):
        if sdk and total and name.endswith(" total s") and "sdk" not in name:
            # The SDK's time over ours, in the same run: what the machine's load does not move.
            figures[name.replace(" total s", " speed vs SDK")] = sdk / total
    return figures


BENCHMARKS: dict[str, tuple[list[str], Parser]] = {
    "transport": (
        ["bench_transport.py", "--requests", "2000", "--concurrency", "64", "--rounds", "3"],
        parse_transport,
    ),
    "reader": (["bench_reader.py", "--sizes", "100", "--repeat", "3"], parse_reader),
    "export": (
        ["bench_export.py", "--size-mb", "100", "--repeats", "1", "--profiles", "raw", "--e2e-profiles"],
        parse_export,
    ),
}


def lower_is_better(figure: str) -> bool:
    """CPU, time and ratios to a baseline: lower is better; throughput: higher."""
    return figure.endswith((" s", "CPU/req", "CPU vs bare aiohttp"))


def run(tree: Path, args: list[str]) -> str:
    """One benchmark run from ``tree`` on ``tree``'s code; its stdout and stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), os.environ.get("PYTHONPATH", "")]).rstrip(":")}
    done = subprocess.run(
        [sys.executable, f"benchmarks/{args[0]}", *args[1:]],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed in {tree}:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def table(old: dict[str, list[float]], new: dict[str, list[float]]) -> str:
    """Medians side by side, with after/before and whether that is better, worse or the same (within 5 %)."""
    rows = []
    for figure in sorted(set(old) & set(new)):
        before, after = statistics.median(old[figure]), statistics.median(new[figure])
        value = after / before if before else float("nan")
        better = value < 1 if lower_is_better(figure) else value > 1
        verdict = "same" if abs(value - 1) <= 0.05 else "better" if better else "**worse**"
        rows.append([figure, f"{before:,.2f}", f"{after:,.2f}", _results.ratio(value), verdict])
    return _results.table(["figure", "before (median)", "after (median)", "after / before", ""], rows, "lrrrl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--base", default="main", help="the commit to compare with (default: main)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each benchmark on each tree")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), default=sorted(BENCHMARKS))
    parser.add_argument("--markdown", action="store_true", help="also print the table as RESULTS.md's block")
    args = parser.parse_args()
    old: dict[str, list[float]] = {}
    new: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        for name in args.only:
            command, parse = BENCHMARKS[name]
            for round_ in range(args.rounds):
                order = [(base, old), (ROOT, new)] if round_ % 2 == 0 else [(ROOT, new), (base, old)]
                for tree, into in order:
                    figures = parse(run(tree, command))
                    label = "before" if tree is base else "after"
                    print(f"{name} round {round_ + 1} {label}: {figures}", flush=True)
                    for figure, value in figures.items():
                        into.setdefault(figure, []).append(value)
    text = table(old, new)
    print(f"\nbase {args.base}, {args.rounds} rounds, alternating\n{text}")
    if args.markdown:
        print()
        print(_results.block("layout", f"Base `{args.base}`, {args.rounds} rounds of each, alternating.\n\n{text}"))


if __name__ == "__main__":
    main()
