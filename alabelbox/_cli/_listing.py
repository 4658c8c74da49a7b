"""``alabelbox projects`` and ``alabelbox labels``: tables for people, ``--json`` for scripts.

``--json`` is one convention for every command: one JSON object per line (snake_case keys, UTF-8, not
ASCII-escaped), written and flushed as each item arrives, so a pipe sees the first rows before the listing ends
and Ctrl-C keeps what was printed. Tables never shorten an id: it must be copyable into the next command.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from typing import Any

import click
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from alabelbox._cli._app import CliError, Settings, cli, run, shared_options
from alabelbox._cli._dates import DATE, CliDate
from alabelbox._client import Client

LABEL_FLAGS = {
    "project_id": "PROJECT_ID",
    "created_by": "--created-by",
    "created_after": "--created-after",
    "created_before": "--created-before",
    "type": "--type",
    "agreement_min": "--agreement-min",
    "agreement_max": "--agreement-max",
    "dataset_id": "--dataset-id",
    "n": "--limit",
    "name_contains": "--name-contains",
}


def emit_json(item: BaseModel) -> None:
    """One item as one line of JSON on stdout, flushed at once."""
    line = item.model_dump_json(by_alias=False, exclude={"label"}) + "\n"
    sys.stdout.buffer.write(line.encode("utf-8"))
    sys.stdout.buffer.flush()


def id_table(title: str, id_values: Sequence[str], *columns: str) -> Table:
    """A table whose first column, ``id``, is never wrapped or cut (other columns shrink instead)."""
    table = Table(title=title)
    width = max((len(i) for i in id_values), default=2)
    table.add_column("id", no_wrap=True, min_width=width, overflow="ignore")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


async def _collect(
    items: AsyncIterator[Any], as_json: bool, found: list[Any], printed: list[int] | None = None
) -> None:
    async for item in items:
        if as_json:
            emit_json(item)
            if printed is not None:
                printed[0] += 1
        else:
            found.append(item)


@cli.command()
@click.option("--name-contains", default=None, help="Only projects whose name contains this.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, as they arrive, not a table.")
@shared_options
@click.pass_obj
def projects(settings: Settings, name_contains: str | None, as_json: bool) -> None:
    """List the projects of the organization."""
    found: list[Any] = []

    async def main() -> None:
        async with settings.client() as client:
            await _collect(aiter(client.projects.list(name_contains=name_contains)), as_json, found)

    run(settings, main, flags=LABEL_FLAGS)
    if as_json:
        return
    table = id_table(f"{len(found)} projects", [p.id for p in found], "name", "media", "data rows", "created")
    for p in found:
        created = p.created_at.date().isoformat() if p.created_at else ""
        table.add_row(p.id, p.name, str(p.allowed_media_type or ""), str(p.data_row_count or ""), created)
    Console().print(table)


async def _check_filters(client: Client, created_by: str | None, dataset_id: str | None) -> None:
    """Refuse filters that cannot match anything, rather than print a silent ``0 labels``."""
    if created_by is not None and "@" in created_by:
        raise CliError(f"--created-by takes a user id, not an e-mail ({created_by!r}); `alabelbox users` is not "
                       "a command yet: find the id with client.users.list() or in the Labelbox app")  # fmt: skip
    if dataset_id is not None:
        await client.datasets.retrieve(dataset_id)  # ResourceNotFoundError (exit 4) for an unknown id


@cli.command()
@click.argument("project_id")
@click.option("--created-by", default=None, help="Only labels created by this user id.")
@click.option("--created-after", type=DATE, default=None, help="Only labels created after this date.")
@click.option("--created-before", type=DATE, default=None, help="Only labels created before this date.")
@click.option("--type", "label_type", type=click.Choice(["Submitted", "Skipped"]), default=None)
@click.option("--agreement-min", type=click.FloatRange(0, 1), default=None, help="Agreement above this (0..1).")
@click.option("--agreement-max", type=click.FloatRange(0, 1), default=None, help="Agreement below this (0..1).")
@click.option("--dataset-id", default=None, help="Only labels on data rows of this dataset.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Stop after this many labels.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, as they arrive, not a table.")
@shared_options
@click.pass_obj
def labels(
    settings: Settings,
    project_id: str,
    created_by: str | None,
    created_after: CliDate | None,
    created_before: CliDate | None,
    label_type: str | None,
    agreement_min: float | None,
    agreement_max: float | None,
    dataset_id: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List the labels of PROJECT_ID, with the filters of the Labelbox API.

    Dates are YYYY-MM-DD, 'YYYY-MM-DD hh:mm:ss' (UTC) or ISO 8601 with Z or an offset.
    """
    found: list[Any] = []

    async def main() -> None:
        async with settings.client() as client:
            await _check_filters(client, created_by, dataset_id)
            listing = client.labels.list(
                project_id,
                created_by=created_by,
                created_after=created_after,
                created_before=created_before,
                type=label_type,
                agreement_min=agreement_min,
                agreement_max=agreement_max,
                dataset_id=dataset_id,
            )

            async def limited() -> AsyncIterator[Any]:
                count = 0
                async with listing.iter_pages(max_items=limit) as pages:
                    async for page in pages:
                        for label in page.items[: None if limit is None else limit - count]:
                            yield label
                            count += 1

            await _collect(limited(), as_json, found, printed)

    printed = [0]

    def interrupted() -> str:
        if as_json:
            return f"the {printed[0]:,} labels printed so far are complete lines; nothing else was kept"
        return "nothing was printed (the table is drawn at the end; --json prints labels as they arrive)"

    run(settings, main, on_interrupt=interrupted, flags=LABEL_FLAGS)
    if as_json:
        return
    table = id_table(
        f"{len(found)} labels", [label.id for label in found], "type", "created", "created by", "agreement", "data row"
    )
    for label in found:
        table.add_row(
            label.id,
            str(label.type.name if label.type else ""),
            label.created_at.strftime("%Y-%m-%d %H:%M") if label.created_at else "",
            str(label.created_by.email if label.created_by else ""),
            "" if label.agreement is None else f"{label.agreement:.2f}",
            str(label.data_row.id if label.data_row else ""),
        )
    Console().print(table)
