"""``build.py check`` on broken copies of the seeds: a precise message per problem, the right exit code.

Each case breaks one file of a copy of content/ the way a clerk might, runs the real command, and
asserts the exit code, ``file:line:column``, the English key in brackets, the Vietnamese message and
its ``Cách sửa:`` hint, and that no traceback reaches the clerk.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, run_build
from planpub.diagnostics import Report
from planpub.load import load_content

SEEDS = ROOT / "tests" / "fixtures" / "seeds"  # the five source texts (copied from ../shared/seeds)
FIXTURES = Path(__file__).parent / "fixtures" / "checker"
THIEN_PHU = Path("thien-phu") / "kh-cchc-2026-2030"
THUONG_XUAN = Path("thuong-xuan") / "kh-cchc-2026"
LUNG_PHINH = Path("lung-phinh") / "kh-cchc-cds-2025-2030"
TUE_TINH_PLAN = Path("tue-tinh") / "kh-cchc-2026-2030"
TUE_TINH_QD = Path("tue-tinh") / "qd-364-2026"
SEVERITY = {"error": "lỗi", "warning": "cảnh báo"}
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.I)
DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>lỗi|cảnh báo) \[(?P<key>[a-z0-9-]+)\] "
                  r"(?P<message>.+)$", re.M)


# --- helpers ----------------------------------------------------------------------------------

def check(content: Path, *options: str) -> subprocess.CompletedProcess:
    proc = run_build("check", *options, "--content", str(content))
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    assert "Lỗi nội bộ" not in proc.stderr, proc.stderr  # bad content is never "our" failure
    assert proc.returncode in (0, 1), proc.stderr
    return proc


def diag(proc: subprocess.CompletedProcess, path: Path, line: int, column: int | None, severity: str,
         key: str) -> tuple[str, str]:
    """The message and hint of the diagnostic at ``path:line:column``; fails if there is none."""
    col = r"\d+" if column is None else str(column)
    rx = re.compile(rf"^{re.escape(str(path))}:{line}:{col}: {SEVERITY[severity]} \[{re.escape(key)}\] (.+)\n"
                    r"    Cách sửa: (.+)$", re.M)
    m = rx.search(proc.stderr)
    assert m, f"no {severity} [{key}] at {path}:{line}:{column} in:\n{proc.stderr}"
    message, hint = m[1], m[2]
    assert VIETNAMESE.search(message) and VIETNAMESE.search(hint), (message, hint)
    return message, hint


def diags(proc: subprocess.CompletedProcess, path: Path | None = None, key: str | None = None) -> list[tuple]:
    """Every diagnostic as (file, line, column, severity, key), optionally of one file or one key."""
    out = []
    for m in DIAG.finditer(proc.stderr):
        if path is not None and m["file"] != str(path):
            continue
        if key is not None and not re.fullmatch(key, m["key"]):
            continue
        out.append((m["file"], int(m["line"]), int(m["column"]), m["severity"], m["key"]))
    return out


def line_of(path: Path, pattern: str, nth: int = 0) -> int:
    hits = [i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if re.search(pattern, ln)]
    assert len(hits) > nth, (path, pattern, hits)
    return hits[nth]


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def summary(proc) -> str:
    return proc.stderr.strip().splitlines()[-1]


def seed_lines(seed: str) -> list[str]:
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    return path.read_text(encoding="utf-8").splitlines()


# --- the bundled content ------------------------------------------------------------------------

def test_bundled_content_has_no_error():
    proc = check(ROOT / "content")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"Kiểm tra: 6 văn bản, 143 nhiệm vụ, \d+ chỉ tiêu; 0 lỗi, \d+ cảnh báo\.$", summary(proc)), proc.stderr
    assert diags(proc, key=".*") == [d for d in diags(proc) if d[3] == "cảnh báo"]


# --- YAML ---------------------------------------------------------------------------------------

def test_yaml_syntax_error(content_copy):
    path = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(path, r"^place: Thiên Phú$")
    replace(path, "place: Thiên Phú\n", "place: Thiên Phú: xã Thiên Phú\n")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, len("place: Thiên Phú") + 1, "error", "yaml-syntax")
    assert message.startswith("Lỗi cú pháp YAML")
    assert "thụt lề" in hint and "ngoặc kép" in hint
    assert len(diags(proc, path)) == 1


def test_yaml_missing_colon(content_copy):
    path = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(path, r"^place: Thiên Phú$")
    replace(path, "place: Thiên Phú\n", "place Thiên Phú\n")
    proc = check(content_copy)
    assert proc.returncode == 1
    # the parser notices on the next line, at its first column
    message, _ = diag(proc, path, lineno + 1, 1, "error", "yaml-syntax")
    assert "thiếu dấu `:` sau tên trường" in message


@pytest.mark.parametrize("old, new, explanation", [
    ("place: Thiên Phú\n", "place: Thiên Phú: xã\n", "có dấu `:` ở chỗ không được phép"),
    ("  short: UBND xã Thiên Phú\n", "\tshort: UBND xã Thiên Phú\n", "có ký tự Tab ở đầu dòng"),
])
def test_yaml_problem_explained_in_vietnamese(content_copy, old, new, explanation):
    path = content_copy / THIEN_PHU / "document.yaml"
    replace(path, old, new)
    proc = check(content_copy)
    assert proc.returncode == 1
    assert any(explanation in m["message"] for m in DIAG.finditer(proc.stderr) if m["key"] == "yaml-syntax"), proc.stderr


# --- fields -------------------------------------------------------------------------------------

def test_unknown_agency_lists_nearest_names(content_copy):
    path = content_copy / THIEN_PHU / "appendix-01.yaml"
    lineno = line_of(path, r"^\s+lead: \[Văn phòng HĐND - UBND\]$")
    replace(path, "lead: [Văn phòng HĐND - UBND]", "lead: [Văn phòng HĐND - UBNX]")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, 9, "error", "unknown-agency")
    assert message == "Không có cơ quan “Văn phòng HĐND - UBNX” trong commune.yaml."
    assert hint.startswith("Tên gần nhất: “Văn phòng HĐND - UBND”")
    assert "aliases" in hint


def test_missing_field_of_the_document(content_copy):
    path = content_copy / THIEN_PHU / "document.yaml"
    replace(path, re.search(r"^subject: .*\n", path.read_text(encoding="utf-8"), re.M)[0], "")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, 1, 1, "error", "missing-field")
    assert message == "Thiếu trường bắt buộc `subject`."
    assert hint.startswith("Thêm dòng `subject: …`")


def test_missing_field_of_a_task_points_at_the_task(content_copy):
    path = content_copy / THIEN_PHU / "appendix-01.yaml"
    task_line = line_of(path, r"^\s+- number: 2$")
    replace(path, "        content: Xây dựng và tổ chức thực hiện Kế hoạch kiểm tra, rà soát văn bản QPPL.\n", "")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, _ = diag(proc, path, task_line, 9, "error", "missing-field")
    assert message == "Thiếu trường bắt buộc `content`."


def test_unknown_field_says_did_you_mean(content_copy):
    doc = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(doc, r"^subject: ")
    replace(doc, "\nsubject: ", "\nsubjet: ")
    appendix = content_copy / THIEN_PHU / "appendix-01.yaml"
    deliverables_line = line_of(appendix, r"^\s+deliverables:$")
    replace(appendix, "        deliverables:\n", "        deliverable:\n")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, doc, lineno, 1, "error", "unknown-field")
    assert message == "Trường `subjet` không có trong mẫu."
    assert hint.startswith("Có phải là `subject`?")
    message, hint = diag(proc, appendix, deliverables_line, 9, "error", "unknown-field")
    assert message == "Trường `deliverable` không có trong mẫu."
    assert hint.startswith("Có phải là `deliverables`?")


# --- numbering ----------------------------------------------------------------------------------

def test_duplicate_task_number(content_copy):
    path = content_copy / THIEN_PHU / "appendix-01.yaml"
    first, third = line_of(path, r"^\s+- number: 2$"), line_of(path, r"^\s+- number: 3$")
    replace(path, "      - number: 3\n", "      - number: 2\n")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, third, 9, "error", "task-number-duplicate")
    assert message == f"Số thứ tự 2 của nhiệm vụ bị trùng (đã dùng ở dòng {first})."
    assert hint == "Đánh số lại cho liên tục: nhiệm vụ ở dòng này là số 3."
    assert len(diags(proc, path, "task-number-.*")) == 1


def test_skipped_task_number_is_one_message(content_copy):
    """Tasks numbered 1, 2, 4, 5 … 37: one message at the gap, not one for every task after it."""
    path = content_copy / THIEN_PHU / "appendix-01.yaml"
    gap = line_of(path, r"^\s+- number: 3$")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^(\s+- number: )(\d+)", lambda m: m[1] + str(int(m[2]) + (int(m[2]) >= 3)), text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, gap, 9, "error", "task-number-skipped")
    assert message == "Số thứ tự của nhiệm vụ là 4, nhưng theo thứ tự phải là 3."
    assert hint.startswith("Sửa thành 3")
    assert diags(proc, path, "task-number-.*") == [(str(path), gap, 9, "lỗi", "task-number-skipped")]


def test_seed_000_two_tasks_numbered_34(content_copy):
    """Seed 000 prints "34." on the row where task 18 belongs, and again on task 34."""
    raw = (FIXTURES / "seed-000-two-tasks-34.txt").read_text(encoding="utf-8").splitlines()
    seed = seed_lines("000")
    assert raw == [seed[344], seed[366]]  # lines 345 and 367, verbatim
    rows = [line.split("\t") for line in raw]
    assert [r[0] for r in rows] == ["34.", "34."]
    path = content_copy / THIEN_PHU / "appendix-01.yaml"
    text = path.read_text(encoding="utf-8").splitlines()
    # put the printed number back on the row that content/ corrected (its content is the seed's, verbatim)
    content_line = line_of(path, rf"^\s+content: {re.escape(rows[0][1].strip())}$")
    planted = content_line - 1
    assert re.match(r"^\s+- number: 18\b", text[planted - 1])
    text[planted - 1] = "      - number: 34"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    second = line_of(path, rf"^\s+content: {re.escape(rows[1][1].strip())}$") - 1
    assert re.match(r"^\s+- number: 34$", text[second - 1])

    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, second, 9, "error", "task-number-duplicate")
    assert message == f"Số thứ tự 34 của nhiệm vụ bị trùng (đã dùng ở dòng {planted})."
    assert hint == "Đánh số lại cho liên tục: nhiệm vụ ở dòng này là số 34."
    message, hint = diag(proc, path, planted, 9, "error", "task-number-skipped")
    assert message == "Số thứ tự của nhiệm vụ là 34, nhưng theo thứ tự phải là 18."
    assert len(diags(proc, path, "task-number-.*")) == 2  # one per wrong row, none for the rows between


# --- points a b c d đ e g h … -------------------------------------------------------------------

def test_f_point(content_copy):
    path = content_copy / THUONG_XUAN / "body.md"
    lineno = line_of(path, r"^c\) Chủ động rà soát, kiểm tra văn bản quy phạm pháp luật")
    next_point = line_of(path, r"^d\) Tổ chức triển khai có hiệu quả công tác tổ chức thi hành pháp luật")
    replace(path, "c) Chủ động rà soát, kiểm tra", "f) Chủ động rà soát, kiểm tra")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, 1, "error", "point-letter")
    assert message == "Điểm “f)” không có trong thứ tự chữ cái tiếng Việt (a b c d đ e g h i k …)."
    assert hint == "Sửa thành “c)”."
    assert not [d for d in diags(proc, path) if d[1] == next_point]  # "d)" after it is where it belongs


def test_point_out_of_order(content_copy):
    path = content_copy / THUONG_XUAN / "body.md"
    lineno = line_of(path, r"^d\) Tổ chức triển khai có hiệu quả công tác tổ chức thi hành pháp luật")
    replace(path, "d) Tổ chức triển khai có hiệu quả công tác tổ chức thi hành", "b) Tổ chức triển khai có hiệu quả "
                                                                              "công tác tổ chức thi hành")
    # and in the next list, a repeated letter followed by the right one
    repeated = line_of(path, r"^b\) Thường xuyên theo dõi, đôn đốc")
    after = repeated + 2
    assert path.read_text(encoding="utf-8").splitlines()[after - 1].startswith("c) ")
    replace(path, "b) Thường xuyên theo dõi, đôn đốc", "a) Thường xuyên theo dõi, đôn đốc")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, 1, "error", "point-order")
    assert message == "Điểm “b)” đứng sau “c)”, sai thứ tự."
    assert hint.startswith("Sửa thành “d)”")
    message, hint = diag(proc, path, repeated, 1, "error", "point-order")
    assert message == "Điểm “a)” đứng sau “a)”, sai thứ tự."
    assert hint.startswith("Sửa thành “b)”")
    assert not [d for d in diags(proc, path) if d[1] == after]  # "c)" then stands where it belongs


def test_seed_003_f_point(content_copy):
    """Seed 003 writes a b c d đ e f g: "f)" is no Vietnamese letter, and "g)" after it is out of order."""
    fixture = (FIXTURES / "seed-003-point-f.md").read_text(encoding="utf-8")
    assert fixture.splitlines() == seed_lines("003")[119:144]  # lines 120-144, verbatim
    path = content_copy / TUE_TINH_PLAN / "body.md"
    path.write_text(fixture, encoding="utf-8")
    f_line = fixture.splitlines().index(next(ln for ln in fixture.splitlines() if ln.startswith("f) "))) + 1
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, f_line, 1, "error", "point-letter")
    assert message.startswith("Điểm “f)” không có trong thứ tự chữ cái tiếng Việt")
    assert hint == "Sửa thành “g)”."
    message, hint = diag(proc, path, f_line + 2, 1, "error", "point-order")
    assert message == "Điểm “g)” đứng sau “f)”, sai thứ tự."
    assert hint.startswith("Sửa thành “h)”")
    assert len(diags(proc, path)) == 2


# --- dates --------------------------------------------------------------------------------------

def test_31_thang_6_in_the_body(content_copy):
    path = content_copy / THIEN_PHU / "body.md"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    sentence = "Các phòng báo cáo kết quả trước ngày 31 tháng 6 năm 2026."
    path.write_text(text + "\n\n" + sentence + "\n", encoding="utf-8")
    lineno = len(text.splitlines()) + 2
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, sentence.index("31") + 1, "error", "impossible-date")
    assert message == "Ngày “31 tháng 6 năm 2026” không tồn tại."
    assert "tháng 4, 6, 9, 11 có 30 ngày" in hint


def test_seed_004_31_thang_6(content_copy):
    fixture = (FIXTURES / "seed-004-31-thang-6.md").read_text(encoding="utf-8")
    assert fixture.splitlines() == seed_lines("004")[46:50]  # lines 47-50, verbatim
    path = content_copy / LUNG_PHINH / "body.md"
    path.write_text(fixture, encoding="utf-8")
    lines = fixture.splitlines()
    lineno = next(i for i, ln in enumerate(lines, 1) if "31 tháng 6" in ln)
    proc = check(content_copy)
    assert proc.returncode == 1
    message, _ = diag(proc, path, lineno, lines[lineno - 1].index("31 tháng 6") + 1, "error", "impossible-date")
    assert message == "Ngày “31 tháng 6 năm 2025” không tồn tại."
    # the corrections recorded in document.yaml quote the slip, and are not flagged
    assert diags(proc, content_copy / LUNG_PHINH / "document.yaml", "impossible-date") == []


def test_impossible_document_date(content_copy):
    path = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(path, r"^date: ")
    replace(path, "date: {year: 2026, month: 1}", "date: {year: 2026, month: 2, day: 30}")
    replace(path, "number: null", 'number: "05"')
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, 1, "error", "impossible-date")
    assert message == "Ngày 30 tháng 2 năm 2026 không tồn tại."
    assert "tháng 2 có 28 hoặc 29" in hint


def test_impossible_document_date_written_as_iso(content_copy):
    path = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(path, r"^date: ")
    replace(path, "date: {year: 2026, month: 1}", "date: 2026-02-30")
    replace(path, "number: null", 'number: "05"')
    proc = run_build("check", "--content", str(content_copy))
    assert proc.returncode == 1, proc.stderr
    assert re.search(rf"^{re.escape(str(path))}:{lineno}:\d+: lỗi \[(impossible-date|yaml-[a-z-]+)\]", proc.stderr, re.M)


def test_deadline_written_as_a_bare_year(content_copy):
    path = content_copy / THUONG_XUAN / "appendix-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'deadline: "Cả năm 2026"' in text
    path.write_text(text.replace('deadline: "Cả năm 2026"', "deadline: 2026", 1), encoding="utf-8")
    proc = check(content_copy)
    assert proc.returncode == 0, proc.stderr
    assert not diags(proc, path)


# --- ND30 header --------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["5", '"5"'])
def test_number_below_10_needs_a_leading_zero(content_copy, written):
    path = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(path, r"^number: ")
    replace(path, "number: null", f"number: {written}")
    replace(path, "date: {year: 2026, month: 1}", "date: 2026-01-15")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, 1, "error", "number-form")
    assert message == "Số văn bản dưới 10 phải có số 0 ở đầu: “05”, không phải “5”."
    assert hint == 'Ghi `number: "05"` (trong ngoặc kép).'


def test_symbol_with_a_space(content_copy):
    path = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(path, r"^symbol: ")
    replace(path, "symbol: KH-UBND", "symbol: KH- UBND")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, 1, "error", "symbol-form")
    assert message == "Ký hiệu “KH- UBND” không đúng dạng ND30 cho kế hoạch."
    assert hint.startswith("Viết liền, không dấu cách")


# --- files --------------------------------------------------------------------------------------

def test_invalid_utf8(content_copy):
    path = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(path, r"^symbol: KH-UBND")
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"symbol: KH-UBND", b"symbol: KH-\xff\xfeUBND", 1))
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, lineno, len("symbol: KH-") + 1, "error", "encoding")
    assert message.startswith("Tệp không phải văn bản UTF-8 hợp lệ")
    assert "UTF-8" in hint


def test_nfd_text_is_a_warning_and_still_loads(content_copy):
    path = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(path, r"^place: Thiên Phú$")
    replace(path, "place: Thiên Phú\n", unicodedata.normalize("NFD", "place: Thiên Phú\n"))
    assert unicodedata.normalize("NFD", "Thiên") in path.read_text(encoding="utf-8")
    proc = check(content_copy)
    assert proc.returncode == 0, proc.stderr
    message, hint = diag(proc, path, lineno, 1, "warning", "not-nfc")
    assert "NFD" in message and "NFC" in hint
    assert not diags(proc, path.parent.parent)  # nothing else about the plan
    report = Report(root=content_copy.parent)
    site = load_content(content_copy, report)
    doc = site.document("thien-phu/kh-cchc-2026-2030")
    assert doc is not None and doc.place == "Thiên Phú" and len(doc.tasks) == 36
    strict = check(content_copy, "--strict")
    assert strict.returncode == 1
    diag(strict, path, lineno, 1, "warning", "not-nfc")


def test_empty_file(content_copy):
    path = content_copy / THIEN_PHU / "appendix-01.yaml"
    path.write_text("", encoding="utf-8")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, _ = diag(proc, path, 1, 1, "error", "empty-file")
    assert message == "Tệp trống."


def test_file_over_2_mb(content_copy):
    path = content_copy / THIEN_PHU / "appendix-01.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("# " + "x" * 98 + "\n") * 21_000, encoding="utf-8")
    assert path.stat().st_size > 2_000_000
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, path, 1, 1, "error", "file-too-large")
    assert message.startswith("Tệp quá lớn")
    assert "phụ lục" in hint


def test_appendix_file_outside_the_folder(content_copy):
    doc = content_copy / THIEN_PHU / "document.yaml"
    lineno = line_of(doc, r"^\s+file: appendix-01.yaml$")
    replace(doc, "file: appendix-01.yaml", "file: ../x.yaml")
    outside = content_copy / "thien-phu" / "x.yaml"
    outside.write_text("shape: [task_table\n", encoding="utf-8")  # would be a YAML error if it were read
    proc = check(content_copy)
    assert proc.returncode == 1
    message, hint = diag(proc, doc, lineno, None, "error", "path-outside")
    assert message == "Tệp phụ lục “../x.yaml” phải nằm ngay trong thư mục văn bản."
    assert hint.startswith("Chỉ ghi tên tệp")
    # never read (no YAML error); only said to be a file where a document folder belongs
    assert [d[4] for d in diags(proc, outside)] == ["not-a-folder"]


def test_appendix_symlink_outside_the_content(content_copy, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("shape: [task_table\n", encoding="utf-8")
    appendix = content_copy / THIEN_PHU / "appendix-01.yaml"
    appendix.unlink()
    os.symlink(secret, appendix)
    doc = content_copy / THIEN_PHU / "document.yaml"
    proc = check(content_copy)
    assert proc.returncode == 1
    diag(proc, doc, line_of(doc, r"^\s+file: appendix-01.yaml$"), None, "error", "path-outside")
    assert "secret.yaml" not in proc.stderr


# --- links between documents ----------------------------------------------------------------------

def test_decisions_replacing_each_other_in_a_cycle(content_copy):
    qd364 = content_copy / TUE_TINH_QD
    qd586 = content_copy / "tue-tinh" / "qd-586-2025"
    shutil.copytree(qd364, qd586)
    path = qd586 / "document.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^number: .*$', 'number: "586"', text, flags=re.M)
    text = re.sub(r"^date: .*$", "date: 2025-09-08", text, flags=re.M)
    text = re.sub(r"^issues: .*\n", "", text, flags=re.M)
    text = re.sub(r"^replaces: .*$", "replaces: Quyết định số 364/QĐ-UBND ngày 24 tháng 4 năm 2026 của Chủ tịch Ủy ban "
                  "nhân dân xã Tuệ Tĩnh về việc ban hành Kế hoạch cải cách hành chính", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    proc = check(content_copy)
    assert proc.returncode == 1
    for doc, first, second in ((qd364, "tue-tinh/qd-364-2026", "tue-tinh/qd-586-2025"),
                               (qd586, "tue-tinh/qd-586-2025", "tue-tinh/qd-364-2026")):
        file = doc / "document.yaml"
        message, hint = diag(proc, file, line_of(file, r"^replaces: "), 1, "error", "replace-cycle")
        assert message == f"Các quyết định thay thế nhau thành vòng: {first} → {second} → {first}."
        assert "`replaces:`" in hint


def test_a_replacement_chain_without_a_cycle_is_fine(content_copy):
    qd586 = content_copy / "tue-tinh" / "qd-586-2025"
    shutil.copytree(content_copy / TUE_TINH_QD, qd586)
    path = qd586 / "document.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^number: .*$', 'number: "586"', text, flags=re.M)
    text = re.sub(r"^date: .*$", "date: 2025-09-08", text, flags=re.M)
    text = re.sub(r"^(issues|replaces): .*\n", "", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    proc = check(content_copy)
    assert proc.returncode == 0, proc.stderr
    assert not diags(proc, key="replace-cycle|broken-link")


def test_broken_issues_link(content_copy):
    path = content_copy / TUE_TINH_QD / "document.yaml"
    lineno = line_of(path, r"^issues: ")
    replace(path, "issues: tue-tinh/kh-cchc-2026-2030", "issues: tue-tinh/kh-khong-co")
    proc = check(content_copy)
    assert proc.returncode == 1
    message, _ = diag(proc, path, lineno, 1, "error", "broken-link")
    assert message == "Không có văn bản “tue-tinh/kh-khong-co”."
    plan = content_copy / TUE_TINH_PLAN / "document.yaml"
    diag(proc, plan, line_of(plan, r"^attached_to: "), 1, "error", "broken-link")


# --- warnings and --strict ----------------------------------------------------------------------

def test_strict_turns_warnings_into_exit_1(content_copy):
    # one warning of our own, so the test does not lean on the drafts' warnings staying as they are
    path = content_copy / THUONG_XUAN / "appendix-07.yaml"
    replace(path, "Trước ngày 15/01/2026", "Khi nào xong")
    plain = check(content_copy)
    strict = check(content_copy, "--strict")
    assert plain.returncode == 0 and strict.returncode == 1
    assert (str(path), line_of(path, "Khi nào xong"), 9, "cảnh báo", "deadline-unknown") in diags(plain)
    assert all(d[3] == "cảnh báo" for d in diags(plain))
    assert diags(plain) == diags(strict)  # the same findings; only the exit code differs
    assert "; 0 lỗi, " in summary(strict)


def test_strict_on_clean_content_exits_0_and_fails_on_one_warning(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "clean", content)
    for options in ((), ("--strict",)):
        proc = check(content, *options)
        assert proc.returncode == 0, proc.stderr
        assert summary(proc) == "Kiểm tra: 1 văn bản, 2 nhiệm vụ, 0 chỉ tiêu; 0 lỗi, 0 cảnh báo."
    path = content / "demo" / "kh-demo-2026" / "appendix-01.yaml"
    lineno = line_of(path, r"deadline: Quý I/2026")
    replace(path, "deadline: Quý I/2026", "deadline: Sớm nhất có thể")
    plain, strict = check(content), check(content, "--strict")
    assert (plain.returncode, strict.returncode) == (0, 1)
    for proc in (plain, strict):
        message, _ = diag(proc, path, lineno, 9, "warning", "deadline-unknown")
        assert message == "Không đọc được thời hạn “Sớm nhất có thể” (nhiệm vụ 1)."
    assert summary(plain).endswith("0 lỗi, 1 cảnh báo.")
    assert summary(strict).endswith("0 lỗi, 1 cảnh báo (chế độ --strict: cảnh báo được tính là lỗi).")


def test_quiet_hides_warnings_not_errors(content_copy):
    replace(content_copy / THIEN_PHU / "document.yaml", "symbol: KH-UBND", "symbol: KH- UBND")
    proc = check(content_copy, "--quiet")
    assert proc.returncode == 1
    assert [d[3] for d in diags(proc)] == ["lỗi"]


def test_many_problems_at_once_are_all_reported(content_copy):
    """One run lists every problem of every file, not just the first."""
    replace(content_copy / THIEN_PHU / "document.yaml", "symbol: KH-UBND", "symbol: KH- UBND")
    replace(content_copy / THUONG_XUAN / "body.md", "c) Chủ động rà soát, kiểm tra", "f) Chủ động rà soát, kiểm tra")
    replace(content_copy / LUNG_PHINH / "appendix-01.yaml", 'lead: ["Các phòng, ban"]', "lead: [Phòng Không Có]")
    (content_copy / TUE_TINH_PLAN / "targets.yaml").write_bytes(b"targets:\n  - name: \xc3\n")
    proc = check(content_copy)
    assert proc.returncode == 1
    keys = {d[4] for d in diags(proc) if d[3] == "lỗi"}
    assert {"symbol-form", "point-letter", "unknown-agency", "encoding"} <= keys


# --- issue 17, item 9: time and output bounded ------------------------------------------------------

def test_many_identical_slips_in_a_file_list_50_and_count_the_rest(content_copy):
    body = content_copy / THIEN_PHU / "body.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n\nNgày 31/6/2026.\n" * 300, encoding="utf-8")
    proc = check(content_copy)
    assert proc.returncode == 1
    listed = diags(proc, body, "impossible-date")
    assert len(listed) == 51  # 50 slips and the line that counts the others
    assert "Còn 250 chỗ khác có cùng lỗi [impossible-date] trong tệp này" in proc.stderr
    assert "300 lỗi" in proc.stderr.splitlines()[-1]


def test_backticks_in_a_body_are_text_never_code():
    from planpub.markdown import render_markdown

    html = render_markdown("Ký hiệu ``` và `mã` giữ nguyên.\n\n    thụt lề bốn dấu cách\n\n" + "`" * 5000)
    assert "<code>" not in html and "<pre>" not in html
    assert "``` và `mã` giữ nguyên" in html and "`" * 5000 in html
