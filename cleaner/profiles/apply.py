"""Applying a site profile to one page: which extracted lines its template accounts for.

Each extracted line is traced to the block element it starts in; the line is marked
when that block is a *template block* of the site (same path, same text as on most
pages), a *changing non-article block* (a related box), or, with ``container="linked"``
(or ``"all"``) and a page that has the site's article container, when it lies outside it
and is link text (or at all). On a page that has the site's article container, a template
block inside it is kept (``keep_inside``): what recurs inside the article on every page is
the article's own furniture that readers and annotators count as part of it (the byline
"Post written by ...", the share prompt closing every story, the comment guidelines under
it), while the template's menus, footers and related lists lie outside. The defaults are
what measured best on the tuning half of the Dragnet sites (``bench/site_benchmark.py``):
template blocks outside the article container only. A profile never
removes more than :data:`MAX_SHARE` of a page's extracted text on its own: beyond that
the template has probably changed, so it steps back and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .paths import Block
from .profile import SiteProfile

MAX_SHARE = 0.4
"""Largest share of a page's extracted characters a profile removes on its own."""

ContainerPolicy = Literal["off", "linked", "all"]


@dataclass(frozen=True)
class ProfileIndex:
    """A profile prepared for lookups (built once per profile, reused for every page)."""

    profile: SiteProfile
    template: dict[tuple[str, str], int]
    changing: dict[str, int]

    @classmethod
    def of(cls, profile: SiteProfile) -> ProfileIndex:
        return cls(
            profile,
            {(block.path, block.key): block.pages for block in profile.template},
            {block.path: block.pages for block in profile.changing},
        )


@dataclass
class ProfileMarks:
    """Lines (indices into the extracted lines) the profile removes, with reasons."""

    reasons: dict[int, str] = field(default_factory=dict)
    warning: str | None = None


def mark_lines(
    index: ProfileIndex, traced: Sequence[Block | None], lines: Sequence[str],
    *, container: ContainerPolicy = "off", keep_inside: bool = True,
) -> dict[int, str]:
    """The lines of one page the site's profile accounts for, by index, with the reason (see
    the module doc; :func:`limit` applies the share limit)."""
    profile = index.profile
    of = f"of {profile.pages} pages of {profile.site}"
    inside = _inside_container(profile.container, traced) if container != "off" or keep_inside else None
    marks: dict[int, str] = {}
    for number, block in enumerate(traced):
        if block is None:
            continue
        pages = index.template.get((block.path, block.key))
        if pages is not None:
            if not (keep_inside and inside is not None and inside[number]):
                marks[number] = f"template block {_name(block.path)} in {pages} {of}"
            continue
        pages = index.changing.get(block.path)
        if pages is not None and block.linked:
            marks[number] = f"changing link block {_name(block.path)} outside the article in {pages} {of}"
            continue
        if container != "off" and inside is not None and not inside[number] and (container == "all" or block.linked):
            marks[number] = (
                f"outside the site's article container {_name(profile.container or '')} "
                f"(found on {profile.container_pages} {of})"
            )
    return marks


def limit(profile: SiteProfile, marks: dict[int, str], lines: Sequence[str], max_share: float = MAX_SHARE) -> ProfileMarks:
    """``marks`` when they hold at most ``max_share`` of the characters of ``lines`` (the page's
    extracted lines); else none, with a warning saying the profile stepped back."""
    total = sum(len(line) for line in lines) or 1
    removed = sum(len(lines[number]) for number in marks)
    if marks and removed > max_share * total:
        return ProfileMarks({}, (
            f"site profile of {profile.site} (learned {profile.date} from {profile.pages} pages) would remove "
            f"{removed / total:.0%} of the extracted text, over its limit of {max_share:.0%}: not applied "
            "(the site's template may have changed; learn the profile again)"
        ))
    return ProfileMarks(dict(marks))


def _inside_container(path: str | None, traced: Sequence[Block | None]) -> list[bool] | None:
    """Per traced line, whether it lies in an element with the container path; ``None`` when
    no line does (the page does not have the container, or extraction missed it)."""
    if path is None:
        return None
    prefix = path + " > "
    flags = []
    for block in traced:
        if block is None:
            flags.append(True)  # untraced lines are never judged by position
            continue
        flags.append(block.path == path or block.path.startswith(prefix))
    if not any(flag for flag, block in zip(flags, traced) if block is not None):
        return None
    return flags


def _name(path: str) -> str:
    """The last two steps of a path: enough to recognise the block in an explanation."""
    steps = path.split(" > ")
    return " > ".join(steps[-2:])


def prune_xpaths(profile: SiteProfile) -> list[str]:
    """XPath expressions of the profile's template and changing paths, for trafilatura's
    ``prune_xpath`` (removal before extraction, by path only: the text is not checked)."""
    paths = sorted({block.path for block in profile.template} | {block.path for block in profile.changing})
    return [xpath for xpath in (_xpath(path) for path in paths) if xpath]


def _xpath(path: str) -> str | None:
    steps = path.split(" > ")
    if not steps or steps[0] != "body" or len(steps) < 2:
        return None
    parts = ["//body"]
    for step in steps[1:]:
        head, _, ident = step.partition("#")
        tag, *classes = head.split(".")
        if not tag.isidentifier():
            return None
        tests = [f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')" for c in classes if "0" not in c and "'" not in c]
        if ident and "0" not in ident and "'" not in ident:
            tests.append(f"@id='{ident}'")
        parts.append(tag + "".join(f"[{test}]" for test in tests))
    return "/".join(parts)
