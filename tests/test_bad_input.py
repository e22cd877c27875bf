"""The bad-input corpus (tests/fixtures/bad-input/): each broken input gets its expected message,
never a traceback, and a failed build leaves the previous site/ exactly as it was."""
from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_build, tree_hash

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "bad-input"
CLEAN = FIXTURES / "checker" / "clean"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected").is_file())


def make_content(case: str, tmp: Path) -> Path:
    content = tmp / "content"
    shutil.copytree(CLEAN, content)
    overlay = CORPUS / case / "overlay"
    if overlay.is_dir():
        for src in sorted(overlay.rglob("*")):
            dest = content / src.relative_to(overlay)
            if src.is_symlink():  # a link stays a link (to a file outside content/, for one)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.unlink(missing_ok=True)
                dest.symlink_to(os.readlink(src))
            elif src.is_file():
                dest.parent.mkdir(parents=True, exist_ok=True)
                if dest.is_dir() and not dest.is_symlink():
                    shutil.rmtree(dest)
                shutil.copyfile(src, dest)
    if case == "file-too-large":
        body = content / "demo" / "kh-demo-2026" / "body.md"
        body.write_text(body.read_text(encoding="utf-8") + ("Đoạn văn lặp lại. " * 200 + "\n\n") * 1200,
                        encoding="utf-8")
    return content


def previous_site(tmp: Path) -> Path:
    site = tmp / "site"
    (site / "pdf").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>bản cũ</title>", encoding="utf-8")
    (site / "pdf" / "old.pdf").write_bytes(b"%PDF-1.7 old")
    return site


def test_corpus_covers_every_kind_of_bad_input():
    assert {"yaml-syntax", "unknown-agency", "task-number-duplicate", "point-letter", "impossible-date", "encoding",
            "nfd-text", "appendix-2000-rows", "empty-file", "replace-cycle", "file-too-large", "path-outside",
            # issue 17: hostile content
            "symlink-signed-pdf", "symlink-commune", "signed-not-a-pdf", "control-character", "carriage-return",
            "newline-in-name", "bidi-override", "zero-width", "agency-lookalike", "alias-bomb", "period-reversed",
            "year-out-of-range", "target-period", "list-for-text", "list-for-text-legal-basis", "document-yaml-folder",
            "targets-yaml-folder", "file-for-folder", "letter-not-in-font", "duplicate-task-id", "duplicate-appendix-id",
            "alias-two-agencies"} <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case, tmp_path):
    verdict, *rest = (CORPUS / case / "expected").read_text(encoding="utf-8").split()
    content = make_content(case, tmp_path)
    if verdict == "ok":
        proc = run_build("check", "--content", str(content))
        assert proc.returncode == 0, proc.stderr
        assert f"{rest[0]} nhiệm vụ" in proc.stderr
        site = tmp_path / "data-site"
        proc = run_build("--only", "data", "--content", str(content), "--site", str(site))
        assert proc.returncode == 0, proc.stderr
        with (site / "data" / "tasks.csv").open(encoding="utf-8-sig") as f:
            assert sum(1 for _ in csv.DictReader(f)) == int(rest[0])
        return
    key, where = rest
    file, line = where.rsplit(":", 1)
    site = previous_site(tmp_path)
    before = tree_hash(site)
    proc = run_build("--content", str(content), "--site", str(site), "--as-of", "2026-11-23")
    assert "Traceback" not in proc.stderr and "Lỗi nội bộ" not in proc.stderr, proc.stderr
    label = {"error": "lỗi", "warning": "cảnh báo"}[verdict]
    pattern = rf"^{re.escape(str(content / file))}:{line}:\d+: {label} \[{re.escape(key)}\] .+\n    Cách sửa: .+$"
    assert re.search(pattern, proc.stderr, re.M), proc.stderr
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")]
    assert leftovers == []
    if verdict == "error":
        assert proc.returncode == 1, proc.stderr
        assert tree_hash(site) == before, "a failed build changed site/"
    else:
        assert proc.returncode == 0, proc.stderr
        assert tree_hash(site) != before and not (site / "pdf" / "old.pdf").exists()
        assert (site / "data" / "tasks.csv").is_file()
