"""Handing freed memory back to the operating system (glibc keeps freed heap pages for reuse, so a process
would otherwise stay at the size of its largest batch or pass)."""

from __future__ import annotations

import functools


def release_memory() -> None:
    """``malloc_trim(0)`` where the C library is glibc; nothing elsewhere."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
