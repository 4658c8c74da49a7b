"""The column builders give exactly the tables of the record-by-record flattening, and build arrays from buffers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from alabelbox.destinations import annotation_records, annotations_schema, row_record, rows_schema
from alabelbox.destinations._columns import AnnotationColumns, RowColumns, arrow_array, columns_batch
from tests.destinations.conftest import ALL_SAMPLES, rows_of


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=lambda p: p.name)
def test_columns_equal_the_records(sample: Path) -> None:
    rows = rows_of(sample)
    annotations, with_counts, counted = AnnotationColumns(), RowColumns(), RowColumns()
    for row in rows:
        with_counts.add(row, annotations.add(row))
        counted.add(row)
    expected = [record for row in rows for record in annotation_records(row)]
    got = columns_batch(annotations.take(), annotations_schema())
    got.validate(full=True)
    assert got.equals(pa.RecordBatch.from_pylist(expected, schema=annotations_schema()))
    assert annotations.n == 0 and sum(annotations.kinds.values()) == len(expected)
    records = pa.RecordBatch.from_pylist([row_record(row) for row in rows], schema=rows_schema())
    assert columns_batch(with_counts.take(), rows_schema()).equals(records)
    assert columns_batch(counted.take(), rows_schema()).equals(records)


def test_batches_taken_in_turn_hold_each_annotation_once() -> None:
    rows = rows_of(ALL_SAMPLES[0])
    builder = AnnotationColumns()
    batches = []
    for row in rows:
        builder.add(row)
        if builder.n >= 7:
            batches.append(columns_batch(builder.take(), annotations_schema()))
    batches.append(columns_batch(builder.take(), annotations_schema()))
    expected = [record for row in rows for record in annotation_records(row)]
    assert pa.Table.from_batches(batches).to_pylist() == expected


@pytest.mark.parametrize(
    ("values", "type"),
    [
        (["a", None, "画像 🐱", "", "x\x00y", None], pa.string()),
        ([b'{"k": "\xf0\x9f\x90\xb1"}', None, b"[]"], pa.string()),
        (["plain", "ascii"], pa.string()),
        ([1.5, None, -0.0, 1e300], pa.float64()),
        ([None, 2**40, -1], pa.int64()),
        ([7, None], pa.int32()),
        ([True, None, False, True, True, False, False, True, True], pa.bool_()),
        ([None, None], pa.string()),
        ([["a", "é"], None, []], pa.list_(pa.string())),
        (
            [[{"x": 1.0, "y": None}], None, [{"x": 2.5, "y": 3.0}, {"x": None, "y": 0.0}]],
            annotations_schema().field("points").type,
        ),
        ([[255, 0, 7], None], pa.list_(pa.int32())),
    ],
)
def test_arrays_from_buffers_equal_pyarrow(values: list[Any], type: Any) -> None:
    got = arrow_array(pa, list(values), type)
    got.validate(full=True)
    expected = [v.decode() if isinstance(v, bytes) else v for v in values]
    assert got.to_pylist() == expected and got.type == type


def test_an_integer_too_large_for_its_column_is_refused() -> None:
    with pytest.raises(OverflowError):
        arrow_array(pa, [2**31], pa.int32())


def test_building_does_not_import_pandas() -> None:
    import subprocess

    code = (
        "import sys, pyarrow as pa\n"
        "from alabelbox.destinations._columns import arrow_array\n"
        "arrow_array(pa, ['a', None], pa.string())\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
