"""Lists split into pages (planpub/website/pagination.py), read as a reader does: real Chromium,
without JavaScript, the site served under a sub-path.

The bundled content has 143 commitments and no progress yet: the list "Chưa có báo cáo" holds all
of them, more than one page of a facet list (100), so it is split into two pages.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit


from planpub.website import pagination
from website_server import PREFIX

from test_website import AXE, WCAG_AA, uid, uid_of

LIST = "nhiem-vu/tinh-trang/no_report/index.html"


def test_a_long_list_is_paged_with_plain_links_that_reach_every_item(base, browser, tasks):
    assert len(tasks) > pagination.TASKS_PER_PAGE  # else this list would not be split
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base + LIST)
    count = -(-len(tasks) // pagination.TASKS_PER_PAGE)
    seen, visited = [], []
    while True:
        path = urlsplit(page.url).path[len(PREFIX):]
        visited.append(path)
        k = len(visited)
        cards = page.eval_on_selector_all("ol.pp-cardlist a.pp-card__title", "els => els.map(e => e.href)")
        assert 0 < len(cards) <= pagination.TASKS_PER_PAGE, path
        seen += [uid_of(h) for h in cards]
        navs = page.locator("nav.pp-pager")
        assert navs.count() == 2, path  # above and below the list
        nav = navs.first
        assert nav.get_attribute("aria-label").startswith("Các trang của danh sách"), path
        assert f"Trang {k}/{count}" in nav.inner_text(), path
        current = nav.locator("[aria-current=page]")
        assert current.count() == 1 and current.inner_text() == str(k), path
        assert page.title().endswith(f"(trang {k}/{count}) - Kế hoạch của xã") or k == 1, page.title()
        following = nav.locator("a[rel=next]")
        if not following.count():
            break
        assert "Trang sau" in following.inner_text()
        following.click()
    assert visited == [LIST] + [f"nhiem-vu/tinh-trang/no_report/trang-{n}/index.html" for n in range(2, count + 1)]
    assert sorted(seen) == sorted(uid(r) for r in tasks)  # every commitment once, in deadline order
    page.locator("nav.pp-pager a[rel=prev]").first.click()  # and back
    assert urlsplit(page.url).path[len(PREFIX):] == visited[-2]
    ctx.close()


def test_a_page_of_a_list_passes_axe_and_its_items_stay_findable_by_search(base, browser, built_site, tasks):
    ctx = browser.new_context()
    ctx.add_init_script(path=str(AXE))
    page = ctx.new_page()
    page.goto(base + "nhiem-vu/tinh-trang/no_report/trang-2/index.html")
    violations = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                               ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' ')))",
                               WCAG_AA)
    assert violations == []
    ctx.close()
    # the list pages are left out of search (search: exclude): each item is found by its own page
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {re.sub(r"#.*", "", d["location"]) for d in index["docs"]}
    html = (built_site / "nhiem-vu/tinh-trang/no_report/trang-2/index.html").read_text(encoding="utf-8")
    for href in re.findall(r'<a class="pp-card__title" href="([^"]+)"', html):
        target = re.sub(r"^(\.\./)+", "", href)
        assert target in locations, target
    assert not any(loc.startswith("nhiem-vu/tinh-trang/") for loc in locations)
