"""A site profile as data: what a site's template is, learned from some of its pages.

Stored in a rules file as a rule of kind ``"profile"`` (see ``cleaner.rules``), so it is
validated, listed and explained like any rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import RulesError


@dataclass(frozen=True)
class TemplateBlock:
    """A block whose text is the same on most pages: menus, footers, comment forms."""

    path: str
    key: str
    pages: int


@dataclass(frozen=True)
class ChangingBlock:
    """A block present on most pages, with other (mostly linked) text on each, outside the
    article: related and latest-stories boxes."""

    path: str
    pages: int


@dataclass(frozen=True)
class SiteProfile:
    """One site's template: learned on ``date`` from ``pages`` of its pages.

    ``container`` is the path the article text came from on ``container_pages`` pages.
    """

    site: str
    pages: int
    date: str
    template: tuple[TemplateBlock, ...] = ()
    changing: tuple[ChangingBlock, ...] = ()
    container: str | None = None
    container_pages: int = 0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pages": self.pages,
            "date": self.date,
            "template": [[block.path, block.key, block.pages] for block in self.template],
            "changing": [[block.path, block.pages] for block in self.changing],
        }
        if self.container is not None:
            out["container"] = [self.container, self.container_pages]
        return out

    def describe(self) -> str:
        """One line for ``rules list`` and explanations."""
        parts = [f"{len(self.template)} template blocks", f"{len(self.changing)} changing link blocks"]
        if self.container:
            parts.append(f"article container in {self.container_pages} pages")
        return f"site profile of {self.site}: {', '.join(parts)}; learned {self.date} from {self.pages} pages"

    def to_rule_json(self) -> dict[str, Any]:
        """The profile as a rule of a rules file (kind ``profile``, scoped to its site)."""
        return {
            "id": f"profile:{self.site}", "kind": "profile", "reason": self.describe(),
            "sites": [self.site], "source": "learned", "profile": self.to_json(),
        }

    @classmethod
    def from_json(cls, site: str, data: Any, where: str = "profile") -> SiteProfile:
        """Validate the ``profile`` object of a rule; :class:`RulesError` names the problem."""
        if not isinstance(data, Mapping):
            raise RulesError(f"{where}: field 'profile' must be an object with pages, date, template, changing")
        unknown = sorted(set(data) - {"pages", "date", "template", "changing", "container"})
        if unknown:
            raise RulesError(f"{where}: field 'profile' has unknown field(s) {unknown}")
        pages, date = data.get("pages"), data.get("date")
        if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
            raise RulesError(f"{where}: field 'profile.pages' must be a positive integer (pages it was learned from)")
        if not isinstance(date, str) or not date:
            raise RulesError(f"{where}: field 'profile.date' must be the date it was learned (YYYY-MM-DD)")
        template = tuple(TemplateBlock(*_row(row, (str, str, int), f"{where}: profile.template")) for row in _list(data, "template", where))
        changing = tuple(ChangingBlock(*_row(row, (str, int), f"{where}: profile.changing")) for row in _list(data, "changing", where))
        container, container_pages = None, 0
        if data.get("container") is not None:
            container, container_pages = _row(data["container"], (str, int), f"{where}: profile.container")
        return cls(site, pages, date, template, changing, container, container_pages)


def _list(data: Mapping[str, Any], name: str, where: str) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise RulesError(f"{where}: field 'profile.{name}' must be a list")
    return value


def _row(row: Any, types: tuple[type, ...], where: str) -> tuple[Any, ...]:
    if not isinstance(row, list) or len(row) != len(types) or not all(
        isinstance(value, kind) and not isinstance(value, bool) for value, kind in zip(row, types)
    ):
        names = ", ".join(kind.__name__ for kind in types)
        raise RulesError(f"{where}: each entry must be a list of [{names}] (got {row!r})")
    return tuple(row)
