"""Typed filter inputs, checked before any request is sent.

Each check raises :class:`~alabelbox.InvalidArgumentError` naming the argument, so a wrong date format or an
agreement of 1.5 fails at the call site instead of as a server error (or, worse, as a silently empty listing).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._validation import DateLike, check_id, check_ids, parse_date

__all__ = [
    "LABEL_TYPES",
    "LabelFilter",
    "data_row_where",
    "format_datetime",
    "named_where",
    "parse_datetime",
]

LABEL_TYPES = ("Submitted", "Skipped")


def parse_datetime(argument: str, value: DateLike) -> datetime:
    """An aware UTC ``datetime``; a value without a zone is read as UTC, as the API does (see
    :mod:`alabelbox._validation`).

    Raises:
        InvalidArgumentError: ``value`` is not a date.
    """
    return parse_date(argument, value).as_utc()


def format_datetime(value: datetime) -> str:
    """``2024-04-01T12:30:00.000Z``: the API's own timestamp format."""
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _agreement(argument: str, value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or not 0 <= value <= 1:
        raise InvalidArgumentError(argument, f"must be a number between 0 and 1, not {value!r}")
    return float(value)


@dataclass(frozen=True, slots=True, init=False)
class LabelFilter:
    """Which labels of a project: the filters of ``project.labels(where: ...)`` and ``bulkDeleteLabels``.

    Every argument is optional and they combine with AND. Bounds are exclusive, as on the wire
    (``createdAt_gt``/``_lt``, ``agreement_gt``/``_lt``).

    Args:
        created_by: The id of the user who created the label.
        created_after: Only labels created after this instant (``createdAt_gt``).
        created_before: Only labels created before this instant (``createdAt_lt``).
        type: ``"Submitted"`` or ``"Skipped"``.
        agreement_min: Only labels whose consensus agreement is above this (0..1); labels with no agreement are
            left out.
        agreement_max: Only labels whose agreement is below this (0..1).
        agreement: ``(min, max)``, instead of ``agreement_min`` and ``agreement_max``.
        dataset_id: Only labels on data rows of this dataset.
        dataset_ids: Only labels on data rows of these datasets (instead of ``dataset_id``).
        data_row_ids: Only labels on these data rows.
        label_ids: Only these labels.

    Raises:
        InvalidArgumentError: A value is malformed, out of range, or two arguments exclude each other.

    Example:
        >>> from datetime import datetime, timezone
        >>> f = LabelFilter(type="Submitted", agreement=(0.5, 1), created_after="2024-04-01")
        >>> f.to_where()["agreement_gt"], f.to_where()["createdAt_gt"]
        (0.5, '2024-04-01T00:00:00.000Z')
    """

    created_by: str | None
    created_after: datetime | None
    created_before: datetime | None
    type: str | None
    agreement_min: float | None
    agreement_max: float | None
    dataset_ids: tuple[str, ...] | None
    data_row_ids: tuple[str, ...] | None
    label_ids: tuple[str, ...] | None

    def __init__(
        self,
        *,
        created_by: str | None = None,
        created_after: DateLike | None = None,
        created_before: DateLike | None = None,
        type: str | None = None,
        agreement_min: float | None = None,
        agreement_max: float | None = None,
        agreement: tuple[float, float] | None = None,
        dataset_id: str | None = None,
        dataset_ids: Iterable[str] | None = None,
        data_row_ids: Iterable[str] | None = None,
        label_ids: Iterable[str] | None = None,
    ) -> None:
        if agreement is not None:
            if agreement_min is not None or agreement_max is not None:
                raise InvalidArgumentError(
                    "agreement", "give either agreement=(min, max) or agreement_min/agreement_max, not both"
                )
            if not isinstance(agreement, (tuple, list)) or len(agreement) != 2:
                raise InvalidArgumentError("agreement", f"must be a (min, max) pair, not {agreement!r}")
            agreement_min, agreement_max = agreement
            low, high = _agreement("agreement", agreement_min), _agreement("agreement", agreement_max)
        else:
            low, high = _agreement("agreement_min", agreement_min), _agreement("agreement_max", agreement_max)
        if low is not None and high is not None and low >= high:
            raise InvalidArgumentError(
                "agreement" if agreement is not None else "agreement_max",
                f"the range is empty: agreement above {low} and below {high}",
            )
        after = None if created_after is None else parse_datetime("created_after", created_after)
        before = None if created_before is None else parse_datetime("created_before", created_before)
        if after is not None and before is not None and after >= before:
            raise InvalidArgumentError(
                "created_before",
                f"the range is empty: created after {after.isoformat()} and before {before.isoformat()}",
            )
        if type is not None and type not in LABEL_TYPES:
            raise InvalidArgumentError("type", f"must be 'Submitted' or 'Skipped', not {type!r}")
        if dataset_id is not None and dataset_ids is not None:
            raise InvalidArgumentError("dataset_ids", "give either dataset_id or dataset_ids, not both")
        datasets = [check_id("dataset_id", dataset_id)] if dataset_id is not None else None
        if dataset_ids is not None:
            datasets = check_ids("dataset_ids", dataset_ids)
            if not datasets:
                raise InvalidArgumentError("dataset_ids", "is empty, so no label could match; pass None for all")
        rows = None if data_row_ids is None else check_ids("data_row_ids", data_row_ids)
        labels = None if label_ids is None else check_ids("label_ids", label_ids)
        setattr_ = object.__setattr__
        setattr_(self, "created_by", None if created_by is None else check_id("created_by", created_by))
        setattr_(self, "created_after", after)
        setattr_(self, "created_before", before)
        setattr_(self, "type", type)
        setattr_(self, "agreement_min", low)
        setattr_(self, "agreement_max", high)
        setattr_(self, "dataset_ids", None if datasets is None else tuple(datasets))
        setattr_(self, "data_row_ids", None if rows is None else tuple(rows))
        setattr_(self, "label_ids", None if labels is None else tuple(labels))

    @property
    def is_empty(self) -> bool:
        """Whether the filter lets every label through."""
        return not self.to_where()

    def to_where(self) -> dict[str, Any]:
        """The ``LabelWhereInput`` / ``WhereBulkLabelDelete`` value (``{}`` for no filter)."""
        where: dict[str, Any] = {}
        if self.label_ids is not None:
            where["id_in"] = list(self.label_ids)
        if self.created_by is not None:
            where["createdBy"] = {"id": self.created_by}
        if self.created_after is not None:
            where["createdAt_gt"] = format_datetime(self.created_after)
        if self.created_before is not None:
            where["createdAt_lt"] = format_datetime(self.created_before)
        if self.type is not None:
            where["type"] = {"name": self.type}
        if self.agreement_min is not None:
            where["agreement_gt"] = self.agreement_min
        if self.agreement_max is not None:
            where["agreement_lt"] = self.agreement_max
        data_row: dict[str, Any] = {}
        if self.data_row_ids is not None:
            data_row["id_in"] = list(self.data_row_ids)
        if self.dataset_ids is not None:
            data_row["dataset"] = {"id_in": list(self.dataset_ids)}
        if data_row:
            where["dataRow"] = data_row
        return where


def data_row_where(
    *,
    ids: Iterable[str] | None = None,
    global_keys: Iterable[str] | None = None,
    external_ids: Iterable[str] | None = None,
    where: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The ``DatasetDataRowWhereInput`` of a data-row listing.

    Raises:
        InvalidArgumentError: More than one of ``ids``, ``global_keys`` and ``external_ids``, or any of them
            with a raw ``where``.
    """
    given = [
        name
        for name, v in (("ids", ids), ("global_keys", global_keys), ("external_ids", external_ids))
        if v is not None
    ]
    if len(given) > 1:
        raise InvalidArgumentError(
            given[1], f"give only one of ids, global_keys and external_ids (got {', '.join(given)})"
        )
    if given and where is not None:
        raise InvalidArgumentError("where", f"give either where or {given[0]}, not both")
    if where is not None:
        if not isinstance(where, Mapping):
            raise InvalidArgumentError("where", f"must be a mapping, not {where!r}")
        return dict(where)
    if ids is not None:
        return {"id_in": check_ids("ids", ids)}
    if global_keys is not None:
        return {"globalKey_in": check_ids("global_keys", global_keys)}
    if external_ids is not None:
        return {"externalId_in": check_ids("external_ids", external_ids)}
    return None


def named_where(*, name: str | None, name_contains: str | None, where: Mapping[str, Any] | None) -> dict[str, Any]:
    """A ``ProjectWhereInput`` / ``DatasetWhereInput``: the filters AND ``deleted: false``, as the SDK sends.

    Raises:
        InvalidArgumentError: A filter is not a string, or ``where`` is not a mapping.
    """
    clauses: list[dict[str, Any]] = []
    if name is not None:
        if not isinstance(name, str):
            raise InvalidArgumentError("name", f"must be a string, not {name!r}")
        clauses.append({"name": name})
    if name_contains is not None:
        if not isinstance(name_contains, str) or not name_contains:
            raise InvalidArgumentError("name_contains", f"must be a non-empty string, not {name_contains!r}")
        clauses.append({"name_contains": name_contains})
    if where is not None:
        if not isinstance(where, Mapping):
            raise InvalidArgumentError("where", f"must be a mapping, not {where!r}")
        clauses.append(dict(where))
    clauses.append({"deleted": False})
    return clauses[0] if len(clauses) == 1 else {"AND": clauses}
