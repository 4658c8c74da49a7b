"""Export a project's data rows, with their labels, to an NDJSON file.

    python examples/export_to_file.py PROJECT_ID labels.ndjson [--workflow-status Done]

The key and endpoint come from LABELBOX_API_KEY and LABELBOX_ENDPOINT (the endpoint defaults to Labelbox's own), so
this runs against Labelbox or against the emulator (``python -m alabelbox.testing serve``). The file is written
atomically: an interrupted run leaves ``labels.ndjson.part``, and running the same task's download again resumes it.
"""

from __future__ import annotations

import argparse
import asyncio

import alabelbox
from alabelbox.types import DownloadProgress


def show(progress: DownloadProgress) -> None:
    print(f"\r{progress.lines_done}/{progress.total_lines} rows", end="", flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project_id")
    parser.add_argument("output")
    parser.add_argument("--workflow-status", choices=["ToLabel", "InReview", "InRework", "Done"])
    args = parser.parse_args()

    filters = {"workflow_status": args.workflow_status} if args.workflow_status else None
    async with alabelbox.Client() as client:
        task = await client.exports.create(
            project_id=args.project_id,
            filters=filters,
            params={"label_details": True, "project_details": True},
        )
        print(f"export task {task.id} created; waiting for it")
        task = await client.exports.wait(task, wait_timeout=3600)
        progress = await client.exports.download(task, args.output, on_progress=show)
        print(f"\nwrote {progress.lines_done} rows ({progress.bytes_done} bytes) to {args.output}")


if __name__ == "__main__":
    asyncio.run(main())
