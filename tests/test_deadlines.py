"""Deadlines read as meaning: every phrase of the seeds, the issue's list, and what cannot be read."""
from __future__ import annotations

import random
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from conftest import CONTENT, run_build
from planpub.deadlines import KINDS, parse_deadline
from planpub.diagnostics import Report
from planpub.load import load_content

D = date
YEARLY = {"freq": "yearly", "month": None, "day": None, "quarter": None}


def rng(start, end):
    return {"kind": "range", "start": start, "end": end, "recurrence": None, "depends_on": None}


def yearly(**fields):
    return {"kind": "recurring", "start": None, "end": None, "recurrence": {**YEARLY, **fields}, "depends_on": None}


ONGOING = {"kind": "ongoing", "start": None, "end": None, "recurrence": None, "depends_on": None}


def dependent(on):
    return {"kind": "dependent", "start": None, "end": None, "recurrence": None, "depends_on": on}


# The phrases that issue 2 names, each with the meaning it must have.
ISSUE_PHRASES = {
    "Quý I/2026": rng(D(2026, 1, 1), D(2026, 3, 31)),
    "Quý I năm 2026": rng(D(2026, 1, 1), D(2026, 3, 31)),
    "Tháng 01-05/2026": rng(D(2026, 1, 1), D(2026, 5, 31)),
    "Quý III,IV/2026": rng(D(2026, 7, 1), D(2026, 12, 31)),
    "Tháng 7-10/2026": rng(D(2026, 7, 1), D(2026, 10, 31)),
    "Cả năm 2026": rng(D(2026, 1, 1), D(2026, 12, 31)),
    "Trong năm 2026": rng(D(2026, 1, 1), D(2026, 12, 31)),
    "2026-2027": rng(D(2026, 1, 1), D(2027, 12, 31)),
    "Trước ngày 15/01/2026": rng(None, D(2026, 1, 15)),
    "Hàng năm": yearly(),
    "Tháng 12 hàng năm": yearly(month=12),
    "Trước ngày 31/12 hàng năm": yearly(month=12, day=31),
    "Quý IV hàng năm": yearly(quarter=4),
    "Thường xuyên": ONGOING,
    "Theo kế hoạch của UBND tỉnh": dependent("kế hoạch của UBND tỉnh"),
    "Theo hướng dẫn của Sở Nội vụ": dependent("hướng dẫn của Sở Nội vụ"),
    "Sau khi có văn bản của Trung ương, tỉnh": dependent("văn bản của Trung ương, tỉnh"),
}

# Every deadline written in content/ (the five seeds), verbatim, with its meaning. A phrase added to
# content/ must be added here too (test_every_phrase_in_content_is_listed says which).
CONTENT_PHRASES = {
    # seed 000, Thiên Phú
    "Thường xuyên.": ONGOING,
    "- Kế hoạch: hàng năm.\n- Báo cáo kết quả thực hiện: theo quy định, hướng dẫn của Sở Tư pháp.": yearly(),
    "Hàng năm.": yearly(),
    "Sau khi có văn bản của Trung ương, tỉnh.": dependent("văn bản của Trung ương, tỉnh"),
    "Theo kế hoạch của UBND tỉnh.": dependent("kế hoạch của UBND tỉnh"),
    "Theo hướng dẫn của Sở Nội vụ.": dependent("hướng dẫn của Sở Nội vụ"),
    # "chậm nhất tháng 01/2026" is the first concrete line: January 2026 at the latest
    "- Ban hành kế hoạch: chậm nhất tháng 01/2026.\n"
    "- Hoàn thành các nhiệm vụ: theo Kế hoạch của UBND tỉnh và Kế hoạch của cơ quan, đơn vị.\n"
    "- Báo cáo kết quả thực hiện: định kỳ hàng năm.": rng(None, D(2026, 1, 31)),
    "Quý I/2026.": rng(D(2026, 1, 1), D(2026, 3, 31)),
    "Theo kế hoạch của Tỉnh uỷ, UBND tỉnh, UBND xã.": dependent("kế hoạch của Tỉnh uỷ, UBND tỉnh, UBND xã"),
    "Quý II/2026": rng(D(2026, 4, 1), D(2026, 6, 30)),
    "Theo Kế hoạch của UBND tỉnh, UBND xã.": dependent("Kế hoạch của UBND tỉnh, UBND xã"),
    "Theo Kế hoạch của UBND tỉnh, UBND xã": dependent("Kế hoạch của UBND tỉnh, UBND xã"),
    "Từ năm 2026.": rng(D(2026, 1, 1), None),
    # seed 001, Phú Trung
    "Thường xuyên": ONGOING,
    # seed 002, Thường Xuân
    "Cả năm 2026": rng(D(2026, 1, 1), D(2026, 12, 31)),
    "Quý I năm 2026": rng(D(2026, 1, 1), D(2026, 3, 31)),
    "Thường Xuyên": ONGOING,
    "Theo hướng dẫn của Trung ương, tỉnh.": dependent("hướng dẫn của Trung ương, tỉnh"),
    "Trong năm 2026": rng(D(2026, 1, 1), D(2026, 12, 31)),
    "Quý IV/2027": rng(D(2027, 10, 1), D(2027, 12, 31)),
    "Theo hướng dẫn của Sở Nội vụ": dependent("hướng dẫn của Sở Nội vụ"),
    "Tháng 01-05/2026": rng(D(2026, 1, 1), D(2026, 5, 31)),
    "Tháng 7-10/2026": rng(D(2026, 7, 1), D(2026, 10, 31)),
    "Trước ngày 15/01/2026": rng(None, D(2026, 1, 15)),
    "Theo yêu cầu của Sở Nội vụ": dependent("yêu cầu của Sở Nội vụ"),
    "Quý IV/2026": rng(D(2026, 10, 1), D(2026, 12, 31)),
    "Quý I/2026": rng(D(2026, 1, 1), D(2026, 3, 31)),
    "Quý III,IV/2026": rng(D(2026, 7, 1), D(2026, 12, 31)),
    # seed 003, Tuệ Tĩnh (commitments.yaml: the words of the body's sentence)
    "hàng năm": yearly(),
    "trong tháng 4/2026": rng(D(2026, 4, 1), D(2026, 4, 30)),
    "vào năm 2030": rng(D(2030, 1, 1), D(2030, 12, 31)),
    # seed 004, Lùng Phình
    "Hàng năm": yearly(),
    "Trước ngày 31/12 hàng năm": yearly(month=12, day=31),
    "Trước ngày 10/12 hàng năm": yearly(month=12, day=10),
    "Tháng 12 hàng năm": yearly(month=12),
    "Quý IV hàng năm": yearly(quarter=4),
    "2026-2027": rng(D(2026, 1, 1), D(2027, 12, 31)),
    "2026 - 2027": rng(D(2026, 1, 1), D(2027, 12, 31)),
    "2026 – 2027": rng(D(2026, 1, 1), D(2027, 12, 31)),
}


@pytest.fixture(scope="module")
def content_deadlines() -> dict[str, list[str]]:
    """Every deadline text in content/, with the tasks (uid) that carry it, read by the real loader."""
    report = Report(root=CONTENT.parent)
    site = load_content(CONTENT, report)
    assert not report.errors, [d.format() for d in report.errors]
    found: dict[str, list[str]] = {}
    for doc in site.documents:
        for task in doc.tasks:
            if task.deadline is None:  # only where the source states none, and says so
                assert task.deadline_in_source is False, f"{task.uid} has no deadline"
                continue
            found.setdefault(task.deadline.text, []).append(task.uid)
    return found


@pytest.mark.parametrize("phrase", list(ISSUE_PHRASES))
def test_issue_phrase(phrase):
    assert parse_deadline(phrase) == ISSUE_PHRASES[phrase]


@pytest.mark.parametrize("phrase", list(CONTENT_PHRASES))
def test_content_phrase(phrase):
    assert parse_deadline(phrase) == CONTENT_PHRASES[phrase]


def test_every_phrase_in_content_is_listed(content_deadlines):
    unlisted = {text: uids[:3] for text, uids in content_deadlines.items() if text not in CONTENT_PHRASES}
    assert not unlisted, f"deadline phrases in content/ with no expected meaning in this file: {unlisted}"
    # and the table holds nothing that content/ does not (so it stays the seeds' list)
    assert set(CONTENT_PHRASES) == set(content_deadlines)


def test_no_deadline_in_content_is_unknown(content_deadlines):
    unknown = [t for t in content_deadlines if parse_deadline(t)["kind"] == "unknown"]
    assert unknown == []


def test_content_covers_every_kind_but_unknown(content_deadlines):
    kinds = {parse_deadline(t)["kind"] for t in content_deadlines}
    assert kinds == {"range", "recurring", "ongoing", "dependent"}


def test_loaded_tasks_carry_the_parsed_meaning():
    """The model's Deadline holds the same meaning as parse_deadline, and the text as written."""
    report = Report(root=CONTENT.parent)
    site = load_content(CONTENT, report)
    doc = site.document("thuong-xuan/kh-cchc-2026")
    by_text = {t.deadline.text: t.deadline for t in doc.tasks}
    dl = by_text["Quý III,IV/2026"]
    assert (dl.kind, dl.start, dl.end) == ("range", D(2026, 7, 1), D(2026, 12, 31))
    dl = by_text["Theo yêu cầu của Sở Nội vụ"]
    assert (dl.kind, dl.depends_on) == ("dependent", "yêu cầu của Sở Nội vụ")
    lp = site.document("lung-phinh/kh-cchc-cds-2025-2030")
    rec = {t.deadline.text: t.deadline.recurrence for t in lp.tasks if t.deadline.kind == "recurring"}
    assert (rec["Trước ngày 31/12 hàng năm"].month, rec["Trước ngày 31/12 hàng năm"].day) == (12, 31)
    assert rec["Quý IV hàng năm"].quarter == 4


@pytest.mark.parametrize("phrase, expected", [
    # spelling variants a clerk writes: hằng/hàng, dash kinds, case, spaces, final punctuation
    ("Hằng năm", yearly()),
    ("Định kỳ hằng năm", yearly()),
    ("HÀNG NĂM.", yearly()),
    ("Tháng 12 hằng năm;", yearly(month=12)),
    ("Tháng 7 – 10/2026", rng(D(2026, 7, 1), D(2026, 10, 31))),
    ("Tháng 7 đến tháng 10 năm 2026", rng(D(2026, 7, 1), D(2026, 10, 31))),
    ("Quý  iii , iv/2026", rng(D(2026, 7, 1), D(2026, 12, 31))),
    ("Quý I và II năm 2026", rng(D(2026, 1, 1), D(2026, 6, 30))),
    ("Quý 4/2026", rng(D(2026, 10, 1), D(2026, 12, 31))),
    ("Năm 2026", rng(D(2026, 1, 1), D(2026, 12, 31))),
    ("Giai đoạn 2026 - 2030", rng(D(2026, 1, 1), D(2030, 12, 31))),
    ("Tháng 12/2026", rng(D(2026, 12, 1), D(2026, 12, 31))),
    ("Trong tháng 6 năm 2026", rng(D(2026, 6, 1), D(2026, 6, 30))),
    ("Chậm nhất tháng 02/2028", rng(None, D(2028, 2, 29))),
    ("Trước tháng 3/2026", rng(None, D(2026, 2, 28))),
    ("Trước ngày 29/02 hàng năm", yearly(month=2, day=29)),
    ("Thường xuyên, liên tục", ONGOING),
    ("Theo lộ trình của Trung ương", dependent("lộ trình của Trung ương")),
    (unicodedata.normalize("NFD", "Hàng năm"), yearly()),
    (unicodedata.normalize("NFD", "Theo hướng dẫn của Sở Nội vụ"), dependent("hướng dẫn của Sở Nội vụ")),
])
def test_variants(phrase, expected):
    assert parse_deadline(phrase) == expected


@pytest.mark.parametrize("phrase", [
    "Khi nào xong thì báo",
    "6 tháng đầu năm 2026",
    "Trước ngày 31/06/2026",        # no such day: unknown, not a crash
    "Trước ngày 30/02 hàng năm",    # no such day in any year
    "Tháng 13 hàng năm",
    "Tháng 13/2026",
    "Tháng 10-7/2026",               # a range that runs backwards
    "2027-2026",
    "Quý V/2026",
    "",
    "   ",
    "- Ban hành: quý I/2026.\n- Báo cáo: khi nào xong",  # one line of a cell cannot be read
])
def test_unreadable_is_unknown(phrase):
    assert parse_deadline(phrase) == {"kind": "unknown", "start": None, "end": None, "recurrence": None,
                                      "depends_on": None}


def test_never_raises_on_garbage():
    """Any text at all gives one of the five kinds; the parser never raises."""
    pieces = ["Quý", "quý", "I", "IV", "V", "/", "-", "–", ",", "năm", "hàng", "Tháng", "tháng", "ngày", "Trước",
              "0", "00", "13", "31", "29/02", "99/99", "2026", "20260", "9999", "0000", "theo", "sau khi", "\n",
              "- ", ":", ".", "đến", "từ", "Thường xuyên", "(", ")", "%", "\t", "\u0301", "𝟚𝟘𝟚𝟞", "٢٠٢٦"]
    r = random.Random(20260115)
    for _ in range(3000):
        text = " ".join(r.choice(pieces) for _ in range(r.randint(1, 8)))
        out = parse_deadline(text)
        assert out["kind"] in KINDS, text
        if out["kind"] == "range":
            assert out["start"] is not None or out["end"] is not None, text
            if out["start"] and out["end"]:
                assert out["start"] <= out["end"], text


def test_unreadable_phrase_in_content_is_a_warning_with_file_and_line(content_copy: Path):
    appendix = content_copy / "thuong-xuan" / "kh-cchc-2026" / "appendix-07.yaml"
    text = appendix.read_text(encoding="utf-8")
    old = "Trước ngày 15/01/2026"  # task 1 of Phụ lục số 07
    assert text.count(old) == 1
    lines = text.splitlines()
    lineno = next(i for i, ln in enumerate(lines, 1) if old in ln)
    assert lines[lineno - 1].lstrip().startswith("deadline:")
    column = lines[lineno - 1].index("deadline:") + 1
    appendix.write_text(text.replace(old, "Khi nào xong thì báo cáo"), encoding="utf-8")

    proc = run_build("check", "--content", str(content_copy))
    assert proc.returncode == 0, proc.stderr  # a warning, not an error
    assert "Traceback" not in proc.stderr
    m = re.search(rf"^{re.escape(str(appendix))}:{lineno}:{column}: cảnh báo \[deadline-unknown\] "
                  r"Không đọc được thời hạn “Khi nào xong thì báo cáo” \(nhiệm vụ 1\)\.\n    Cách sửa: (.+)$",
                  proc.stderr, re.M)
    assert m, proc.stderr
    assert "Quý I/2026" in m[1] and "Thường xuyên" in m[1]

    strict = run_build("check", "--strict", "--content", str(content_copy))
    assert strict.returncode == 1
    assert "[deadline-unknown]" in strict.stderr and "Traceback" not in strict.stderr
