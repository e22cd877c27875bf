"""Document families and number forms (issue 13, items 1–2): a Party committee's document is written
`Số 05-KH/ĐU` everywhere once issued, a legal-normative decision `Số: 30/2018/QĐ-UBND`, and one
function (planpub/numbering.py) writes every number that an output shows."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, CONTENT, run_build

from planpub import numbering

PARTY = "lung-phinh/kh-cchc-cds-2025-2030"
CLEAN = Path(__file__).parent / "fixtures" / "checker" / "clean"


@pytest.mark.parametrize("number, symbol, year, expected", [
    ("5", "KH-UBND", None, "05/KH-UBND"),
    ("364", "QĐ-UBND", None, "364/QĐ-UBND"),
    ("30", "QĐ-UBND", 2018, "30/2018/QĐ-UBND"),     # legal-normative: the year of issue
    ("9", "KH/ĐU", None, "09-KH/ĐU"),                 # Party: a hyphen, then type/committee
    ("9", "KH/ĐU", 2025, "09-KH/ĐU"),                 # Party documents never carry the year
    (None, "KH-UBND", None, "/KH-UBND"),             # a draft: the blank form
    (None, "KH/ĐU", None, "-KH/ĐU"),
])
def test_number_forms_of_both_families(number, symbol, year, expected):
    assert numbering.number_text(number, symbol, year) == expected


@pytest.fixture(scope="module")
def issued_party_site(tmp_path_factory):
    """The bundled content with Lùng Phình's Party plan issued as number 5, built (data and website)."""
    base = tmp_path_factory.mktemp("party")
    content = base / "content"
    shutil.copytree(CONTENT, content)
    proc = run_build("issue", PARTY, "--number", "5", "--date", "2025-09-15", "--content", str(content))
    assert proc.returncode == 0, proc.stderr
    assert "số 05-KH/ĐU" in proc.stderr
    site = base / "site"
    proc = run_build("--content", str(content), "--site", str(site), "--as-of", AS_OF, "--only", "data",
                     "--only", "website", "-q")
    assert proc.returncode == 0, proc.stderr
    return site


def test_an_issued_party_number_is_written_the_party_way_in_every_output(issued_party_site):
    site = issued_party_site
    plans = json.loads((site / "data" / "plans.json").read_text(encoding="utf-8"))
    doc = next(d for d in plans["documents"] if d["id"] == PARTY)
    assert (doc["family"], doc["number_text"]) == ("party", "05-KH/ĐU")
    schema = json.loads((site / "data" / "schema.json").read_text(encoding="utf-8"))
    assert "number_text" in json.dumps(schema)
    outputs = {"page": site / "xa" / PARTY / "index.html", "feed": site / "van-ban.atom",
               "commune": site / "xa" / "lung-phinh" / "index.html"}
    for name, path in outputs.items():
        text = path.read_text(encoding="utf-8")
        assert "05-KH/ĐU" in text, name
        assert not re.search(r"0?5/KH/ĐU", text), f"{name} writes the number the state way"


def test_a_legal_normative_decision_keeps_its_number(tmp_path):
    """A fictional commune's decision issuing a regulation, "Số: 30/2018/QĐ-UBND" (example data)."""
    content = tmp_path / "content"
    shutil.copytree(CLEAN, content)
    folder = content / "demo" / "kh-demo-2026"
    path = folder / "document.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(type="QĐ", symbol="QĐ-UBND", number="30/2018", date="2018-03-12", appendices=[],
                subject="Ban hành Quy định quản lý, vận hành cổng thông tin điện tử xã Thử Nghiệm",
                authority="ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "appendix-01.yaml").unlink()
    (folder / "body.md").write_text(
        "**Điều 1.** Ban hành kèm theo Quyết định này Quy định quản lý, vận hành cổng thông tin điện tử xã.\n\n"
        "**Điều 2.** Quyết định này có hiệu lực từ ngày 22 tháng 3 năm 2018.\n\n"
        "**Điều 3.** Văn phòng HĐND và UBND xã và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành "
        "Quyết định này.\n", encoding="utf-8")
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1
    assert re.search(r"lỗi \[number-form\] .*\n    Cách sửa: .*`number: \"30\"` và `normative: true`", proc.stderr), \
        proc.stderr
    data.update(number="30", normative=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = tmp_path / "site"
    proc = run_build("--content", str(content), "--site", str(site), "--only", "data", "--only", "pdf", "-q")
    assert proc.returncode == 0, proc.stderr
    plans = json.loads((site / "data" / "plans.json").read_text(encoding="utf-8"))
    assert plans["documents"][0]["number_text"] == "30/2018/QĐ-UBND"
    from pdf_helpers import open_pdf
    first = open_pdf(str(site / "pdf" / "demo" / "kh-demo-2026.pdf")).pages[0].extract_text()
    assert "Số: 30/2018/QĐ-UBND" in first
    # only a decision can be legal-normative
    data.update(type="KH", symbol="KH-UBND")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1 and "[normative-type]" in proc.stderr, proc.stderr


def test_a_party_symbol_in_the_state_form_is_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CLEAN, content)
    path = content / "demo" / "kh-demo-2026" / "document.yaml"
    text = path.read_text(encoding="utf-8").replace("symbol: KH-UBND", "symbol: KH/ĐU-X/Y")
    path.write_text(text, encoding="utf-8")
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1 and "[symbol-form]" in proc.stderr and "văn bản của Đảng" in proc.stderr


@pytest.mark.parametrize("missing, changes", [
    (["signer_name"], {"signature": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": ""}}),
    (["number"], {"number": None}),
    (["day"], {"date": {"year": 2026, "month": 1}}),
])
def test_a_published_copy_stays_issued_and_says_what_its_source_lacks(tmp_path, missing, changes):
    """A portal copy of an issued plan (fictional commune): what the source does not show is marked,
    never invented, and the document is not turned into a draft."""
    content = tmp_path / "content"
    shutil.copytree(CLEAN, content)
    path = content / "demo" / "kh-demo-2026" / "document.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    refused = run_build("check", "--content", str(content))
    assert refused.returncode == 1 and "not_in_source" in refused.stderr, refused.stderr
    data["not_in_source"] = missing
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = tmp_path / "site"
    proc = run_build("--content", str(content), "--site", str(site), "--as-of", AS_OF, "-q")
    assert proc.returncode == 0, proc.stderr
    words = {"signer_name": "họ tên người ký", "number": "số văn bản", "day": "ngày ban hành"}[missing[0]]
    plans = json.loads((site / "data" / "plans.json").read_text(encoding="utf-8"))
    assert plans["documents"][0]["not_in_source"] == missing
    page = (site / "xa" / "demo" / "kh-demo-2026" / "index.html").read_text(encoding="utf-8")
    assert "Đã ban hành" in page and "Dự thảo" not in page
    assert f"nguồn không ghi: {words}." in page
    from pdf_helpers import open_pdf
    pdf = open_pdf(str(site / "pdf" / "demo" / "kh-demo-2026.pdf"))
    text = " ".join((p.extract_text() or "") for p in pdf.pages)
    assert f"(Bản công bố lại văn bản đã ban hành; nguồn không ghi: {words}.)" in " ".join(text.split())
    # contradictions are refused: the source shows what not_in_source says it lacks
    data.update(number="07", date="2026-01-12",
                signature={"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Nguyễn Văn A"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1 and "[not-in-source-contradiction]" in proc.stderr, proc.stderr
