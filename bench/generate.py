"""Generate synthetic communes shaped like the seeds, for the benchmark.

    python bench/generate.py N OUT_DIR [--plans K]

writes OUT_DIR/<commune>/ for N communes, each with 3 plans (KH; K with ``--plans``, at most 3) of
about 40 tasks in the seven reform areas. Every commune is fictional and marked so
(``example: true``: every page built from it says it is example data). Text comes from the bundled seeds (body of Thiên Phú, task rows of Thiên Phú and
Thường Xuân), so pages and PDFs have the seeds' size and shape; names and numbers vary.
Deterministic: the same N gives the same files.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED_PLAN = ROOT / "content" / "thien-phu" / "kh-cchc-2026-2030"
TASK_SOURCES = [SEED_PLAN / "appendix-01.yaml",
                *sorted((ROOT / "content" / "thuong-xuan" / "kh-cchc-2026").glob("appendix-*.yaml"))]
AREAS = ["institutions", "procedures", "organisation", "civil_service", "public_finance",
         "digital_government", "direction"]
AREA_TITLES = ["Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy hành chính nhà nước",
               "Cải cách chế độ công vụ", "Cải cách tài chính công",
               "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "Công tác chỉ đạo, điều hành, tuyên truyền"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]
AGENCIES = [
    ("ubnd", "Ủy ban nhân dân xã", ["UBND xã"], "agency"),
    ("vp", "Văn phòng HĐND và UBND xã", ["Văn phòng HĐND - UBND"], "agency"),
    ("vhxh", "Phòng Văn hóa - Xã hội", ["Phòng VH-XH"], "agency"),
    ("kt", "Phòng Kinh tế", [], "agency"),
    ("ttpvhcc", "Trung tâm Phục vụ hành chính công xã", ["Trung tâm Phục vụ HCC"], "agency"),
    ("ttdv", "Trung tâm Dịch vụ tổng hợp", [], "agency"),
    ("ca", "Công an xã", [], "agency"),
    ("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam xã", ["UBMTTQ xã"], "agency"),
    ("cac-phong", "Các phòng, ban, đơn vị cấp xã", ["Các phòng, ban, đơn vị"], "group"),
    ("so-noi-vu", "Sở Nội vụ", [], "external"),
]
DEADLINES = ["Quý I/2026", "Quý II năm 2026", "Tháng 7-10/2026", "Quý III,IV/2026", "Cả năm 2026", "Trong năm 2027",
             "2026-2027", "Trước ngày 15/01/2026", "Hàng năm", "Tháng 12 hàng năm", "Trước ngày 31/12 hàng năm",
             "Quý IV hàng năm", "Thường xuyên", "Theo kế hoạch của UBND tỉnh", "Theo hướng dẫn của Sở Nội vụ"]
NAMES = ["An", "Bình", "Cường", "Đông", "Hòa", "Khánh", "Lộc", "Minh", "Phong", "Quang", "Sơn", "Thành", "Tiến",
         "Vinh", "Xuân", "Yên", "Định", "Đức", "Hưng", "Lợi"]


def _pool() -> list[dict]:
    rows = []
    for path in TASK_SOURCES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in data["groups"]:
            for task in group["tasks"]:
                rows.append({"content": task["content"], "deliverables": task.get("deliverables") or []})
    return rows


def commune_name(i: int) -> str:
    return f"{NAMES[i % len(NAMES)]} {NAMES[(i // len(NAMES)) % len(NAMES)]} {i + 1}"


PLANS = [("kh-cchc-2026-2030", "Cải cách hành chính giai đoạn 2026 - 2030"), ("kh-cds-2026", "Chuyển đổi số năm 2026"),
         ("kh-cchc-2026", "Cải cách hành chính năm 2026")]


def generate(n: int, out: Path, plans: int = 3) -> None:
    rng = random.Random(20261123)
    pool = _pool()
    body_template = (SEED_PLAN / "body.md").read_text(encoding="utf-8")
    doc_template = yaml.safe_load((SEED_PLAN / "document.yaml").read_text(encoding="utf-8"))
    for i in range(n):
        cid = f"xa-{i + 1:03d}"
        name = commune_name(i)
        cdir = out / cid
        cdir.mkdir(parents=True, exist_ok=True)
        commune = {"id": cid, "name": name, "kind": "xã", "province": "Tỉnh Mẫu", "example": True,
                   "agencies": [{"id": a, "name": nm, "aliases": al, "kind": k} for a, nm, al, k in AGENCIES]}
        (cdir / "commune.yaml").write_text(yaml.safe_dump(commune, allow_unicode=True, sort_keys=False), encoding="utf-8")
        for p, (slug, subject) in enumerate(PLANS[:plans]):
            ddir = cdir / slug
            ddir.mkdir(exist_ok=True)
            doc = dict(doc_template)
            doc.pop("corrections", None)
            doc.update({
                "number": f"{rng.randint(1, 99):02d}", "date": f"2026-01-{10 + p:02d}",
                "issuer": {"name": f"Ủy ban nhân dân xã {name}", "header": ["ỦY BAN NHÂN DÂN", f"XÃ {name.upper()}"],
                           "short": f"UBND xã {name}"},
                "place": name, "subject": f"{subject} của xã {name}",
                "recipients": ["Sở Nội vụ (b/c)", "Các phòng, ban, đơn vị (t/h)"], "archive": "VT, VHXH",
                "appendices": [{"id": "pl", "label": "Phụ lục", "title": f"NHIỆM VỤ {subject.upper()}",
                                "file": "appendix-01.yaml"}],
            })
            (ddir / "document.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
            (ddir / "body.md").write_text(body_template.replace("Thiên Phú", name), encoding="utf-8")
            groups, number = [], 0
            for a, area in enumerate(AREAS):
                tasks = []
                for _ in range(rng.randint(4, 7)):
                    number += 1
                    row = rng.choice(pool)
                    lead = rng.choice(AGENCIES[1:8])[1]
                    tasks.append({"number": number, "content": row["content"], "deliverables": row["deliverables"],
                                  "lead": [lead], "support": [AGENCIES[8][1]], "deadline": rng.choice(DEADLINES)})
                groups.append({"area": area, "label": ROMAN[a], "title": AREA_TITLES[a], "tasks": tasks})
            appendix = {"shape": "task_table",
                        "columns": {"number": "TT", "content": "Nội dung thực hiện", "deliverables": "Sản phẩm",
                                    "lead": "Cơ quan chủ trì", "support": "Cơ quan phối hợp",
                                    "deadline": "Thời gian hoàn thành"},
                        "groups": groups}
            (ddir / "appendix-01.yaml").write_text(yaml.safe_dump(appendix, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")


if __name__ == "__main__":
    args = sys.argv[1:]
    plans = 3
    if "--plans" in args:
        at = args.index("--plans")
        plans = int(args[at + 1])
        del args[at:at + 2]
    if len(args) != 2 or not 1 <= plans <= len(PLANS):
        sys.exit(__doc__)
    generate(int(args[0]), Path(args[1]), plans)
