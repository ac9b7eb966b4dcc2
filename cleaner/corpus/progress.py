"""What a corpus run tells its user: a live bar on a terminal, a summary at the end."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import IO, Any


@dataclass
class Summary:
    """Totals of one run. ``malformed``: records not cleaned because unreadable; ``failed``: cleaning raised."""

    documents: int = 0
    cleaned: int = 0
    lines_removed: int = 0
    malformed: int = 0
    failed: int = 0
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    def finish(self) -> Summary:
        self.seconds = time.perf_counter() - self.started
        return self

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0

    def format(self, verb: str = "cleaned") -> str:
        """One line for stderr."""
        return (
            f"{self.documents} documents ({self.cleaned} {verb}, {self.malformed} malformed, {self.failed} failed), "
            f"{self.lines_removed} lines removed, {self.seconds:.1f}s ({self.per_second:.1f} documents/s)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents, "cleaned": self.cleaned, "lines_removed": self.lines_removed,
            "malformed": self.malformed, "failed": self.failed, "seconds": round(self.seconds, 3),
        }


class Progress:
    """A tqdm bar (documents, documents/second) on stderr when it is a terminal, else nothing."""

    def __init__(self, description: str, *, enabled: bool | None = None, stream: IO[str] | None = None) -> None:
        stream = stream or sys.stderr
        if enabled is None:
            enabled = stream.isatty()
        self._bar: Any = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(desc=description, unit="doc", file=stream, smoothing=0.1)

    def advance(self, documents: int) -> None:
        if self._bar is not None:
            self._bar.update(documents)

    def write(self, message: str) -> None:
        """Print ``message`` on stderr without tearing the bar."""
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
