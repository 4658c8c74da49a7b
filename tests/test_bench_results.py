"""benchmarks/_results.py: the marked blocks of RESULTS.md that ``nox -s bench`` rewrites, and the tables."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import _results
import pytest

DOC = """# Results

## Transport

Intro, by hand.

<!-- results:transport -->
old figures
<!-- /results:transport -->

Analysis, by hand.

<!-- results:reader-100 -->
<!-- /results:reader-100 -->
"""


def test_replace_block_keeps_markers_and_everything_around() -> None:
    new = _results.replace_block(DOC, "transport", "\n| a | b |\n|---|---:|\n| x | 1 |\n")
    assert new == DOC.replace("old figures\n", "| a | b |\n|---|---:|\n| x | 1 |\n")
    assert _results.replace_block(new, "transport", "old figures") == DOC


def test_replace_block_fills_an_empty_block_and_can_empty_one() -> None:
    filled = _results.replace_block(DOC, "reader-100", "figures")
    assert "<!-- results:reader-100 -->\nfigures\n<!-- /results:reader-100 -->\n" in filled
    assert _results.replace_block(filled, "reader-100", "") == DOC


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DOC, "found 0 and 0"),  # no such block
        (DOC.replace("<!-- /results:transport -->\n", ""), "found 1 and 0"),
        (DOC.replace("<!-- results:transport -->\n", ""), "found 0 and 1"),
        (DOC + "<!-- results:transport -->\n", "found 2 and 1"),
    ],
)
def test_replace_block_missing_or_repeated_markers(text: str, message: str) -> None:
    name = "transport" if "found 0 and 0" not in message else "pagination-labels"
    with pytest.raises(_results.MarkersError, match=message):
        _results.replace_block(text, name, "x")


def test_replace_block_end_before_begin() -> None:
    text = "<!-- /results:a -->\n<!-- results:a -->\n"
    with pytest.raises(_results.MarkersError, match="comes before"):
        _results.replace_block(text, "a", "x")


def test_update_rewrites_every_printed_block_or_nothing(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(DOC, encoding="utf-8")
    output = "round 1: ...\n<!-- results:transport -->\nnew\n<!-- /results:transport -->\ntrailing\n"
    assert _results.update(results, output) == ["transport"]
    assert results.read_text(encoding="utf-8") == DOC.replace("old figures", "new")

    unknown = output + "<!-- results:export -->\nx\n<!-- /results:export -->\n"
    with pytest.raises(_results.MarkersError, match=r"RESULTS\.md"):
        _results.update(results, unknown)
    assert results.read_text(encoding="utf-8") == DOC.replace("old figures", "new")  # nothing written

    with pytest.raises(_results.MarkersError, match="no <!-- results:NAME -->"):
        _results.update(results, "a benchmark that forgot --markdown\n")


def test_main_runs_the_benchmark_and_rewrites_its_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(DOC, encoding="utf-8")
    script = "print('progress\\n<!-- results:transport -->\\nfresh\\n<!-- /results:transport -->')"
    assert _results.main(["--file", str(results), "--", sys.executable, "-c", script]) == 0
    assert "progress" in capsys.readouterr().out  # passed through
    assert "\nfresh\n" in results.read_text(encoding="utf-8")

    assert _results.main(["--file", str(results), "--", sys.executable, "-c", "raise SystemExit(3)"]) == 3
    assert "\nfresh\n" in results.read_text(encoding="utf-8")


def test_table_aligns_the_first_column_left_and_the_rest_right() -> None:
    assert _results.table(["case", "MB/s", "note"], [["a", "1.0", ""]], align="lrl") == (
        "| case | MB/s | note |\n|---|---:|---|\n| a | 1.0 | |"
    )
    assert _results.table(["case", "MB/s"], []).splitlines()[1] == "|---|---:|"
    with pytest.raises(ValueError, match="one entry per column"):
        _results.table(["case", "MB/s"], [["a"]])


def test_block_holds_the_command_without_markdown_and_the_utc_date() -> None:
    now = datetime.datetime(2026, 11, 23, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    argv = ["/repo/benchmarks/bench_transport.py", "--requests", "5000", "--markdown", "--rounds", "7"]
    text = _results.block("transport", "| a |\n|---|\n| 1 |\n", argv=argv, now=now)
    assert text == (
        "<!-- results:transport -->\n"
        "Command (run 2026-11-22 23:30 UTC):\n\n"
        "    python benchmarks/bench_transport.py --requests 5000 --rounds 7\n\n"
        "| a |\n|---|\n| 1 |\n"
        "<!-- /results:transport -->"
    )
    assert _results.blocks(f"noise\n{text}\nnoise") == {"transport": text.split("\n", 1)[1].rsplit("\n", 1)[0]}
