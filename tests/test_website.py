"""The public website, tried in real Chromium as a reader would, served under a sub-path.

The site is the one ``build.py`` makes (fixture ``built_site``), served by a local HTTP server at
``http://127.0.0.1:PORT/cong-khai/ke-hoach/``. Expected commitments come from the open data the
same build wrote (``data/tasks.csv``, ``data/plans.json``), not from the website's own code.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from planpub.model import AREA_NAMES
from planpub.opendata import TASK_COLUMNS
from planpub.pipeline import load_and_check
from planpub.settings import BuildOptions, Paths
from planpub.website.render import render_website
from planpub.website.searchfold import fold
from website_crawl import all_pages, read_page, resolve
from website_server import PREFIX

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plans(built_site) -> dict:
    return json.loads((built_site / "data" / "plans.json").read_text(encoding="utf-8"))


def task_url(row: dict) -> str:
    return f"xa/{row['plan_id']}/nhiem-vu/{row['task_id']}/index.html"


def uid_of(url: str) -> str:
    """``…/xa/thien-phu/kh/nhiem-vu/pl-1/index.html`` → ``thien-phu/kh/pl-1``."""
    m = re.search(r"xa/([^/]+/[^/]+)/nhiem-vu/([^/]+)/index\.html$", urlsplit(url).path)
    assert m, url
    return f"{m[1]}/{m[2]}"


def uid(row: dict) -> str:
    return f"{row['plan_id']}/{row['task_id']}"


def page_kinds(tasks: list[dict], plans: dict) -> dict[str, str]:
    """One page of every kind (and every document, whose shapes differ), by a readable name."""
    kinds = {"home": "index.html", "documents": "van-ban/index.html", "agencies": "co-quan/index.html",
             "explorer": "nhiem-vu/index.html", "follow": "theo-doi/index.html",
             "sitemap": "so-do-trang/index.html", "facet": "nhiem-vu/linh-vuc/procedures/index.html",
             "shared agency": "co-quan/van-phong-hoi-dong-nhan-dan-va-uy-ban-nhan-dan/index.html"}
    for doc in plans["documents"]:
        kinds[f"document {doc['id']}"] = f"xa/{doc['id']}/index.html"
        if doc["targets"]:
            kinds.setdefault("targets", f"xa/{doc['id']}/chi-tieu/index.html")
    first_of_plan = {}
    for row in tasks:
        first_of_plan.setdefault(row["plan_id"], row)
    for row in first_of_plan.values():
        kinds[f"commitment {uid(row)}"] = task_url(row)
    row = tasks[0]
    kinds["commune"] = f"xa/{row['commune']}/index.html"
    kinds["agency"] = f"xa/{row['commune']}/co-quan/{row['lead_ids'].split(';')[0]}/index.html"
    return kinds


def one_of_each(kinds: dict[str, str]) -> dict[str, str]:
    """One document and one commitment instead of all of them (the other kinds as they are)."""
    out, seen = {}, set()
    for name, path in kinds.items():
        family = name.split(" ")[0]
        if family in ("document", "commitment") and family in seen:
            continue
        seen.add(family)
        out[name] = path
    return out


def in_tabs(ctx, base: str, kinds: dict[str, str], start, finish, tabs: int = 3) -> None:
    """Open the pages three at a time: ``start(tab, name)`` once each has loaded (work that runs in
    the page, side by side), then ``finish(tab, name)`` for each."""
    pages = [ctx.new_page() for _ in range(tabs)]
    items = list(kinds.items())
    for i in range(0, len(items), tabs):
        batch = list(zip(pages, items[i:i + tabs]))
        for tab, (name, path) in batch:
            tab.goto(base + path, wait_until="commit")
        for tab, (name, path) in batch:
            start(tab, name)
        for tab, (name, path) in batch:
            finish(tab, name)


def words(text: str) -> str:
    return " ".join(text.split())


# --- every page: sub-path, no other host, no broken link ----------------------------------------

def test_every_link_of_every_page_resolves_inside_the_site(built_site):
    """Crawl every HTML page: links are relative, land on a file of the site, anchors exist,
    and every page can be reached from the home page."""
    pages = {p: read_page(built_site, p) for p in all_pages(built_site)}
    problems = []
    for path, page in pages.items():
        assert page.lang == "vi", path
        for tag, url in page.links:
            if url.startswith(("mailto:", "data:", "javascript:")):
                continue
            try:
                target, fragment = resolve(path, url)
            except ValueError as exc:
                problems.append(f"{path}: <{tag}> {exc}")
                continue
            if not (built_site / target).is_file():
                problems.append(f"{path}: <{tag}> {url} → missing {target}")
            elif fragment and target.endswith(".html") and target in pages and fragment not in pages[target].ids:
                problems.append(f"{path}: {url} → no #{fragment} in {target}")
    # reachability: breadth-first over <a> links
    reached, todo = {"index.html"}, ["index.html"]
    while todo:
        path = todo.pop()
        for tag, url in pages[path].links:
            if tag != "a" or url.startswith(("mailto:", "data:", "javascript:")):
                continue
            target, _ = resolve(path, url)
            if target in pages and target not in reached:
                reached.add(target)
                todo.append(target)
    assert not problems, "\n".join(problems[:40])
    assert set(pages) - reached == {"404.html"}, "pages no link leads to"  # the server shows 404.html


class _Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.title, self._in_title = {}, "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_title = tag == "title"
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _head(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def test_every_page_has_open_graph_tags_for_shared_links(built_site):
    """A link shared in Zalo or Facebook shows the page's own title and description, in Vietnamese."""
    site_name = _head(built_site / "index.html").meta["og:site_name"]
    for path in all_pages(built_site):
        if path == "404.html":
            continue
        head = _head(built_site / path)
        title = head.title.removesuffix(f" - {site_name}")
        assert head.meta.get("og:title") == title, path
        assert head.meta.get("og:description") == head.meta.get("description"), path
        assert head.meta.get("og:locale") == "vi_VN" and head.meta.get("og:type") == "website", path
        assert "og:url" not in head.meta, path  # no public address known: no absolute URL


def test_each_document_page_gives_the_size_of_its_pdf(built_site):
    """The PDF renders while the pages are built; its size is written in afterwards, so a reader on
    a slow connection knows what the download costs, and no placeholder is left anywhere."""
    seen = 0
    for pdf in sorted((built_site / "pdf").rglob("*.pdf")):
        doc_id = pdf.relative_to(built_site / "pdf").with_suffix("").as_posix()
        page = (built_site / "xa" / doc_id / "index.html").read_text(encoding="utf-8")
        size = max(1, round(pdf.stat().st_size / 1024))
        assert re.search(rf'href="[./]*pdf/{re.escape(doc_id)}\.pdf">Bản PDF \(<span data-search-exclude>{size} KB</span>\)',
                         page), doc_id
        seen += 1
    assert seen == 5
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".json", ".js"):
            assert "@@pdf-size" not in path.read_text(encoding="utf-8"), path


def test_every_page_kind_loads_under_the_sub_path_with_no_request_to_another_host(base, browser, tasks, plans):
    ctx = browser.new_context()
    requests, failures = [], []
    ctx.on("request", lambda r: requests.append(r.url))
    ctx.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    ctx.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))

    def loaded(tab, name):
        tab.wait_for_load_state("networkidle")

    def check(tab, name):
        assert tab.evaluate("document.documentElement.lang") == "vi", name
        assert tab.locator("article h1").count() == 1, name
        assert "Material for MkDocs" not in tab.inner_text("body"), name

    in_tabs(ctx, base, one_of_each(page_kinds(tasks, plans)), loaded, check)
    # search costs nothing until it is used (search-fold.js holds Material's worker and index back)
    assert not [u for u in requests if "search_index" in u or "/workers/" in u]
    assert not [u for u in requests if u.endswith("sitemap.xml")]  # the list of every page: not for readers
    page = ctx.new_page()
    page.goto(base + "index.html")
    page.focus("input.md-search__input")
    page.wait_for_function("() => /Nhập/.test(document.querySelector('.md-search-result__meta').textContent)")
    page.wait_for_load_state("networkidle")
    ctx.close()
    assert any(u.endswith("search/search_index.json") for u in requests)
    assert any("/lunr/min/lunr.vi" in u for u in requests)
    outside = [u for u in requests if u.startswith(("http:", "https:")) and not u.startswith(base)]
    assert outside == []
    assert failures == []


# --- the page for an address that does not exist ------------------------------------------------

MISSING = ["khong-co.html", "xa/thien-phu/khong-co/index.html", "nhiem-vu/linh-vuc/a/b/c/d.html", "mot/thu/muc/khong-co/"]


@pytest.mark.parametrize("width", [1280, 360])
def test_404_page_is_styled_and_its_links_stay_in_the_site_at_any_depth(base, browser, built_site, width):
    """The server answers a missing address with 404.html, at that address: under the sub-path, at
    any depth, the page must load its styles and icons, and every link must land on a page of the site."""
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    requests, failures = [], []
    ctx.on("request", lambda r: requests.append(r.url))
    probes = []  # where the page looks for the site's root when the address names no folder of it

    def answered(r):
        if r.request.method == "HEAD":
            probes.append(r.url)
        elif r.status >= 400 and r.request.resource_type != "document":
            failures.append(f"{r.status} {r.url}")
    ctx.on("response", answered)  # (requests cancelled by going to the next page are not failures)
    ctx.on("requestfailed", lambda r: failures.append(f"failed {r.url}") if "ABORTED" not in (r.failure or "") else None)
    page = ctx.new_page()
    for missing in MISSING:
        response = page.goto(base + missing)
        assert response.status == 404, missing
        page.wait_for_load_state("networkidle")
        assert page.inner_text("article h1") == "Không tìm thấy trang"
        assert page.eval_on_selector(".md-header", "el => getComputedStyle(el).position") == "sticky", missing
        icons = page.eval_on_selector_all("svg", "els => els.map(e => e.getBoundingClientRect().width)")
        assert icons and max(icons) <= 48, (missing, icons)
        hrefs = page.eval_on_selector_all("a[href]:not([href^='javascript:'])", "els => els.map(a => a.href)")
        assert len(hrefs) >= 8
        for href in hrefs:
            path = urlsplit(href).path
            assert href.startswith(base) and path.startswith(PREFIX), (missing, href)
            target = path[len(PREFIX):]
            if path == urlsplit(base + missing).path:
                continue  # the page itself (search's share link)
            assert (built_site / (target or "index.html")).is_file(), (missing, href)
    page.click("article a:text-is('Văn bản')")
    page.wait_for_load_state("load")
    assert page.url == base + "van-ban/index.html"
    page.goto(base + MISSING[2])  # search from the 404 page: index and worker from the site's root
    _search(page, base + MISSING[2], "quyet dinh")
    first = page.eval_on_selector("li.md-search-result__item > a.md-search-result__link", "a => a.href")
    assert first.startswith(base) and (built_site / urlsplit(first).path[len(PREFIX):]).is_file()
    page.wait_for_load_state("networkidle")
    ctx.close()
    assert [u for u in requests if not u.startswith(base)] == []
    assert failures == []
    assert probes == [base + "assets/search-fold.js",  # khong-co.html: one probe, found
                      base + "mot/thu/muc/khong-co/assets/search-fold.js", base + "mot/thu/muc/assets/search-fold.js",
                      base + "mot/thu/assets/search-fold.js", base + "mot/assets/search-fold.js",
                      base + "assets/search-fold.js"]


# --- accessibility ----------------------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_no_wcag21_aa_violation_on_any_page_kind(base, browser, tasks, plans, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.add_init_script(path=str(AXE))
    kinds = page_kinds(tasks, plans)
    found = {}

    def run(tab, name):
        tab.wait_for_load_state("load")
        tab.evaluate("tags => { window.__axe = axe.run(document, {runOnly: {type: 'tag', values: tags},"
                     " resultTypes: ['violations']}) }", WCAG_AA)

    def collect(tab, name):
        violations = tab.evaluate("() => window.__axe.then(r => r.violations)")
        if violations:
            found[name] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]

    if width < 600:  # the phone layout: the Material header and drawer, cards instead of tables
        kinds = {k: v for k, v in one_of_each(kinds).items()
                 if k in ("home", "explorer", "targets", "agency", "shared agency") or k.startswith(("document", "commitment"))}
    kinds["404"] = MISSING[1]  # served with 404.html
    in_tabs(ctx, base, kinds, run, collect)
    ctx.close()
    assert found == {}


# --- keyboard ---------------------------------------------------------------------------------

_FOCUS = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect(), style = getComputedStyle(e);
  return {tag: e.tagName, cls: String(e.className), text: (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 60),
          href: e.href || null, visible: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth
          && style.visibility !== 'hidden' && !!e.checkVisibility && e.checkVisibility({visibilityProperty: true})} }"""


def _tab_to(page, wanted: str, limit: int = 80) -> list[dict]:
    """Press Tab until the focused element matches the CSS selector ``wanted``; every stop on the
    way is returned. Fails if it is not reached."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(_FOCUS))
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", wanted):
            return stops
    raise AssertionError(f"Tab never reached {wanted}: {stops[-5:]}")


@pytest.mark.parametrize("width", [360, 1280])
def test_keyboard_alone_opens_the_menu_searches_filters_and_reaches_a_commitment(base, browser, tasks, width):
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    page = ctx.new_page()
    hidden = []

    def tab_to(selector):
        stops = _tab_to(page, selector)
        hidden.extend((page.url[len(base):], s) for s in stops if s and not s["visible"])
        return stops

    # the menu: a button at 360 px (a drawer), the sidebar at 1280 px
    page.goto(base + "index.html")
    if width < 1220:
        tab_to(".md-header [role=button][aria-controls], .md-header label[for=__drawer]")
        assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
        page.keyboard.press("Enter")
        assert page.is_checked("#__drawer")
        assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
        page.keyboard.press("Escape")
        assert not page.is_checked("#__drawer")
        assert page.evaluate("document.activeElement.matches('.md-header label[for=__drawer]')")
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)  # the drawer slides in
    tab_to(".md-sidebar--primary a[href$='nhiem-vu/index.html']")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "nhiem-vu/index.html")

    # the explorer: skip the filters to the list, or filter, then reach a commitment
    tab_to("a.pp-skip")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#pp-list a.pp-card__title')")
    page.goto(base + "nhiem-vu/index.html")
    tab_to("#pp-f-q")
    page.keyboard.type("chuyen doi so")
    if not page.is_visible("#pp-f-xa"):  # a phone: the lists are folded
        tab_to("#pp-more summary")
        page.keyboard.press("Enter")
    tab_to("#pp-f-xa")
    for _ in range(10):
        if page.input_value("#pp-f-xa") == "thien-phu":
            break
        page.keyboard.press("ArrowDown")
    assert page.input_value("#pp-f-xa") == "thien-phu"
    want = {uid(r) for r in tasks if r["commune"] == "thien-phu" and "chuyen doi so" in " ".join(_card_words(r))}
    assert want and _visible_uids(page) == want
    tab_to("#pp-list > li:not([hidden]) a.pp-card__title")
    target = page.evaluate("document.activeElement.href")
    assert uid_of(target) in want
    page.keyboard.press("Enter")
    page.wait_for_url(target)

    # search: the search button at 360 px, the search box at 1280 px; arrows to a result
    if width < 960:
        tab_to(".md-header label[for=__search]")
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
    else:
        tab_to("input.md-search__input")
    page.keyboard.type("364/QĐ-UBND")
    page.wait_for_function("() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "xa/tue-tinh/qd-364-2026/index.html*")
    ctx.close()
    assert hidden == []  # no Tab stop on something that cannot be seen (a closed menu, a hidden form)


# --- commitments explorer ---------------------------------------------------------------------

def _expected_years(row: dict, plans: dict) -> set[str]:
    """Years a commitment is due: the end of a range; every year of the plan for a recurrence."""
    if row["deadline_kind"] == "range" and row["deadline_end"]:
        return {row["deadline_end"][:4]}
    if row["deadline_kind"] == "recurring":
        doc = next(d for d in plans["documents"] if d["id"] == row["plan_id"])
        period = doc["period"]
        return {str(y) for y in range(period["start"], period["end"] + 1)}
    return set()


FILTERS = [
    ({"linh-vuc": "procedures"}, lambda r, p: r["area"] == "procedures"),
    ({"xa": "thien-phu", "linh-vuc": "institutions"}, lambda r, p: r["commune"] == "thien-phu" and r["area"] == "institutions"),
    ({"co-quan": "thuong-xuan/vp-hdnd-ubnd"},
     lambda r, p: r["commune"] == "thuong-xuan" and "vp-hdnd-ubnd" in r["lead_ids"].split(";")),
    ({"loai": "recurring"}, lambda r, p: r["deadline_kind"] == "recurring"),
    ({"nam": "2027", "ke-hoach": "lung-phinh/kh-cchc-cds-2025-2030"},
     lambda r, p: r["plan_id"] == "lung-phinh/kh-cchc-cds-2025-2030" and "2027" in _expected_years(r, p)),
    ({"nam": "2026", "loai": "range"}, lambda r, p: r["deadline_kind"] == "range" and "2026" in _expected_years(r, p)),
]


def _visible_uids(page) -> set[str]:
    hrefs = page.eval_on_selector_all("#pp-list > li:not([hidden]) a.pp-card__title", "els => els.map(e => e.href)")
    return {uid_of(h) for h in hrefs}


@pytest.mark.parametrize("query,expected", FILTERS, ids=[json.dumps(f[0]) for f in FILTERS])
def test_explorer_filters_with_javascript_and_the_url_can_be_shared(base, browser, tasks, plans, query, expected):
    want = {uid(r) for r in tasks if expected(r, plans)}
    assert want, "the filter should select something in the bundled content"
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base + "nhiem-vu/index.html")
    for name, value in query.items():
        page.select_option(f"#pp-f-{name}", value)
    assert _visible_uids(page) == want
    assert page.inner_text("#pp-count").startswith(f"{len(want)} ")
    shared = page.url
    assert all(f"{k}=" in shared for k in query)
    other = ctx.new_page()  # someone opens the shared link
    other.goto(shared)
    assert _visible_uids(other) == want
    assert other.input_value(f"#pp-f-{next(iter(query))}") == next(iter(query.values()))
    ctx.close()


def test_explorer_text_filter_ignores_diacritics(base, browser, tasks):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base + "nhiem-vu/index.html")
    results = {}
    for q in ["cải cách hành chính", "cai cach hanh chinh", "CẢI CÁCH HÀNH CHÍNH", "định", "dinh", "Đảng", "dang"]:
        page.fill("#pp-f-q", q)
        results[q] = _visible_uids(page)
    assert results["cải cách hành chính"] == results["cai cach hanh chinh"] == results["CẢI CÁCH HÀNH CHÍNH"] != set()
    assert results["dinh"] >= results["định"] != set()
    assert results["dang"] >= results["Đảng"]
    with_dinh = {uid(r) for r in tasks if "định" in fold(r["content"]).lower() or "dinh" in fold(r["content"]).lower()}
    assert results["dinh"] & with_dinh
    ctx.close()


FACET_VALUES = {  # what each list of the explorer means, from tasks.csv
    "xa": lambda r, p: {r["commune"]},
    "ke-hoach": lambda r, p: {r["plan_id"]},
    "linh-vuc": lambda r, p: {r["area"]} if r["area"] else set(),
    "co-quan": lambda r, p: {f"{r['commune']}/{a}" for a in r["lead_ids"].split(";") if a},
    "nam": lambda r, p: _expected_years(r, p),
    "loai": lambda r, p: {r["deadline_kind"]},
}


@pytest.mark.parametrize("query", [{"nam": "2026", "xa": "thien-phu"}, {"linh-vuc": "procedures", "q": "kiểm soát"}],
                         ids=["nam+xa", "linh-vuc+q"])
def test_explorer_counts_follow_the_filters_applied(base, browser, tasks, plans, query):
    """Each option's count is what choosing it would show, given the other conditions chosen."""
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base + "nhiem-vu/index.html?" + "&".join(f"{k}={v}" for k, v in query.items()))
    typed = re.findall(r"[^\W_]+", fold(query.get("q", "")).lower())

    def passes(row, facet):  # every chosen condition but the facet's own
        if typed and not (all(w in _card_words(row) for w in typed[:-1])
                          and any(h.startswith(typed[-1]) for h in _card_words(row))):
            return False
        return all(v in FACET_VALUES[k](row, plans) for k, v in query.items() if k != "q" and k != facet)
    shown = page.eval_on_selector_all("#pp-filter select", """els => Object.fromEntries(els.map(s => [s.name,
        Object.fromEntries([...s.options].filter(o => o.value).map(o => [o.value, o.textContent]))]))""")
    for facet, values in FACET_VALUES.items():
        for value, text in shown[facet].items():
            want = sum(1 for r in tasks if passes(r, facet) and value in values(r, plans))
            assert text.endswith(f"({want})"), (facet, value, text, want)
    assert page.inner_text("#pp-count").startswith(f"{len(_visible_uids(page))} trong")
    ctx.close()


def test_explorer_on_a_phone_shows_commitments_on_the_first_screen(base, browser):
    """At 360 px the seven lists of the filter are folded: the first commitment is on the first
    screen, also when a shared link chose conditions (the fold says how many)."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    page = ctx.new_page()
    for query in ["", "?nam=2026&xa=thien-phu"]:
        page.goto(base + "nhiem-vu/index.html" + query)
        bottom = page.eval_on_selector("#pp-list > li:not([hidden]) a.pp-card__title",
                                       "a => a.getBoundingClientRect().top + 20")
        assert bottom < 740, (query, bottom)
    assert "2 điều kiện" in page.inner_text("#pp-more summary")
    page.click("#pp-more summary")
    assert page.is_visible("#pp-f-nam")
    ctx.close()


def _card_words(row: dict) -> list[str]:
    """The words of a commitment the explorer's text box matches: content, lead, deadline, area (as
    its card shows them), folded; not the name of its plan."""
    text = f"{row['content']} Chủ trì: {row['lead']} Thời hạn: {row['deadline_text'] or '—'} {AREA_NAMES.get(row['area'], '')}"
    return re.findall(r"[^\W_]+", fold(text).lower())


def test_explorer_text_box_matches_whole_words_of_the_commitment_not_its_plan_name(base, browser, tasks):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base + "nhiem-vu/index.html")
    for query in ["chuyển đổi số", "chuyen doi so", "Lùng Phình", "cải cách", "dich vu cong truc tuyen", "kiểm so"]:
        page.fill("#pp-f-q", query)
        typed = re.findall(r"[^\W_]+", fold(query).lower())

        def match(row):
            have = _card_words(row)
            return all(w in have for w in typed[:-1]) and any(h.startswith(typed[-1]) for h in have)
        want = {uid(r) for r in tasks if match(r)}
        assert _visible_uids(page) == want, query
        assert page.inner_text("#pp-count").startswith(f"{len(want)} "), query
    # the plan's name is on every card of the plan: it alone does not make a card match
    page.fill("#pp-f-q", "Lùng Phình")
    assert len(_visible_uids(page)) < sum(r["commune"] == "lung-phinh" for r in tasks)
    page.fill("#pp-f-q", "chuyen doi so")  # whole words: "so" does not find "soạn thảo", "kiểm soát" alone
    assert {uid(r) for r in tasks if "chuyen doi so" in " ".join(_card_words(r))} <= _visible_uids(page)
    assert all("chuyen" in _card_words(r) and "doi" in _card_words(r) for r in tasks if uid(r) in _visible_uids(page))
    ctx.close()


def test_explorer_without_javascript_lists_everything_and_links_every_facet(base, browser, tasks, plans):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base + "nhiem-vu/index.html")
    assert not page.is_visible("#pp-filter")
    assert {uid_of(h) for h in page.eval_on_selector_all("#pp-list a.pp-card__title", "els => els.map(e => e.href)")} \
        == {uid(r) for r in tasks}
    facet_links = page.eval_on_selector_all(".pp-facet a", "els => els.map(e => e.href)")
    checks = {
        "linh-vuc": lambda r, v: r["area"] == v,
        "loai": lambda r, v: r["deadline_kind"] == v,
        "xa": lambda r, v: r["commune"] == v,
        "ke-hoach": lambda r, v: r["plan_id"] == v,
        "nam": lambda r, v: v in _expected_years(r, plans),
    }
    seen = set()
    for href in facet_links:
        path = urlsplit(href).path[len(PREFIX):]
        m = re.fullmatch(r"nhiem-vu/([^/]+)/(.+)/index\.html", path)
        if not m or m[1] not in checks:
            continue
        seen.add(m[1])
        page.goto(href)
        listed = {uid_of(h) for h in page.eval_on_selector_all("ol.pp-cardlist a.pp-card__title", "els => els.map(e => e.href)")}
        assert listed == {uid(r) for r in tasks if checks[m[1]](r, m[2])}, path
    assert seen == set(checks)
    ctx.close()


def test_without_javascript_pages_say_what_does_not_work_and_where_to_look(base, browser, built_site, tasks, plans):
    """No silent failure without JavaScript: a shared filter link says its filter is not applied and
    points to the lists made in advance; every page says search needs JavaScript and links the
    lists by area, agency, year and the site map instead."""
    explorer = read_page(built_site, "nhiem-vu/index.html")
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base + "nhiem-vu/index.html?linh-vuc=procedures&nam=2026")
    note = page.inner_text("#bo-loc-can-javascript")
    assert "Bộ lọc cần JavaScript" in note and "chưa được áp dụng" in note
    assert page.eval_on_selector("#bo-loc-can-javascript a", "a => a.getAttribute('href')").lstrip("#") in explorer.ids
    for name, path in one_of_each(page_kinds(tasks, plans)).items():
        page.goto(base + path)
        assert page.is_visible(".pp-nojs"), name
        assert "tìm kiếm không dùng được" in page.inner_text(".pp-nojs"), name
        for href in page.eval_on_selector_all(".pp-nojs a", "els => els.map(a => a.href)"):
            target, fragment = urlsplit(href).path[len(PREFIX):], urlsplit(href).fragment
            assert (built_site / target).is_file(), (name, href)
            assert not fragment or fragment in read_page(built_site, target).ids, (name, href)
    ctx.close()
    ctx = browser.new_context()  # with JavaScript: none of it shows
    page = ctx.new_page()
    page.goto(base + "nhiem-vu/index.html?linh-vuc=procedures")
    assert page.locator(".pp-nojs").count() == 0 or not page.is_visible(".pp-nojs")
    ctx.close()


def test_one_agency_across_communes_has_one_page_listing_each_communes_work(base, browser, built_site, tasks, plans):
    """ "Văn phòng HĐND và UBND" leads tasks in several communes: one page gathers them, commune by
    commune, and each commune's page of it links there."""
    spelled = {"văn phòng hđnd và ubnd", "văn phòng hội đồng nhân dân và ủy ban nhân dân"}
    offices = {(c["id"], a["id"]) for c in plans["communes"] for a in c["agencies"]
               if a["name"].lower().removesuffix(" xã") in spelled}
    working = {(c, a) for c, a in offices if any(r["commune"] == c and a in (r["lead_ids"] + ";" + r["support_ids"]).split(";")
                                                  for r in tasks)}
    assert len({c for c, _ in working}) >= 2
    index = read_page(built_site, "co-quan/index.html")
    shared = [resolve("co-quan/index.html", u)[0] for t, u in index.links
              if t == "a" and re.fullmatch(r"[^/]+/index\.html", u) and not u.startswith("../")]
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    found = None
    for path in shared:
        page.goto(base + path)
        if page.inner_text("article h1").lower().removesuffix(" xã") in spelled:
            found = path
            break
    assert found, shared
    sections = page.evaluate("""() => [...document.querySelectorAll('article h2[id^="xa-"]')].map(h => {
        const links = []; let el = h.nextElementSibling;
        while (el && el.tagName !== 'H2') { links.push(...[...el.querySelectorAll('a')].map(a => a.href)); el = el.nextElementSibling; }
        return [h.id.slice(3), links]; })""")
    assert {c for c, _ in sections} == {c for c, _ in working}
    for commune, links in sections:
        agency = next(a for c, a in working if c == commune)
        agency_page = f"{base}xa/{commune}/co-quan/{agency}/index.html"
        assert agency_page in links, commune
        led = {uid_of(h) for h in links if "/nhiem-vu/" in h}
        assert led == {uid(r) for r in tasks if r["commune"] == commune and agency in r["lead_ids"].split(";")}, commune
        page_links = read_page(built_site, f"xa/{commune}/co-quan/{agency}/index.html").links
        assert any(resolve(f"xa/{commune}/co-quan/{agency}/index.html", u)[0] == found
                   for t, u in page_links if t == "a" and not u.startswith("javascript:")), commune
    ctx.close()


def test_each_plan_page_opens_with_a_summary_taken_from_the_plan(built_site, tasks, plans):
    """A plan page is long: it opens with its purpose quoted word for word and its counts, areas,
    leading agencies, next deadlines and first targets, before the document itself."""
    seen = 0
    for doc in plans["documents"]:
        mine = [r for r in tasks if r["plan_id"] == doc["id"]]
        if doc["type"] != "KH" or not (mine or doc["targets"]):
            continue
        html = (built_site / "xa" / doc["id"] / "index.html").read_text(encoding="utf-8")
        assert html.index('id="tom-tat"') < html.index('id="thong-tin"'), doc["id"]
        box = re.search(r'<div class="pp-summary"[^>]*>(.*?)</div>', html, re.S)[1]
        text = " ".join(re.sub(r"<[^>]+>", "", box).split())
        quoted = re.search(r"nhằm: “(.+?)” \(trích nguyên văn\)", text)
        assert quoted, doc["id"]
        body = " ".join(re.sub(r"[*_]", "", doc["body"]).split())
        assert quoted[1].replace("&amp;", "&") in body, doc["id"]
        if mine:
            assert f"{len(mine)} nhiệm vụ" in text, doc["id"]
        if doc["targets"]:
            assert f"{len(doc['targets'])} chỉ tiêu" in text, doc["id"]
        for href in re.findall(r'href="([^"]+)"', box):
            target, _ = resolve(f"xa/{doc['id']}/index.html", href)
            assert (built_site / target).is_file(), href
            if "/nhiem-vu/" in target and "/nhiem-vu/index" not in target and target.startswith("xa/"):
                assert uid_of(target) in {uid(r) for r in mine}, href
        seen += 1
    assert seen >= 4


def test_agency_pages_list_what_each_agency_leads_and_supports(base, browser, tasks):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    agencies = {(r["commune"], a) for r in tasks for a in r["lead_ids"].split(";") + r["support_ids"].split(";") if a}
    for commune, agency in sorted(agencies):
        page.goto(f"{base}xa/{commune}/co-quan/{agency}/index.html")
        lists = page.eval_on_selector_all(  # "Nhiệm vụ chủ trì", then "Nhiệm vụ phối hợp"
            "section ol.pp-cardlist", "els => els.map(ol => [...ol.querySelectorAll('a.pp-card__title')].map(a => a.href))")
        want_led = {uid(r) for r in tasks if r["commune"] == commune and agency in r["lead_ids"].split(";")}
        want_sup = {uid(r) for r in tasks if r["commune"] == commune and agency in r["support_ids"].split(";")}
        got = [{uid_of(h) for h in hrefs} for hrefs in lists]
        assert got == [s for s in (want_led, want_sup) if s], (commune, agency)
    ctx.close()


# --- search -----------------------------------------------------------------------------------

def _search(page, base: str, query: str) -> list[str]:
    """Type a query into Material's search box; every result page (all of them, scrolled in)."""
    if not page.url.startswith(base):
        page.goto(base + "index.html")
    if not page.is_visible("input.md-search__input"):  # a phone: the search button opens the search form
        page.click(".md-header label[for=__search]")
    page.fill("input.md-search__input", "")
    page.focus("input.md-search__input")
    page.press("input.md-search__input", "End")
    # ready: the worker has the index and answered the empty query ("Nhập để bắt đầu tìm kiếm")
    page.wait_for_function("() => /Nhập/.test(document.querySelector('.md-search-result__meta').textContent)")
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")  # Material reads the query on keyup
    page.wait_for_function(
        "() => /\\d|Không/.test(document.querySelector('.md-search-result__meta').textContent)")
    meta = page.inner_text(".md-search-result__meta")
    m = re.match(r"(\d+)", meta)
    count = int(m[1]) if m else 0
    for _ in range(count):  # Material renders 10 results, then 4 more each time the list is scrolled to its end
        if page.locator("li.md-search-result__item").count() >= count:
            break
        page.eval_on_selector(".md-search__scrollwrap", "el => el.scrollTop = 0")
        page.wait_for_timeout(15)
        page.eval_on_selector(".md-search__scrollwrap", "el => el.scrollTop = el.scrollHeight")
        page.wait_for_timeout(15)
    hrefs = page.eval_on_selector_all("li.md-search-result__item > a.md-search-result__link",
                                      "els => els.map(e => e.href)")
    results = list(dict.fromkeys(urlsplit(h).path[len(PREFIX):] for h in hrefs))
    assert len(results) == count, (query, meta)
    return results


@pytest.fixture(scope="module")
def search_page(browser, base):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx.new_page()
    ctx.close()


def _distinctive_commitment(tasks: list[dict]) -> tuple[dict, str]:
    """A commitment whose content has an 'đ' word, and its first six words as a query."""
    for row in tasks:
        ws = re.findall(r"\w+", row["content"])
        if len(ws) >= 6 and any("đ" in w.lower() for w in ws[:6]) and any(fold(w) != w for w in ws[:6]):
            return row, " ".join(ws[:6])
    raise AssertionError("no commitment with đ in its first words")


@pytest.fixture(scope="module")
def searches(search_page, base, tasks):
    """Pairs of queries typed with and without diacritics: {query: (result pages, best result's text)}."""
    row, phrase = _distinctive_commitment(tasks)
    pairs = [("cải cách hành chính", "cai cach hanh chinh"), ("định", "dinh"), ("ĐẢNG ỦY", "dang uy"),
             (phrase, fold(phrase))]
    out = {}
    for query in [q for pair in pairs for q in pair]:
        results = _search(search_page, base, query)
        best = search_page.inner_text("li.md-search-result__item >> nth=0") if results else ""
        out[query] = (results, best)
    return {"pairs": pairs, "results": out, "commitment": row, "phrase": phrase}


def test_search_finds_the_same_pages_with_and_without_diacritics(searches, plans):
    results = searches["results"]
    for accented, plain in searches["pairs"]:
        assert results[accented][0] and set(results[accented][0]) == set(results[plain][0]), (accented, plain)
    plan_pages = {f"xa/{d['id']}/index.html" for d in plans["documents"] if d["type"] == "KH"}
    assert plan_pages <= set(results["cai cach hanh chinh"][0])  # over pages ...
    assert task_url(searches["commitment"]) in results[fold(searches["phrase"])][0]  # ... and commitments


def test_search_without_diacritics_finds_words_with_d_stroke(searches, plans):
    """'dinh' finds 'định', 'dang uy' finds 'ĐẢNG ỦY' (U+0111 has no decomposition: NFD alone misses it)."""
    results = searches["results"]
    decision = next(d for d in plans["documents"] if d["type"] == "QĐ")
    assert f"xa/{decision['id']}/index.html" in results["dinh"][0]
    party_plan = next(d for d in plans["documents"] if "/ĐU" in (d["symbol"] or ""))
    assert f"xa/{party_plan['id']}/index.html" in results["dang uy"][0]
    # exact accents rank first: the best result for "định" has "định" itself
    assert "định" in results["định"][1].lower()


# what a reader types → the page they meant, first of the results (several: any of them). Each is
# typed as written here and without diacritics; more are made from plans.json below.
RANKING = [
    ("364/QĐ-UBND", "xa/tue-tinh/qd-364-2026/index.html"),        # a document number finds its document
    ("Quyết định 364", "xa/tue-tinh/qd-364-2026/index.html"),
    ("09/KH-UBND", "xa/thuong-xuan/kh-cchc-2026/index.html"),
    ("Kế hoạch 09/KH-UBND", "xa/thuong-xuan/kh-cchc-2026/index.html"),
    ("Thanh Hóa", ("xa/thien-phu/index.html", "xa/thuong-xuan/index.html")),  # the province: its communes
    ("Hải Phòng", "xa/tue-tinh/index.html"),
    ("Đồng Nai", "xa/phu-trung/index.html"),
    ("Lùng Phình", "xa/lung-phinh/index.html"),
    ("chuyển đổi số", "xa/lung-phinh/kh-cchc-cds-2025-2030/index.html"),  # the plan on it, not "Soạn thảo"
    ("Tập huấn về chuyển đổi số", "xa/thuong-xuan/kh-cchc-2026/nhiem-vu/pl06-3/index.html"),
    ("Cải cách thủ tục hành chính", "xa/phu-trung/kh-cchc-2026-2030/nhiem-vu/nv-2/index.html"),
    ("sáp nhập thôn", "xa/thien-phu/kh-cchc-2026-2030/nhiem-vu/pl-17/index.html"),
    ("Công an xã", "xa/lung-phinh/co-quan/cong-an/index.html"),
    ("Văn phòng Đảng ủy", "xa/lung-phinh/co-quan/vp-dang-uy/index.html"),
    ("Phòng Văn hóa - Xã hội (Thiên Phú)", "xa/thien-phu/co-quan/vhxh/index.html"),
    ("Cải cách hành chính trên địa bàn xã Thường Xuân", "xa/thuong-xuan/kh-cchc-2026/index.html"),
    ("Nguyễn Thị Hạnh", "xa/tue-tinh/qd-364-2026/index.html"),          # who signed it
    ("Phan Văn Đại", "xa/thien-phu/kh-cchc-2026-2030/index.html"),
    ("Theo dõi và dữ liệu mở", "theo-doi/index.html"),
    ("Văn bản", "van-ban/index.html"),
]


def _first_result(page, base: str, query: str) -> str:
    """The first result of a query typed into Material's search box (its page, without #)."""
    if not page.url.startswith(base):
        page.goto(base + "index.html")
    if not page.is_visible("input.md-search__input"):  # a phone: the search button opens the search form
        page.click(".md-header label[for=__search]")
    page.fill("input.md-search__input", "")
    page.focus("input.md-search__input")
    page.press("input.md-search__input", "End")
    page.wait_for_function("() => /Nhập/.test(document.querySelector('.md-search-result__meta').textContent)")
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")
    page.wait_for_function("() => /\\d|Không/.test(document.querySelector('.md-search-result__meta').textContent)")
    hrefs = page.eval_on_selector_all("li.md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)")
    return urlsplit(hrefs[0]).path[len(PREFIX):] if hrefs else ""


def test_search_ranks_first_the_page_the_reader_meant_typed_with_or_without_diacritics(search_page, base, plans):
    cases = list(RANKING)
    for doc in plans["documents"]:  # every number, every commune, as readers type them
        if doc["number"]:
            cases.append((f"{doc['number']}/{doc['symbol']}", f"xa/{doc['id']}/index.html"))
    for commune in plans["communes"]:
        cases.append((commune["name"], f"xa/{commune['id']}/index.html"))
    assert len(cases) >= 20
    wrong = []
    for query, expected in cases:
        wanted = (expected,) if isinstance(expected, str) else expected
        for typed in dict.fromkeys([query, fold(query), fold(query).lower()]):
            got = _first_result(search_page, base, typed)
            if got not in wanted:
                wrong.append(f"{typed!r}: {got} (expected {' or '.join(wanted)})")
    assert wrong == []


def test_javascript_and_python_fold_alike(search_page, base):
    samples = ["Định", "ĐẢNG ỦY", "cải cách hành chính", "Quý IV/2026", "Thường xuyên", "Ưu tiên ở đường",
               "\u0111\u1ecbnh (NFD: " + unicodedata.normalize("NFD", "định") + ")"]
    search_page.goto(base + "index.html")
    assert search_page.evaluate("s => s.map(window.__ppFold)", samples) == [fold(s) for s in samples]


# --- a commitment page holds its row of tasks.csv -----------------------------------------------

def _ddmmyyyy(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def test_commitment_page_shows_everything_its_row_in_tasks_csv_holds(base, browser, tasks, plans):
    from planpub.opendata import FORMULA_START

    checked_columns = {"plan_id", "task_id", "area", "number", "content", "deliverables", "lead", "support",
                       "deadline_text", "deadline_kind", "deadline_start", "deadline_end", "commune", "appendix",
                       "objective", "parent_task", "budget", "lead_ids", "support_ids", "recurrence", "depends_on",
                       "changed_after_signing", "source_section", "lead_section", "deadline_in_source"}
    assert set(TASK_COLUMNS) == checked_columns, "a new column of tasks.csv: check it below too"
    appendix_labels = {(d["id"], a["id"]): a["label"] for d in plans["documents"] for a in d["appendices"]}
    ctx = browser.new_context(java_script_enabled=False)
    shown = {}

    def read(tab, name):
        tab.wait_for_load_state("load")
        shown[name] = tab.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-field]')].map(
            el => [el.dataset.field, {text: el.innerText, links: [...el.querySelectorAll('a')].map(a => a.href)}]))""")

    in_tabs(ctx, base, {uid(row): task_url(row) for row in tasks}, read, lambda tab, name: None)
    ctx.close()
    for row in tasks:
        fields = shown[uid(row)]
        # a CSV cell that starts like a formula carries a leading ' (opendata.safe_cell); the page has the text
        row = {k: v[1:] if v.startswith("'") and v[1:].startswith(FORMULA_START) else v for k, v in row.items()}

        def text(name):
            assert name in fields, (uid(row), name)
            return words(fields[name]["text"])

        def links(name):
            return [urlsplit(h).path[len(PREFIX):] + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "")
                    for h in fields[name]["links"]]

        where = uid(row)
        assert row["plan_id"] in where and f"xa/{row['plan_id']}/index.html" in links("plan_id")
        assert row["task_id"] in text("task_id")
        assert text("content") == words(row["content"]), where
        for item in filter(None, row["deliverables"].split("\n")):
            assert words(item) in text("deliverables"), where
        for col in ("lead", "support"):
            if row[col]:
                assert text(col) == words(row[col]), (where, col)
                ids = [a for a in row[f"{col}_ids"].split(";") if a]
                assert links(col) == [f"xa/{row['commune']}/co-quan/{a}/index.html" for a in ids], (where, col)
            else:
                assert col not in fields or not text(col)
        assert text("deadline_text") == words(row["deadline_text"] or "Không ghi"), where
        assert links("deadline_kind") == [f"nhiem-vu/loai/{row['deadline_kind']}/index.html"], where
        for col in ("deadline_start", "deadline_end"):
            if row[col]:
                assert text(col) == _ddmmyyyy(row[col]), (where, col)
        if row["area"]:
            assert text("area") == AREA_NAMES[row["area"]] and links("area") == [f"nhiem-vu/linh-vuc/{row['area']}/index.html"]
        if row["number"]:
            assert text("number") == row["number"]
        assert links("commune") == [f"xa/{row['commune']}/index.html"]
        if row["appendix"]:
            assert text("appendix").startswith(appendix_labels[(row["plan_id"], row["appendix"])])
            assert links("appendix") == [f"xa/{row['plan_id']}/index.html#nhiem-vu-{row['task_id']}"]
        for col in ("source_section", "lead_section"):
            if row[col]:
                assert text(col) == row[col], (where, col)
            else:
                assert col not in fields, (where, col)
        if row["deadline_in_source"] == "false":
            assert "không ghi thời hạn" in text("deadline_in_source"), where
        for col in ("objective", "parent_task", "budget", "depends_on"):
            if row[col]:
                assert words(row[col]) in text(col), (where, col)
        signed = {"true": "đã được sửa sau khi ký", "false": "như khi ký"}.get(row["changed_after_signing"])
        assert signed in text("changed_after_signing") if signed else "changed_after_signing" not in fields, where
        if row["recurrence"]:
            rec = dict(p.split("=") for p in row["recurrence"].split(";"))
            assert text("recurrence").startswith("Hằng năm"), where
            if "BYMONTH" in rec and "," in rec["BYMONTH"]:  # the three months of a quarter
                quarter = ("I", "II", "III", "IV")[int(rec["BYMONTH"].split(",")[-1]) // 3 - 1]
                assert f"quý {quarter}" in text("recurrence"), where
            elif "BYMONTH" in rec and "BYMONTHDAY" not in rec:
                assert f"tháng {rec['BYMONTH']}" in text("recurrence")
            if "BYMONTHDAY" in rec:
                assert f"{int(rec['BYMONTHDAY']):02d}/{int(rec['BYMONTH']):02d}" in text("recurrence")


# --- feeds and calendars ----------------------------------------------------------------------

def test_calendars_parse_have_rrule_for_recurring_deadlines_and_link_back(built_site, tasks):
    events = {}
    files = sorted(built_site.glob("xa/**/*.ics"))
    assert files
    for ics in files:
        cal = Calendar.from_ical(ics.read_bytes())
        assert str(cal["version"]) == "2.0"
        rel = ics.relative_to(built_site).as_posix()
        for ev in cal.walk("VEVENT"):
            target, _ = resolve(rel, str(ev["url"]))
            assert (built_site / target).is_file(), (rel, ev["url"])
            assert str(ev["uid"]).split("@")[0] == uid_of(target)
            events.setdefault(uid_of(target), []).append((rel, ev))
    for row in tasks:
        plan_file = f"xa/{row['plan_id']}/lich-{row['plan_id'].replace('/', '-')}.ics"
        mine = [ev for rel, ev in events.get(uid(row), []) if rel == plan_file]
        if row["deadline_kind"] == "recurring":
            assert mine and all(ev["rrule"]["FREQ"] == ["YEARLY"] for ev in mine), uid(row)
        elif row["deadline_kind"] == "range" and row["deadline_end"]:
            assert [ev.decoded("dtstart") for ev in mine] == [date.fromisoformat(row["deadline_end"])], uid(row)
            assert all("rrule" not in ev for ev in mine)
        else:
            assert mine == [], uid(row)
        for agency in filter(None, row["lead_ids"].split(";")):
            agency_file = f"xa/{row['commune']}/co-quan/{agency}/lich-{row['commune']}-{agency}.ics"
            if row["deadline_kind"] in ("recurring", "range") and (row["deadline_kind"] == "recurring" or row["deadline_end"]):
                assert any(rel == agency_file for rel, _ in events[uid(row)]), (uid(row), agency_file)


def test_each_calendar_is_named_for_whose_it_is(built_site, plans):
    """A downloaded calendar's file name and the name a calendar app shows both say whose it is."""
    communes = {c["id"]: c for c in plans["communes"]}
    files = sorted(built_site.glob("xa/**/*.ics"))
    assert len({f.name for f in files}) == len(files) >= 10  # no two files of the same name
    for ics in files:
        rel = ics.relative_to(built_site).as_posix()
        commune = communes[rel.split("/")[1]]
        name = str(Calendar.from_ical(ics.read_bytes())["x-wr-calname"])
        assert f"{commune['kind']} {commune['name']}".lower() in name.lower(), (rel, name)
        m = re.fullmatch(r"xa/([^/]+)/co-quan/([^/]+)/([^/]+)\.ics", rel)
        if m:  # an agency's
            agency = next(a for a in commune["agencies"] if a["id"] == m[2])
            assert m[3] == f"lich-{m[1]}-{m[2]}" and agency["name"] in name, rel
        else:  # a plan's
            plan_id = "/".join(rel.split("/")[1:3])
            assert ics.name == f"lich-{plan_id.replace('/', '-')}.ics", rel


def test_without_site_url_the_build_says_so_and_writes_no_address_it_does_not_know(built_site):
    printed = (built_site.parent / "build-stderr.txt").read_text(encoding="utf-8")
    assert "cảnh báo [site-url-missing]" in printed and "site_url:" in printed
    for html in built_site.rglob("*.html"):
        assert "webcal:" not in html.read_text(encoding="utf-8"), html
    for ics in built_site.glob("xa/**/*.ics"):
        cal = Calendar.from_ical(ics.read_bytes())
        assert "source" not in cal and all(not str(ev["url"]).startswith("http") for ev in cal.walk("VEVENT"))


def test_with_site_url_calendars_link_absolutely_and_can_be_subscribed(tmp_path):
    """The portal administrator writes the site's public address into mkdocs.yml: events link to
    it, each calendar says where it lives and gets a subscribe (webcal:) link, sitemap.xml lists
    every page. Built by the real command from a copy of the project with that one line changed."""
    from conftest import AS_OF
    project = tmp_path / "project"
    for part in ("planpub", "templates", "content"):  # the site's mkdocs.yml is the one beside its content/
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
    for part in ("build.py", "pyproject.toml"):
        shutil.copy(ROOT / part, project / part)
    url = "https://tenxa.gov.vn/cong-khai/ke-hoach/"
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n# site_url:" in config
    (project / "mkdocs.yml").write_text(config.replace("\n# site_url:", f"\nsite_url: {url}  #", 1), encoding="utf-8")
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, str(project / "build.py"), "--site", str(site), "--as-of", AS_OF,
                           "--only", "website"],
                          cwd=project, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert "site-url-missing" not in proc.stderr
    files = sorted(site.glob("xa/**/*.ics"))
    assert files
    for ics in files:
        rel = ics.relative_to(site).as_posix()
        cal = Calendar.from_ical(ics.read_bytes())
        assert str(cal["source"]) == url + rel
        assert str(cal["refresh-interval"].to_ical().decode()) == "P1D"
        for ev in cal.walk("VEVENT"):
            assert str(ev["url"]).startswith(url) and (site / str(ev["url"])[len(url):]).is_file(), (rel, ev["url"])
            assert str(ev["url"]) in str(ev["description"])
    doc_page = next(f for f in files if "/co-quan/" not in f.as_posix())
    page = (doc_page.parent / "index.html").read_text(encoding="utf-8")
    rel = doc_page.relative_to(site).as_posix()
    assert f'href="webcal://tenxa.gov.vn/cong-khai/ke-hoach/{rel}"' in page
    assert f"<code>{url}{rel}</code>" in page
    assert _head(doc_page.parent / "index.html").meta["og:url"] == url + doc_page.parent.relative_to(site).as_posix() + "/index.html"
    follow = (site / "theo-doi" / "index.html").read_text(encoding="utf-8")
    assert follow.count('href="webcal://') == len(files)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}
    assert locs and all(loc.startswith(url) for loc in locs)
    assert {loc[len(url):] or "index.html" for loc in locs} == pages


def test_each_calendar_is_what_icalendar_writes_with_its_events_added(built_site, monkeypatch):
    """Events are written once and shared between calendars: each file must still be exactly the
    library's own output for that calendar (events added with ``add_component``, then ``to_ical``)."""
    from conftest import AS_OF
    from planpub.website import calendars, paths as site_paths
    from planpub.website.catalog import Catalog

    site, _ = load_and_check(ROOT / "content", ROOT)
    cat = Catalog(site, date.fromisoformat(AS_OF))
    wanted = [(site_paths.plan_calendar(d.id), lambda d=d, **k: calendars.plan_calendar(cat, d, None, **k))
              for d in cat.documents if cat.has_calendar(d)]
    wanted += [(site_paths.agency_calendar(c, a), lambda c=c, a=a, **k: calendars.agency_calendar(cat, c, a, None, **k))
               for c, a in sorted({*cat.led, *cat.supported}) if cat.agency_has_calendar(c, a)]
    shared: dict = {}
    made = {ics: make(events=shared) for ics, make in wanted}

    def library_only(cal, cat, tasks, ics_path, site_url, events):
        for task in cat.by_deadline(tasks):
            ev = calendars._event(cat, task, calendars._link(ics_path, site_paths.task_page(task.uid), site_url))
            if ev is not None:
                cal.add_component(ev)
        return cal.to_ical()

    monkeypatch.setattr(calendars, "_write", library_only)
    assert len(wanted) >= 10
    for ics, make in wanted:
        assert made[ics] == make(events={}), ics
        assert made[ics] == (built_site / ics).read_bytes(), ics


def test_open_data_says_which_decimal_convention_its_csv_files_use_and_keeps_to_it(built_site):
    """A Vietnamese-locale Excel reads "1.5" as a date: the follow page says the files use a dot."""
    page = (built_site / "theo-doi" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'id="cach-ghi-so">[^<]*số thập phân dùng <strong>dấu chấm</strong>', page)
    with (built_site / "data" / "targets.csv").open(encoding="utf-8-sig", newline="") as f:
        values = [r["value"] for r in csv.DictReader(f)]
    assert any("." in v for v in values)  # there are decimals, all written with a dot
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in values if v)


def test_atom_feed_lists_every_document_with_working_links(built_site, plans):
    import xml.etree.ElementTree as ET
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(built_site / "van-ban.atom").getroot()
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(plans["documents"])
    docs = {d["id"]: d for d in plans["documents"]}
    for e in entries:
        href = e.find("a:link[@rel='alternate']", ns).get("href")
        target, _ = resolve("van-ban.atom", href)
        assert (built_site / target).is_file()
        assert e.find("a:updated", ns).text and e.find("a:id", ns).text.startswith("urn:uuid:")
        # the document's date; a plan issued by a decision: the decision's (never a made-up one)
        doc = docs[target[len("xa/"):-len("/index.html")]]
        d = doc["date"] or docs[doc["attached_to"]]["date"]
        when = d if isinstance(d, str) else f"{d['year']}-{d.get('month') or 1:02d}-{d.get('day') or 1:02d}"
        assert e.find("a:updated", ns).text == f"{when}T00:00:00+07:00", target
        assert ", ." not in e.find("a:summary", ns).text


# --- phones and print ---------------------------------------------------------------------------

def test_tables_are_readable_at_360_px_and_print_as_tables(base, browser, tasks, plans):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    page = ctx.new_page()
    kinds = page_kinds(tasks, plans)
    kinds = {**one_of_each(kinds), **{k: v for k, v in kinds.items() if k.startswith("document ")}}
    for name, path in kinds.items():
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 360, (name, overflow)
        wide = page.evaluate("""() => [...document.querySelectorAll('.md-content table, .md-content td, .md-content dl')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5).length""")
        assert wide == 0, name
        if page.locator("table.pp-table--cards td").count():
            assert page.eval_on_selector("table.pp-table--cards td", "td => getComputedStyle(td).display") == "block"
            page.emulate_media(media="print")
            assert page.eval_on_selector("table.pp-table--cards td", "td => getComputedStyle(td).display") == "table-cell"
            page.emulate_media(media="screen")
    ctx.close()


# --- content is text, never markup -------------------------------------------------------------

class _Markup(HTMLParser):
    """Collects what would run or load: scripts' text, on* attributes, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.handlers, self.js_urls, self._in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:alert"):
                self.js_urls.append((tag, value))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_content_text_never_reaches_a_page_as_markup(tmp_path):
    """Hostile text in every kind of content field is shown as text on every page."""
    site, report = load_and_check(ROOT / "content", ROOT)
    evil = '<script>alert("pp")</script><img src=x onerror=alert(1)> [a](javascript:alert(1)) *x* {#y} & "q"'
    doc = next(d for d in site.documents if d.tasks and d.targets and d.legal_bases)
    commune = next(c for c in site.communes if c.id == doc.commune)
    doc.subject = f"{evil} subject"
    doc.body += f"\n\n{evil}\n\n## {evil}"
    doc.legal_bases[0].text = evil
    doc.tasks[0].content = f"{evil} task"
    doc.tasks[0].deliverables = [evil]
    doc.tasks[0].lead[0].text = evil
    doc.targets[0].name = evil
    doc.targets[0].values[0].value_text = evil
    commune.name = evil
    commune.agencies[0].name = evil
    out = tmp_path / "site"
    paths = Paths.from_options(site=out, build=tmp_path / "build", cache=tmp_path / ".cache", cwd=ROOT)
    render_website(site, out, BuildOptions(paths, as_of=date(2026, 11, 23), stages=("website",)))()
    shown = 0
    for html in out.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        parser = _Markup()
        parser.feed(text)
        assert not [s for s in parser.scripts if 'alert("pp")' in s], html
        assert parser.handlers == [], html
        assert parser.js_urls == [], html
        shown += "&lt;script&gt;alert" in text
    assert shown > 5  # the text itself is there, escaped
    page = (out / f"xa/{doc.id}/nhiem-vu/{doc.tasks[0].id}/index.html").read_text(encoding="utf-8")
    assert "<title>&lt;script&gt;" in page


def test_search_works_from_a_local_copy_opened_as_a_file(built_site, browser):
    """A clerk opens site/index.html from a USB stick: pages and search work without a server."""
    ctx = browser.new_context()
    page = ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((built_site / "xa").as_uri() + "/" + next((built_site / "xa").glob("*/*/index.html")).relative_to(built_site / "xa").as_posix())
    page.focus("input.md-search__input")
    page.fill("input.md-search__input", "quyet dinh")
    page.press("input.md-search__input", "End")
    page.wait_for_function("() => /\\d+ tài liệu/.test(document.querySelector('.md-search-result__meta').textContent)")
    assert [u for u in requests if not u.startswith("file:")] == []
    ctx.close()
