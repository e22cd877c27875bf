"""Progress on the website and in the open data, on the fictional demo commune (examples/demo) built
by the real command as of 29/11/2026: statuses in words with an icon, counts, timeline and evidence,
the status facet, actual-versus-planned charts, "Cập nhật lần cuối", the Atom feed, progress.csv and
targets.csv; axe-core in real Chromium finds no WCAG 2.1 AA violation on the new page kinds."""
from __future__ import annotations

import csv
import html
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import yaml
from conftest import DEMO, DEMO_AS_OF, ROOT
from markupsafe import escape
from test_website import AXE, WCAG_AA, in_tabs
from website_crawl import all_pages, read_page, resolve
from website_server import serve

from planpub import progress
from planpub.pipeline import load_and_check

PLAN = "minh-hoa/kh-cchc-2026"
REPORT = "minh-hoa/bc-kh-cchc-2026-2026-q3"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def plan():
    site, report = load_and_check(DEMO, ROOT, date.fromisoformat(DEMO_AS_OF))
    assert not report.errors
    return site.document(PLAN)


@pytest.fixture(scope="module")
def expected(plan) -> dict[str, progress.TaskProgress]:
    return {t.id: progress.task_progress(plan, t, date.fromisoformat(DEMO_AS_OF)) for t in plan.tasks}


def text_of(demo_site, path: str) -> str:
    return (demo_site / path).read_text(encoding="utf-8")


def statuses_shown(page: str) -> list[str]:
    """The statuses a page shows, in order: words with their icon inside the status mark."""
    found = re.findall(r'<span class="pp-status pp-status--([a-z_]+)"><svg class="pp-status__icon"[^>]*aria-hidden="true"'
                       r'[^>]*>.*?</svg>([^<]+)</span>', page)
    for key, words in found:
        assert words.strip() == progress.STATUSES[key], (key, words)
    return [key for key, _ in found]


def counts_table(page: str, caption: str) -> dict[str, int]:
    m = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", page, re.DOTALL)
    assert m, caption
    rows = re.findall(r'pp-status--([a-z_]+)">.*?</span></th><td>(\d+)</td>', m[1], re.DOTALL)
    return {k: int(n) for k, n in rows}


def test_every_commitment_page_shows_its_status_as_of_the_build(demo_site, plan, expected):
    assert {tp.status for tp in expected.values()} == set(progress.STATUSES) - {"in_progress"}
    for task in plan.tasks:
        page = text_of(demo_site, f"xa/{PLAN}/nhiem-vu/{task.id}/index.html")
        shown = statuses_shown(page)
        assert shown[:2] == [expected[task.id].status] * 2, (task.id, shown)
        assert "Tình trạng (tính đến 29/11/2026)" in page


def test_cards_show_the_status(demo_site, expected):
    page = text_of(demo_site, "nhiem-vu/index.html")
    cards = re.findall(r'<li class="pp-card"[^>]*data-tinh-trang="([a-z_]+)"[^>]*>.*?</li>', page, re.DOTALL)
    assert sorted(cards) == sorted(tp.status for tp in expected.values())
    for card in re.findall(r'<li class="pp-card".*?</li>', page, re.DOTALL):
        key = re.search(r'data-tinh-trang="([a-z_]+)"', card)[1]
        assert statuses_shown(card) == [key]


def test_status_facet_lists_each_status(demo_site, expected):
    for status in progress.STATUSES:
        want = sorted(t for t, tp in expected.items() if tp.status == status)
        path = demo_site / f"nhiem-vu/tinh-trang/{status}/index.html"
        if not want:
            assert not path.exists()
            continue
        page = path.read_text(encoding="utf-8")
        assert f"<h1>{progress.STATUSES[status]}</h1>" in page
        got = sorted(re.findall(r'href="\.\./\.\./\.\./xa/minh-hoa/kh-cchc-2026/nhiem-vu/([a-z0-9-]+)/index\.html"', page))
        assert got == want, status


def test_counts_per_plan_commune_and_agency(demo_site, expected):
    all_counts = progress.counts(list(expected.values()))
    plan_page = text_of(demo_site, f"xa/{PLAN}/index.html")
    assert counts_table(plan_page, "Số nhiệm vụ theo tình trạng") == all_counts
    assert '<svg class="pp-chart pp-status-chart"' in plan_page
    commune = text_of(demo_site, "xa/minh-hoa/index.html")
    assert counts_table(commune, "Số nhiệm vụ của xã Minh Họa theo tình trạng") == all_counts
    agency = text_of(demo_site, "xa/minh-hoa/co-quan/ttpvhcc/index.html")
    led = [expected[t] for t in ("pl-3", "pl-4", "pl-6")]
    assert counts_table(agency, "Nhiệm vụ chủ trì theo tình trạng") == progress.counts(led)


def test_timeline_and_evidence(demo_site):
    path = f"xa/{PLAN}/nhiem-vu/pl-3/index.html"
    page = text_of(demo_site, path)
    timeline = re.search(r'<ol class="pp-timeline".*?</ol>', page, re.DOTALL)[0]
    assert '<time datetime="2026-05-10">10/05/2026</time>' in timeline and "70%" in timeline
    href = re.search(r'<a href="([^"]+)">Danh sách thủ tục đã công khai</a>', timeline)[1]
    target, _ = resolve(path, href)
    assert (demo_site / target).read_bytes() == (DEMO / PLAN / "minh-chung" / "danh-sach-tthc.csv").read_bytes()
    late = text_of(demo_site, f"xa/{PLAN}/nhiem-vu/pl-2/index.html")
    order = re.findall(r'<time datetime="([0-9-]+)">', late)
    assert order == ["2026-04-21", "2026-04-01"]  # the latest first
    assert "Hoàn thành ngày 20/04/2026" in late
    stopped = text_of(demo_site, f"xa/{PLAN}/nhiem-vu/pl-7/index.html")
    assert "Lý do dừng" in stopped and "Chờ dự án chung của tỉnh" in stopped
    link = text_of(demo_site, f"xa/{PLAN}/nhiem-vu/pl-1/index.html")
    assert 'href="https://example.org/minh-hoa/bao-cao-ra-soat"' in link


def test_one_quarter_missing_is_shown_per_quarter(demo_site):
    page = text_of(demo_site, f"xa/{PLAN}/nhiem-vu/pl-4/index.html")
    table = re.search(r"<caption>Tình trạng từng kỳ</caption>(.*?)</table>", page, re.DOTALL)[1]
    rows = re.findall(r'<th scope="row">([^<]+)</th>.*?pp-status--([a-z_]+)', table, re.DOTALL)
    assert rows == [("Quý I/2026", "in_progress"), ("Quý II/2026", "in_progress"), ("Quý III/2026", "no_report")]


def test_last_updated_on_every_page_that_shows_a_status(demo_site):
    for path in all_pages(demo_site):
        page = text_of(demo_site, path)
        if 'class="pp-status ' in page and path != "404.html":
            assert "Cập nhật lần cuối: 10/10/2026." in page, path
    assert "Cập nhật lần cuối</dt><dd data-field=\"last_updated\">26/06/2026" in text_of(
        demo_site, f"xa/{PLAN}/nhiem-vu/pl-4/index.html")


def test_every_page_says_it_is_example_data(demo_site, built_site):
    pages = [p for p in all_pages(demo_site) if p != "404.html"]
    assert len(pages) > 20
    for path in pages:
        assert "Dữ liệu ví dụ." in text_of(demo_site, path), path
    assert "Dữ liệu ví dụ." not in (built_site / "index.html").read_text(encoding="utf-8")


def test_targets_actual_against_planned(demo_site):
    page = text_of(demo_site, f"xa/{PLAN}/chi-tieu/index.html")
    assert page.count('<svg class="pp-chart pp-actual-chart"') == 2
    chart = re.search(r'<svg class="pp-chart pp-actual-chart".*?</svg>', page, re.DOTALL)[0]
    assert 'class="pp-bar--planned"' in chart and 'class="pp-bar--actual"' in chart
    assert ">Kế hoạch 2026<" in chart and ">Thực hiện 2026-Q2<" in chart
    assert "<td>48%</td><td>Hệ thống thông tin giải quyết thủ tục hành chính (số liệu giả định)</td>" in page


def test_progress_entries_in_the_atom_feed(demo_site, plan):
    feed = ET.parse(demo_site / "van-ban.atom").getroot()
    entries = [e for e in feed.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title").startswith("Tiến độ: ")]
    assert len(entries) == len(plan.progress)
    assert feed.findtext(f"{ATOM}updated").startswith("2026-11-27")  # the report's date, the latest
    first = entries[0]
    assert first.findtext(f"{ATOM}updated").startswith("2026-10-10")
    assert "Dừng thực hiện" in first.findtext(f"{ATOM}summary")
    href = first.find(f"{ATOM}link").get("href")
    assert (demo_site / href).is_file()


def test_report_is_linked_from_its_plan_and_back(demo_site):
    plan_page = text_of(demo_site, f"xa/{PLAN}/index.html")
    assert 'href="bc-kh-cchc-2026-2026-q3/index.html"' not in plan_page  # links are relative to the page
    assert re.search(r'Báo cáo kết quả thực hiện: <a href="\.\./bc-kh-cchc-2026-2026-q3/index\.html">', plan_page)
    report_page = text_of(demo_site, f"xa/{REPORT}/index.html")
    assert re.search(r'Báo cáo về: <a href="\.\./kh-cchc-2026/index\.html">', report_page)
    # its appendix tables, cell by cell, as the report's content has them
    for appendix in ("appendix-01.yaml", "appendix-02.yaml"):
        table = yaml.safe_load((DEMO / REPORT / appendix).read_text(encoding="utf-8"))
        for row in table["rows"]:
            for key, value in row.items():
                for line in filter(None, value.splitlines()):
                    assert f"<p>{escape(line.strip())}</p>" in report_page, (appendix, key, line)
    assert (demo_site / f"pdf/{REPORT}.pdf").is_file()


# --- open data --------------------------------------------------------------------------------

def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_progress_csv_holds_what_the_site_shows(demo_site, plan, expected):
    rows = read_csv(demo_site / "data" / "progress.csv")
    assert len(rows) == len(plan.progress) + sum(1 for tp in expected.values() if not tp.entries)
    for row in rows:
        page = text_of(demo_site, f"xa/{row['plan_id']}/nhiem-vu/{row['task_id']}/index.html")
        assert statuses_shown(page)[0] == row["status"]
        assert row["status_text"] == progress.STATUSES[row["status"]] and row["as_of"] == DEMO_AS_OF
        if row["date"]:
            day = date.fromisoformat(row["date"])
            assert f'<time datetime="{row["date"]}">{day:%d/%m/%Y}</time>' in page
            assert html.escape(row["note"], quote=False) in page
    pl4 = [r["period"] for r in rows if r["task_id"] == "pl-4"]
    assert pl4 == ["2026-Q1", "2026-Q2"]
    schema = (demo_site / "data" / "schema.json").read_text(encoding="utf-8")
    assert '"ProgressCsvRow"' in schema and '"ProgressEntry"' in schema and '"TargetActual"' in schema


def test_targets_csv_holds_the_actual_values(demo_site):
    rows = [r for r in read_csv(demo_site / "data" / "targets.csv") if r["row_kind"] == "actual"]
    assert [(r["target_id"], r["period"], r["value"], r["unit"]) for r in rows] == [
        ("ct-1", "2026-Q2", "48", "%"), ("ct-2", "2026-H1", "2", "cuộc")]
    page = text_of(demo_site, f"xa/{PLAN}/chi-tieu/index.html")
    for r in rows:
        assert f"<th scope=\"row\">{r['period']}</th><td>{r['value_text']}</td><td>{r['source']}</td>" in page


# --- accessibility ----------------------------------------------------------------------------

NEW_KINDS = {"commitment done late": f"xa/{PLAN}/nhiem-vu/pl-2/index.html",
             "commitment ongoing": f"xa/{PLAN}/nhiem-vu/pl-4/index.html",
             "plan with counts": f"xa/{PLAN}/index.html", "report": f"xa/{REPORT}/index.html",
             "commune": "xa/minh-hoa/index.html", "agency": "xa/minh-hoa/co-quan/ttpvhcc/index.html",
             "targets": f"xa/{PLAN}/chi-tieu/index.html", "status facet": "nhiem-vu/tinh-trang/overdue/index.html",
             "explorer": "nhiem-vu/index.html"}


@pytest.fixture(scope="module")
def demo_base(demo_site):
    with serve(demo_site) as url:
        yield url


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_no_wcag21_aa_violation_on_the_progress_pages(demo_base, browser, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.add_init_script(path=str(AXE))
    found = {}

    def run(tab, name):
        tab.wait_for_load_state("load")
        tab.evaluate("tags => { window.__axe = axe.run(document, {runOnly: {type: 'tag', values: tags},"
                     " resultTypes: ['violations']}) }", WCAG_AA)

    def collect(tab, name):
        violations = tab.evaluate("() => window.__axe.then(r => r.violations)")
        if violations:
            found[name] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]

    in_tabs(ctx, demo_base, NEW_KINDS, run, collect)
    ctx.close()
    assert found == {}


def test_no_horizontal_scroll_at_360(demo_base, browser):
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    tab = ctx.new_page()
    for name, path in NEW_KINDS.items():
        tab.goto(demo_base + path)
        width = tab.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, (name, width)
    ctx.close()


def test_links_of_the_new_pages_resolve(demo_site):
    for path in NEW_KINDS.values():
        page = read_page(demo_site, path)
        for tag, url in page.links:
            if url.startswith(("http:", "https:", "mailto:", "javascript:", "#")):
                continue
            target, _ = resolve(path, url.split("?")[0])
            assert (demo_site / target).exists(), (path, url)
