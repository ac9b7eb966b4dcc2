"""Per-site benchmark of site profiles on Dragnet: leave-one-out, word F1 against gold.

    nice -n 10 python -m bench.site_benchmark [--dragnet PATH] [--cache DIR] [--json OUT]
    nice -n 10 python -m bench.site_benchmark --dragnet ../shared/data/wcxb-dev --min-pages 5

(the second: the same on the WCXB dev pages, a set the thresholds were not looked at on).

Sites: every site (the registered domain of the page URL, ``cleaner.learn.site_of``)
with at least ``--min-pages`` (8) pages in Dragnet's ``meta.jsonl``. For each page of
such a site, learning uses only the site's *other* pages (all of them, or 5 or 3 drawn
with a seed made of the page id), then the held-out page is cleaned and scored with
bag-of-words F1 (``bench.metrics.wcxb_word_prf``) against its gold. Compared:

- ``trafilatura``: ``trafilatura.extract(include_comments=False)``;
- ``clean``: ``clean_html`` without learning;
- ``lines``: with the line rules ``article-cleaner learn`` wrote before this benchmark
  (default thresholds, line model scores, ``date_aware=False``) learned from the other pages;
  ``lines-dated``: with the date-aware line rules it writes now (datelines whose digits
  change and lines between body paragraphs are not furniture);
- ``blocks``: with only the block part of the site profile learned from the other pages
  (template blocks, changing link blocks, article container; evidence-traced line removal);
- ``profile``: the whole rules file ``learn`` writes from those pages (blocks + date-aware
  line rules),
  also from only 5 and 3 of the other pages (``profile-5``, ``profile-3``);
- ``retry``: ``profile``, with a page whose extraction missed the site's article container
  extracted again within it (``cleaner.profiles.retry``);
- ``prune``: the block profile applied before extraction through trafilatura's
  ``prune_xpath`` (by path only) instead of by tracing the extracted lines.

Thresholds are one number for all sites, chosen on the *tuning half* of the sites (sites
sorted by name, every other one starting with the first) by macro F1 (within :data:`TIE` of
the best, the setting that removes least), and reported on the *reported half* (the others). Extractions are cached under ``--cache`` (keyed by the
source of the modules that produce them); timings are measured side by side in the run
that fills the cache (``--no-cache`` measures again).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import pickle
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner import Cleaner
from cleaner.extraction import EXTRACTION, extract_tree
from cleaner.html import decode_html, parse_html
from cleaner.learn import Document, LearnOptions, LineCounts, build_rule_file, site_of
from cleaner.profiles import (
    PageSummary, ProfileCounts, ProfileIndex, ProfileOptions, SiteProfile, build_profile, mark_lines, prune_xpaths,
    page_summary, traced_blocks,
)
from cleaner.profiles.learner import SiteCounts
from cleaner.profiles.paths import Block
from cleaner.extraction import Extraction
from cleaner.profiles.retry import retry_missed
from cleaner.profiles.runtime import ProfileStage
from cleaner.rules import Rule
from cleaner.tracer import PageIndex

from .metrics import wcxb_word_prf

DEFAULT_DRAGNET = "../shared/data/dragnet"
DEFAULT_CACHE = "/tmp/site-profiles-cache"
DATE = "2026-01-01"
TIE = 0.0005
"""Settings within this macro F1 of the best on the tuning half are tied: the one that removes
least is chosen (a difference this small is a page or two of one site)."""
SOURCES = ("cleaner/html.py", "cleaner/extraction.py", "cleaner/evidence.py", "cleaner/profiles/paths.py", "cleaner/profiles/learner.py")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Prepared:
    """One page extracted, traced and summarised, with the timings of each step."""

    id: str
    site: str
    url: str
    gold: str
    lines: list[str]
    evidence: list[Any] | None
    gaps: list[int]
    traced: tuple[Block | None, ...]
    summary: PageSummary
    trafilatura: str
    seconds: dict[str, float] = field(default_factory=dict)

    def extraction(self) -> Extraction:
        """The cached extraction as the core takes it (without the page's tree)."""
        return Extraction(self.url, tuple(tuple(block) for block in self.blocks),
                          None if self.evidence is None else tuple(self.evidence))

    @property
    def blocks(self) -> list[list[str]]:
        blocks: list[list[str]] = []
        for line, gap in zip(self.lines, self.gaps):
            if gap > 1 or not blocks:
                blocks.append([])
            blocks[-1].append(line)
        return blocks


def load_sites(root: Path, min_pages: int) -> dict[str, list[dict[str, Any]]]:
    """Pages (``id``, ``url``, ``gold``) by site: Dragnet's ``meta.jsonl`` and ``gold/ID.txt``,
    or WCXB's ``ground-truth/ID.json`` (its ``main_content``)."""
    sites: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for meta in _pages(root):
        site = site_of(meta.get("url"))
        if site:
            sites[site].append(meta)
    return {site: sorted(pages, key=lambda m: m["id"]) for site, pages in sorted(sites.items()) if len(pages) >= min_pages}


def _pages(root: Path) -> Iterable[dict[str, Any]]:
    if (root / "meta.jsonl").exists():
        with open(root / "meta.jsonl", encoding="utf-8") as handle:
            for raw in handle:
                meta = json.loads(raw)
                yield {**meta, "gold": root / "gold" / f"{meta['id']}.txt"}
        return
    for path in sorted((root / "ground-truth").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold = (data.get("ground_truth") or {}).get("main_content")
        if data.get("url") and gold and (root / "html" / f"{path.stem}.html.gz").exists():
            yield {"id": path.stem, "url": data["url"], "gold": gold}


def has_pages(root: Path) -> bool:
    return (root / "meta.jsonl").exists() or (root / "ground-truth").is_dir()


def cache_key() -> str:
    digest = hashlib.sha1()
    for name in SOURCES:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:12]


def prepare(root: Path, site: str, meta: dict[str, Any], cache: Path | None, key: str) -> Prepared:
    target = cache / f"{key}-{meta['id']}.pkl" if cache is not None else None
    if target is not None and target.exists():
        with open(target, "rb") as handle:
            return pickle.load(handle)
    data = gzip.decompress((root / "html" / f"{meta['id']}.html.gz").read_bytes())
    gold = meta["gold"].read_text(encoding="utf-8") if isinstance(meta["gold"], Path) else meta["gold"]
    html = decode_html(data)
    url = meta["url"]
    import trafilatura

    started = time.perf_counter()
    traf = trafilatura.extract(html, url=url, include_comments=False) or ""
    seconds = {"trafilatura": time.perf_counter() - started}
    started = time.perf_counter()
    tree = parse_html(html)
    extraction = extract_tree(tree, url, EXTRACTION) if tree is not None else Extraction(url)
    seconds["extract"] = time.perf_counter() - started
    started = time.perf_counter()
    Cleaner().explain_extraction(extraction)
    seconds["clean"] = time.perf_counter() - started
    lines: list[str] = []
    gaps: list[int] = []
    for block in extraction.blocks:
        for number, line in enumerate(block):
            lines.append(line)
            gaps.append(1 if number else 2)
    index = extraction.page
    traced: tuple[Block | None, ...] = tuple(None for _ in lines)
    summary = PageSummary(site, frozenset(), {}, None)
    started = time.perf_counter()
    if index is not None:  # what applying a profile costs: trace the lines, read their blocks
        traced = tuple(traced_blocks(index, lines))
    seconds["apply"] = time.perf_counter() - started
    started = time.perf_counter()
    if index is not None:  # what learning costs: the same, every block of the page, the summary
        summary = page_summary(site, index, lines)
    seconds["learn"] = time.perf_counter() - started
    prepared = Prepared(meta["id"], site, url, gold, lines, None if extraction.evidence is None else list(extraction.evidence),
                        gaps, traced, summary, traf, seconds)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            pickle.dump(prepared, handle)
    return prepared


# -- cleaning -----------------------------------------------------------------------------

class Cleaners:
    def __init__(self) -> None:
        self.plain = Cleaner()
        self._by_rules: dict[str, Cleaner] = {}

    def with_rules(self, rule_file: Any) -> Cleaner:
        key = json.dumps(rule_file.to_json()["rules"], sort_keys=True)
        cleaner = self._by_rules.get(key)
        if cleaner is None:
            if len(self._by_rules) > 256:
                self._by_rules.clear()
            cleaner = self._by_rules[key] = Cleaner(rules=[rule_file])
        return cleaner


def clean_page(cleaner: Cleaner, page: Prepared, marks: dict[int, str] | None = None, profile: SiteProfile | None = None) -> str:
    """``clean_html``'s cleaning of the cached extraction, with the profile's marks applied
    the way ``clean_html`` applies them (as a :class:`~cleaner.profiles.runtime.ProfileStage`)."""
    if not page.lines:
        return ""
    return clean_extraction(cleaner, page.extraction(), marks, profile)


def clean_extraction(cleaner: Cleaner, extraction: Extraction, marks: dict[int, str] | None, profile: SiteProfile | None) -> str:
    if not marks or profile is None:
        return cleaner.explain_extraction(extraction).text
    rule = Rule(id=f"profile:{profile.site}", kind="profile", reason=profile.describe(), origin="bench",
                sites=(profile.site,), source="learned", profile=profile)
    return cleaner.explain_page(extraction, page_stages=(ProfileStage.of_marks(rule, marks, extraction),)).text


def line_rules(pages: Sequence[Prepared], scorer: Any, date_aware: bool = True) -> Any:
    """The line rules ``article-cleaner learn`` writes from ``pages`` (``date_aware=False``: as
    before dated lines and mid-article lines were told apart from furniture)."""
    counts = LineCounts()
    for page in pages:
        document = Document(page.id, page.url, tuple(page.lines))
        counts.add_document(document, scorer(document) if scorer is not None else None)
    return build_rule_file(counts, LearnOptions(date_aware=date_aware), name="loo", date=DATE)


@dataclass(frozen=True)
class Setting:
    """A point of the threshold grid."""

    options: ProfileOptions
    container: str
    keep_inside: bool = True

    def label(self) -> str:
        o = self.options
        return (f"template {o.template_share} changing {'on' if o.changing_blocks else 'off'} container {self.container} "
                f"template inside container {'kept' if self.keep_inside else 'removed'}")


def profile_of(pages: Sequence[Prepared], options: ProfileOptions) -> ProfileIndex | None:
    counts = SiteCounts()
    for page in pages:
        counts.add_page(page.summary)
    profile = build_profile(pages[0].site if pages else "", counts, options, date=DATE)
    return ProfileIndex.of(profile) if profile is not None else None


def others(site_pages: Sequence[Prepared], held: Prepared, k: int | None) -> list[Prepared]:
    rest = [p for p in site_pages if p.id != held.id]
    if k is None or k >= len(rest):
        return rest
    return random.Random(f"{held.id}:{k}").sample(rest, k)


def macro(scores: dict[str, dict[str, float]]) -> float:
    return statistics.mean(statistics.mean(per_page.values()) for per_page in scores.values()) if scores else 0.0


class Runner:
    def __init__(self, sites: dict[str, list[Prepared]]) -> None:
        self.sites = sites
        self.cleaners = Cleaners()
        self.baseline: dict[str, str] = {}
        self.marked_seconds = 0.0  # cleaning time beyond clean_html's on pages a block profile marked
        self.marked_pages = 0
        for pages in sites.values():
            for page in pages:
                self.baseline[page.id] = clean_page(self.cleaners.plain, page)

    def score(self, page: Prepared, text: str) -> float:
        return wcxb_word_prf(text, page.gold)[2]

    def run_profile(self, setting: Setting, names: Iterable[str], k: int | None = None, with_lines: Any = None) -> dict[str, dict[str, float]]:
        scores: dict[str, dict[str, float]] = {}
        for site in names:
            scores[site] = {}
            for page in self.sites[site]:
                learned_from = others(self.sites[site], page, k)
                index = profile_of(learned_from, setting.options)
                marks = mark_lines(index, page.traced, page.lines, container=setting.container,  # type: ignore[arg-type]
                                   keep_inside=setting.keep_inside) if index else {}
                cleaner = self.cleaners.plain if with_lines is None else self.cleaners.with_rules(with_lines(learned_from))
                if not marks and with_lines is None:
                    text = self.baseline[page.id]
                else:
                    started = time.perf_counter()
                    text = clean_page(cleaner, page, marks, index.profile if index else None)
                    if marks and with_lines is None:
                        self.marked_seconds += time.perf_counter() - started - page.seconds["clean"]
                        self.marked_pages += 1
                scores[site][page.id] = self.score(page, text)
        return scores


@dataclass
class Retries:
    """Pages whose extraction missed the site's article container, extracted again within it."""

    pages: list[str] = field(default_factory=list)
    deltas: list[float] = field(default_factory=list)
    seconds: float = 0.0


def retry_scores(runner: Runner, root: Path, setting: Setting, names: Iterable[str], with_lines: Any,
                 base: dict[str, dict[str, float]]) -> tuple[dict[str, dict[str, float]], Retries]:
    """``profile`` with a page whose extraction missed the site's article container extracted
    again within it (what ``clean_html`` does): only those pages are extracted again."""
    scores: dict[str, dict[str, float]] = {}
    retries = Retries()
    for site in names:
        scores[site] = dict(base[site])
        for page in runner.sites[site]:
            learned_from = others(runner.sites[site], page, None)
            index = profile_of(learned_from, setting.options)
            if index is None or index.profile.container is None or not page.lines:
                continue
            started = time.perf_counter()
            tree = parse_html(decode_html(gzip.decompress((root / "html" / f"{page.id}.html.gz").read_bytes())))
            retried = retry_missed(index.profile, page.extraction(), page.traced, tree, len(PageIndex(tree).stream)) if tree is not None else None
            retries.seconds += time.perf_counter() - started
            if retried is None or retried.page is None:
                continue
            marks = mark_lines(index, traced_blocks(retried.page, retried.lines), retried.lines, container=setting.container,  # type: ignore[arg-type]
                               keep_inside=setting.keep_inside)
            cleaner = runner.cleaners.with_rules(with_lines(learned_from))
            scores[site][page.id] = runner.score(page, clean_extraction(cleaner, retried, marks, index.profile))
            retries.pages.append(page.id)
            retries.deltas.append(scores[site][page.id] - base[site][page.id])
    return scores, retries


def prune_scores(runner: Runner, root: Path, metas: dict[str, dict[str, Any]], setting: Setting, names: Iterable[str]) -> dict[str, dict[str, float]]:
    scores: dict[str, dict[str, float]] = {}
    for site in names:
        scores[site] = {}
        for page in runner.sites[site]:
            index = profile_of(others(runner.sites[site], page, None), setting.options)
            if index is None or not prune_xpaths(index.profile):
                scores[site][page.id] = runner.score(page, runner.baseline[page.id])
                continue
            html = decode_html(gzip.decompress((root / "html" / f"{page.id}.html.gz").read_bytes()))
            tree = parse_html(html)
            settings = {**EXTRACTION, "prune_xpath": prune_xpaths(index.profile)}
            extraction = extract_tree(tree, page.url, settings) if tree is not None else Extraction(page.url)
            text = runner.cleaners.plain.explain_extraction(extraction).text
            scores[site][page.id] = runner.score(page, text)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dragnet", default=DEFAULT_DRAGNET,
                        help="Dragnet's folder (meta.jsonl, html/, gold/) or WCXB's (html/, ground-truth/)")
    parser.add_argument("--cache", default=DEFAULT_CACHE, help="extraction cache directory (outside the repository)")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--min-pages", type=int, default=8)
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--no-prune", action="store_true", help="skip the prune_xpath comparison (one more extraction per page)")
    parser.add_argument("--no-grid", action="store_true", help="use the shipped thresholds instead of tuning on the tuning half")
    args = parser.parse_args(argv)
    root = Path(args.dragnet)
    if not has_pages(root):
        log(f"Dragnet data not found at {root} (meta.jsonl or ground-truth/ missing); pass --dragnet PATH. Skipping.")
        return 0
    metas = load_sites(root, args.min_pages)
    names = sorted(metas)
    tuning, reported = names[0::2], names[1::2]
    log(f"{len(names)} sites with >= {args.min_pages} pages ({sum(map(len, metas.values()))} pages); "
        f"tuning half {len(tuning)} sites, reported half {len(reported)}")
    cache = None if args.no_cache else Path(args.cache) / root.resolve().name
    key = cache_key()
    sites: dict[str, list[Prepared]] = {}
    started = time.perf_counter()
    for number, site in enumerate(names):
        sites[site] = [prepare(root, site, meta, cache, key) for meta in metas[site]]
        log(f"  prepared {site} ({len(sites[site])} pages) [{number + 1}/{len(names)}, {time.perf_counter() - started:.0f}s]")
    runner = Runner(sites)
    from cleaner.model import document_scorer

    scorer = document_scorer()
    meta_by_id = {m["id"]: m for pages in metas.values() for m in pages}

    def scores_of(texts: dict[str, str], group: Iterable[str]) -> dict[str, dict[str, float]]:
        return {site: {p.id: runner.score(p, texts[p.id]) for p in sites[site]} for site in group}

    traf = {p.id: p.trafilatura for pages in sites.values() for p in pages}
    results: dict[str, dict[str, dict[str, float]]] = {
        "trafilatura": scores_of(traf, names),
        "clean": scores_of(runner.baseline, names),
    }
    # the grid in order of how much a setting removes, least first: ties go to the first
    grid = [Setting(ProfileOptions(template_share=t, changing_blocks=b), c, k)
            for t in (0.8, 0.6, 0.4) for b in (False, True) for c in ("off", "linked", "all") for k in (True, False)]
    default = Setting(ProfileOptions(), "off")
    if args.no_grid:
        chosen = default
    else:
        tuned = []
        for setting in grid:
            figure = macro(runner.run_profile(setting, tuning))
            tuned.append((figure, setting))
            log(f"  tuning: {setting.label()}: macro F1 {figure:.4f}")
        best = max(figure for figure, _ in tuned)
        chosen = next(setting for figure, setting in tuned if figure >= best - TIE)
    log(f"chosen on the tuning half: {chosen.label()}")
    no_blocks = Setting(ProfileOptions(template_share=2.0, container_share=2.0), "off")
    results["lines"] = runner.run_profile(no_blocks, names, with_lines=lambda pages: line_rules(pages, scorer, False))
    results["lines-dated"] = runner.run_profile(no_blocks, names, with_lines=lambda pages: line_rules(pages, scorer))
    with_lines = lambda pages: line_rules(pages, scorer)  # noqa: E731
    runner.marked_seconds, runner.marked_pages = 0.0, 0
    results["blocks"] = runner.run_profile(chosen, names)
    marked = (runner.marked_pages, runner.marked_seconds)
    results["profile"] = runner.run_profile(chosen, names, with_lines=with_lines)
    results["profile-5"] = runner.run_profile(chosen, names, k=5, with_lines=with_lines)
    results["profile-3"] = runner.run_profile(chosen, names, k=3, with_lines=with_lines)
    results["retry"], retries = retry_scores(runner, root, chosen, names, with_lines, results["profile"])
    log(f"retried within the container: {len(retries.pages)} pages {retries.pages}, "
        f"F1 change {[round(d, 4) for d in retries.deltas]}, {retries.seconds:.1f}s (parsing, finding, extracting)")
    if not args.no_prune:
        results["prune"] = prune_scores(runner, root, meta_by_id, chosen, names)
    report(results, sites, tuning, reported, chosen)
    timing(sites, marked)
    if args.json:
        Path(args.json).write_text(json.dumps({"chosen": chosen.label(), "tuning": tuning, "reported": reported,
                                               "scores": results}, indent=1), encoding="utf-8")
    return 0


def report(results: dict[str, dict[str, dict[str, float]]], sites: dict[str, list[Prepared]], tuning: list[str], reported: list[str], chosen: Setting) -> None:
    columns = list(results)
    for title, group in (("REPORTED half (thresholds chosen on the other half)", reported), ("tuning half (in-sample)", tuning)):
        print(f"\n## {title}: {len(group)} sites, {sum(len(sites[s]) for s in group)} pages; profile = {chosen.label()}\n")
        print("| site | pages | " + " | ".join(columns) + " |")
        print("|---|---|" + "---|" * len(columns))
        for site in group:
            row = [f"{statistics.mean(results[c][site].values()):.3f}" for c in columns]
            print(f"| {site} | {len(sites[site])} | " + " | ".join(row) + " |")
        print("| **macro** | | " + " | ".join(f"**{macro({s: results[c][s] for s in group}):.4f}**" for c in columns) + " |")
        base = results["clean"]
        for column in columns:
            if column in ("clean",):
                continue
            better = sum(results[column][s][p] > base[s][p] + 1e-9 for s in group for p in base[s])
            worse = sum(results[column][s][p] < base[s][p] - 1e-9 for s in group for p in base[s])
            deltas = [statistics.mean(results[column][s].values()) - statistics.mean(base[s].values()) for s in group]
            print(f"- {column} vs clean: pages better {better}, worse {worse}; "
                  f"macro delta {statistics.mean(deltas):+.4f}; worst site {min(deltas):+.4f}; sites worse by > 0.01: {sum(d < -0.01 for d in deltas)}")


def timing(sites: dict[str, list[Prepared]], marked: tuple[int, float]) -> None:
    pages = [p for group in sites.values() for p in group]
    extract = sum(p.seconds["extract"] for p in pages)
    clean = sum(p.seconds["clean"] for p in pages)
    learn = sum(p.seconds["learn"] for p in pages)
    apply = sum(p.seconds["apply"] for p in pages)
    started = time.perf_counter()
    for group in sites.values():
        counts = ProfileCounts()
        for page in group:
            counts.add(page.summary)
        for site_counts in counts.sites.values():
            build_profile("x", site_counts, ProfileOptions(), date=DATE)
    build = time.perf_counter() - started
    print(f"\n## Cost ({len(pages)} pages, measured side by side when the cache was filled)\n")
    print(f"- clean_html without a profile: extraction (parse, trafilatura, evidence) {extract:.1f}s + cleaning {clean:.1f}s")
    print(f"- profiling (tracing lines, reading every block, page summaries {learn:.1f}s; counting and building "
          f"{build:.2f}s): {(learn + build) / extract:.1%} of the extraction")
    print(f"- applying (tracing lines, reading their blocks; marking is negligible) {apply:.1f}s: "
          f"{apply / (extract + clean):.1%} added to clean_html; with the extra cleaning time of the {marked[0]} pages "
          f"where the profile removed something ({marked[1]:.1f}s more than without it): "
          f"{(apply + marked[1]) / (extract + clean):.1%}")


if __name__ == "__main__":
    raise SystemExit(main())
