"""Legacy (v1) label exports: ``exportLabels`` polled until ``shouldPoll`` is false, then one JSON file.

State: the exports by filter, reused for 30 minutes as the API does; each is written by a thread.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from .._data import K_LEGACY, JSONDict
from .._ids import iso_ms, parse_time
from ._base import Info, Resolver, Resource, not_found

LEGACY_REUSE_SECONDS = 30 * 60

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
        p = self.backend.projects.find(data.get("projectId"))
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

    def _start(self, p: int, filters: JSONDict, now: float) -> LegacyExport:
        backend = self.backend
        self._counter += 1
        xid = self.world.ids.encode(K_LEGACY, p, self._counter)
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

        def run() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(path, "wb", buffering=1 << 20) as fh:
                    fh.write(b"[")
                    first = True
                    for i in backend.labels.all_label_indices(p):
                        if backend.stop.is_set():
                            return
                        meta = self.world.label_meta(p, i)
                        if (c_lo is not None and meta.created_at < c_lo) or (
                            c_hi is not None and meta.created_at > c_hi
                        ):
                            continue
                        if (a_lo is not None and meta.updated_at < a_lo) or (
                            a_hi is not None and meta.updated_at > a_hi
                        ):
                            continue
                        row = self.world.legacy_row(p, i, backend.api_url)
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
