"""Suite-wide hooks: end the test process as soon as pytest has reported.

The suite starts hundreds of emulators, SDK clients and local Dask/Ray clusters in one process. Once the summary is
printed, tearing that heap down at interpreter exit took about three minutes of CPU in CI (1,900 tests, 3.4 GB
resident), longer than some test directories take to run. Nothing is left to do by then: every fixture has been
finalised and the report written, so the process exits with pytest's status without the interpreter's teardown.
"""

from __future__ import annotations

import os
import sys

import pytest

_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # Only at the end of a whole run: not for a collection only, nor in an xdist worker (its controller reads what
    # it sends at exit); ALABELBOX_TEST_NORMAL_EXIT=1 keeps the interpreter's normal exit.
    if not _status or config.option.collectonly or hasattr(config, "workerinput"):
        return
    if os.environ.get("ALABELBOX_TEST_NORMAL_EXIT"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_status[-1])
