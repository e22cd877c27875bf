"""The command line as a clerk uses it: --help for every command, and a failed build that changes nothing."""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, run_build, tree_hash

COMMANDS = ("build", "check", "issue", "sign", "verify", "report")


# --- help ---------------------------------------------------------------------------------------

def test_help_documents_every_command_and_option():
    proc = run_build("--help")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("cách dùng: build.py")
    listed = re.findall(r"^    ([a-z]+)\s{2,}(\S.*)$", out, re.M)  # "    check    kiểm tra nội dung, …"
    assert [name for name, _ in listed] == list(COMMANDS), out
    assert all(len(text) > 10 for _, text in listed)
    for option in ("--content", "--site", "--as-of", "--only", "--full", "--strict", "--quiet", "--build-dir", "--cache-dir"):
        assert option in out, option
    assert "Mã thoát / exit codes: 0 thành công, 1 nội dung có lỗi" in " ".join(out.split())
    assert "python build.py check" in out  # the examples


def test_check_help():
    proc = run_build("check", "--help")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("cách dùng: build.py check")
    out = " ".join(out.split())  # argparse wraps to the terminal's width
    for option in ("--content", "--strict", "--quiet"):
        assert option in out
    assert "--site" not in out  # check writes nothing
    for words in ("cú pháp YAML", "cơ quan", "số thứ tự", "a b c d đ e g h", "ngày không tồn tại", "ND30"):
        assert words in out, words


@pytest.mark.parametrize("command, options", [
    ("build", ("--site", "--as-of", "--only", "--full", "--strict", "--content", "--build-dir", "--cache-dir")),
    ("issue", ("--number", "--date", "document")),
    ("sign", ("--role", "--p12", "document")),
    ("verify", ("--trust",)),
])
def test_subcommand_help(command, options):
    proc = run_build(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"cách dùng: build.py {command}")
    for option in options:
        assert option in proc.stdout, option


def test_bad_command_line_exits_2():
    proc = run_build("chek")
    assert proc.returncode == 2
    assert "không có lựa chọn 'chek'" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_build("--as-of", "2026-02-30", "--only", "data")
    assert proc.returncode == 2
    assert "ngày không hợp lệ" in proc.stderr


# --- a failed build changes nothing ---------------------------------------------------------------

def _break(content: Path) -> None:
    path = content / "thien-phu" / "kh-cchc-2026-2030" / "appendix-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert "lead: [Văn phòng HĐND - UBND]" in text
    path.write_text(text.replace("lead: [Văn phòng HĐND - UBND]", "lead: [Văn phòng HĐND - UBNX]", 1), encoding="utf-8")


def test_failed_build_leaves_the_site_byte_identical(content_copy, tmp_path):
    """A commune with errors keeps what it published; the other communes, unchanged, are the same
    bytes: the whole site is as it was."""
    site = tmp_path / "out" / "site"
    ok = run_build("--only", "data", "--content", str(content_copy), "--site", str(site), "--as-of", AS_OF)
    assert ok.returncode == 0, ok.stderr
    assert (site / "data" / "tasks.csv").is_file()
    before = tree_hash(site)
    siblings = sorted(p.name for p in site.parent.iterdir())

    _break(content_copy)
    for options in ((), ("--full",), ("build",)):
        proc = run_build(*options, "--only", "data", "--content", str(content_copy), "--site", str(site),
                         "--as-of", AS_OF)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert "[unknown-agency]" in proc.stderr
        assert "Giữ nguyên bản đã công bố của: xã Thiên Phú" in proc.stderr
        assert tree_hash(site) == before
        assert sorted(p.name for p in site.parent.iterdir()) == siblings  # no half-built folder left beside it


def test_warnings_with_strict_fail_the_build_and_keep_the_site(content_copy, tmp_path):
    site = tmp_path / "site"
    ok = run_build("--only", "data", "--content", str(content_copy), "--site", str(site), "--as-of", AS_OF)
    assert ok.returncode == 0, ok.stderr
    before = tree_hash(site)
    path = content_copy / "thuong-xuan" / "kh-cchc-2026" / "appendix-07.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Trước ngày 15/01/2026" in text
    path.write_text(text.replace("Trước ngày 15/01/2026", "Khi nào xong"), encoding="utf-8")  # a warning
    assert run_build("check", "--content", str(content_copy)).returncode == 0
    proc = run_build("--strict", "--only", "data", "--content", str(content_copy), "--site", str(site),
                     "--as-of", AS_OF)
    assert proc.returncode == 1, proc.stderr
    assert "cảnh báo [deadline-unknown]" in proc.stderr
    assert tree_hash(site) == before


def test_failed_first_build_leaves_the_broken_commune_out(content_copy, tmp_path):
    site = tmp_path / "site"
    _break(content_copy)
    proc = run_build("--only", "data", "--content", str(content_copy), "--site", str(site), "--as-of", AS_OF)
    assert proc.returncode == 1
    assert "Chưa công bố: xã Thiên Phú" in proc.stderr
    with (site / "data" / "tasks.csv").open(encoding="utf-8-sig") as f:
        communes = {row["commune"] for row in csv.DictReader(f)}
    assert communes and "thien-phu" not in communes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # nothing half-built left behind


def test_a_first_build_with_every_commune_broken_creates_no_site(content_copy, tmp_path):
    site = tmp_path / "site"
    for commune in [p for p in content_copy.iterdir() if p.name != "thien-phu"]:
        shutil.rmtree(commune)
    _break(content_copy)
    proc = run_build("--only", "data", "--content", str(content_copy), "--site", str(site), "--as-of", AS_OF)
    assert proc.returncode == 1
    assert "Không dựng site/ vì nội dung có lỗi; site/ cũ giữ nguyên." in proc.stderr
    assert not site.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["content"]


def test_rebuild_after_the_fix_replaces_the_site(content_copy, tmp_path):
    site = tmp_path / "site"
    good = content_copy.parent / "good"
    shutil.copytree(content_copy, good)
    _break(content_copy)
    assert run_build("--only", "data", "--content", str(good), "--site", str(site), "--as-of", AS_OF).returncode == 0
    (site / "stale.txt").write_text("x", encoding="utf-8")
    before = (site / "data" / "tasks.csv").read_bytes()
    proc = run_build("--only", "data", "--content", str(good), "--site", str(site), "--as-of", AS_OF, "--full")
    assert proc.returncode == 0, proc.stderr
    assert not (site / "stale.txt").exists()  # a new site/ is swapped in whole
    assert (site / "data" / "tasks.csv").read_bytes() == before
