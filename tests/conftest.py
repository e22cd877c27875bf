"""Shared fixtures: the bundled content built once, as a user builds it, and copies to break."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
AS_OF = "2026-11-23"
#: Debian's Chromium, headless, as root, with nothing that reaches another host
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DEMO = ROOT / "examples" / "demo"  # the fictional demo commune (progress entries and a report)
DEMO_AS_OF = "2026-11-29"


def run_build(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess:
    """Run ``python build.py ARGS`` as a whole process, the way a clerk does."""
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"build.py {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """site/ of the bundled content, built once per test session by the real command (what it
    printed: ``build-stderr.txt`` next to it)."""
    site = tmp_path_factory.mktemp("built") / "site"
    proc = run_build("--site", str(site), "--as-of", AS_OF, check=True)
    (site.parent / "build-stderr.txt").write_text(proc.stderr, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def base(built_site):
    """The address of the bundled site served under a sub-path (tests/website_server.py)."""
    from website_server import serve

    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def tasks(built_site) -> list[dict]:
    """The rows of the bundled site's tasks.csv."""
    import csv

    with (built_site / "data" / "tasks.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """site/ of the fictional demo commune (examples/demo), built once per session by the real command."""
    site = tmp_path_factory.mktemp("demo") / "site"
    run_build("--content", str(DEMO), "--site", str(site), "--as-of", DEMO_AS_OF, check=True)
    return site


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of content/ for tests that break it."""
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


def tree_hash(root: Path) -> str:
    """One hash of every file under ``root``: relative path, mode and bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file():
            h.update(b"F" + rel.encode() + b"\0" + oct(path.stat().st_mode & 0o777).encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
        elif path.is_dir():
            h.update(b"D" + rel.encode() + b"\0")
    return h.hexdigest()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's), one per test module: every page test of the site uses it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()
