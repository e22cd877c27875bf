"""``build.py report`` on a copy of the fictional demo commune (examples/demo), as a clerk does it:
write the draft, finish it, check it, build it, issue it, sign it; then a later progress entry
changes neither the issued report's PDF nor the signed one. Real WeasyPrint, real pyHanko."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
import yaml
from conftest import ROOT
from pdf_helpers import find, segments
from signing_ca import make_ca
from signing_images import seal_png, signature_png
from test_signing import ok, pyhanko_status, run, sign

from planpub import reporting

DEMO = ROOT / "examples" / "demo"
PLAN = "minh-hoa/kh-cchc-2026"
REPORT = "minh-hoa/bc-kh-cchc-2026-2026-q2"
AS_OF = "2026-11-29"
LATER_ENTRY = """  - task: pl-3
    date: 2026-11-28
    state: done
    done_on: 2026-11-27
    note: Đã công khai đủ thủ tục.
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def command(work: Path, *args: str, as_of: str = AS_OF):
    return run(*args, "--content", str(work / "content"), "--as-of", as_of, cwd=work)


def build(work: Path, as_of: str = AS_OF):
    return ok(run("--content", str(work / "content"), "--site", str(work / "site"), "--as-of", as_of, cwd=work))


def finish_body(path: Path) -> None:
    """The clerk writes the parts the draft left to them."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^\[Cán bộ ghi tiếp: (.*)\]$", r"Nội dung giả định về \1", text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")


def add_later_entry(work: Path) -> None:
    path = work / "content" / PLAN / "progress.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("actuals:\n", LATER_ENTRY + "actuals:\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    work = base / "work"
    shutil.copytree(DEMO, work / "content")
    steps = SimpleNamespace(work=work, folder=work / "content" / REPORT)
    steps.draft = ok(command(work, "report", PLAN, "--period", "2026-Q2"))
    steps.draft_yaml = (steps.folder / "document.yaml").read_text(encoding="utf-8")
    steps.check_draft = command(work, "check")
    steps.strict_draft = command(work, "check", "--strict")
    steps.again = command(work, "report", PLAN, "--period", "2026-Q2")
    finish_body(steps.folder / "body.md")
    steps.strict_finished = command(work, "check", "--strict")
    steps.issue = ok(run("issue", REPORT, "--number", "16", "--date", "2026-07-06", "--content",
                         str(work / "content"), cwd=work))
    build(work)
    steps.pdf = work / "site" / "pdf" / f"{REPORT}.pdf"
    steps.issued_pdf = base / "issued.pdf"
    shutil.copyfile(steps.pdf, steps.issued_pdf)
    steps.plan_pdf = sha256(work / "site" / "pdf" / f"{PLAN}.pdf")
    return steps


def test_report_writes_a_draft_the_checker_accepts(world):
    assert "Đã viết dự thảo báo cáo" in world.draft.stderr
    doc = yaml.safe_load(world.draft_yaml)
    assert doc["type"] == "BC" and doc["symbol"] == "BC-UBND" and doc["number"] is None
    assert doc["reports_on"] == PLAN and doc["report_period"] == "2026-Q2"
    assert doc["subject"].startswith("Kết quả thực hiện Kế hoạch cải cách hành chính")
    assert doc["subject"].endswith("quý II năm 2026")
    assert world.check_draft.returncode == 0, world.check_draft.stderr
    # the parts left to the clerk are warnings with their line: --strict refuses them before signing
    assert world.strict_draft.returncode == 1
    unfinished = re.findall(r"body\.md:(\d+):1: cảnh báo \[report-unfinished\]", world.strict_draft.stderr)
    assert len(unfinished) == 4
    assert world.strict_finished.returncode == 0, world.strict_finished.stderr


def test_report_body_counts_and_appendices_as_of_the_period_end(world):
    body = (world.folder / "body.md").read_text(encoding="utf-8")
    # as of 30/06/2026: pl-1 on time; pl-2 late; pl-3 (due 30/06) and pl-4 (Q2 reported) in time;
    # pl-5…pl-8 no entry yet
    assert ("Tính đến ngày 30/06/2026: 1 nhiệm vụ hoàn thành đúng hạn; 1 nhiệm vụ hoàn thành quá hạn; "
            "2 nhiệm vụ đang thực hiện trong hạn; 0 nhiệm vụ quá hạn chưa hoàn thành; 0 nhiệm vụ dừng thực hiện; "
            "4 nhiệm vụ chưa có báo cáo") in body
    for heading in ("## I. KẾT QUẢ ĐẠT ĐƯỢC", "## II. TỒN TẠI, HẠN CHẾ", "## III. NGUYÊN NHÂN",
                    "## IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI"):
        assert heading in body
    table = yaml.safe_load((world.folder / "appendix-01.yaml").read_text(encoding="utf-8"))
    assert list(table["columns"]) == list(reporting.PROGRESS_COLUMNS)
    assert len(table["rows"]) == 8
    late = next(r for r in table["rows"] if r["deadline"] == "Trước ngày 15/04/2026")
    assert late["status"] == "Hoàn thành quá hạn" and "hoàn thành ngày 20/04/2026" in late["result"]
    evidence = next(r for r in table["rows"] if r["deadline"] == "Tháng 6/2026")
    assert "danh-sach-tthc.csv" in evidence["result"] and evidence["note"] == "Đạt 70%"
    targets = yaml.safe_load((world.folder / "appendix-02.yaml").read_text(encoding="utf-8"))
    assert [r["actual"] for r in targets["rows"]] == ["", ""]  # both values were recorded on 05/07


def test_an_existing_report_is_never_written_again(world):
    assert world.again.returncode == 1
    assert "Đã có báo cáo Quý II/2026" in world.again.stderr


def test_report_refusals(tmp_path):
    work = tmp_path
    shutil.copytree(DEMO, work / "content")
    for args, words in ((("report", PLAN, "--period", "2026-Q5"), "không đúng dạng"),
                        (("report", PLAN, "--period", "2027-Q1"), "chưa bắt đầu"),
                        (("report", "minh-hoa/khong-co", "--period", "2026-Q1"), "Không có văn bản"),
                        (("report", "minh-hoa/bc-kh-cchc-2026-2026-q3", "--period", "2026-Q1"), "không phải kế hoạch")):
        proc = command(work, *args)
        assert proc.returncode == 1 and words in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr


def test_the_issued_report_pdf(world):
    with pdfplumber.open(world.issued_pdf) as pdf:
        first = segments(pdf.pages[0])
        find(first, re.escape("Số: 16/BC-UBND"))
        find(first, re.escape("Minh Họa, ngày 06 tháng 7 năm 2026"))
        find(first, "^BÁO CÁO$")
        text = " ".join(s.text for p in pdf.pages for s in segments(p))
        cells = [" ".join((c or "").split()) for p in pdf.pages for t in p.extract_tables() for row in t for c in row]
    assert "Phụ lục I" in text and "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ QUÝ II NĂM 2026" in text
    assert "(Kèm theo Báo cáo số 16/BC-UBND" in text
    assert [c for c in cells if c in reporting.PROGRESS_COLUMNS.values()][:7] == list(reporting.PROGRESS_COLUMNS.values())
    assert "Hoàn thành quá hạn" in cells and "Đang thực hiện trong hạn" in cells


def test_a_later_entry_leaves_the_issued_report_and_the_plan_pdf_as_they_were(world, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(world.work / "content", work / "content")
    build(work)
    before = sha256(work / "site" / "pdf" / f"{REPORT}.pdf")
    assert before == sha256(world.issued_pdf)
    add_later_entry(work)
    build(work)
    assert sha256(work / "site" / "pdf" / f"{REPORT}.pdf") == before
    assert sha256(work / "site" / "pdf" / f"{PLAN}.pdf") == world.plan_pdf
    page = (work / "site" / "xa" / PLAN / "nhiem-vu" / "pl-3" / "index.html").read_text(encoding="utf-8")
    assert "Hoàn thành quá hạn" in page  # the site shows it; the report does not


def test_issue_sign_and_seal_the_report(world, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(world.work / "content", work / "content")
    ca = make_ca(tmp_path / "ca")
    ok(sign(work, REPORT, "signer", ca.signer.p12, signature_png(tmp_path / "chu-ky.png")))
    ok(sign(work, REPORT, "organisation", ca.organisation.p12, seal_png(tmp_path / "con-dau.png")))
    signed = work / "content" / REPORT / "signed.pdf"
    results = pyhanko_status(signed, ca.root_pem)
    assert len(results) == 2 and all(status.intact and status.valid for _, status in results)
    verify = run("verify", str(signed), "--trust", str(ca.root_pem), cwd=work)
    assert verify.returncode == 0, verify.stderr
    add_later_entry(work)
    check = run("check", "--content", str(work / "content"), "--as-of", AS_OF, cwd=work)
    assert "signed-content-changed" not in check.stderr  # progress.yaml of the plan is not the report's
    build(work)
    assert sha256(work / "site" / "pdf" / f"{REPORT}.pdf") == sha256(signed)
