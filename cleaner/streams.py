"""The one opener of corpus files: plain, ``.gz`` or ``.zst`` by extension, ``-`` for stdin/stdout.

Everything is bytes: records are split on newlines and decoded one by one, so a
bad byte spoils one record, not the whole run. Below both the corpus runner and the
learner (which read the same feeds), so neither imports the other for it.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Iterator
from typing import IO, cast

from .errors import CleanerError

STDIO = "-"


class CorpusError(CleanerError):
    """A corpus input or output cannot be opened or read (missing file, unsupported compression)."""


def _zstandard(path: str):  # returns the zstandard module
    try:
        import zstandard
    except ImportError:
        raise CorpusError(f"{path}: reading or writing .zst needs the zstd extra (from a clone: pip install '.[zstd]'; or pip install zstandard)") from None
    return zstandard


def open_input(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open ``path`` for reading bytes, decompressing by extension (``-``: stdin)."""
    name = os.fspath(path)
    if name == STDIO:
        return sys.stdin.buffer
    lower = name.lower()
    try:
        if lower.endswith(".gz"):
            return cast(IO[bytes], gzip.open(name, "rb"))
        if lower.endswith(".zst"):
            # buffered: the zstandard reader alone has no readline(), which line reading needs
            return io.BufferedReader(_zstandard(name).open(name, "rb"))
        return open(name, "rb")
    except FileNotFoundError:
        raise CorpusError(f"{name}: no such file") from None


def open_output(path: str | os.PathLike[str], *, append: bool = False) -> IO[bytes]:
    """Open ``path`` for writing bytes, compressing by extension (``-``: stdout); ``append``
    adds to the end of an uncompressed file."""
    name = os.fspath(path)
    if name == STDIO:
        return sys.stdout.buffer
    lower = name.lower()
    if lower.endswith(".gz"):
        return cast(IO[bytes], gzip.open(name, "wb", compresslevel=6))
    if lower.endswith(".zst"):
        return _zstandard(name).open(name, "wb")
    return open(name, "ab" if append else "wb")


def close_stream(stream: IO[bytes]) -> None:
    """Close ``stream`` unless it is the process's stdin/stdout (flush those instead)."""
    if stream in (sys.stdin.buffer, sys.stdout.buffer):
        if stream.writable():
            stream.flush()
        return
    stream.close()


def numbered_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """``(line number, line without its line break)`` for every line of ``stream``, lazily."""
    for number, line in enumerate(stream, start=1):
        yield number, line.rstrip(b"\r\n")

