"""examples/quickstart.ipynb runs top to bottom on a real Jupyter kernel, with top-level await."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parents[2] / "examples" / "quickstart.ipynb"


def test_quickstart_notebook_executes() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    source = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "asyncio.run" not in source and "nest_asyncio" not in source
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=False).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    text = json.dumps([o.get("text", "") for o in outputs])
    assert "rows; the first is data row" in text
    assert "2000 rows" in text
