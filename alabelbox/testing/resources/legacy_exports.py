"""Legacy (v1) label exports: ``exportLabels`` polled until ``shouldPoll`` is false, then one JSON file.

One element per live label of the project (seeded or created): a seeded project's own labels, then the labels
imports made on any row the project holds (its seeded rows, and the rows, seeded or created, its created batches
added), as the export v2 lines carry them. A row's written global key and metadata replace its generated ones.

State: the exports by filter, reused for 30 minutes as the API does; each is written by a thread.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._data import K_LEGACY, JSONDict
from .._exports import patch_legacy_row
from .._ids import iso_ms, parse_time
from ._base import Info, Resolver, Resource, not_found

LEGACY_REUSE_SECONDS = 30 * 60
CREATED = 36**3 - 1
"""The id ``parent`` of the exports of created projects (a seeded project's exports have its index)."""

SDL = """
input DateRange { start: String end: String }
input ExportLabelsFilters { labelCreatedAt: DateRange lastActivityAt: DateRange }
input ExportLabelsInput { projectId: ID! filters: ExportLabelsFilters }
type LegacyExport { downloadUrl: String createdAt: String shouldPoll: Boolean! }

extend type Mutation { exportLabels(data: ExportLabelsInput!): LegacyExport! }
"""


@dataclass
class LegacyExport:
    id: str
    created_at: float
    ready_at: float
    key: str
    url: str
    done: threading.Event


class LegacyExports(Resource):
    """``exportLabels`` and its files."""

    SDL = SDL

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.exports: dict[str, LegacyExport] = {}
        self._counter = 0

    def root(self) -> dict[str, Resolver]:
        return {"exportLabels": self.export_labels}

    def export_labels(self, info: Info, data: JSONDict) -> JSONDict:
        """``exportLabels``: start (or reuse) the export of a project's labels."""
        p = self.backend.projects.find_key(data.get("projectId"))
        if p is None:
            raise not_found("project", data.get("projectId"))
        filters = data.get("filters") or {}
        cache_key = json.dumps([p, filters], sort_keys=True)
        now = self.backend.clock.now()
        export = self.exports.get(cache_key)
        if export is None or now - export.created_at >= LEGACY_REUSE_SECONDS:
            export = self._start(p, filters, now)
            self.exports[cache_key] = export
        ready = export.done.is_set() and now >= export.ready_at
        return {
            "downloadUrl": export.url if ready else None,
            "createdAt": iso_ms(export.created_at),
            "shouldPoll": not ready,
        }

    def imported_rows(self, key: int | str, keep: Callable[[float], bool]) -> list[JSONDict]:
        """The legacy elements of the labels imports made in project ``key`` whose time ``keep`` passes."""
        backend = self.backend
        rows, imports, w = backend.data_rows, backend.imports, self.world
        project = backend.projects.table.get(key)
        out: list[JSONDict] = []
        for label in imports.project_labels(key):
            if not keep(label.created_at):
                continue
            ref = label.row
            if isinstance(ref, str):
                r = rows.record(ref)
                dataset = backend.datasets.table.get(r["_dataset"])["name"]
                media, row_data, external = r["mediaAttributes"] or {}, r["rowData"], r["externalId"]
            else:
                dataset, media = w.dataset_name(ref[0]), w.media_attributes(*ref)
                row_data, external = w.row_data(*ref), w.external_id(*ref)
            current = rows.current(ref)
            stamp = iso_ms(label.created_at)
            out.append(
                {
                    "ID": label.id,
                    "DataRow ID": label.row_id,
                    "DataRow Metadata": [
                        {"schemaId": m["schemaId"], "value": m["value"]} for m in current["metadataFields"]
                    ],
                    "Media Attributes": media,
                    "Labeled Data": row_data,
                    "Label": imports.legacy_label(label),
                    "Created By": w.email(0),
                    "Project Name": project["name"],
                    "Created At": stamp,
                    "Updated At": stamp,
                    "Seconds to Label": 0.0,
                    "External ID": external,
                    "Global Key": current["globalKey"],
                    "Agreement": -1,
                    "Benchmark Agreement": -1,
                    "Benchmark ID": None,
                    "Dataset Name": dataset,
                    "Reviews": [],
                    "View Label": f"https://editor.labelbox.com?project={project['id']}&label={label.id}",
                    "Has Open Issues": 0,
                    "Skipped": False,
                    "Data Split": None,
                }
            )
        return out

    def _start(self, p: int | str, filters: JSONDict, now: float) -> LegacyExport:
        backend = self.backend
        self._counter += 1
        xid = self.world.ids.encode(K_LEGACY, p if isinstance(p, int) else CREATED, self._counter)
        key = f"legacy/{xid}.json"
        path = backend.workdir / "legacy" / f"{xid}.json"
        export = LegacyExport(
            id=xid,
            created_at=now,
            ready_at=now + backend.settings.task_seconds,
            key=key,
            # The URL must stay the same for 30 minutes, so it is signed once, for longer.
            url=backend.signer.sign(key, LEGACY_REUSE_SECONDS + 7 * 86_400.0),
            done=threading.Event(),
        )
        created = filters.get("labelCreatedAt") or {}
        activity = filters.get("lastActivityAt") or {}

        def bounds(r: JSONDict) -> tuple[float | None, float | None]:
            return (
                parse_time(r["start"]) if r.get("start") else None,
                parse_time(r["end"]) + (86_400 if len(r["end"]) == 10 else 0) if r.get("end") else None,
            )

        c_lo, c_hi = bounds(created)
        a_lo, a_hi = bounds(activity)

        def within(stamp: float) -> bool:
            return all(
                (lo is None or stamp >= lo) and (hi is None or stamp <= hi) for lo, hi in ((c_lo, c_hi), (a_lo, a_hi))
            )

        # Copies made now, so that the thread reads them while writes go on.
        patches = backend.data_rows.export_patches()
        imported = self.imported_rows(p, within)
        sp = p if isinstance(p, int) else -1  # a created project has no seeded labels
        seeded = backend.labels.all_label_indices(sp) if sp >= 0 else iter(())

        def run() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(path, "wb", buffering=1 << 20) as fh:
                    fh.write(b"[")
                    first = True
                    for i in seeded:
                        if backend.stop.is_set():
                            return
                        meta = self.world.label_meta(sp, i)
                        if (c_lo is not None and meta.created_at < c_lo) or (
                            c_hi is not None and meta.created_at > c_hi
                        ):
                            continue
                        if (a_lo is not None and meta.updated_at < a_lo) or (
                            a_hi is not None and meta.updated_at > a_hi
                        ):
                            continue
                        row = self.world.legacy_row(sp, i, backend.api_url)
                        row = patch_legacy_row(row, patches.get(row["DataRow ID"]))
                        fh.write((b"" if first else b", ") + json.dumps(row, ensure_ascii=False).encode())
                        first = False
                    for row in imported:
                        fh.write((b"" if first else b", ") + json.dumps(row, ensure_ascii=False).encode())
                        first = False
                    fh.write(b"]")
                backend.storage.publish(key, path)
            finally:
                export.done.set()

        thread = threading.Thread(target=run, name=f"legacy-{xid}", daemon=True)
        backend.threads.append(thread)
        thread.start()
        return export
