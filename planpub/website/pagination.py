"""Lists split into pages of a bounded size, so that no page grows with the number of communes.

Every page that lists things across communes (commitments of a facet, the explorer's cards,
documents, agencies, calendars, the site map, an agency's work in every commune) is written by
:meth:`planpub.website.pages.Pages.write_list` through :func:`paginate`: page 1 at the list's own
address (``nhiem-vu/nam/2026/index.md``), page *k* in ``trang-k/`` below it
(``nhiem-vu/nam/2026/trang-2/index.md``). Plain files, relative links, no JavaScript: it works under
any sub-path and from ``file://``. The navigation between pages (``_parts.j2`` ``pager``) is a
``<nav aria-label>`` with "Trang trước", "Trang sau", a bounded window of page numbers (the current
one ``aria-current="page"``) and "Trang k/n".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: items per page, by kind of list; a page's size is bounded by these, whatever the number of communes
TASKS_PER_PAGE = 100        # commitment cards (facet lists)
EXPLORER_PER_PAGE = 200     # the explorer's cards (its filter works on the page it is on)
COMMUNES_PER_PAGE = 20      # communes of the documents list, agencies index, calendars, home
MEMBERS_PER_PAGE = 10       # communes of one agency name's page (each with the tasks it leads there)
SITEMAP_PER_PAGE = 500      # links of the site map
WINDOW = 2                  # page numbers shown each side of the current one (plus the first and last)

_PAGE_FOLDER = re.compile(r"trang-\d+")


def is_page_folder(name: str) -> bool:
    """Whether a folder name is one pagination uses (``trang-2``): nothing else may take it."""
    return bool(_PAGE_FOLDER.fullmatch(name))


def page_path(first: str, number: int) -> str:
    """The docs path of page ``number`` of the list whose first page is ``first`` (``…/index.md``)."""
    if number == 1:
        return first
    folder = first[: -len("index.md")]
    return f"{folder}trang-{number}/index.md"


@dataclass(frozen=True)
class Pager:
    """Where a page sits in its list: ``number`` of ``count``, the addresses of the others."""

    first: str          # docs path of page 1
    number: int
    count: int
    start: int          # index in the whole list of this page's first item (0-based)
    end: int            # index after its last item
    total: int          # items in the whole list

    def path(self, number: int) -> str:
        return page_path(self.first, number)

    @property
    def previous(self) -> str | None:
        return self.path(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.path(self.number + 1) if self.number < self.count else None

    @property
    def numbers(self) -> list[int | None]:
        """Page numbers to show: the first, the last, and ``WINDOW`` each side of the current one;
        ``None`` where numbers are left out (shown as "…"). Bounded whatever ``count`` is."""
        keep = {1, self.count, *range(self.number - WINDOW, self.number + WINDOW + 1)}
        out: list[int | None] = []
        for n in range(1, self.count + 1):
            if n in keep:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
        return out


def paginate(first: str, items: list, size: int) -> list[tuple[str, list, Pager]]:
    """``(docs path, the page's items, its Pager)`` for each page of ``items``; one page (empty
    or not) at least, at ``first``."""
    count = max(1, -(-len(items) // size))
    return [(page_path(first, k), items[(k - 1) * size: k * size],
             Pager(first, k, count, (k - 1) * size, min(k * size, len(items)), len(items))) for k in range(1, count + 1)]
