"""What a new clerk hits in the first hour, tried with the real commands (issue 12): options that mean
the same before and after the command, content rules caught by `check` (never as an internal
error), messages that say what is wrong in Vietnamese only, WeasyPrint's notices about the
machine told once while the build goes on, and a long place name inside the right column."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_build, tree_hash
from pdf_helpers import MM, open_pdf, segments

from planpub.diagnostics import Report
from planpub.errors import BuildFailed
from planpub.load import load_content

CLEAN = Path(__file__).parent / "fixtures" / "checker" / "clean"
DEMO = "demo/kh-demo-2026"


def clean_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CLEAN, content)
    return content


def edit_yaml(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# --- the command line ------------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["before", "after"])
def test_content_means_the_same_before_and_after_the_command(tmp_path, order):
    content = clean_copy(tmp_path)
    edit_yaml(content / DEMO / "document.yaml", truong_la="x")  # breaks the copy, not ./content
    args = ["--content", str(content), "check"] if order == "before" else ["check", "--content", str(content)]
    proc = run_build(*args)
    assert proc.returncode == 1, proc.stderr
    assert str(content / DEMO) in proc.stderr
    assert proc.stderr.splitlines()[-1].endswith("1 lỗi, 0 cảnh báo.")


def test_an_option_the_command_does_not_take_is_refused_in_vietnamese(tmp_path):
    proc = run_build("--site", str(tmp_path / "s"), "check")
    assert proc.returncode == 2
    assert "tùy chọn --site không dùng với lệnh check" in proc.stderr
    assert "usage:" not in proc.stderr and "error:" not in proc.stderr
    assert not (tmp_path / "s").exists()


def test_strict_summary_says_warnings_count_as_errors(tmp_path):
    content = clean_copy(tmp_path)
    edit_yaml(content / DEMO / "document.yaml", place=None)  # a warning: [place-missing]
    plain = run_build("check", "--content", str(content))
    assert plain.returncode == 0 and "[place-missing]" in plain.stderr
    assert "--strict" not in plain.stderr.splitlines()[-1]
    strict = run_build("check", "--strict", "--content", str(content))
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[-1].endswith(
        "0 lỗi, 1 cảnh báo (chế độ --strict: cảnh báo được tính là lỗi).")


# --- content rules are checker errors ------------------------------------------------------------------

@pytest.mark.parametrize("name, problem", [
    ("co-quan", "trùng tên một mục của trang web"),
    ("kh#1?a=b", "chỉ được gồm chữ thường không dấu"),
    ("kh%2e%2e", "chỉ được gồm chữ thường không dấu"),
    ("KH Demo", "chỉ được gồm chữ thường không dấu"),
    ("kh\nmoi", "chỉ được gồm chữ thường không dấu"),
    ("k" * 120, "dài 120 ký tự"),
])
def test_a_document_folder_against_the_name_rule_is_a_checker_error(tmp_path, name, problem):
    content = clean_copy(tmp_path)
    shutil.copytree(content / DEMO, content / "demo" / name)
    check = run_build("check", "--content", str(content))
    assert check.returncode == 1, check.stderr
    shown = name.replace("\n", "\\n")
    pattern = (rf"^{re.escape(str(content / 'demo' / name / 'document.yaml'))}:1:1: lỗi \[folder-name\] "
               rf"Tên thư mục “{re.escape(shown)}” không dùng được: {re.escape(problem)}.*\n    Cách sửa: .+")
    assert re.search(pattern, check.stderr, re.M), check.stderr
    site = tmp_path / "site"
    (site).mkdir()
    (site / "index.html").write_text("cũ", encoding="utf-8")
    before = tree_hash(site)
    build = run_build("--content", str(content), "--site", str(site), "--only", "data")
    assert build.returncode == 1 and "Lỗi nội bộ" not in build.stderr and "Traceback" not in build.stderr
    assert tree_hash(site) == before


def test_a_hidden_document_folder_is_not_dropped_silently(tmp_path):
    content = clean_copy(tmp_path)
    shutil.move(content / DEMO, content / "demo" / "..kh")
    proc = run_build("check", "--content", str(content))
    assert re.search(r"\.\.kh/document\.yaml:1:1: cảnh báo \[hidden-folder\] .+\n    Cách sửa: .+“kh”", proc.stderr), \
        proc.stderr


def test_a_number_with_a_date_lacking_its_day_says_the_day_is_missing(tmp_path):
    content = clean_copy(tmp_path)
    edit_yaml(content / DEMO / "document.yaml", date={"year": 2019, "month": 4})
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1
    line = next(ln for ln in proc.stderr.splitlines() if "[date-form]" in ln)
    assert "còn thiếu ngày (mới ghi tháng 4 năm 2019)" in line and "để trống" not in line
    edit_yaml(content / DEMO / "document.yaml", date={"year": 2019})
    proc = run_build("check", "--content", str(content))
    assert "còn thiếu ngày và tháng (mới ghi năm 2019)" in proc.stderr


# --- messages are Vietnamese -----------------------------------------------------------------------------

#: English words that have no Vietnamese homograph (so "to", "than", "in", "a" are not here).
ENGLISH = re.compile(r"\b(or|and|the|should|must|input|value|valid|invalid|required|expected|string|integer|"
                     r"list|dict|missing|error|warning|field|with|from|equal|greater|less|least|characters|"
                     r"items|allowed|unknown|type|not|is|are|be|of|for|at|on)\b")


def english_words(text: str) -> list[str]:
    """English words of a message, outside `code`, “quotes” and text taken from the content."""
    text = re.sub(r"`[^`]*`|“[^”]*”|'[^']*'|\{[^}]*\}", " ", text)
    return ENGLISH.findall(text)


def _message_strings() -> list[tuple[str, int, str]]:
    """(file, line, text) of every message and hint given to Report.error/warning in planpub/."""
    found = []
    for path in sorted((ROOT / "planpub").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("error", "warning") and len(node.args) >= 4):
                continue
            for arg in node.args[3:] + [k.value for k in node.keywords if k.arg in ("message", "hint")]:
                parts = [arg] if isinstance(arg, ast.Constant) else \
                    [v for v in getattr(arg, "values", []) if isinstance(v, ast.Constant)]
                text = " ".join(p.value for p in parts if isinstance(p.value, str))
                if text:
                    found.append((path.relative_to(ROOT).as_posix(), node.lineno, text))
    return found


def test_every_message_written_in_the_code_is_vietnamese():
    strings = _message_strings()
    assert len(strings) > 50, "the scan found too few messages: it measured nothing"
    english = [(f, n, t, english_words(t)) for f, n, t in strings if english_words(t)]
    assert english == []


BROKEN_VALUES = {  # document.yaml fields → values that make pydantic complain in each of its ways
    "type": "CV",                          # a Literal: pydantic says "'KH' or 'QĐ'"
    "date": {"year": 2026, "month": 13},   # a bound: pydantic says "less than or equal to 12"
    "subject": ["a", "list"],              # a list where text is expected
    "period": {"start": "hai nghìn"},      # not a number, and a missing field
    "signature": "Nguyễn Văn A",           # text where a block is expected
    "corrections": "none",
}


@pytest.mark.parametrize("field", sorted(BROKEN_VALUES))
def test_messages_about_broken_values_have_no_english_word(tmp_path, field):
    content = clean_copy(tmp_path)
    edit_yaml(content / DEMO / "document.yaml", **{field: BROKEN_VALUES[field]})
    report = Report(root=content)
    load_content(content, report)
    assert report.errors, "the broken value was accepted"
    for d in report.items:
        assert english_words(d.message) == [] and english_words(d.hint) == [], d.format()


def test_a_literal_lists_its_choices_in_vietnamese(tmp_path):
    content = clean_copy(tmp_path)
    edit_yaml(content / DEMO / "document.yaml", type="CV")
    proc = run_build("check", "--content", str(content))
    assert "Chỉ nhận một trong: 'KH', 'QĐ', 'BC', 'CTr', 'QYĐ' hoặc 'QC'." in proc.stderr, proc.stderr


# --- WeasyPrint: notices about the machine versus layout problems -------------------------------------------

@pytest.mark.parametrize("html, key", [
    ('<html lang="vi"><style>p { colr: red }</style><p>x</p>', "css-ignored"),
    ('<html lang="vi"><p>chữ \ue000 riêng</p>', "missing-glyph"),
    ('<html lang="vi"><p><img src="khong-co.png" alt="x"></p>', "image-not-loaded"),
])
def test_a_warning_that_changes_the_layout_stops_the_build(html, key):
    from planpub.pdf.render import html_to_pdf

    with pytest.raises(BuildFailed, match=re.escape(f"[{key}]")):
        html_to_pdf(html)


@pytest.mark.parametrize("message, kind, key", [
    ('Using fontTools instead of HarfBuzz-Subset for font "Liberation Serif". This will be unsupported in future '
     'versions of WeasyPrint. Please install HarfBuzz-Subset >= 4.1.0 with your package manager.',
     "notice", "pdf-subset-fonttools"),
    ('Unable to subset "Liberation Serif" with HarfBuzz', "notice", "pdf-subset-failed"),
    ('.notdef glyph rendered for Unicode string unsupported by fonts: "中" (U+4E2D)', "layout", "missing-glyph"),
    ("Ignored `colr: red` at 1:5, unknown property.", "layout", "css-ignored"),
    ("Failed to load image at 'x.png': not found", "layout", "image-not-loaded"),
    ("Something WeasyPrint may say one day", "layout", "unknown"),
])
def test_both_kinds_of_weasyprint_message_are_listed_with_what_they_match(message, kind, key):
    from planpub.pdf.render import classify

    assert classify(message) == (kind, key)


def _subset_library() -> Path:
    out = subprocess.run(["dpkg", "-L", "libharfbuzz-subset0"], capture_output=True, text=True, check=True).stdout
    return next(Path(p) for p in out.splitlines() if re.search(r"/libharfbuzz-subset\.so\.0\.\d", p))


def test_without_harfbuzz_subset_the_build_publishes_every_pdf_and_says_so_once(tmp_path):
    """The README's build with libharfbuzz-subset0 hidden (/dev/null mounted over it in a private
    mount namespace): WeasyPrint falls back to fontTools; the build goes on, with one warning."""
    library = _subset_library()
    content = clean_copy(tmp_path)
    site = tmp_path / "site"
    script = (f"mount --bind /dev/null {library} && exec {sys.executable} {ROOT / 'build.py'} --full -q "
              f"--content {content} --site {site} --as-of 2026-11-23")
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("[pdf-subset-fonttools]") == 1, proc.stderr
    assert "libharfbuzz-subset0" in proc.stderr
    pdfs = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.pdf"))
    assert pdfs == ["pdf/demo/kh-demo-2026.pdf"]
    assert open_pdf(str(site / pdfs[0])).pages[0].extract_text().startswith("ỦY BAN NHÂN DÂN")
    # and with the library, no notice at all
    again = run_build("--full", "-q", "--content", str(content), "--site", str(tmp_path / "site2"),
                      "--as-of", "2026-11-23")
    assert again.returncode == 0 and "pdf-subset" not in again.stderr, again.stderr


# --- the place and date line stays inside the right column ----------------------------------------------

#: The official names of the 34 provinces and centrally-run cities since 12/6/2025 (Nghị quyết
#: 202/2025/QH15), as a place line writes them.
PROVINCES = [
    "Thành phố Hà Nội", "Thành phố Huế", "Thành phố Hải Phòng", "Thành phố Đà Nẵng", "Thành phố Hồ Chí Minh",
    "Thành phố Cần Thơ", "Tuyên Quang", "Cao Bằng", "Lai Châu", "Lào Cai", "Thái Nguyên", "Điện Biên",
    "Lạng Sơn", "Sơn La", "Phú Thọ", "Bắc Ninh", "Quảng Ninh", "Hưng Yên", "Ninh Bình", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh",
    "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
RIGHT_COLUMN = (30 - 3 + 62 + 12) * MM, (30 - 3 + 171) * MM   # nd30.css: the right column's text, in points


def test_the_list_has_the_34_provinces():
    assert len(set(PROVINCES)) == 34


@pytest.mark.parametrize("place", sorted(PROVINCES, key=len, reverse=True)[:4])
def test_a_long_place_name_stays_inside_the_right_column(tmp_path, place):
    from planpub.pdf.render import document_html, html_to_pdf

    content = clean_copy(tmp_path)
    edit_yaml(content / DEMO / "document.yaml", place=place, date="2019-01-15")
    report = Report(root=content)
    site = load_content(content, report)
    assert not report.errors
    pdf_path = tmp_path / "x.pdf"
    pdf_path.write_bytes(html_to_pdf(document_html(site.documents[0], site)))
    page = open_pdf(str(pdf_path)).pages[0]
    lines = [s for s in segments(page) if s.top < 200 and ("ngày 15 tháng 01 năm 2019" in s.text or place in s.text)]
    assert lines, [s.text for s in segments(page)][:12]
    text = " ".join(s.text for s in lines)
    assert f"{place}, ngày 15 tháng 01 năm 2019" in text      # nothing lost, the place and the date whole
    for s in lines:
        assert RIGHT_COLUMN[0] - 1 <= s.x0 and s.x1 <= RIGHT_COLUMN[1] + 1, (s.text, s.x0, s.x1)
        assert s.x1 <= page.width - 15 * MM
        centre = (s.x0 + s.x1) / 2
        assert abs(centre - sum(RIGHT_COLUMN) / 2) < 2, (s.text, centre)
