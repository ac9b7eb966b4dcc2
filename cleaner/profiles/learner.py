"""Learning site profiles: count, per site, which blocks recur and where the article lives.

:class:`ProfileCounts` is the whole state: pages are added one at a time as
:class:`PageSummary` (from :func:`summarise_page`), states of disjoint shards add up
exactly (:meth:`ProfileCounts.merge`) and :func:`build_profiles` turns the counts into
:class:`~cleaner.profiles.profile.SiteProfile` objects with one set of thresholds
(:class:`ProfileOptions`) for every site. The order of pages never changes the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..evidence import LINKED
from .paths import PageBlocks, container_path
from .profile import ChangingBlock, SiteProfile, TemplateBlock

KEYS_KEPT = 16
"""Distinct texts remembered per path (the smallest keys: deterministic under merging)."""
CONTAINER_SHARE = 0.5
"""The article container of a page is the deepest element holding this share of its extracted
words: most of them, so a wrapper that also holds a related list (``div#articleblock`` around
``div#mainprimary`` and ``div#secondaryprimary``) is not taken for the article when the
article's own element holds the majority."""


@dataclass(frozen=True)
class ProfileOptions:
    """Thresholds of :func:`build_profiles`: one number each for all sites.

    ``template_share`` (0.8) and ``changing_blocks`` (off) were chosen on the tuning half of
    the Dragnet sites by ``bench/site_benchmark.py`` (0.4/0.6/0.8, changing blocks on/off,
    container policy off/linked/all, template blocks inside the container kept/removed):
    changing link blocks and removing by the container did not help there, so a profile
    removes by template blocks only, and uses the container to keep those inside the article.
    """

    min_pages: int = 3
    template_share: float = 0.8
    changing_blocks: bool = False
    changing_share: float = 0.5
    linked_share: float = 0.8
    outside_share: float = 0.9
    container_share: float = 0.5


@dataclass(frozen=True)
class PageSummary:
    """What one page contributes to its site's counts."""

    site: str
    pairs: frozenset[tuple[str, str]]
    paths: Mapping[str, tuple[bool, bool, str]]
    """path -> (mostly link text, outside this page's article container, smallest text key)"""
    container: str | None


def summarise_page(site: str, blocks: PageBlocks, traced: Sequence[Any], words: Sequence[int]) -> PageSummary:
    """Summarise a page: its blocks (``blocks``) and its extracted lines' elements and word counts."""
    container = container_path(traced, words, blocks.paths, CONTAINER_SHARE)
    inside_prefix = container + " > " if container else None
    pairs: set[tuple[str, str]] = set()
    chars: dict[str, list[int]] = {}
    smallest: dict[str, str] = {}
    for block in blocks.blocks.values():
        pairs.add((block.path, block.key))
        slot = chars.setdefault(block.path, [0, 0])
        slot[0] += block.chars
        slot[1] += block.linked_chars
        if block.path not in smallest or block.key < smallest[block.path]:
            smallest[block.path] = block.key
    paths = {
        path: (
            linked >= LINKED * total,
            not (inside_prefix is not None and (path == container or path.startswith(inside_prefix))),
            smallest[path],
        )
        for path, (total, linked) in chars.items()
    }
    return PageSummary(site, frozenset(pairs), paths, container)


@dataclass
class PathStats:
    docs: int = 0
    linked: int = 0
    outside: int = 0
    keys: set[str] = field(default_factory=set)

    def add(self, other: PathStats) -> None:
        self.docs += other.docs
        self.linked += other.linked
        self.outside += other.outside
        self.keys = set(sorted(self.keys | other.keys)[:KEYS_KEPT])


@dataclass
class SiteCounts:
    pages: int = 0
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    paths: dict[str, PathStats] = field(default_factory=dict)
    containers: Counter[str] = field(default_factory=Counter)

    def add_page(self, page: PageSummary) -> None:
        self.pages += 1
        self.pairs.update(page.pairs)
        for path, (linked, outside, key) in page.paths.items():
            stats = self.paths.get(path)
            if stats is None:
                stats = self.paths[path] = PathStats()
            stats.add(PathStats(1, int(linked), int(outside), {key}))
        if page.container:
            self.containers[page.container] += 1

    def merge(self, other: SiteCounts) -> None:
        self.pages += other.pages
        self.pairs.update(other.pairs)
        for path, stats in other.paths.items():
            mine = self.paths.get(path)
            if mine is None:
                mine = self.paths[path] = PathStats()
            mine.add(stats)
        self.containers.update(other.containers)


@dataclass
class ProfileCounts:
    """Per-site block counts: mergeable, serialisable (:meth:`to_json` / :meth:`from_json`)."""

    sites: dict[str, SiteCounts] = field(default_factory=dict)

    def add(self, page: PageSummary) -> None:
        self.sites.setdefault(page.site, SiteCounts()).add_page(page)

    def merge(self, other: ProfileCounts) -> ProfileCounts:
        for site, counts in other.sites.items():
            self.sites.setdefault(site, SiteCounts()).merge(counts)
        return self

    def to_json(self) -> dict[str, Any]:
        return {site: {
            "pages": counts.pages,
            "pairs": sorted([path, key, n] for (path, key), n in counts.pairs.items()),
            "paths": sorted([path, s.docs, s.linked, s.outside, sorted(s.keys)] for path, s in counts.paths.items()),
            "containers": sorted([path, n] for path, n in counts.containers.items()),
        } for site, counts in sorted(self.sites.items())}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProfileCounts:
        state = cls()
        for site, raw in data.items():
            counts = SiteCounts(pages=int(raw["pages"]))
            counts.pairs = Counter({(path, key): int(n) for path, key, n in raw["pairs"]})
            counts.paths = {path: PathStats(int(d), int(lk), int(o), set(keys)) for path, d, lk, o, keys in raw["paths"]}
            counts.containers = Counter({path: int(n) for path, n in raw["containers"]})
            state.sites[site] = counts
        return state


def build_profiles(counts: ProfileCounts, options: ProfileOptions = ProfileOptions(), *, date: str) -> list[SiteProfile]:
    """The profile of every site with at least ``options.min_pages`` pages, sorted by site."""
    profiles = []
    for site, site_counts in sorted(counts.sites.items()):
        if not site:  # pages without a URL: no site to scope a profile to
            continue
        profile = build_profile(site, site_counts, options, date=date)
        if profile is not None:
            profiles.append(profile)
    return profiles


def build_profile(site: str, counts: SiteCounts, options: ProfileOptions, *, date: str) -> SiteProfile | None:
    """One site's profile, or ``None`` when it has too few pages or nothing recurs."""
    pages = counts.pages
    if pages < options.min_pages:
        return None
    need_template = max(2, options.template_share * pages)
    template = tuple(
        TemplateBlock(path, key, n) for (path, key), n in sorted(counts.pairs.items()) if n >= need_template
    )
    template_paths = {block.path for block in template}
    need_changing = max(2, options.changing_share * pages)
    changing = tuple(
        ChangingBlock(path, stats.docs) for path, stats in sorted(counts.paths.items())
        if options.changing_blocks and stats.docs >= need_changing and path not in template_paths
        and len(stats.keys) * 2 >= min(stats.docs, KEYS_KEPT)
        and stats.linked >= options.linked_share * stats.docs
        and stats.outside >= options.outside_share * stats.docs
    )
    container, container_pages = None, 0
    if counts.containers:
        best, n = min(counts.containers.items(), key=lambda item: (-item[1], item[0]))
        if n >= max(2, options.container_share * pages):
            container, container_pages = best, n
    if not template and not changing and container is None:
        return None
    return SiteProfile(site, pages, date, template, changing, container, container_pages)


def count_pages(pages: Iterable[PageSummary]) -> ProfileCounts:
    counts = ProfileCounts()
    for page in pages:
        counts.add(page)
    return counts
