"""``alabelbox projects`` and ``alabelbox labels``: tables for people, ``--json`` for scripts."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from alabelbox._cli._app import Settings, cli, run


def _emit_json(items: list[BaseModel]) -> None:
    for item in items:
        sys.stdout.write(item.model_dump_json(by_alias=False, exclude={"label"}) + "\n")


@cli.command()
@click.option("--name-contains", default=None, help="Only projects whose name contains this.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
@click.pass_obj
def projects(settings: Settings, name_contains: str | None, as_json: bool) -> None:
    """List the projects of the organization."""

    async def main() -> list[Any]:
        async with settings.client() as client:
            return [p async for p in client.projects.list(name_contains=name_contains)]

    found = run(settings, main)
    if as_json:
        _emit_json(found)
        return
    table = Table("id", "name", "media", "data rows", "created", title=f"{len(found)} projects")
    for p in found:
        created = p.created_at.date().isoformat() if p.created_at else ""
        table.add_row(p.id, p.name, str(p.allowed_media_type or ""), str(p.data_row_count or ""), created)
    Console().print(table)


@cli.command()
@click.argument("project_id")
@click.option("--created-by", default=None, help="Only labels created by this user id.")
@click.option("--created-after", default=None, help="Only labels created after this date/time (ISO 8601).")
@click.option("--created-before", default=None, help="Only labels created before this date/time (ISO 8601).")
@click.option("--type", "label_type", type=click.Choice(["Submitted", "Skipped"]), default=None)
@click.option("--agreement-min", type=float, default=None, help="Agreement above this (0..1).")
@click.option("--agreement-max", type=float, default=None, help="Agreement below this (0..1).")
@click.option("--dataset-id", default=None, help="Only labels on data rows of this dataset.")
@click.option("--limit", type=int, default=None, help="Stop after this many labels.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
@click.pass_obj
def labels(
    settings: Settings,
    project_id: str,
    created_by: str | None,
    created_after: str | None,
    created_before: str | None,
    label_type: str | None,
    agreement_min: float | None,
    agreement_max: float | None,
    dataset_id: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List the labels of PROJECT_ID, with the filters of the Labelbox API."""

    async def main() -> list[Any]:
        async with settings.client() as client:
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
            if limit is not None:
                return await listing.get_many(limit)
            return [label async for label in listing]

    found = run(settings, main)
    if as_json:
        for label in found:
            sys.stdout.write(json.dumps(label.model_dump(mode="json", exclude={"label"})) + "\n")
        return
    table = Table("id", "type", "created", "created by", "agreement", "data row", title=f"{len(found)} labels")
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
