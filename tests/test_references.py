"""Legal bases read as references: real lines of the seeds give type, number, date, issuer, title."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import CONTENT, ROOT
from planpub.diagnostics import Report
from planpub.load import load_content
from planpub.references import find_dates, parse_reference, valid_date

SEEDS = ROOT / "tests" / "fixtures" / "seeds"  # the five source texts (copied from ../shared/seeds)

# (seed, line verbatim, kind, type, number, date, issuer, title)
SEED_LINES = [
    ("000", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;",
     "can_cu", "Luật", None, date(2025, 6, 16), None, "Tổ chức chính quyền địa phương"),
    ("000", "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
            "hành chính nhà nước giai đoạn 2021 - 2030;",
     "can_cu", "Nghị quyết", "76/NQ-CP", date(2021, 7, 15), "Chính phủ",
     "ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030"),
    ("000", "Căn cứ Chỉ thị số 23/CT-TTg ngày 02/9/2021 của Thủ tướng Chính phủ về việc đẩy mạnh thực hiện "
            "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;",
     "can_cu", "Chỉ thị", "23/CT-TTg", date(2021, 9, 2), "Thủ tướng Chính phủ",
     "về việc đẩy mạnh thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030"),
    ("000", "Căn cứ Quyết định số 54/QĐ-UBND ngày 05 tháng 01 năm 2026 của UBND tỉnh Thanh Hoá về ban hành kế "
            "hoạch cải cách hành chính trên địa bàn tỉnh Thanh Hóa giai đoạn 2026 – 2030.",
     "can_cu", "Quyết định", "54/QĐ-UBND", date(2026, 1, 5), "UBND tỉnh Thanh Hoá",
     "về ban hành kế hoạch cải cách hành chính trên địa bàn tỉnh Thanh Hóa giai đoạn 2026 – 2030"),
    # a number without "số"
    ("001", "Căn cứ Quyết định 1065/QĐ-UBND ngày 30/3/2026 của UBND tỉnh Đồng Nai về Ban hành Kế hoạch cải cách "
            "hành chính trọng tâm giai đoạn 2026 - 2030;",
     "can_cu", "Quyết định", "1065/QĐ-UBND", date(2026, 3, 30), "UBND tỉnh Đồng Nai",
     "về Ban hành Kế hoạch cải cách hành chính trọng tâm giai đoạn 2026 - 2030"),
    # a symbol with "&"
    ("001", "Thực hiện Công văn số 3090/SNV-CCHC&VTLT ngày 01/4/2026 của Sở Nội vụ về triển khai Kế hoạch cải "
            "cách hành chính trọng tâm giai đoạn 2026 - 2030.",
     "thuc_hien", "Công văn", "3090/SNV-CCHC&VTLT", date(2026, 4, 1), "Sở Nội vụ",
     "về triển khai Kế hoạch cải cách hành chính trọng tâm giai đoạn 2026 - 2030"),
    ("002", "Thực hiện Kế hoạch số 257/KH-UBND ngày 22 tháng 12 năm 2025 của UBND tỉnh Thanh Hóa về Kế hoạch "
            "cải cách hành chính trên địa bàn tỉnh Thanh Hóa năm 2026;",
     "thuc_hien", "Kế hoạch", "257/KH-UBND", date(2025, 12, 22), "UBND tỉnh Thanh Hóa",
     "về Kế hoạch cải cách hành chính trên địa bàn tỉnh Thanh Hóa năm 2026"),
    ("003", "Căn cứ Quyết định số 282/QĐ-TTg ngày 12 tháng 02 năm 2026 của Thủ tướng Chính phủ ban hành Kế hoạch "
            "cải cách hành chính nhà nước trọng tâm giai đoạn 2026-2030;",
     "can_cu", "Quyết định", "282/QĐ-TTg", date(2026, 2, 12), "Thủ tướng Chính phủ",
     "ban hành Kế hoạch cải cách hành chính nhà nước trọng tâm giai đoạn 2026-2030"),
    ("003", "Thực hiện Quyết định số 1478/QĐ-UBND ngày 14/4/2026 của Ủy ban nhân dân thành phố ban hành Kế hoạch "
            "cải cách hành chính nhà nước trọng tâm giai đoạn 2026-2030 của thành phố Hải Phòng;",
     "thuc_hien", "Quyết định", "1478/QĐ-UBND", date(2026, 4, 14), "Ủy ban nhân dân thành phố",
     "ban hành Kế hoạch cải cách hành chính nhà nước trọng tâm giai đoạn 2026-2030 của thành phố Hải Phòng"),
    # the proposer is the issuer; the proposal (Tờ trình) gives type, number and date
    ("003", "Theo đề nghị của Trưởng phòng Văn hóa-Xã hội tại Tờ trình số 84/TTr-VHXH ngày 16 tháng 4 năm 2026.",
     "theo_de_nghi", "Tờ trình", "84/TTr-VHXH", date(2026, 4, 16), "Trưởng phòng Văn hóa-Xã hội", None),
    # the decision that QĐ 364 replaces, as Điều 2 of seed 003 names it
    ("003", "Quyết định số 586/QĐ-UBND ngày 08 tháng 9 năm 2025 của Chủ tịch Ủy ban nhân xã về việc ban hành Kế "
            "hoạch thực hiện Chương trình tổng thể cải cách hành chính nhà nước xã Tuệ Tĩnh giai đoạn 2026 - 2030",
     "other", "Quyết định", "586/QĐ-UBND", date(2025, 9, 8), "Chủ tịch Ủy ban nhân xã",
     "về việc ban hành Kế hoạch thực hiện Chương trình tổng thể cải cách hành chính nhà nước xã Tuệ Tĩnh "
     "giai đoạn 2026 - 2030"),
    # a reference inside a body: a party number (57-NQ/TW style)
    ("003", "Kết luận số 205-KL/TW ngày 07/11/2025 của Bộ Chính trị về một số giải pháp đột phá trong tuyển dụng, "
            "bố trí, sử dụng, đãi ngộ cán bộ",
     "other", "Kết luận", "205-KL/TW", date(2025, 11, 7), "Bộ Chính trị",
     "về một số giải pháp đột phá trong tuyển dụng, bố trí, sử dụng, đãi ngộ cán bộ"),
]


def _seed_text(seed: str) -> str:
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed, line", [(s[0], s[1]) for s in SEED_LINES])
def test_lines_are_verbatim_from_the_seeds(seed, line):
    assert line in _seed_text(seed)


@pytest.mark.parametrize("seed, line, kind, type_, number, date_, issuer, title", SEED_LINES)
def test_parse_reference(seed, line, kind, type_, number, date_, issuer, title):
    assert parse_reference(line) == {"kind": kind, "type": type_, "number": number, "date": date_,
                                     "issuer": issuer, "title": title}


def test_words_date_and_slash_date_read_the_same():
    a = parse_reference("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình;")
    b = parse_reference("Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình;")
    assert a == b
    assert a["date"] == date(2021, 7, 15)


def test_impossible_date_in_a_reference_is_no_date_and_no_crash():
    out = parse_reference("Căn cứ Quyết định số 54/QĐ-UBND ngày 31/6/2026 của UBND tỉnh;")
    assert (out["number"], out["date"], out["issuer"]) == ("54/QĐ-UBND", None, "UBND tỉnh")


@pytest.mark.parametrize("text", ["", "Căn cứ", "Thực hiện", ";", "Theo đề nghị của", "số 12/ ngày 99/99/9999"])
def test_odd_lines_do_not_crash(text):
    out = parse_reference(text)
    assert set(out) == {"kind", "type", "number", "date", "issuer", "title"}


def test_find_dates_includes_impossible_ones():
    text = "tính đến hết ngày 31 tháng 6 năm 2025 và trước 15/01/2026; không phải 1/2026"
    found = find_dates(text)
    assert [(d, m, y) for d, m, y, _, _ in found] == [(31, 6, 2025), (15, 1, 2026)]
    assert text[found[0][3]:found[0][4]] == "31 tháng 6 năm 2025"
    assert valid_date(31, 6, 2025) is None
    assert valid_date(29, 2, 2028) == date(2028, 2, 29)


def test_loader_reads_every_legal_basis_of_the_content():
    """Through the loader: each document's bases in order, each with a type and an issuer or a date."""
    report = Report(root=CONTENT.parent)
    site = load_content(CONTENT, report)
    thien_phu = site.document("thien-phu/kh-cchc-2026-2030")
    assert [(b.kind, b.type, b.number, b.date) for b in thien_phu.legal_bases] == [
        ("can_cu", "Luật", None, date(2025, 6, 16)),
        ("can_cu", "Nghị quyết", "76/NQ-CP", date(2021, 7, 15)),
        ("can_cu", "Chỉ thị", "23/CT-TTg", date(2021, 9, 2)),
        ("can_cu", "Quyết định", "54/QĐ-UBND", date(2026, 1, 5)),
    ]
    qd = site.document("tue-tinh/qd-364-2026")
    assert [b.kind for b in qd.legal_bases] == ["can_cu", "can_cu", "can_cu", "thuc_hien", "theo_de_nghi"]
    assert qd.legal_bases[-1].number == "84/TTr-VHXH"
    for doc in site.documents:
        for basis in doc.legal_bases:
            assert basis.text and basis.type, (doc.id, basis.text)
            assert basis.date is not None or basis.type == "Luật", (doc.id, basis.text)
