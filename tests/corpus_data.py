"""Small corpora shared by the corpus and Dask tests: site furniture that recurs, articles that do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FURNITURE = ["Example Daily Newsletter", "Follow Example Daily on Mastodon", "Copyright Example Daily Media Group"]


def text_records(count: int, site: str = "example.com") -> list[dict[str, Any]]:
    """Text records of one site: a headline, two unique paragraphs, and recurring furniture lines."""
    records = []
    for i in range(count):
        a, b, c = _words(i), _words(i + 7), _words(i + 13)
        body = [
            f"Council votes on {a} budget after a long debate",
            f"The {b} council met on Tuesday and discussed the {a} plan for hours before voting.",
            f"Residents of {c} street said the {b} decision would change how they travel to work.",
        ]
        lines = ["You are here", *body, FURNITURE[i % 2], FURNITURE[2], "Share this article"]
        records.append({"url": f"https://www.{site}/news/{i}", "text": "\n\n".join(lines), "id": i})
    return records


WORDS = ["amber", "birch", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "iris", "juniper", "kestrel", "lagoon"]


def _words(n: int) -> str:
    """Two words unique to ``n`` (digits would be templated away by the line keys)."""
    return f"{WORDS[n % len(WORDS)]} {WORDS[(n // len(WORDS)) % len(WORDS)]}"


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    """Write rows (dicts as JSON; strings verbatim, for malformed lines) one per line."""
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path
