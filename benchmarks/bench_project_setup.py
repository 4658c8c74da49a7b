"""Benchmark setting up a project from existing feature schemas: alabelbox vs the official SDK, side by side.

The work, the same for both, against one emulator with a fixed latency per API request (``--latency``):
create ``--schemas`` feature schemas (half tools, half classifications), create an ontology from them (the SDK
retrieves each schema first, and so does alabelbox), create a project and connect the ontology (the default
editor is connected on the way). The SDK does it one request at a time; alabelbox keeps the independent requests
in flight (the creations with ``asyncio.gather`` in the user's code, the retrievals inside
``create_from_feature_schemas``). Wall time per run; medians and the ratio are printed.

    python benchmarks/bench_project_setup.py --schemas 40 --latency 0.05 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import warnings

import _results
import anyio

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import Classification, ClassificationType, MediaType, Option, Tool, ToolType


def definitions(n: int) -> list[Tool | Classification]:
    out: list[Tool | Classification] = []
    for i in range(n):
        if i % 2:
            out.append(Classification(ClassificationType.RADIO, f"q{i}", options=[Option("yes"), Option("no")]))
        else:
            out.append(Tool(ToolType.BBOX, f"box{i}"))
    return out


def sdk_run(emu: Emulator, n: int) -> float:
    import labelbox as lb

    client = lb.Client(api_key=emu.api_key, endpoint=emu.endpoint, app_url=emu.url, rest_endpoint=emu.url + "/api/v1")
    started = time.perf_counter()
    ids = [client.create_feature_schema(d.to_dict()).uid for d in definitions(n)]
    ontology = client.create_ontology_from_feature_schemas("setup", ids, media_type=lb.MediaType.Image)
    project = client.create_project(name="setup", media_type=lb.MediaType.Image)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Connecting default labeling editor for the project."
        project.connect_ontology(ontology)
    return time.perf_counter() - started


async def alabelbox_run(emu: Emulator, n: int) -> float:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        started = time.perf_counter()
        schemas = await asyncio.gather(*(client.feature_schemas.create(d) for d in definitions(n)))
        ontology = await client.ontologies.create_from_feature_schemas(
            "setup", [s.id for s in schemas], media_type=MediaType.IMAGE
        )
        project = await client.projects.create("setup", media_type=MediaType.IMAGE)
        await client.projects.connect_ontology(project.id, ontology.id)
        return time.perf_counter() - started


async def main_async(args: argparse.Namespace) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"alabelbox": [], "sdk": []}
    for run in range(args.runs):
        for case in ("sdk", "alabelbox") if run % 2 else ("alabelbox", "sdk"):
            async with Emulator(seed=run, projects=1, data_rows=1, task_seconds=0.0) as emu:
                emu.faults.latency(args.latency)
                if case == "sdk":
                    seconds = await anyio.to_thread.run_sync(sdk_run, emu, args.schemas)
                else:
                    seconds = await alabelbox_run(emu, args.schemas)
                times[case].append(seconds)
                print(f"run {run + 1} {case}: {seconds:.2f} s", flush=True)
    return times


def markdown(times: dict[str, list[float]], args: argparse.Namespace) -> str:
    ours, theirs = statistics.median(times["alabelbox"]), statistics.median(times["sdk"])

    def runs(xs: list[float]) -> str:
        return " / ".join(f"{x:.2f}" for x in xs)

    table = _results.table(
        ["", "wall (median)", "runs", "vs SDK"],
        [
            ["alabelbox", f"{ours:.2f} s", runs(times["alabelbox"]), _results.ratio(theirs / ours, 1)],
            ["official SDK 7.17", f"{theirs:.2f} s", runs(times["sdk"]), ""],
        ],
    )
    title = (
        f"**{args.schemas} feature schemas, an ontology of them, a project connected to it; "
        f"{args.latency * 1000:.0f} ms per request** (medians of {args.runs})."
    )
    return _results.block("project-setup", f"{title}\n\n{table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schemas", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every API request")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    args = parser.parse_args()
    times = asyncio.run(main_async(args))
    ours, theirs = statistics.median(times["alabelbox"]), statistics.median(times["sdk"])
    print(f"alabelbox {ours:.2f} s, SDK {theirs:.2f} s: {theirs / ours:.1f}x faster")
    if args.markdown:
        print(markdown(times, args))


if __name__ == "__main__":
    main()
