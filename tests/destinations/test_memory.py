"""Handing freed memory back to the system after each row group."""

from __future__ import annotations

import platform

import pytest

from alabelbox.destinations._memory import release_free_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc_trim")
def test_free_memory_is_released_with_glibc() -> None:
    assert release_free_memory() is True
    assert release_free_memory() is True  # the function is found once and kept
