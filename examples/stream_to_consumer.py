"""Stream a project's export into a consumer as the rows arrive: no file, flat memory.

    python examples/stream_to_consumer.py PROJECT_ID

Typed rows (``alabelbox.types.ExportRow``) are handed through a small bounded channel to a consumer task, which
stands for whatever you feed (a database, a queue, a training pipeline); it sees the first row as soon as the first
shard's bytes arrive. When the consumer is slower than the download, the channel fills and the stream waits for it,
so memory stays bounded whatever the export's size. The key and endpoint come from LABELBOX_API_KEY and
LABELBOX_ENDPOINT.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter

import anyio
from anyio.abc import ObjectReceiveStream

import alabelbox
from alabelbox.types import ExportRow, LabelAnnotations


async def consume(rows: ObjectReceiveStream[ExportRow], counts: Counter[str]) -> None:
    """The consumer: here it counts each data row's annotations by kind."""
    async with rows:
        async for row in rows:
            counts["data rows"] += 1
            # Every field of a record is Lenient: a shape alabelbox does not know yet is kept as an Unrecognized
            # (and listed by alabelbox.types.drift(row)), so narrow with isinstance before using it.
            projects = row.projects if isinstance(row.projects, dict) else {}
            for project in projects.values():
                labels = project.labels if isinstance(project.labels, list) else []
                for label in labels:
                    counts["labels"] += 1
                    annotations = label.annotations
                    if isinstance(annotations, LabelAnnotations):
                        if isinstance(annotations.objects, list):
                            counts["objects"] += len(annotations.objects)
                        if isinstance(annotations.classifications, list):
                            counts["classifications"] += len(annotations.classifications)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project_id")
    args = parser.parse_args()

    counts: Counter[str] = Counter()
    async with alabelbox.Client() as client:
        task = await client.exports.create(project_id=args.project_id, params={"label_details": True})
        task = await client.exports.wait(task, wait_timeout=3600)
        send, receive = anyio.create_memory_object_stream[ExportRow](max_buffer_size=100)
        async with anyio.create_task_group() as tg:
            tg.start_soon(consume, receive, counts)
            async with send, client.exports.stream(task, concurrency=4) as records:
                async for record in records:
                    await send.send(record.value)  # waits while the consumer is 100 rows behind
    print(", ".join(f"{n} {what}" for what, n in counts.items()))


if __name__ == "__main__":
    asyncio.run(main())
