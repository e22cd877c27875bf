"""Issuers at every level of local government since 1/7/2025 (issue 13 item 4): xã, phường, đặc
khu, and tỉnh / thành phố; `kind` is validated, site paths follow the kind, and a province plan and
the commune plans that implement it link to each other. Fixtures: fictional communes."""
from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_build

CLEAN = Path(__file__).parent / "fixtures" / "checker" / "clean"
PROVINCE, PLAN = "tinh-thu-nghiem", "tinh-thu-nghiem/kh-tinh-2026"


def _yaml(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def two_levels(tmp_path: Path) -> Path:
    """The demo commune (xã) and a fictional province whose plan the commune's plan implements."""
    content = tmp_path / "content"
    shutil.copytree(CLEAN, content)
    shutil.copytree(content / "demo", content / PROVINCE)
    shutil.move(content / PROVINCE / "kh-demo-2026", content / PLAN)
    _yaml(content / PROVINCE / "commune.yaml", id=PROVINCE, name="Thử Nghiệm", kind="tỉnh", province=None)
    _yaml(content / PLAN / "document.yaml", issuer={"name": "Ủy ban nhân dân tỉnh Thử Nghiệm",
                                                  "header": ["ỦY BAN NHÂN DÂN", "TỈNH THỬ NGHIỆM"],
                                                  "short": "UBND tỉnh Thử Nghiệm"},
          subject="Cải cách hành chính tỉnh Thử Nghiệm năm 2026 (dữ liệu ví dụ)")
    _yaml(content / "demo" / "kh-demo-2026" / "document.yaml", implements=PLAN)
    return content


def test_kind_is_validated(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CLEAN, content)
    _yaml(content / "demo" / "commune.yaml", kind="foo")
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1
    assert re.search(r"commune\.yaml:\d+:\d+: lỗi \[invalid-value\] Giá trị “foo” của `kind` không hợp lệ\.\n"
                     r"    Cách sửa: Chỉ nhận một trong: 'xã', 'phường', 'đặc khu', 'tỉnh' hoặc 'thành phố'\.",
                     proc.stderr), proc.stderr


def test_implements_must_name_a_plan_of_another_issuer(tmp_path):
    content = two_levels(tmp_path)
    _yaml(content / "demo" / "kh-demo-2026" / "document.yaml", implements="tinh-thu-nghiem/khong-co")
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1 and "[broken-link]" in proc.stderr
    _yaml(content / "demo" / "kh-demo-2026" / "document.yaml", implements="demo/kh-demo-2026")
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1 and "[implements-same-issuer]" in proc.stderr


@pytest.fixture(scope="module")
def two_level_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("levels")
    content = two_levels(base)
    site = base / "site"
    proc = run_build("--content", str(content), "--site", str(site), "--as-of", "2026-11-23", "-q",
                     "--only", "website", "--only", "data")
    assert proc.returncode == 0, proc.stderr
    return site


def _links(page: Path) -> list[str]:
    return re.findall(r'href="([^"#?]+)[^"]*"', page.read_text(encoding="utf-8"))


def test_a_province_is_published_under_its_kind_not_under_xa(two_level_site):
    site = two_level_site
    assert (site / "tinh" / PLAN / "index.html").is_file()
    assert (site / "tinh" / PROVINCE / "index.html").is_file()
    assert not (site / "xa" / PROVINCE).exists()
    assert (site / "xa" / "demo" / "kh-demo-2026" / "index.html").is_file()
    home = (site / "tinh" / PROVINCE / "index.html").read_text(encoding="utf-8")
    assert "Tỉnh Thử Nghiệm" in home


def test_the_province_plan_and_the_commune_plan_link_to_each_other(two_level_site):
    site = two_level_site
    commune_page = site / "xa" / "demo" / "kh-demo-2026" / "index.html"
    province_page = site / "tinh" / PLAN / "index.html"
    up = [h for h in _links(commune_page) if h.endswith(f"tinh/{PLAN}/index.html")]
    down = [h for h in _links(province_page) if h.endswith("xa/demo/kh-demo-2026/index.html")]
    assert up and down
    for page, href in ((commune_page, up[0]), (province_page, down[0])):
        target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), href)))
        assert target.is_file(), href
    assert "Thực hiện kế hoạch" in commune_page.read_text(encoding="utf-8")
    assert "Các kế hoạch thực hiện kế hoạch này" in province_page.read_text(encoding="utf-8")
