"""Slices (saved queries): :class:`Slice`, a saved set of catalog or model-run filters, and :class:`SliceDataRow`,
one data row a slice selects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alabelbox.types._api import ApiModel

__all__ = ["Slice", "SliceDataRow"]


class Slice(ApiModel):
    """A slice: a saved query over the catalog (a catalog slice) or over a model run's rows (a model slice).

    The API answers both kinds with the same fields; which kind a slice is shows in the app, not in the answer, so
    the resource's methods say which one they read (``data_row_identifiers`` for a catalog slice,
    ``model_data_row_identifiers`` for a model slice). Slices are made in the app: the API cannot create them.
    """

    id: str
    name: str
    description: str | None = None
    filter: Any = None
    """The saved filters, as the API stores them (a JSON value: a list of filter objects)."""
    created_at: datetime | None = None
    updated_at: datetime | None = None


class SliceDataRow(ApiModel):
    """One data row a slice selects: its id and its global key (None where it has none); the SDK's
    ``Slice.DataRowIdAndGlobalKey``."""

    id: str
    global_key: str | None = None
