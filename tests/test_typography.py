"""Line breaks a văn thư would reject (issue 13 item 10), read from the built PDFs of the bundled
content with pdfplumber: never inside a document number ("84/TTr-" | "VHXH"), between a unit of
local government and its name ("xã" | "Phú Trung"), or inside a year range ("2021" | "- 2030",
a line that then reads as a bullet)."""
from __future__ import annotations

import re

import pytest

from conftest import CONTENT, ROOT
from pdf_helpers import open_pdf

from planpub.pipeline import load_and_check

PDFS = ["pdf/thien-phu/kh-cchc-2026-2030.pdf", "pdf/phu-trung/kh-cchc-2026-2030.pdf",
        "pdf/thuong-xuan/kh-cchc-2026.pdf", "pdf/tue-tinh/qd-364-2026.pdf",
        "pdf/lung-phinh/kh-cchc-cds-2025-2030.pdf"]
UNITS = {"xã", "phường", "tỉnh", "huyện", "XÃ", "PHƯỜNG", "TỈNH"}


def bad_breaks(lines: list[str], names: tuple[str, ...] = ("Phú Trung",)) -> list[str]:
    """Each line break of a text column that splits what must stay on one line. ``names``: the
    names of places that a unit word may stand before (a capital after "xã" at a line's end may
    also start a new paragraph: "… UBND xã" | "Tham mưu …")."""
    found = []
    for line, after in zip(lines, lines[1:]):
        line, after = line.rstrip(), after.lstrip()
        if not line or not after:
            continue
        last, first = line.split()[-1], after.split()[0]
        if re.search(r"\d+(?:/\d{4})?/[A-ZĐ][\w]*-$|\d+/$|\d+-$|\d+(?:/\d{4})?/$", last):
            found.append(f"number: {last} | {first}")
        if re.search(r"(?:19|20)\d{2}$", last) and re.match(r"[-–]\s?(?:19|20)\d{2}|[-–]$", after):
            found.append(f"years: {last} | {after[:8]}")
        if re.match(r"[-–]$", last) and re.match(r"(?:19|20)\d{2}", first) and re.search(r"(?:19|20)\d{2}\s?[-–]$", line):
            found.append(f"years: {line[-8:]} | {first}")
        if last in UNITS and any(after.lower().startswith(n.lower()) for n in names):
            found.append(f"unit: {last} | {first}")
    return found


def test_the_check_finds_each_kind_of_bad_break():
    assert bad_breaks(["Tờ trình số 84/TTr-", "VHXH ngày"]) == ["number: 84/TTr- | VHXH"]
    assert bad_breaks(["giai đoạn 2021", "- 2030 của"]) == ["years: 2021 | - 2030 c"]
    assert bad_breaks(["kế hoạch của xã", "Phú Trung năm"]) == ["unit: xã | Phú"]
    assert bad_breaks(["của UBND xã.", "Trên đây"]) == []


@pytest.mark.parametrize("pdf", PDFS)
def test_no_line_breaks_inside_a_number_a_place_or_a_year_range(built_site, pdf):
    site, _ = load_and_check(CONTENT, ROOT)
    names = tuple({c.name for c in site.communes} | {c.province for c in site.communes if c.province})
    doc = open_pdf(str(built_site / pdf))
    problems = []
    for i, page in enumerate(doc.pages, 1):
        # one column at a time: the words of each table cell or text block, top to bottom
        for table in page.find_tables():
            for row in table.extract():
                for cell in row:
                    problems += [f"p{i} cell: {p}" for p in bad_breaks((cell or "").splitlines(), names)]
        outside = page
        for table in page.find_tables():
            outside = outside.outside_bbox(table.bbox)
        problems += [f"p{i}: {p}" for p in bad_breaks((outside.extract_text() or "").splitlines(), names)]
    assert problems == []


def test_a_decision_that_fits_one_page_within_nd30s_ranges_is_set_on_one(built_site):
    """QĐ 364 (seed 003) at 14 pt and 1.3 lines spilled its last lines and its signature onto page 2
    with 45 mm free on page 1; at 13 pt, single spacing (both within ND30's ranges) it fits."""
    pdf = open_pdf(str(built_site / "pdf/tue-tinh/qd-364-2026.pdf"))
    first = pdf.pages[0].extract_text()
    assert "Nơi nhận:" in first and "Nguyễn Thị Hạnh" in first and "Điều 3." in first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf.pages[1].extract_text(), "page 2 starts the attached plan"
    sizes = {round(c["size"], 1) for c in pdf.pages[0].chars if c["text"].strip()
             and c["top"] > 300 and c["top"] < 500}
    assert sizes <= {13.0, 14.0}, "ND30: the body 13–14 pt"


def test_a_long_plan_keeps_its_size(built_site):
    pdf = open_pdf(str(built_site / "pdf/thuong-xuan/kh-cchc-2026.pdf"))
    body = [c for c in pdf.pages[1].chars if c["text"].strip() and 100 < c["top"] < 700]
    assert {round(c["size"], 1) for c in body} == {14.0}
