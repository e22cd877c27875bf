"""No page of the website grows with the number of communes (issue 15, item 4).

A province builds up to about 170 communes: a page that lists commitments, documents, agencies or
calendars of every commune would grow with them (the "Năm 2026" list was about 4 MB at 100
communes). Here the website's Markdown pages are generated for 10 and for 100 synthetic communes
(``bench/generate.py``: fictional, marked ``example: true``; one plan of about 40 commitments each,
to keep the test short) and every kind of page that spans communes must stay within a bound that
does not depend on the number of communes, while the number of its pages grows.

The pages of two communes are written with every list page: a commune's own pages are made from
that commune's content alone and cannot grow with the others. A list that spans communes must stay
within its budget (bytes of Markdown per page) at both scales, split into more pages at 100, and
hold more there than one page could.
"""
from __future__ import annotations

import collections
import posixpath
import re
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from planpub.diagnostics import Report
from planpub.load import load_content
from planpub.website import feeds, pagination, paths
from planpub.website.catalog import Catalog
from planpub.website.pages import Pages

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

AS_OF = date(2026, 11, 23)
KB = 1024
#: the pages that list things across communes, and the Markdown bytes one page of each may hold at
#: any number of communes (a full page of its kind is well within: pagination.py's sizes)
BUDGET = {"explorer": 400 * KB, "facet": 150 * KB, "shared-agency": 150 * KB, "agencies": 60 * KB,
          "documents": 40 * KB, "follow": 60 * KB, "home": 40 * KB, "sitemap": 120 * KB}
LARGEST = 512 * KB  # no page of any kind is larger, at any number of communes


def pages_at(n: int, tmp: Path, communes_written: int | None = None) -> dict[str, list[tuple[str, int]]]:
    """Generate ``n`` communes, write the website's pages; {kind: [(docs path, bytes)]}, and under
    ``"tasks"`` the commitments' pages (one per commitment) with the docs folder."""
    content = tmp / f"content-{n}"
    generate(n, content, plans=1)
    report = Report()
    site = load_content(content, report)
    assert not [d for d in report.items if d.severity == "error"]
    assert len(site.communes) == n and all(c.example for c in site.communes)
    docs = tmp / f"docs-{n}"
    pages = Pages(Catalog(site, AS_OF), docs, "Kế hoạch của xã", with_data=True, with_pdf=True)
    pages.write_communes(site.communes[:communes_written] if communes_written else site.communes)
    pages.write_lists()
    by_kind: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for path, _title, kind in pages.written:
        by_kind[kind].append((path, (docs / path).stat().st_size))
    by_kind["tasks"] = [(paths.output(paths.task_page(t.uid)), 0) for _, t in pages.cat.tasks]
    by_kind["docs"] = [(str(docs), 0)]
    return by_kind


@pytest.fixture(scope="module")
def scales(tmp_path_factory) -> dict[int, dict[str, list[tuple[str, int]]]]:
    tmp = tmp_path_factory.mktemp("growth")
    return {10: pages_at(10, tmp, communes_written=2), 100: pages_at(100, tmp, communes_written=2)}


def largest(pages: list[tuple[str, int]]) -> tuple[str, int]:
    return max(pages, key=lambda p: p[1])


@pytest.mark.parametrize("kind", sorted(BUDGET))
def test_a_list_page_stays_within_its_budget_from_10_to_100_communes(scales, kind):
    small, big = scales[10][kind], scales[100][kind]
    for n, pages in ((10, small), (100, big)):
        path, size = largest(pages)
        assert size <= BUDGET[kind], (kind, n, path, size)
    if kind in ("home", "sitemap"):  # one page for the home; the site map lists only two communes' pages
        return
    assert len(big) > len(small), (kind, len(small), len(big))  # the list splits into more pages …
    assert sum(size for _, size in big) > BUDGET[kind], kind  # … which one page could not hold


def test_no_page_is_larger_at_100_communes(scales):
    for n, by_kind in scales.items():
        every = [p for kind, pages in by_kind.items() if kind not in ("tasks", "docs") for p in pages]
        path, size = largest(every)
        assert size <= LARGEST, (n, path, size)


def test_each_commitment_stays_findable_in_the_lists(scales):
    """Splitting loses nothing: the explorer's pages, in order, hold every commitment once, each
    page at most its share, and every page links the next one."""
    by_kind = scales[100]
    docs = Path(by_kind["docs"][0][0])
    explorer = [p for p, _ in by_kind["explorer"]]
    assert explorer == ["nhiem-vu/index.md"] + [f"nhiem-vu/trang-{k}/index.md" for k in range(2, len(explorer) + 1)]
    seen = []
    for k, path in enumerate(explorer, 1):
        text = (docs / path).read_text(encoding="utf-8")
        cards = re.findall(r'<a class="pp-card__title" href="([^"]+)"', text)
        assert 0 < len(cards) <= pagination.EXPLORER_PER_PAGE, path
        seen += [posixpath.normpath(posixpath.join(posixpath.dirname(paths.output(path)), c)) for c in cards]
        assert f"Trang {k}/{len(explorer)}" in text, path
        if k < len(explorer):
            assert 'rel="next"' in text and 'aria-current="page"' in text, path
    assert sorted(seen) == sorted(p for p, _ in by_kind["tasks"])


def test_every_kind_of_page_is_either_one_communes_or_a_list_with_a_budget(scales):
    """A new kind of page that spans communes must come with its budget here."""
    own = {"document", "targets", "task", "commune", "agency"}  # made from one commune's content
    written = set(scales[100]) - {"tasks", "docs"}
    assert written - own == set(BUDGET), written


def test_the_example_note_names_only_the_pages_own_commune(scales):
    """Every page of a fictional commune says so, naming that commune alone; a page across
    communes counts them rather than naming every one (it was 3 KB on every page at 100 communes)."""
    notes = {}
    for n, by_kind in scales.items():
        docs = Path(by_kind["docs"][0][0])
        assert f"(cả {n} xã, phường của trang web này không có thật)" in (docs / "index.md").read_text(encoding="utf-8")
        task = next((docs / "xa").glob("*/*/nhiem-vu/*/index.md"))
        note = re.search(r"Trang này dựng từ dữ liệu giả định \(([^()]*) không có thật\)",
                         task.read_text(encoding="utf-8")).group(1)
        assert "," not in note and note.startswith("xã "), note
        notes[n] = note
    assert notes[10] == notes[100]  # the same commune (the first), named the same way at both scales


def test_the_feed_holds_the_newest_entries_only(tmp_path):
    """The Atom feed does not grow with the province: the newest documents, at most FEED_ENTRIES."""
    content = tmp_path / "gen"
    generate(30, content)  # 90 plans
    site = load_content(content, Report())
    cat = Catalog(site, AS_OF)
    root = ET.fromstring(feeds.atom_feed(cat, "Kế hoạch của xã"))
    entries = root.findall(f"{{{feeds.ATOM}}}entry")
    assert len(site.documents) > feeds.FEED_ENTRIES == len(entries)
    newest = sorted((feeds._when(cat, d) for d in site.documents), reverse=True)[:feeds.FEED_ENTRIES]
    assert sorted((e.find(f"{{{feeds.ATOM}}}updated").text for e in entries), reverse=True) == \
        [w.isoformat() for w in newest]
