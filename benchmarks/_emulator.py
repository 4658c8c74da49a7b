"""The emulator in its own process, as the benchmarks start it: ``python -m alabelbox.testing serve ...``."""

from __future__ import annotations

import subprocess
import sys


def start(key: str, *, rows: int, latency: float, task_seconds: float) -> tuple[subprocess.Popen[str], str]:
    """Start an emulator with one project and ``rows`` data rows; the process and its GraphQL endpoint."""
    cmd = [
        sys.executable, "-m", "alabelbox.testing", "serve", "--projects", "1", "--data-rows", str(rows),
        "--latency", str(latency), "--api-key", key, "--task-seconds", str(task_seconds),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "endpoint:" in line:
            return proc, line.split("endpoint:", 1)[1].strip()
    raise RuntimeError("the emulator did not start")
