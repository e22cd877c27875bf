"""Footnotes in body text (issue 13 item 8): ND30-style notes at the foot of the PDF page, numbered
notes on the website; never the literal `[^1]`. The fixture is the fictional demo commune."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import run_build
from pdf_helpers import open_pdf

CLEAN = Path(__file__).parent / "fixtures" / "checker" / "clean"
NOTE = "Theo Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ."


@pytest.fixture(scope="module")
def footnoted_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("footnotes")
    content = base / "content"
    shutil.copytree(CLEAN, content)
    body = content / "demo" / "kh-demo-2026" / "body.md"
    text = body.read_text(encoding="utf-8")
    assert "a) Đẩy mạnh cải cách hành chính." in text
    text = text.replace("a) Đẩy mạnh cải cách hành chính.", "a) Đẩy mạnh cải cách hành chính[^1].", 1)
    body.write_text(text + f"\n[^1]: {NOTE}\n", encoding="utf-8")
    site = base / "site"
    proc = run_build("--content", str(content), "--site", str(site), "--as-of", "2026-11-23", "-q")
    assert proc.returncode == 0, proc.stderr
    return site


def test_the_pdf_prints_the_note_at_the_foot_of_its_page(footnoted_site):
    page = open_pdf(str(footnoted_site / "pdf" / "demo" / "kh-demo-2026.pdf")).pages[0]
    text = page.extract_text()
    assert "[^1]" not in text and "[1]" not in text
    lines = page.extract_text_lines()
    note = next(ln for ln in lines if ln["text"].endswith(NOTE))
    assert note["text"] == f"1. {NOTE}"
    assert note["top"] > page.height * 0.75, "at the foot of the page"
    body_bottom = max(ln["bottom"] for ln in lines if ln is not note)
    assert any(abs(r["top"] - note["top"]) < 12 and r["top"] < note["top"] for r in page.lines + page.rects) \
        or body_bottom < note["top"], "a rule over the notes"
    call = next(ln for ln in lines if "Đẩy mạnh cải cách hành chính" in ln["text"])
    chars = [c for c in page.chars if call["top"] - 4 <= c["top"] <= call["bottom"] and c["x0"] >= call["x0"]]
    marker = [c for c in chars if c["text"] == "1"]
    normal = next(c for c in chars if c["text"] == "Đ")
    assert marker and marker[0]["size"] < normal["size"] and marker[0]["bottom"] < normal["bottom"], \
        "the call is a raised, smaller 1"


def test_the_page_lists_the_note_linked_both_ways(footnoted_site):
    html = (footnoted_site / "xa" / "demo" / "kh-demo-2026" / "index.html").read_text(encoding="utf-8")
    assert "[^1]" not in html
    assert re.search(r'<sup class="footnote-ref"><a href="#fn1" id="fnref1"', html)
    assert re.search(r'<li id="fn1" class="footnote-item"><p>' + re.escape(NOTE) + r' <a href="#fnref1"', html)


def test_content_cannot_borrow_the_footnote_classes_or_ids():
    from planpub.markdown import render_markdown

    html = render_markdown('Chữ [liên kết](#fn1 "x") <span class="footnote" id="fn1">y</span>')
    tags = re.findall(r"<[a-z][^>]*>", html)  # real tags only (raw HTML in content is shown as text)
    assert not any('class="footnote' in t or 'id="fn' in t for t in tags), tags
    assert "&lt;span" in html
