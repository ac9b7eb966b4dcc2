"""Site profiles: a site's template learned from the markup of a handful of its pages.

Learning (:func:`summarise_page`, :class:`ProfileCounts`, :func:`build_profiles`) finds the
blocks that carry the same text on most pages (template blocks), the linked blocks that
change on every page but sit outside the article (related boxes), and the element the
article comes from (the container). Applying (:func:`mark_lines`) traces a new page's
extracted lines to its blocks and marks the lines the template accounts for.
"""

from .apply import MAX_SHARE, ProfileIndex, ProfileMarks, mark_lines, prune_xpaths
from .learner import PageSummary, ProfileCounts, ProfileOptions, build_profile, build_profiles, count_pages, summarise_page
from .page import page_summary
from .paths import Block, PageBlocks, read_blocks, traced_blocks
from .profile import ChangingBlock, SiteProfile, TemplateBlock

__all__ = [
    "MAX_SHARE", "Block", "ChangingBlock", "PageBlocks", "PageSummary", "ProfileCounts",
    "ProfileIndex", "ProfileMarks", "ProfileOptions", "SiteProfile", "TemplateBlock", "build_profile",
    "build_profiles", "count_pages", "mark_lines", "page_summary", "prune_xpaths", "read_blocks",
    "summarise_page", "traced_blocks",
]
