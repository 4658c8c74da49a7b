"""Benchmark the incremental export reader against the per-line baselines.

Generates Labelbox-style exports (NDJSON and a JSON array) in a temp dir, derived from the real sample rows plus
varied annotation kinds, then runs every case in its own subprocess so peak RSS is per case. Prints a Markdown table
with MB/s, records/s, peak RSS, worst event-loop stall (reader cases, heartbeat task on the same loop) and the goal
ratios. With ``--markdown`` the figures of each size are printed again as the ``reader-<size>`` block of RESULTS.md
(see ``_results.py``).

Usage:
    python benchmarks/bench_reader.py --sizes 100 --repeat 3
    python benchmarks/bench_reader.py --sizes 1000 --repeat 1
    python benchmarks/bench_reader.py --sizes 20 --repeat 1          # quick
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import _results

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "reader" / "samples" / "export-v2-project-roof-wear.ndjson"
CHUNK = 256 * 1024

# -- data generation -----------------------------------------------------------------------------------------------

_ALPHA = "abcdefghijklmnopqrstuvwxyz0123456789"


def _cuid(rng: random.Random) -> str:
    return "cl" + "".join(rng.choices(_ALPHA, k=23))


def _answer(rng: random.Random, depth: int) -> dict[str, Any]:
    return {
        "feature_id": _cuid(rng),
        "feature_schema_id": _cuid(rng),
        "name": rng.choice(["yes", "no", "maybe"]),
        "value": rng.choice(["yes", "no", "maybe"]),
        "classifications": [_classification(rng, depth + 1)] if depth < 2 and rng.random() < 0.3 else [],
    }


def _classification(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    base: dict[str, Any] = {
        "feature_id": _cuid(rng),
        "feature_schema_id": _cuid(rng),
        "name": "quality",
        "value": "quality",
    }
    kind = rng.random()
    if kind < 0.6:
        base["radio_answer"] = _answer(rng, depth)
    elif kind < 0.85:
        base["checklist_answers"] = [_answer(rng, depth) for _ in range(rng.randint(1, 3))]
    else:
        base["text_answer"] = {"content": rng.choice(["ok", "屋根の摩耗 🏠", "needs review"])}
    return base


def _xy(rng: random.Random) -> dict[str, Any]:
    return {"x": round(rng.uniform(0, 2000), 3), "y": round(rng.uniform(0, 2000), 3)}


def _object(rng: random.Random) -> dict[str, Any]:
    base: dict[str, Any] = {"feature_id": _cuid(rng), "feature_schema_id": _cuid(rng)}
    kind = rng.choice(
        ["ImageBoundingBox"] * 4
        + ["ImagePolygon", "ImagePoint", "ImagePolyline", "ImageSegmentationMask", "SomethingNew"]
    )
    base.update(name=kind.lower(), value=kind.lower(), annotation_kind=kind, classifications=[])
    if kind == "ImageBoundingBox":
        base["bounding_box"] = {"top": rng.randint(0, 900), "left": rng.randint(0, 900), "height": 120.5, "width": 88}
        if rng.random() < 0.3:
            base["classifications"] = [_classification(rng)]
    elif kind == "ImagePolygon":
        base["polygon"] = [_xy(rng) for _ in range(rng.randint(3, 20))]
    elif kind == "ImagePoint":
        base["point"] = _xy(rng)
    elif kind == "ImagePolyline":
        base["line"] = [_xy(rng) for _ in range(rng.randint(2, 8))]
    elif kind == "ImageSegmentationMask":
        base["mask"] = {"url": "https://api.labelbox.com/api/v1/projects/x/annotations/" + _cuid(rng) + "/index/1/mask"}
    else:
        base["hologram"] = {"edge": 3, "faces": [1, 2, 3]}
    return base


def _row(rng: random.Random, template: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = json.loads(json.dumps(template))
    row["data_row"]["id"] = _cuid(rng)
    row["data_row"]["global_key"] = _cuid(rng) + "_vexcel"
    for project in row["projects"].values():
        for label in project["labels"]:
            label["id"] = _cuid(rng)
            label["label_details"] = {
                "created_at": "2024-02-19T19:45:24.000+00:00",
                "updated_at": "2024-02-19T19:45:24.000+00:00",
                "created_by": "labeler@example.com",
                "content_last_updated_at": "2024-02-19T19:45:24.000+00:00",
                "reviews": [],
            }
            label["performance_details"] = {"seconds_to_create": round(rng.uniform(1, 90), 3), "skipped": False}
            ann = label["annotations"]
            ann["objects"] = [_object(rng) for _ in range(rng.choice([0, 1, 2, 3, 5, 8]))]
            ann["classifications"] += [_classification(rng) for _ in range(rng.randint(0, 2))]
        project["project_details"] = {
            "batch_id": _cuid(rng),
            "batch_name": "batch-1",
            "priority": 5,
            "consensus_expected_label_count": 1,
            "workflow_history": [
                {
                    "action": "Approve",
                    "created_at": "2024-02-20T10:00:00.000+00:00",
                    "created_by": "r@example.com",
                    "previous_task_name": "Review",
                    "next_task_name": "Done",
                }
            ],
            "workflow_status": "DONE",
        }
    return row


def generate(directory: Path, megabytes: int) -> tuple[Path, Path]:
    """Write ``export-<n>MB.ndjson`` and ``export-<n>MB.json`` (a JSON array of the same rows)."""
    ndjson = directory / f"export-{megabytes}MB.ndjson"
    array = directory / f"export-{megabytes}MB.json"
    if ndjson.exists() and array.exists():
        return ndjson, array
    templates = [json.loads(line) for line in SAMPLE.read_bytes().splitlines()]
    rng = random.Random(megabytes)
    target = megabytes * 1_000_000
    pool = [json.dumps(_row(rng, rng.choice(templates)), ensure_ascii=False).encode() for _ in range(4000)]
    written = 0
    with ndjson.open("wb") as nd, array.open("wb") as arr:
        arr.write(b"[\n")
        first = True
        while written < target:
            line = pool[rng.randrange(len(pool))]
            # Fresh ids per row so nothing is a repeat of a cached string.
            line = line.replace(b'"id": "cl', b'"id": "c' + rng.choice(_ALPHA).encode(), 1)
            nd.write(line + b"\n")
            arr.write((b"" if first else b",\n") + line)
            first = False
            written += len(line) + 1
        arr.write(b"\n]\n")
    return ndjson, array


# -- cases (each runs in a fresh subprocess) -----------------------------------------------------------------------


async def _file_chunks(path: str) -> AsyncIterator[bytes]:
    # A plain file read in 256 KiB chunks (page cache): the same bytes the per-line baselines see, no thread hop.
    with open(path, "rb") as f:  # noqa: ASYNC230 - measuring parse cost, not file I/O
        while chunk := f.read(CHUNK):
            yield chunk


async def _with_heartbeat(body: Callable[[], Any]) -> tuple[int, float]:
    worst = 0.0
    stop = False

    async def heartbeat() -> None:
        nonlocal worst
        while not stop:
            t = time.perf_counter()
            await asyncio.sleep(0.001)
            worst = max(worst, time.perf_counter() - t - 0.001)

    task = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.01)
    n = await body()
    stop = True
    await task
    return n, worst


def _read_annotations(row: Any) -> None:
    """Read every label's annotations (they are validated on first access): the cost of a consumer that needs them."""
    for project in (row.projects or {}).values():
        for label in project.labels or []:
            assert label.annotations is not None


def run_case(case: str, path: str) -> dict[str, Any]:
    from alabelbox._streaming import read_records
    from alabelbox.types import ExportRow

    stall: float | None = None
    t0 = time.perf_counter()
    n = 0
    if case.startswith("reader"):
        model = None if case == "reader_dict" else ExportRow
        fmt = "json" if "array" in case else "ndjson"

        touch = case == "reader_typed_annotations"

        async def body() -> int:
            count = 0
            async with read_records(_file_chunks(path), model, format=fmt) as reader:  # type: ignore[call-overload]
                async for record in reader:
                    if touch:
                        _read_annotations(record[0])
                    count += 1
            return count

        n, stall = asyncio.run(_with_heartbeat(body))
    elif case == "pydantic_per_line":
        validate = ExportRow.model_validate_json
        with open(path, "rb") as f:
            for line in f:
                validate(line)
                n += 1
    elif case == "json_loads_per_line":
        with open(path, "rb") as f:
            for line in f:
                json.loads(line)
                n += 1
    elif case == "orjson_per_line":
        import orjson

        with open(path, "rb") as f:
            for line in f:
                orjson.loads(line)
                n += 1
    elif case == "msgspec_per_line":
        decoder = _msgspec_decoder()
        with open(path, "rb") as f:
            for line in f:
                decoder.decode(line)
                n += 1
    elif case == "json_load_whole":
        with open(path, "rb") as f:
            n = len(json.load(f))
    else:
        raise SystemExit(f"unknown case {case}")
    seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "case": case,
        "seconds": seconds,
        "records": n,
        "rss_mb": rss_mb,
        "stall_ms": None if stall is None else stall * 1000,
    }


try:
    import msgspec
except ImportError:  # pragma: no cover - a bench extra; the msgspec case then fails with a NameError
    pass
else:

    class Answer(msgspec.Struct, omit_defaults=True):
        feature_id: str | None = None
        feature_schema_id: str | None = None
        name: str | None = None
        value: str | None = None
        classifications: list[Classification] | None = None

    class TextAnswer(msgspec.Struct, omit_defaults=True):
        content: str | None = None

    class Classification(msgspec.Struct, omit_defaults=True):
        feature_id: str | None = None
        feature_schema_id: str | None = None
        name: str | None = None
        value: str | None = None
        radio_answer: Answer | None = None
        checklist_answers: list[Answer] | None = None
        text_answer: TextAnswer | None = None

    class Box(msgspec.Struct):
        top: float
        left: float
        height: float
        width: float

    class XY(msgspec.Struct):
        x: float
        y: float

    class Obj(msgspec.Struct, omit_defaults=True):
        annotation_kind: str
        feature_id: str | None = None
        feature_schema_id: str | None = None
        name: str | None = None
        value: str | None = None
        classifications: list[Classification] | None = None
        bounding_box: Box | None = None
        polygon: list[XY] | None = None
        point: XY | None = None
        line: list[XY] | None = None
        mask: dict[str, Any] | None = None

    class Annotations(msgspec.Struct, omit_defaults=True):
        objects: list[Obj] | None = None
        classifications: list[Classification] | None = None
        relationships: list[dict[str, Any]] | None = None

    class LabelDetails(msgspec.Struct, omit_defaults=True):
        created_at: str | None = None
        updated_at: str | None = None
        created_by: str | None = None
        content_last_updated_at: str | None = None
        reviews: list[dict[str, Any]] | None = None

    class Label(msgspec.Struct, omit_defaults=True):
        id: str
        label_kind: str | None = None
        version: str | None = None
        label_details: LabelDetails | None = None
        performance_details: dict[str, Any] | None = None
        annotations: Annotations | None = None

    class WorkflowEntry(msgspec.Struct, omit_defaults=True):
        action: str | None = None
        created_at: str | None = None
        created_by: str | None = None
        previous_task_name: str | None = None
        next_task_name: str | None = None

    class ProjectDetails(msgspec.Struct, omit_defaults=True):
        batch_id: str | None = None
        batch_name: str | None = None
        priority: int | None = None
        consensus_expected_label_count: int | None = None
        workflow_history: list[WorkflowEntry] | None = None
        workflow_status: str | None = None

    class Project(msgspec.Struct, omit_defaults=True):
        name: str | None = None
        labels: list[Label] | None = None
        project_details: ProjectDetails | None = None

    class Details(msgspec.Struct, omit_defaults=True):
        dataset_id: str | None = None
        dataset_name: str | None = None
        created_at: str | None = None
        updated_at: str | None = None
        last_activity_at: str | None = None
        created_by: str | None = None

    class DataRow(msgspec.Struct, omit_defaults=True):
        id: str
        global_key: str | None = None
        external_id: str | None = None
        row_data: str | None = None
        details: Details | None = None

    class Media(msgspec.Struct, omit_defaults=True):
        height: int | None = None
        width: int | None = None
        mime_type: str | None = None
        exif_rotation: str | None = None

    class Row(msgspec.Struct, omit_defaults=True):
        data_row: DataRow
        media_attributes: Media | None = None
        projects: dict[str, Project] | None = None


def _msgspec_decoder() -> Any:
    return msgspec.json.Decoder(Row)


# -- driver --------------------------------------------------------------------------------------------------------

NDJSON_CASES = [
    "reader_typed",
    "reader_typed_annotations",
    "pydantic_per_line",
    "json_loads_per_line",
    "orjson_per_line",
    "msgspec_per_line",
    "reader_dict",
]
ARRAY_CASES = ["reader_typed_array", "json_load_whole"]  # no ijson engine any more (slow, memory unbounded in nesting)


def _subprocess(case: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--case", case, "--file", str(path)], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="export sizes in MB")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; medians are reported")
    parser.add_argument("--dir", type=Path, default=None, help="where to generate (default: a temp dir)")
    parser.add_argument("--skip", nargs="*", default=[], help="cases to skip")
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's blocks")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.file)))
        return
    blocks = []
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for size in args.sizes:
            ndjson, array = generate(Path(tmp), size)
            mb = ndjson.stat().st_size / 1e6
            rows: dict[str, dict[str, Any]] = {}
            for case in NDJSON_CASES + ARRAY_CASES:
                if case in args.skip:
                    continue
                path = ndjson if case in NDJSON_CASES else array
                runs = [_subprocess(case, path) for _ in range(args.repeat)]
                seconds = statistics.median(r["seconds"] for r in runs)
                stalls = [r["stall_ms"] for r in runs if r["stall_ms"] is not None]
                rows[case] = {
                    "mbps": path.stat().st_size / 1e6 / seconds,
                    "rps": runs[0]["records"] / seconds,
                    "rss": statistics.median(r["rss_mb"] for r in runs),
                    "stall": statistics.median(stalls) if stalls else None,
                    "records": runs[0]["records"],
                }
                print(f"  {size} MB {case}: {rows[case]}", file=sys.stderr, flush=True)
            print(
                f"\n### {size} MB ({mb:.0f} MB NDJSON, {rows['reader_typed']['records']} rows), "
                f"medians of {args.repeat}\n"
            )
            print("| case | MB/s | records/s | peak RSS MB | worst loop stall ms |")
            print("|---|---:|---:|---:|---:|")
            for case, r in rows.items():
                stall = "" if r["stall"] is None else f"{r['stall']:.1f}"
                print(f"| {case} | {r['mbps']:.1f} | {r['rps']:,.0f} | {r['rss']:.0f} | {stall} |")

            def ratio(a: str, b: str, rows: dict[str, dict[str, Any]] = rows) -> str:
                return f"{rows[a]['mbps'] / rows[b]['mbps']:.2f}x" if a in rows and b in rows else "n/a"

            print()
            print(
                f"- reader typed / pydantic per line: {ratio('reader_typed', 'pydantic_per_line')} "
                "(goal >= 0.91x, i.e. <= 10 % overhead)"
            )
            print(
                f"- reader typed / json.loads per line: {ratio('reader_typed', 'json_loads_per_line')} "
                "(moonshot >= 1.0x)"
            )
            print(
                f"- reader typed, annotations read / pydantic per line: "
                f"{ratio('reader_typed_annotations', 'pydantic_per_line')} (annotations are validated on access)"
            )
            print(f"- reader dict / orjson per line: {ratio('reader_dict', 'orjson_per_line')} (goal >= 0.9x)")
            arrays = ratio("reader_typed_array", "reader_typed")
            print(f"- reader array / reader NDJSON typed: {arrays} (goal >= 0.9x)")
            print(f"- reader typed / msgspec (typed ceiling): {ratio('reader_typed', 'msgspec_per_line')}")
            sys.stdout.flush()
            blocks.append(markdown(size, args.repeat, rows))
    if args.markdown:
        for text in blocks:
            print()
            print(text)


#: How RESULTS.md names each case.
TITLES = {
    "reader_typed": "reader → ExportRow (NDJSON)",
    "reader_typed_annotations": "reader → ExportRow, every label's annotations read",
    "pydantic_per_line": "pydantic `model_validate_json` per line",
    "json_loads_per_line": "json.loads per line",
    "orjson_per_line": "orjson per line",
    "msgspec_per_line": "msgspec Structs per line (typed ceiling)",
    "reader_dict": "reader, `model=None` (dicts)",
    "reader_typed_array": "reader → ExportRow (JSON array, splitter)",
    "json_load_whole": "`json.load` whole array",
}
STALL_GOAL_MS = 50


def markdown(size: int, repeat: int, rows: dict[str, dict[str, Any]]) -> str:
    """The ``reader-<size>`` block of RESULTS.md: one row per case, then the goal ratios."""
    table = _results.table(
        ["case", "MB/s", "rec/s", "peak RSS", "worst loop stall"],
        [
            [
                TITLES[case],
                f"{r['mbps']:.1f}",
                f"{r['rps']:,.0f}",
                f"{r['rss']:,.0f} MB",
                "" if r["stall"] is None else f"{r['stall']:.0f} ms",
            ]
            for case, r in rows.items()
        ],
    )

    def goal(text: str, a: str, b: str, at_least: float | None) -> str:
        if a not in rows or b not in rows:
            return f"- {text}: not measured"
        value = rows[a]["mbps"] / rows[b]["mbps"]
        if at_least is None:
            return f"- {text}: {_results.ratio(value)}"
        target = f"goal ≥ {at_least}{_results.TIMES}"
        return f"- {text}: {_results.ratio(value)} ({target}): {_results.met(value >= at_least)}"

    stalls = [r["stall"] for r in rows.values() if r["stall"] is not None]
    readers = [r["rss"] for case, r in rows.items() if case.startswith("reader")]
    lines = [
        goal("reader → ExportRow / pydantic per line", "reader_typed", "pydantic_per_line", 0.91),
        goal("dict mode / orjson per line", "reader_dict", "orjson_per_line", 0.9),
        goal("JSON array / NDJSON, typed", "reader_typed_array", "reader_typed", 0.9),
        goal("moonshot, typed / json.loads per line", "reader_typed", "json_loads_per_line", 1.0),
        goal("typed / msgspec (the typed ceiling)", "reader_typed", "msgspec_per_line", None),
    ]
    if stalls:
        worst = max(stalls)
        lines.append(f"- worst event-loop stall: {worst:.0f} ms (goal ≤ {STALL_GOAL_MS} ms): "
                     f"{_results.met(worst <= STALL_GOAL_MS)}")  # fmt: skip
    if readers:
        lines.append(f"- reader peak RSS: {min(readers):.0f}-{max(readers):.0f} MB")
    runs = f"medians of {repeat}" if repeat > 1 else "one run"
    return _results.block(f"reader-{size}", f"**{size:,} MB** ({runs}):\n\n{table}\n\n" + "\n".join(lines))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
