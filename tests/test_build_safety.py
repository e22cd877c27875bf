"""The build can't leave a portal broken: reproducible bytes, interruptions leave site/ as it was,
and nothing from content reaches a page unsanitised."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from conftest import AS_OF, ROOT, run_build, tree_hash

CLEAN = Path(__file__).parent / "fixtures" / "checker" / "clean"


class Markup(HTMLParser):
    """Finds what injected content would become if it were markup: a script running alert, an event
    handler attribute, a javascript: or data: link."""

    def __init__(self):
        super().__init__()
        self.found, self._in_script = [], False

    @classmethod
    def scan(cls, html: str) -> list:
        parser = cls()
        parser.feed(html)
        return parser.found

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((tag, name, value))
            if name in ("href", "src") and (value or "").strip().lower().startswith(("javascript:alert", "data:text")):
                self.found.append((tag, name, value))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(("script", data[:60]))


def test_same_content_gives_the_same_bytes(built_site, tmp_path):
    """A second, full build elsewhere (another folder, no cache) gives byte-identical site/."""
    again = tmp_path / "elsewhere" / "site"
    run_build("--full", "--site", str(again), "--as-of", AS_OF, check=True)
    differing = [p.relative_to(built_site).as_posix() for p in sorted(built_site.rglob("*"))
                 if p.is_file() and (not (again / p.relative_to(built_site)).is_file()
                                     or (again / p.relative_to(built_site)).read_bytes() != p.read_bytes())]
    assert differing == []
    assert tree_hash(built_site) == tree_hash(again)


def test_interrupted_build_leaves_the_previous_site(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = tree_hash(site)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--full", "--site", str(site), "--as-of", AS_OF],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".site-new-") for p in tmp_path.iterdir()):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)  # well into rendering
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "site/ cũ giữ nguyên" in err and "Traceback" not in err
    assert tree_hash(site) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_html_and_scripts_in_content_never_reach_a_page(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CLEAN, content)
    plan = content / "demo" / "kh-demo-2026"
    body = plan / "body.md"
    body.write_text(body.read_text(encoding="utf-8").replace(
        "b) Nâng cao chất lượng phục vụ người dân.",
        "b) Nâng cao <script>alert('xss')</script> chất lượng <img src=x onerror=alert(2)> "
        "[bấm vào đây](javascript:alert(3)) [tệp](data:text/html;base64,PHNjcmlwdD4=) "
        "[trang xã](https://example.org/xa)."), encoding="utf-8")
    appendix = plan / "appendix-01.yaml"
    appendix.write_text(appendix.read_text(encoding="utf-8").replace(
        "content: Kiểm soát thủ tục hành chính.",
        "content: \"Kiểm soát <script>alert('task')</script> thủ tục <b onmouseover=alert(4)>hành chính</b>.\""),
        encoding="utf-8")
    site = tmp_path / "site"
    run_build("--content", str(content), "--site", str(site), "--as-of", AS_OF, check=True)
    pages = list(site.rglob("*.html"))
    assert pages
    for page in pages:
        found = Markup.scan(page.read_text(encoding="utf-8"))
        assert found == [], f"{page.relative_to(site)}: {found}"
    # the words are still there, shown as text, and the safe link survives
    doc_pages = [p for p in pages if "&lt;script&gt;alert(&#x27;xss&#x27;)" in p.read_text(encoding="utf-8")
                 or "&lt;script&gt;alert('xss')" in p.read_text(encoding="utf-8")]
    assert doc_pages, "the text of the body is missing from the document page"
    assert any('href="https://example.org/xa"' in p.read_text(encoding="utf-8") for p in doc_pages)


def _differing(a: Path, b: Path) -> list[str]:
    files = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files |= {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted(f for f in files if not (a / f).is_file() or not (b / f).is_file()
                  or (a / f).read_bytes() != (b / f).read_bytes())


def _edit(content: Path) -> None:
    """A clerk's edits to one plan: a paragraph added to the body, a task's wording changed."""
    plan = content / "thien-phu" / "kh-cchc-2026-2030"
    with (plan / "body.md").open("a", encoding="utf-8") as f:
        f.write("\nĐoạn bổ sung về chuyển đổi số ở thôn Khuổi Xanh.\n")
    appendix = plan / "appendix-01.yaml"
    text = appendix.read_text(encoding="utf-8")
    old = "content: Xây dựng và tổ chức thực hiện Kế hoạch kiểm tra, rà soát văn bản QPPL."
    assert old in text
    appendix.write_text(text.replace(old, old[:-1] + " hằng quý."), encoding="utf-8")


def test_an_edit_renders_only_what_changed_and_gives_the_bytes_of_a_full_build(content_copy, tmp_path):
    site = tmp_path / "site"
    run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    kept = ROOT / "build" / "site"  # MkDocs' output, kept between builds (planpub/website/incremental.py)
    untouched = next(kept.glob("xa/phu-trung/*/nhiem-vu/*/index.html"))
    edited = next(kept.glob("xa/thien-phu/kh-cchc-2026-2030/index.html"))
    before = {p: p.stat().st_mtime_ns for p in (untouched, edited)}

    _edit(content_copy)
    run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    assert untouched.stat().st_mtime_ns == before[untouched], "an unchanged page was rendered again"
    assert edited.stat().st_mtime_ns != before[edited]
    page = (site / "xa/thien-phu/kh-cchc-2026-2030/index.html").read_text(encoding="utf-8")
    assert "thôn Khuổi Xanh" in page
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "thôn Khuổi Xanh" in index and "hằng quý" in index

    full = tmp_path / "full" / "site"
    run_build("--content", str(content_copy), "--site", str(full), "--as-of", AS_OF, "--full", check=True)
    assert _differing(site, full) == []
    assert tree_hash(site) == tree_hash(full)


def test_a_removed_plan_leaves_no_page_and_no_search_entry(content_copy, tmp_path):
    site = tmp_path / "site"
    run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    assert (site / "xa" / "phu-trung").is_dir()
    shutil.rmtree(content_copy / "phu-trung")
    run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    assert not (site / "xa" / "phu-trung").exists()
    assert "xa/phu-trung/" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    full = tmp_path / "full" / "site"
    run_build("--content", str(content_copy), "--site", str(full), "--as-of", AS_OF, "--full", check=True)
    assert _differing(site, full) == []


def test_a_build_while_another_holds_the_workspace_builds_on_its_own(content_copy, tmp_path):
    """Two builds at once (two terminals, a benchmark beside the tests) do not mix their pages."""
    import fcntl

    (ROOT / "build").mkdir(exist_ok=True)
    with open(ROOT / "build" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        site = tmp_path / "site"
        run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    full = tmp_path / "full" / "site"
    run_build("--content", str(content_copy), "--site", str(full), "--as-of", AS_OF, "--full", check=True)
    assert _differing(site, full) == []
    assert not list((ROOT / "build").glob(".private-*"))


# --- issue 17: overlapping builds, the swap, a killed build (items 10, 11, 13) -------------------------

def _data_options(content: Path, site: Path):
    from planpub.settings import BuildOptions, Paths
    return BuildOptions(Paths.from_options(content=content, site=site), stages=("data",))


def _edit_subject(content: Path, words: str) -> None:
    path = content / "demo" / "kh-demo-2026" / "document.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("subject: Cải cách hành chính", f"subject: {words} cải cách hành chính", 1),
                    encoding="utf-8")


def test_a_build_of_older_content_never_replaces_a_site_of_newer_content(tmp_path):
    """Build A reads the content, the clerk edits it, build B reads the edit and publishes first;
    A, finishing last, must not put the older text back: it is refused with a message."""
    from planpub.pipeline import BuildFailed, build, load_and_check

    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(CLEAN, content)
    older, _ = load_and_check(content, ROOT)
    _edit_subject(content, "Sửa đổi")
    newer, _ = load_and_check(content, ROOT)
    build(newer, _data_options(content, site))
    published = tree_hash(site)
    try:
        build(older, _data_options(content, site))
    except BuildFailed as exc:
        assert "nội dung cũ hơn" in str(exc)
    else:
        raise AssertionError("the build of older content was published")
    assert tree_hash(site) == published
    assert "Sửa đổi cải cách" in (site / "data" / "plans.json").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")] == []


def test_site_exists_at_every_step_of_the_swap(tmp_path, monkeypatch):
    """Every rename the swap makes is watched (the renames are real): after each one, site/ is
    there; the swap exchanges the two folders in one step."""
    import os

    from planpub import pipeline

    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(CLEAN, content)
    first, _ = pipeline.load_and_check(content, ROOT)
    pipeline.build(first, _data_options(content, site))
    _edit_subject(content, "Lần hai")
    second, _ = pipeline.load_and_check(content, ROOT)
    seen, real_rename = [], os.rename

    def watched(src, dst, *args, **kwargs):
        real_rename(src, dst, *args, **kwargs)
        seen.append(site.is_dir())

    monkeypatch.setattr(pipeline.os, "rename", watched)
    pipeline.build(second, _data_options(content, site))
    assert all(seen), seen
    assert "Lần hai cải cách" in (site / "data" / "plans.json").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["content", "site"]


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_killed_build_leaves_no_worker_and_the_next_build_removes_its_folders(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = tree_hash(site)
    for sig in (signal.SIGKILL, signal.SIGTERM):
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--full", "--site", str(site),
                                 "--as-of", AS_OF], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not (any(p.name.startswith(".site-new-") for p in tmp_path.iterdir()) and len(_children(proc.pid)) >= 2):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        workers = _children(proc.pid)
        proc.send_signal(sig)
        proc.communicate(timeout=120)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], f"workers still running after {sig.name}"
        assert tree_hash(site) == before
    # a SIGKILL leaves its folders; the next build (here a quick one) removes every one
    run_build("--only", "data", "--site", str(tmp_path / "other" / "site"), "--as-of", AS_OF, check=True)
    run_build("--only", "data", "--site", str(site), "--as-of", AS_OF, check=True)
    assert [p.name for p in tmp_path.iterdir() if p.name != "other"] == ["site"]
    assert not list((ROOT / "build").glob(".docs-*")) and not list((ROOT / "build").glob(".private-*"))
