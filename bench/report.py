"""Markdown rendering of a benchmark run (the JSON result dict)."""

from __future__ import annotations

import importlib.metadata
import platform
import sys

# Distributions whose version changes results; "cleaner" is looked up separately.
PEER_DISTS = ("trafilatura", "htmldate", "courlan", "justext", "readability-lxml",
              "lxml", "lxml_html_clean", "resiliparse", "regex")


def environment() -> dict:
    """Python, platform and peer-library versions, for the run header."""
    versions = {}
    for dist in PEER_DISTS:
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    try:
        versions["article-cleaner"] = importlib.metadata.version("article-cleaner")
    except importlib.metadata.PackageNotFoundError:
        versions["article-cleaner"] = "source tree (not installed)"
    return {"python": sys.version.split()[0], "platform": platform.platform(),
            "versions": versions}


def _f(x, pct: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{100 * x:.1f}" if pct else f"{x:.3f}"


def _rate(ex: dict) -> str:
    return f"{ex['docs_per_s']:.1f}" if ex.get("docs_per_s") else "n/a"


def _unavailable_row(name: str, ex: dict, ncols: int) -> str:
    return f"| {name} | unavailable: {ex.get('reason', '')} |" + " |" * (ncols - 2)


def aeb_table(ds: dict) -> list[str]:
    lines = ["| extractor | precision | recall | F1 | F1 ±95% | docs/s | empty | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, ex in ds["extractors"].items():
        if ex["status"] != "ok":
            lines.append(_unavailable_row(name, ex, 8))
            continue
        s = ex["summary"]
        lines.append(f"| {name} | {_f(s['precision'])} | {_f(s['recall'])} | "
                     f"**{_f(s['f1'])}** | {_f(s.get('f1_ci'))} | {_rate(ex)} | "
                     f"{ex['n_empty']} | {ex['n_errors']} |")
    return lines


def wcxb_table(ds: dict) -> list[str]:
    lines = ["| extractor | word F1 (articles) | word F1 (all) | `without` leaked % | "
             "`with` kept % | docs/s | empty | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, ex in ds["extractors"].items():
        if ex["status"] != "ok":
            lines.append(_unavailable_row(name, ex, 8))
            continue
        s = ex["summary"]
        lines.append(f"| {name} | **{_f(s['f1_articles'])}** | {_f(s['f1_all'])} | "
                     f"{_f(s['without_leaked'], True)} | {_f(s['with_kept'], True)} | "
                     f"{_rate(ex)} | {ex['n_empty']} | {ex['n_errors']} |")
    return lines


def render(result: dict) -> str:
    """Whole markdown report: header with date/versions, then one table per dataset."""
    meta = result["meta"]
    env = meta["environment"]
    out = [f"# HTML extraction benchmark, {meta['date']}", "",
           f"Python {env['python']} on {env['platform']}; "
           f"wall time {meta.get('elapsed_s', 0):.0f} s; limit {meta.get('limit')}; "
           f"warm-up {meta.get('warmup')} docs per extractor.", "",
           "Versions: " + ", ".join(f"{k} {v}" for k, v in env["versions"].items()), ""]
    for key, ds in result["datasets"].items():
        if ds.get("status") != "ok":
            out += [f"## {key}: skipped ({ds.get('reason')})", ""]
            continue
        skipped = ds.get("skipped", [])
        out += [f"## {ds['title']}", "",
                f"{ds['n_docs']} pages from `{ds['path']}`; {len(skipped)} skipped"
                + (f" ({_skip_reasons(skipped)})" if skipped else "") + ".", ""]
        if key == "aeb":
            out += ["Shingle (4 x `\\w+`) P/R/F1 as in AEB evaluate.py; "
                    "±95% = 1.96 x bootstrap stdev.", ""]
            out += aeb_table(ds)
        else:
            n = next((e["summary"] for e in ds["extractors"].values()
                      if e["status"] == "ok"), None)
            if n:
                out += [f"Mean per-page word F1 as in WCXB evaluate.py over "
                        f"{n['n_articles']} article pages / {n['n_all']} pages; "
                        "snippet rates are per-page means over pages having such snippets.", ""]
            out += wcxb_table(ds)
        out.append("")
    return "\n".join(out)


def _skip_reasons(skipped: list) -> str:
    counts: dict[str, int] = {}
    for _, reason in skipped:
        counts[reason] = counts.get(reason, 0) + 1
    return ", ".join(f"{n} {r}" for r, n in counts.items())
