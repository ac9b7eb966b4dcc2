"""A report you look at: one self-contained HTML file about a cleaning run or a rules file.

``write_report(source, destination)`` reads either a JSON Lines run (each record with
an explanation, as ``article-cleaner clean --jsonl --explain-field F`` writes) or a
rules file (as ``article-cleaner learn`` writes) and writes the HTML page; it is what
``article-cleaner report`` runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .page import render_rules, render_run
from .rules import RulesReport, read_rules
from .run import ReportError, ReportFields, RunReport, read_run

__all__ = ["ReportError", "ReportFields", "RulesReport", "RunReport", "is_rules_file", "read_rules", "read_run",
           "render_rules", "render_run", "write_report"]


def is_rules_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds one JSON object with a ``rules`` list (a rules file) rather than JSON Lines records."""
    name = os.fspath(path)
    if name.lower().endswith((".gz", ".zst")) or name == "-":
        return False
    try:
        with open(name, "rb") as handle:
            first = handle.readline()
            try:
                data = json.loads(first)
            except ValueError:  # not one object on one line: a pretty-printed rules file (small) or a broken run
                data = json.loads(first + handle.read())
            else:
                if any(line.strip() for line in handle):  # a second record: JSON Lines, not read any further
                    return False
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("rules"), list) and "version" in data


def write_report(
    source: str | os.PathLike[str], destination: str | os.PathLike[str], fields: ReportFields | None = None,
    *, top: int = 20, lines: int = 30,
) -> RunReport | RulesReport:
    """Write the HTML report of ``source`` (a run or a rules file) to ``destination``; return what it counted."""
    report: RunReport | RulesReport
    if is_rules_file(source):
        report = read_rules(source)
        html = render_rules(report)
    else:
        report = read_run(source, fields or ReportFields(), top=top, lines=lines)
        html = render_run(report)
    Path(destination).write_text(html, encoding="utf-8")
    return report
