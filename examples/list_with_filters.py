"""List a project's labels with the API's filters, several pages in flight, in order.

    python examples/list_with_filters.py PROJECT_ID [--type Submitted] [--agreement-min 0.8]
                                         [--created-after 2024-01-01] [--limit 20]

Filters are checked before anything is sent: a bad one raises ``alabelbox.InvalidArgumentError`` naming it. The key
and endpoint come from LABELBOX_API_KEY and LABELBOX_ENDPOINT.
"""

from __future__ import annotations

import argparse
import asyncio

import alabelbox


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project_id")
    parser.add_argument("--type", help="Any, Submitted, Skipped, ...")
    parser.add_argument("--agreement-min", type=float)
    parser.add_argument("--created-after", help="a date: 2024-01-01 or 2024-01-01T00:00:00Z")
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()

    async with alabelbox.Client() as client:
        project = await client.projects.retrieve(args.project_id)
        print(f"project {project.name} ({project.id})")
        labels = client.labels.list(
            args.project_id, type=args.type, agreement_min=args.agreement_min, created_after=args.created_after
        )
        shown = 0
        async for label in labels:
            author = label.created_by.email if label.created_by else "-"
            print(label.id, label.agreement, author)
            shown += 1
            if shown == args.limit:
                break
        print(f"{shown} labels shown")


if __name__ == "__main__":
    asyncio.run(main())
