"""The one validation module: ids, positive numbers and dates, with one set of messages and one zone policy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from alabelbox import InvalidArgumentError
from alabelbox._validation import (
    check_id,
    check_ids,
    check_positive_int,
    check_positive_seconds,
    parse_date,
)


def test_a_value_with_a_zone_is_converted_to_utc_not_relabelled() -> None:
    for value in ("2024-04-01T14:30:00+02:00", "2024-04-01T14:30:00+0200", "2024-04-01 12:30:00Z"):
        parsed = parse_date("d", value)
        assert parsed.aware and not parsed.date_only
        assert parsed.value == datetime(2024, 4, 1, 12, 30, tzinfo=UTC)
    aware = datetime(2024, 4, 1, 7, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_date("d", aware).value == datetime(2024, 4, 1, 12, 30, tzinfo=UTC)


def test_a_value_without_a_zone_stays_wall_clock_and_says_so() -> None:
    day = parse_date("d", "2024-04-01")
    assert (day.value, day.aware, day.date_only) == (datetime(2024, 4, 1), False, True)
    assert parse_date("d", date(2024, 4, 1)) == day
    stamp = parse_date("d", "2024-04-01 12:30:00")
    assert (stamp.value, stamp.aware, stamp.date_only) == (datetime(2024, 4, 1, 12, 30), False, False)
    assert stamp.as_utc() == datetime(2024, 4, 1, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024/01/01", r"d: '2024/01/01' is not in an accepted format: YYYY-MM-DD"),
        ("2024-01-01 10:00", r"d: '2024-01-01 10:00' is not in an accepted format"),
        ("2024-02-30", r"d: '2024-02-30' is not a valid date: day is out of range"),
        ("2024-01-01T25:00:00Z", r"d: '2024-01-01T25:00:00Z' is not a valid date"),
        (20240101, r"d: must be a datetime, a date or a date string, got int"),
    ],
)
def test_a_bad_date_is_named_with_the_formats(value: Any, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        parse_date("d", value)


@pytest.mark.parametrize("value", [0, -3, True, 2.5, "4", None])
def test_a_count_must_be_a_positive_integer(value: Any) -> None:
    with pytest.raises(InvalidArgumentError, match=rf"n: must be a positive integer, got {value!r}"):
        check_positive_int("n", value)
    assert check_positive_int("n", 7) == 7


@pytest.mark.parametrize("value", [0, -1.0, True, float("nan"), float("inf"), "1"])
def test_seconds_must_be_a_finite_number_above_zero(value: Any) -> None:
    with pytest.raises(InvalidArgumentError, match="s: must be a number of seconds > 0"):
        check_positive_seconds("s", value)
    assert check_positive_seconds("s", 2) == 2.0


def test_ids_and_id_lists() -> None:
    assert check_ids("ids", ["a", "b", "a"]) == ["a", "b"]
    with pytest.raises(InvalidArgumentError, match=r"ids: must be a list of ids, not the string 'a'; wrap it: \[id\]"):
        check_ids("ids", "a")
    with pytest.raises(InvalidArgumentError, match="id: must be a non-empty id string, not ' '"):
        check_id("id", " ")
