"""Send to annotate: what ``sendToAnnotateFromCatalog`` (``data_rows``) and ``sendToAnnotateFromMea``
(``model_runs``) do, in one place.

The rows named by the search query go to the destination project as a new batch named ``batchName`` (rows already
in the project stay where they are; ``excludeDataRowsInProject`` leaves them out altogether), priority
``batchPriority``, in the workflow queue ``destinationTaskQueue`` names (``{"type": "done"}``: Done). A batch holds
at most 100,000 rows: more go in ``<name>_1``, ``<name>_2``... as the API names them.

With ``predictionsInput``, the model run's predictions on each row (what MEA imports and ``add_predictions`` left)
become pre-labels of the project, as a MAL import leaves them. With ``annotationsInput``, the source project's labels
on each row are copied as labels of the project. ``featureSchemaIdsMapping`` maps a source feature schema id to the
project's: when it is given, only the mapped features go (a top-level object or classification whose feature is not
mapped is left out) and every mapped id is replaced, nested classifications and answers too; when it is empty,
annotations go as they are.

A row that already has pre-labels (for predictions) or labels (for annotations) in the project is a conflict:
``KEEP_EXISTING`` keeps what is there and sends nothing for it; ``OVERRIDE_WITH_PREDICTIONS`` replaces the row's
pre-labels with the predictions, ``OVERRIDE_WITH_ANNOTATIONS`` deletes the row's labels and copies the source's (an
override strategy applies to its own source; the other source keeps what exists).

The work is done when the mutation is answered; the task (``send-to-annotate``) reads IN_PROGRESS for
``task_seconds``. Rows that could not be sent (unknown; for a model run, not in it) fail it, each named with why in
its ``result`` (JSON text, where the SDK's ``Task.errors`` reads it); the others are sent all the same. What was sent
is kept in ``model_runs.sent`` (the truth API's ``sent_to_annotate()``).
"""

from __future__ import annotations

import json
from typing import Any

from ._data import JSONDict
from .resources._base import bad_input, not_found
from .resources.batches import DONE, MAX_BATCH_ROWS

STRATEGIES = ("KEEP_EXISTING", "OVERRIDE_WITH_ANNOTATIONS", "OVERRIDE_WITH_PREDICTIONS")
"""``conflictLabelsResolutionStrategy`` values."""
SEARCH_KINDS = {"data_row_id": "ids", "global_key": "keys"}


def search_rows(query: Any, where: str) -> tuple[list[Any], list[Any]]:
    """``(data row ids, global keys)`` a send's search query names: a list of ``{type, operator, ids}`` items
    (``data_row_id`` or ``global_key``, operator ``is``)."""
    if not isinstance(query, list):
        raise bad_input(f"{where} must be a list of data_row_id or global_key queries")
    ids: list[Any] = []
    keys: list[Any] = []
    for n, item in enumerate(query):
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in SEARCH_KINDS or not isinstance(item.get("ids"), list):
            raise bad_input(f"{where}[{n}] must be a data_row_id or global_key query with ids")
        if item.get("operator", "is") != "is":
            raise bad_input(f"{where}[{n}].operator must be 'is', got {item.get('operator')!r}")
        (ids if kind == "data_row_id" else keys).extend(item["ids"])
    if not ids and not keys:
        raise bad_input(f"{where} names no data rows")
    return ids, keys


def remap(annotations: JSONDict, mapping: dict[str, str], *, fresh: bool = False) -> JSONDict:
    """A copy of export-shaped ``annotations`` with the features of ``mapping`` renamed (only those, when it is not
    empty); ``fresh`` annotations (made for the caller) are taken as they are when there is nothing to rename."""
    if fresh and not mapping:
        return annotations
    out: JSONDict = _copy(annotations, mapping)
    if mapping:
        for member in ("objects", "classifications"):
            if isinstance(out.get(member), list):
                out[member] = [a for a in out[member] if isinstance(a, dict) and a.get("_mapped")]
        _unmark(out)
    return out


def _copy(node: Any, mapping: dict[str, str]) -> Any:
    """A copy of JSON ``node`` (one pass, no memo: cheaper than ``copy.deepcopy``), each mapped
    ``feature_schema_id`` renamed and its object marked ``_mapped``."""
    if isinstance(node, dict):
        out = {k: _copy(v, mapping) for k, v in node.items()}
        fsid = out.get("feature_schema_id")
        if mapping and isinstance(fsid, str) and fsid in mapping:
            out["feature_schema_id"] = mapping[fsid]
            out["_mapped"] = True
        return out
    if isinstance(node, list):
        return [_copy(v, mapping) for v in node]
    return node


def _unmark(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("_mapped", None)
        for v in node.values():
            _unmark(v)
    elif isinstance(node, list):
        for v in node:
            _unmark(v)


def _merge(parts: list[JSONDict]) -> JSONDict:
    """One annotations object of several (their lists joined)."""
    out: JSONDict = {}
    for part in parts:
        for k, v in part.items():
            if isinstance(v, list):
                out.setdefault(k, []).extend(_copy(v, {}))
            elif k not in out:
                out[k] = _copy(v, {})
    return out


def _empty(annotations: JSONDict) -> bool:
    return not any(v for v in annotations.values())


def _mapping(value: Any, where: str, allowed: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise bad_input(f"{where} must map feature schema ids to feature schema ids")
    if allowed:
        for source, target in value.items():
            if target not in allowed:
                raise bad_input(
                    f"{where}[{source!r}]: {target!r} is not a feature schema of the destination project's ontology"
                )
    return dict(value)


def send_to_annotate(backend: Any, data: JSONDict, *, run: Any, query: Any, where: str) -> JSONDict:
    """Send the rows ``query`` names to ``destinationProjectId``; ``{"taskId"}``.

    ``run`` is the source model run's record (``sendToAnnotateFromMea``: its rows only may be sent), or None (from
    the catalog). ``where`` names the search query in errors.
    """
    projects, batches, imports, runs = backend.projects, backend.batches, backend.imports, backend.model_runs
    project_id = data.get("destinationProjectId")
    pkey = projects.find_key(project_id)
    if pkey is None:
        raise not_found("project", project_id)
    batch = data.get("batchInput") or {}
    name = str(batch.get("batchName") or "")
    if not name.strip():
        raise bad_input("batchInput.batchName must not be blank")
    priority = batch.get("batchPriority")
    priority = 5 if priority is None else priority
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5:
        raise bad_input(f"batchInput.batchPriority must be an integer from 1 to 5, got {priority!r}")
    queue = data.get("destinationTaskQueue") or {"type": "done"}
    queue_index = DONE
    if queue.get("type") == "id":
        queue_ids = [q["id"] for q in projects.task_queues(pkey)]
        if queue.get("value") not in queue_ids:
            raise not_found("task queue", queue.get("value"))
        queue_index = queue_ids.index(queue.get("value"))
    elif queue.get("type") != "done":
        raise bad_input(f"destinationTaskQueue.type must be 'id' or 'done', got {queue.get('type')!r}")
    strategy = data.get("conflictLabelsResolutionStrategy") or "KEEP_EXISTING"
    if strategy not in STRATEGIES:
        raise bad_input(f"conflictLabelsResolutionStrategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    features = backend.ontologies.feature_ids_of(pkey)
    predictions = data.get("predictionsInput") or {}
    prediction_run: str | None = None
    if predictions:
        prediction_run = str(predictions.get("modelRunId"))
        if run is not None and prediction_run != run.id:
            raise bad_input("predictionsInput.modelRunId must be the source model run")
        if not imports.model_run_exists(prediction_run):
            raise not_found("model run", prediction_run)
    predictions_mapping = _mapping(
        predictions.get("featureSchemaIdsMapping"), "predictionsInput.featureSchemaIdsMapping", features
    )
    annotations = data.get("annotationsInput") or {}
    if annotations and not isinstance(annotations, dict):
        raise bad_input("annotationsInput must be an object {projectId, featureSchemaIdsMapping}")
    source_key: int | str | None = None
    if annotations:
        source_key = projects.find_key(annotations.get("projectId"))
        if source_key is None:
            raise not_found("project", annotations.get("projectId"))
    annotations_mapping = _mapping(
        annotations.get("featureSchemaIdsMapping"), "annotationsInput.featureSchemaIdsMapping", features
    )
    ids, keys = search_rows(query, where)
    found, missing = runs.resolve_rows(ids, keys)
    outside: list[str] = []
    if run is not None:
        outside = [rid for rid, _ in found if not runs.has_row(run, rid)]
        found = [(rid, ref) for rid, ref in found if runs.has_row(run, rid)]
    exclude = bool(data.get("excludeDataRowsInProject"))
    inside = {rid for rid, ref in found if batches.project_has_row(pkey, ref)}
    targets = [(rid, ref) for rid, ref in found if not (exclude and rid in inside)]
    new = [ref for rid, ref in targets if rid not in inside]
    chunks = [new[k : k + MAX_BATCH_ROWS] for k in range(0, len(new), MAX_BATCH_ROWS)]
    names = [name if n == 0 else f"{name}_{n}" for n in range(len(chunks))]
    for batch_name in names:
        if batches._name_taken(pkey, batch_name):
            raise bad_input(f"A batch named {batch_name!r} already exists in this project")
    task_id = backend.tasks_resource.new_id()
    batch_ids = [
        batches.add_to_queue(pkey, batch_name, chunk, priority=priority, queue=queue_index)["id"]
        for batch_name, chunk in zip(names, chunks, strict=True)
    ]
    prelabeled: list[str] = []
    label_ids: list[str] = []
    kept: list[str] = []
    source_labels = imports.export_snapshot(source_key, {}) if source_key is not None else {}
    existing = imports.label_ids_by_row(pkey)  # kept up to date as labels are copied and overridden
    for rid, ref in targets:
        if prediction_run is not None:
            got = remap(_merge(runs.row_predictions(prediction_run, rid)), predictions_mapping, fresh=True)
            if not _empty(got):
                conflict = bool(imports.prelabels.get(pkey, {}).get(rid)) or _has_labels(
                    backend, pkey, ref, existing.get(rid)
                )
                if conflict and strategy != "OVERRIDE_WITH_PREDICTIONS":
                    kept.append(rid)
                else:
                    imports.set_prelabels(pkey, rid, got, replace=conflict)
                    prelabeled.append(rid)
        if source_key is not None:
            copies = [
                remap(a, annotations_mapping, fresh=True)
                for a in _source_annotations(backend, source_key, source_labels, rid, ref)
            ]
            copies = [c for c in copies if not _empty(c)]
            if copies:
                if _has_labels(backend, pkey, ref, existing.get(rid)):
                    if strategy != "OVERRIDE_WITH_ANNOTATIONS":
                        kept.append(rid)
                        continue
                    _delete_labels(backend, pkey, ref, existing.pop(rid, []))
                added = [imports.add_label(pkey, ref, rid, c, task_id) for c in copies]
                existing[rid] = added
                label_ids += added
    runs.sent.append(
        {
            "source": "model_run" if run is not None else "catalog",
            "taskId": task_id,
            "projectId": projects.table.get(pkey)["id"],
            "batchName": name,
            "batchIds": batch_ids,
            "batchPriority": priority,
            "taskQueue": queue.get("value") if queue.get("type") == "id" else None,
            "dataRowIds": [rid for rid, _ in targets],
            "excludeDataRowsInProject": exclude,
            "conflictLabelsResolutionStrategy": strategy,
            "sourceModelRunId": prediction_run,
            "sourceProjectId": annotations.get("projectId") if annotations else None,
            "featureSchemaIdsMapping": predictions_mapping,
            "annotationsFeatureSchemaIdsMapping": annotations_mapping,
            "predictions": {
                rid: runs.row_predictions(prediction_run, rid) for rid, _ in targets if prediction_run is not None
            },
            "prelabeledDataRowIds": prelabeled,
            "labelIds": label_ids,
            "keptDataRowIds": list(dict.fromkeys(kept)),
        }
    )
    failures = [{"id": str(v), "error": "Data row not found"} for v in missing]
    failures += [{"id": v, "error": "Data row is not in the model run"} for v in outside]
    error = None
    if failures:
        total = len(ids) + len(keys)
        error = f"{len(failures)} of {total} data rows were not found" + (" in the model run" if run else "")
        error += ": " + ", ".join(f["id"] for f in failures)
    runs.add_task(
        task_id, "send-to-annotate", f"Send to annotate: {name}", error, json.dumps(failures) if failures else None
    )
    return {"taskId": task_id}


def _has_labels(backend: Any, key: int | str, ref: Any, imported: list[str] | None) -> bool:
    """Whether the row has a live label in project ``key``: its seeded one, or ``imported`` ones."""
    labels = backend.labels
    seeded = (
        isinstance(key, int)
        and isinstance(ref, tuple)
        and ref[0] == key
        and labels.rows_alive(key)
        and not labels.deletions.is_deleted(key, ref[1])
    )
    return seeded or bool(imported)


def _delete_labels(backend: Any, key: int | str, ref: Any, imported: list[str]) -> None:
    """Delete the row's live labels in project ``key``, its seeded one and ``imported`` ones (an override)."""
    if isinstance(key, int) and isinstance(ref, tuple) and ref[0] == key:
        if backend.labels.deletions.delete(key, ref[1]):
            backend.webhooks.label_event("LABEL_DELETED", key, ref[1])
    backend.imports.deleted.update(imported)


def _source_annotations(
    backend: Any, source: int | str, imported: dict[str, list[JSONDict]], rid: str, ref: Any
) -> list[JSONDict]:
    """The annotations (export shape) of each live label of project ``source`` on the row."""
    out: list[JSONDict] = []
    if isinstance(source, int) and _has_labels(backend, source, ref, None):
        out.append(backend.world.export_label(source, ref[1], {})["annotations"])
    out += [label["annotations"] for label in imported.get(rid, [])]
    return out
