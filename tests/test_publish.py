"""Publishing without a full copy: the new site is assembled from hard links to the files kept from
earlier builds, a published file is never rewritten in place (a reader holding it keeps its bytes),
and a build killed at any moment leaves a complete site, the previous one or the new one."""
from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import AS_OF, ROOT, run_build, tree_hash

CLEAN = Path(__file__).parent / "fixtures" / "checker" / "clean"
PAUSE_POINTS = ("stages-started", "website-linked", "before-swap", "after-swap")


def _edit(content: Path) -> None:
    plan = content / "thien-phu" / "kh-cchc-2026-2030"
    body = plan / "body.md"
    body.write_text(body.read_text(encoding="utf-8") + "\nĐoạn thêm để kiểm tra việc dựng lại.\n", encoding="utf-8")


def test_an_edit_publishes_new_files_and_never_changes_a_published_file_under_its_reader(content_copy, tmp_path):
    site = tmp_path / "site"
    args = ("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF)
    run_build(*args, check=True)
    # a reader holds every published file open, as a web server serving it does
    held = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        held[path.relative_to(site).as_posix()] = (open(path, "rb"), hashlib.sha256(path.read_bytes()).hexdigest())
    try:
        _edit(content_copy)
        run_build(*args, check=True)
        changed = [rel for rel, (f, digest) in held.items()
                   if (f.seek(0), hashlib.sha256(f.read()).hexdigest())[1] != digest]
    finally:
        for f, _ in held.values():
            f.close()
    assert changed == [], f"published files rewritten in place: {changed[:10]}"
    page = site / "xa" / "thien-phu" / "kh-cchc-2026-2030" / "index.html"
    assert "Đoạn thêm để kiểm tra việc dựng lại." in page.read_text(encoding="utf-8")

    # no full copy: an unchanged page is the very file MkDocs left in build/site, and a PDF the
    # very file of the PDF cache; only what the build wrote anew has a single name
    kept = ROOT / "build" / "site"
    untouched = next(site.glob("xa/phu-trung/*/nhiem-vu/*/index.html"))
    assert os.path.samefile(untouched, kept / untouched.relative_to(site))
    pdf = next(site.glob("pdf/phu-trung/*.pdf"))
    assert pdf.stat().st_nlink >= 2
    assert any(os.path.samefile(pdf, cached) for cached in (ROOT / ".cache" / "pdf").glob("*.pdf"))
    files = [p for p in site.rglob("*") if p.is_file()]
    single = sum(p.stat().st_size for p in files if p.stat().st_nlink == 1)
    total = sum(p.stat().st_size for p in files)
    assert single < total / 4, f"{single:,} of {total:,} bytes written anew"


def _hrefs(page: Path) -> list[str]:
    return re.findall(r'href="([^"#?:]+)(?:[#?][^"]*)?"', page.read_text(encoding="utf-8"))


def _assert_complete(site: Path, states: dict[str, str]) -> str:
    """site/ is one of ``states`` (name → tree hash), whole, and every page the home page and the
    documents' list link to exists. Returns the state's name."""
    assert site.is_dir(), "site/ is missing"
    now = tree_hash(site)
    found = [name for name, digest in states.items() if digest == now]
    assert found, "site/ is neither the previous site nor the new one"
    for page in (site / "index.html", site / "van-ban" / "index.html"):
        for href in _hrefs(page):
            assert (page.parent / href).resolve().exists(), f"{page.relative_to(site)} links to a missing {href}"
    return found[0]


def _build(content: Path, site: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--site", str(site),
                             "--as-of", AS_OF], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})


def test_a_build_killed_at_any_moment_leaves_a_complete_site(tmp_path):
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(CLEAN, content)
    run_build("--content", str(content), "--site", str(site), "--as-of", AS_OF, check=True)
    previous = tree_hash(site)
    kept = tmp_path / "previous-site"
    shutil.copytree(site, kept)
    document = content / "demo" / "kh-demo-2026" / "document.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace(
        "subject: Cải cách hành chính", "subject: Bản sửa đổi cải cách hành chính", 1), encoding="utf-8")
    new_site = tmp_path / "reference" / "site"
    start = time.monotonic()
    run_build("--content", str(content), "--site", str(new_site), "--as-of", AS_OF, check=True)
    duration = time.monotonic() - start
    states = {"previous": previous, "new": tree_hash(new_site)}
    assert states["previous"] != states["new"]

    seen = []
    # at each named moment of the sequence (the build waits there: PLANPUB_PAUSE_AT) …
    for point in PAUSE_POINTS:
        proc = _build(content, site, {"PLANPUB_PAUSE_AT": point})
        line = proc.stderr.readline().decode()
        while line and "paused at" not in line:
            line = proc.stderr.readline().decode()
        assert f"paused at {point}" in line, f"the build never reached {point} (exit {proc.wait()})"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen.append((point, _assert_complete(site, states)))
    assert dict(seen) == {"stages-started": "previous", "website-linked": "previous", "before-swap": "previous",
                          "after-swap": "new"}

    # … and at random moments of a whole build
    rng = random.Random(15)
    for _ in range(4):
        if tree_hash(site) != previous:  # start again from the previous site
            shutil.rmtree(site)
            shutil.copytree(kept, site)
        proc = _build(content, site)
        time.sleep(rng.uniform(0.2, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _assert_complete(site, states)
    # the next build removes what the killed ones left and publishes the new content
    run_build("--content", str(content), "--site", str(site), "--as-of", AS_OF, check=True)
    assert _assert_complete(site, states) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "previous-site", "reference", "site"]
