"""The content model and the loader: agencies and their aliases, positions, target values, the seeds as objects."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from conftest import CONTENT
from planpub import model
from planpub.agencies import AgencyIndex, agency_key
from planpub.diagnostics import Report
from planpub.load import load_content
from planpub.yamlsrc import POS, load_yaml


@pytest.fixture(scope="module")
def site() -> model.Site:
    report = Report(root=CONTENT.parent)
    loaded = load_content(CONTENT, report)
    assert not report.errors, "\n".join(d.format() for d in report.errors)
    return loaded


def _line_of(path: Path, pattern: str) -> int:
    """The 1-based line of the only line of ``path`` that matches ``pattern``."""
    hits = [i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if re.search(pattern, ln)]
    assert len(hits) == 1, (path, pattern, hits)
    return hits[0]


# --- target values --------------------------------------------------------------------------

@pytest.mark.parametrize("text, comparator, value, unit", [
    ("≥ 40%", "≥", 40.0, "%"),
    ("1,5%", None, 1.5, "%"),
    ("tối thiểu 95%", "tối thiểu", 95.0, "%"),
    ("trên 80%", "trên", 80.0, "%"),
    ("từ 50% trở lên", "≥", 50.0, "%"),
    ("≥95%", "≥", 95.0, "%"),
    ("≥ 1,0", "≥", 1.0, None),
    ("≥ 0.6", "≥", 0.6, None),
    (">= 30%", "≥", 30.0, "%"),
    ("Tối thiểu 60%", "tối thiểu", 60.0, "%"),
    ("100%", None, 100.0, "%"),
    ("1.000 hồ sơ", None, 1000.0, "hồ sơ"),
    ("khoảng 20 người", "khoảng", 20.0, "người"),
    ("không có", None, None, None),
])
def test_read_value(text, comparator, value, unit):
    assert model.read_value(text) == {"comparator": comparator, "value": value, "unit": unit}


def test_target_value_takes_its_year_from_a_one_year_period():
    v = model.TargetValue.model_validate({"period": "2027", "value_text": "tối thiểu 60%"})
    assert (v.year, v.comparator, v.value, v.unit, v.value_text) == (2027, "tối thiểu", 60.0, "%", "tối thiểu 60%")
    v = model.TargetValue.model_validate({"period": "2026-2030", "value_text": "trên 80%"})
    assert (v.year, v.period, v.comparator, v.value) == (None, "2026-2030", "trên", 80.0)


def test_body_target_is_one_value_for_its_period():
    t = model.Target.model_validate({"name": "Tỷ lệ hồ sơ trực tuyến", "value_text": "từ 50% trở lên",
                                     "period": 2026, "lead": []})
    assert len(t.values) == 1
    assert (t.values[0].period, t.values[0].year, t.values[0].comparator, t.values[0].value) == ("2026", 2026, "≥", 50.0)


def test_matrix_values_of_lung_phinh(site):
    doc = site.document("lung-phinh/kh-cchc-cds-2025-2030")
    matrix = [t for t in doc.targets if t.appendix == "pl-ii"]
    assert len(matrix) == 27
    g5 = next(t for t in matrix if t.name == "Tỷ lệ phủ sóng 5G (6G từ năm 2030) Doanh nghiệp chủ trì")
    assert [(v.year, v.comparator, v.value, v.unit) for v in g5.values] == [
        (2025, "≥", 40.0, "%"), (2026, "≥", 45.0, "%"), (2027, "≥", 45.0, "%"),
        (2028, "≥", 55.0, "%"), (2029, "≥", 50.0, "%"), (2030, "≥", 60.0, "%")]
    budget = next(t for t in matrix if t.name.startswith("Tổng chi ngân sách địa phương chi cho KHCN"))
    assert [(v.year, v.value) for v in budget.values] == [(2025, 1.0), (2026, 1.5), (2027, 2.0), (2028, 2.5),
                                                         (2029, 3.0), (2030, 3.5)]
    assert [v.value_text for v in budget.values][1] == "1,5%"
    signature = next(t for t in matrix if t.name == "Tỷ lệ người dân có chữ ký số")
    assert [v.year for v in signature.values] == [2026, 2027, 2028, 2029, 2030]  # 2025 empty in the source
    assert signature.values[1].value == 5.5
    assert [a.agency for a in g5.lead] == ["phong-vhxh"]


# --- agencies ---------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "Văn phòng HĐND - UBND",
    "Văn phòng HĐND – UBND",
    "Văn phòng HĐND — UBND",
    "Văn phòng HĐND-UBND",
    "Văn phòng HĐND –UBND.",
    "VĂN PHÒNG HĐND - UBND;",
    "văn phòng hđnd - ubnd,",
    "  Văn phòng   HĐND – UBND xã  ",
    "Văn phòng HĐND và UBND xã.",
])
def test_alias_resolves_whatever_the_dash_case_or_final_punctuation(site, written):
    index = AgencyIndex(site.commune("thien-phu").agencies)
    agency = index.resolve(written)
    assert agency is not None and agency.id == "vp-hdnd-ubnd"


def test_every_name_and_alias_of_every_commune_resolves_in_every_spelling(site):
    checked = 0
    for commune in site.communes:
        index = AgencyIndex(commune.agencies)
        for agency in commune.agencies:
            for name in [agency.name, *agency.aliases]:
                variants = {name, name.upper(), name.lower(), name + ".", name + ";", name + " ,",
                            name.replace("-", "–"), name.replace("–", "-").replace(" - ", "-"),
                            name.replace("-", " — ")}
                for v in variants:
                    found = index.resolve(v)
                    assert found is not None and found.id == agency.id, (commune.id, name, v)
                    checked += 1
    assert checked > 500


def test_agency_key_folds_only_what_does_not_tell_agencies_apart():
    assert agency_key("Phòng VH – XH.") == agency_key("phòng vh-xh") == "phòng vh-xh"
    assert agency_key("VP HĐND & UBND") == agency_key("VP HĐND&UBND")
    assert agency_key("Phòng Kinh tế") != agency_key("Phòng Kinh tế xã")


def test_unknown_agency_gives_nearest_names(site):
    index = AgencyIndex(site.commune("thien-phu").agencies)
    assert index.resolve("Văn phòng HĐND - UBNX") is None
    assert index.nearest("Văn phòng HĐND - UBNX")[0] == "Văn phòng HĐND - UBND"
    assert index.nearest("Phòng Kinh tê")[0] == "Phòng Kinh tế"


def test_tasks_written_with_different_dashes_share_one_agency(site):
    doc = site.document("thien-phu/kh-cchc-2026-2030")
    texts = {ref.text: ref.agency for t in doc.tasks for ref in t.lead}
    assert texts["Văn phòng HĐND – UBND"] == texts["Văn phòng HĐND - UBND"] == "vp-hdnd-ubnd"
    lp = site.document("lung-phinh/kh-cchc-cds-2025-2030")
    assert {ref.agency for t in lp.tasks for ref in t.support if ref.text == "Văn phòng HĐND-UBND"} == {"vp-hdnd-ubnd"}


def test_an_alias_spelled_differently_in_a_copy_still_loads(content_copy):
    path = content_copy / "thien-phu" / "kh-cchc-2026-2030" / "appendix-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("lead: [Văn phòng HĐND - UBND]") >= 2
    path.write_text(text.replace("lead: [Văn phòng HĐND - UBND]", "lead: [VĂN PHÒNG HĐND—UBND.]", 1), encoding="utf-8")
    report = Report(root=content_copy.parent)
    loaded = load_content(content_copy, report)
    assert not report.errors, [d.format() for d in report.errors]
    task = loaded.document("thien-phu/kh-cchc-2026-2030").tasks[1]
    assert [(r.text, r.agency) for r in task.lead] == [("VĂN PHÒNG HĐND—UBND.", "vp-hdnd-ubnd")]


# --- positions --------------------------------------------------------------------------------

def test_yaml_positions_of_keys_and_list_items(tmp_path):
    text = ("type: KH\n"
            "# a comment\n"
            "issuer:\n"
            "  name: Ủy ban nhân dân xã Thiên Phú\n"
            "  short: UBND xã Thiên Phú\n"
            "recipients:\n"
            "  - Sở Nội vụ (b/c)\n"
            "\n"
            "  - Thường trực Đảng ủy (b/c)\n")
    data = load_yaml(tmp_path / "document.yaml", text)
    pos = data[POS]
    assert (pos.line_of("type"), pos.line_of("issuer"), pos.line_of("recipients")) == (1, 3, 6)
    assert (pos.line_of("recipients", 0), pos.line_of("recipients", 1)) == (7, 9)
    inner = data["issuer"][POS]
    assert (inner.line, inner.column) == (4, 3)
    assert (inner.line_of("short"), inner.column_of("short")) == (5, 3)
    assert pos.file == tmp_path / "document.yaml"


def test_loaded_objects_know_their_file_and_line(site):
    doc = site.document("thien-phu/kh-cchc-2026-2030")
    folder = CONTENT / "thien-phu" / "kh-cchc-2026-2030"
    assert doc.source_file == folder / "document.yaml"
    assert doc.line_of("subject") == _line_of(folder / "document.yaml", r"^subject:")
    assert doc.line_of("legal_bases") == _line_of(folder / "document.yaml", r"^legal_bases:")
    appendix = folder / "appendix-01.yaml"
    for task in doc.tasks:
        assert task.source_file == appendix
        assert task.line_of("number") == _line_of(appendix, rf"^\s*- number: {task.number}\b"), task.id
        assert task.line_of("deadline") > task.line_of("content") > task.line_of("number")
    # the framework of Lùng Phình: an activity's line is where its "- content:" stands
    lp = site.document("lung-phinh/kh-cchc-cds-2025-2030")
    path = CONTENT / "lung-phinh" / "kh-cchc-cds-2025-2030" / "appendix-01.yaml"
    first = lp.tasks[0]
    assert first.source_file == path
    assert first.line_of("content") == _line_of(path, r"^\s*- content: Lập đề nghị xây dựng Nghị quyết, Quyết định$")
    # an indicator of the matrix keeps the line of its row
    g5 = next(t for t in lp.targets if t.name.startswith("Tỷ lệ phủ sóng 5G"))
    matrix = CONTENT / "lung-phinh" / "kh-cchc-cds-2025-2030" / "appendix-02.yaml"
    assert g5.source_file == matrix
    assert g5.line_of("name") == _line_of(matrix, r"name: Tỷ lệ phủ sóng 5G")


# --- the schema itself ------------------------------------------------------------------------

def test_an_impossible_document_date_is_refused():
    with pytest.raises(ValidationError) as exc:
        model.DocDate.model_validate({"year": 2026, "month": 2, "day": 30})
    assert exc.value.errors()[0]["type"] == "impossible_date"
    with pytest.raises(ValidationError):
        model.DocDate.model_validate("2025-06-31")
    assert model.DocDate.model_validate("2024-02-29").as_date() == date(2024, 2, 29)


def test_a_draft_date_has_no_day():
    d = model.DocDate.model_validate({"year": 2026, "month": 1})
    assert (d.complete, d.as_date()) == (False, None)


@pytest.mark.parametrize("text, purpose", [
    ("Sở Nội vụ (b/c)", "b/c"),
    ("TTr Đảng ủy, TTr HĐND xã(b/c)", "b/c"),
    ("Các Phòng, Trung tâm, đơn vị (t/h)", "t/h"),
    ("Chủ tịch, các PCT UBND xã", None),
])
def test_recipient_purpose(text, purpose):
    r = model.Recipient.model_validate(text)
    assert (r.text, r.purpose) == (text, purpose)


def test_unknown_field_is_refused():
    with pytest.raises(ValidationError) as exc:
        model.Signature.model_validate({"title": "CHỦ TỊCH", "name": "A", "nmae": "B"})
    assert [e["type"] for e in exc.value.errors()] == ["extra_forbidden"]


def test_appendix_is_either_a_file_or_referred_to():
    with pytest.raises(ValidationError):
        model.Appendix.model_validate({"id": "pl-i", "label": "Phụ lục I", "file": "a.yaml", "referred_only": True})
    with pytest.raises(ValidationError):
        model.Appendix.model_validate({"id": "pl-i", "label": "Phụ lục I"})
    a = model.Appendix.model_validate({"id": "pl-i", "label": "Phụ lục I", "referred_only": True,
                                       "mention": "(Có Phụ lục I kèm theo)"})
    assert a.content is None and a.file is None


def test_a_task_needs_a_lead_agency(site):
    index = AgencyIndex(site.commune("thien-phu").agencies)
    with pytest.raises(ValidationError) as exc:
        model.Task.model_validate({"content": "x", "lead": []}, context={"agencies": index})
    assert exc.value.errors()[0]["type"] == "too_short"


# --- the five seeds as objects ----------------------------------------------------------------

def test_the_five_seeds_are_loaded(site):
    assert sorted(c.id for c in site.communes) == ["lung-phinh", "phu-trung", "thien-phu", "thuong-xuan", "tue-tinh"]
    assert sorted(d.id for d in site.documents) == [
        "lung-phinh/kh-cchc-cds-2025-2030", "phu-trung/kh-cchc-2026-2030", "thien-phu/kh-cchc-2026-2030",
        "thuong-xuan/kh-cchc-2026", "tue-tinh/kh-cchc-2026-2030", "tue-tinh/qd-364-2026"]


def test_drafts_and_issued_documents(site):
    tp = site.document("thien-phu/kh-cchc-2026-2030")
    assert (tp.type, tp.number, tp.symbol, tp.is_draft) == ("KH", None, "KH-UBND", True)
    assert (tp.date.year, tp.date.month, tp.date.day) == (2026, 1, None)
    tx = site.document("thuong-xuan/kh-cchc-2026")
    assert (tx.number, tx.symbol, tx.date.as_date(), tx.is_draft) == ("09", "KH-UBND", date(2026, 1, 10), False)
    assert tx.signature.authority.startswith("TM.") and tx.signature.title == "CHỦ TỊCH"
    lp = site.document("lung-phinh/kh-cchc-cds-2025-2030")
    assert (lp.symbol, lp.signature.authority) == ("KH/ĐU", "T/M BAN CHẤP HÀNH")


def test_decision_issues_its_plan_and_replaces_an_earlier_one(site):
    qd = site.document("tue-tinh/qd-364-2026")
    plan = site.document("tue-tinh/kh-cchc-2026-2030")
    assert (qd.type, qd.number, qd.symbol, qd.date.as_date()) == ("QĐ", "364", "QĐ-UBND", date(2026, 4, 24))
    assert [a.number for a in qd.articles] == [1, 2, 3]
    assert qd.issues == plan.id and plan.attached_to == qd.id
    assert (qd.replaces.type, qd.replaces.number, qd.replaces.date) == ("Quyết định", "586/QĐ-UBND", date(2025, 9, 8))
    assert "586/QĐ-UBND" in qd.articles[1].text


def test_referred_only_appendices_are_recorded_not_invented(site):
    for doc_id in ("phu-trung/kh-cchc-2026-2030", "tue-tinh/kh-cchc-2026-2030"):
        doc = site.document(doc_id)
        referred = [a for a in doc.appendices if a.referred_only]
        assert referred, doc_id
        for a in referred:
            assert a.file is None and a.content is None and a.title is None, (doc_id, a.id)
            assert a.mention and a.mention in doc.body, (doc_id, a.id)  # the body's own words
    pt = site.document("phu-trung/kh-cchc-2026-2030")
    assert [a.label for a in pt.appendices if a.referred_only] == ["Phụ lục I", "Phụ lục II"]
    assert all(a.appendix is None for a in pt.tasks)  # its commitments are in the body, not in an appendix


def test_counts_of_the_seeds(site):
    def areas(doc):
        return {t.area for t in doc.tasks}

    tp = site.document("thien-phu/kh-cchc-2026-2030")
    assert len(tp.tasks) == 36 and len(areas(tp)) == 6
    assert [t.number for t in tp.tasks] == list(range(1, 37))
    tx = site.document("thuong-xuan/kh-cchc-2026")
    assert len(tx.tasks) == 38 and len({t.appendix for t in tx.tasks}) == 7
    lp = site.document("lung-phinh/kh-cchc-cds-2025-2030")
    assert len(lp.tasks) == 22 and len(areas(lp)) == 7
    assert len({(t.area, t.objective_number) for t in lp.tasks}) == 13
    assert all(t.parent_task and t.objective and t.objective_number for t in lp.tasks)
    pt = site.document("phu-trung/kh-cchc-2026-2030")
    assert len(pt.tasks) == 6 and len(areas(pt)) == 6
    assert [t.number for t in pt.tasks] == [1, 2, 3, 4, 5, 6]


def test_every_task_has_a_stable_unique_id_and_a_lead(site):
    uids = [t.uid for d in site.documents for t in d.tasks]
    assert len(uids) == len(set(uids)) == 143
    for doc in site.documents:
        for t in doc.tasks:
            assert t.uid == f"{doc.id}/{t.id}" and t.plan_id == doc.id
            assert t.lead and all(r.agency for r in t.lead), t.uid
            assert isinstance(t.deliverables, list)
    tp = site.document("thien-phu/kh-cchc-2026-2030")
    assert tp.tasks[17].id == "pl-18"
    assert tp.tasks[1].deliverables == ["Kế hoạch của cơ quan có thẩm quyền.", "Báo cáo kết quả thực hiện."]
