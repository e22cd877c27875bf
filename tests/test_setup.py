"""The README's first line works on a bare machine: every Debian package whose files a build maps
is either on a new machine of this project's kind or installed by the build path of setup.sh.

CI runs the test path of setup.sh (Chromium and its libraries included), so a green build there
proves nothing about the build path alone. This test does not look at what is installed: it reads
which files a real build maps (``/proc/self/maps`` of a process that renders the bundled-style
fixture's PDFs with WeasyPrint and loads the website and data stages), finds each file's package
(``dpkg -S``) and checks it against the list of a new machine (``fixtures/fresh-machine/``) and the
dependency closure of the build path's packages (``setup.sh --print-packages``).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

FRESH = Path(__file__).parent / "fixtures" / "fresh-machine"
CLEAN = Path(__file__).parent / "fixtures" / "checker" / "clean"

# A child process that does what a build does, then lists the files it mapped.
_BUILD_AND_LIST_MAPS = r"""
import json, sys
from pathlib import Path
from planpub.pipeline import load_and_check
from planpub.pdf import render
from planpub.opendata import write_open_data
import planpub.website.render  # noqa: F401  (MkDocs, Material, the website stage)
import tempfile

content = Path(sys.argv[1])
site, report = load_and_check(content, content)
assert not report.errors, [d.format() for d in report.errors]
out = Path(tempfile.mkdtemp())
for doc in render.documents_to_render(site):
    if doc.pdf:
        assert render.render_document(doc, site)[:5] == b"%PDF-"
write_open_data(site, out / "data")
files = set()
with open("/proc/self/maps") as maps:
    for line in maps:
        parts = line.split(None, 5)
        if len(parts) == 6 and parts[5].startswith("/"):
            files.add(parts[5].strip())
print(json.dumps(sorted(files)))
"""


def _release() -> str:
    text = Path("/etc/os-release").read_text(encoding="utf-8")
    m = re.search(r'^VERSION_ID="?(\d+)', text, re.M)
    assert m, "not a Debian release with VERSION_ID"
    return m[1]


def fresh_packages() -> set[str]:
    path = FRESH / f"debian-{_release()}.txt"
    assert path.is_file(), f"no list of a new machine's packages for Debian {_release()} ({path})"
    return {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")}


def build_path_packages(*flags: str) -> list[str]:
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "setup.sh"), "--print-packages", *flags],
                          capture_output=True, text=True, check=True)
    return proc.stdout.split()


def _installed_relations() -> tuple[dict[str, list[list[str]]], dict[str, set[str]]]:
    """For every installed package: its Pre-Depends and Depends (a list of alternatives each), and
    which installed packages provide each virtual name."""
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${db:Status-Abbrev}\t${Pre-Depends}\t${Depends}\t${Provides}\n"],
                         capture_output=True, text=True, check=True).stdout
    depends: dict[str, list[list[str]]] = {}
    provides: dict[str, set[str]] = {}
    for line in out.splitlines():
        name, status, pre, dep, prov = (line.split("\t") + [""] * 5)[:5]
        if not status.startswith("ii"):
            continue
        groups = [g for g in (pre + "," + dep).split(",") if g.strip()]
        depends[name] = [[re.split(r"[\s(:]", alt.strip(), maxsplit=1)[0] for alt in g.split("|")] for g in groups]
        for p in prov.split(","):
            if p.strip():
                provides.setdefault(re.split(r"[\s(:]", p.strip(), maxsplit=1)[0], set()).add(name)
    return depends, provides


def closure(packages: list[str]) -> set[str]:
    """The packages and everything they depend on (no recommends), as installed on this machine."""
    depends, provides = _installed_relations()
    seen: set[str] = set()
    todo = list(packages)
    while todo:
        name = todo.pop()
        for real in ({name} if name in depends else provides.get(name, set())):
            if real in seen:
                continue
            seen.add(real)
            for alternatives in depends[real]:
                todo.extend(alternatives)
    return seen


def owners(files: list[str]) -> dict[str, str]:
    """The Debian package of each file that dpkg knows (tried also without the /usr of usrmerge)."""
    candidates: dict[str, str] = {}
    for f in files:
        candidates[f] = f
        if f.startswith("/usr/lib/") or f.startswith("/usr/bin/"):
            candidates[f[4:]] = f
    proc = subprocess.run(["dpkg", "-S", *candidates], capture_output=True, text=True)
    found: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("diversion ") or ": " not in line:
            continue
        pkgs, path = line.split(": ", 1)
        if path in candidates:
            found[candidates[path]] = pkgs.split(",")[0].strip().split(":")[0]
    return found


def mapped_by_a_build(tmp_path: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", _BUILD_AND_LIST_MAPS, str(CLEAN)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    files = json.loads(proc.stdout.splitlines()[-1])
    return [f for f in files if f.startswith(("/usr/", "/lib"))]


def unaccounted(files: list[str], build_packages: list[str]) -> dict[str, list[str]]:
    """Packages whose files a build mapped that neither a new machine nor the build path brings,
    with the files; and shared libraries no package owns, under the key ``?``."""
    allowed = fresh_packages() | closure(build_packages)
    found = owners(files)
    problems: dict[str, list[str]] = {}
    for f in files:
        pkg = found.get(f)
        if pkg is None:
            if ".so" in Path(f).name:
                problems.setdefault("?", []).append(f)
            continue
        if pkg not in allowed:
            problems.setdefault(pkg, []).append(f)
    return problems


def test_every_package_a_build_loads_comes_with_a_new_machine_or_the_build_path(tmp_path):
    files = mapped_by_a_build(tmp_path)
    assert any("libpango" in f for f in files), "the build did not load Pango: the test measured nothing"
    problems = unaccounted(files, build_path_packages())
    assert problems == {}, (
        "a build loads files of Debian packages that scripts/setup.sh (without --test) does not install "
        f"and a new machine does not have: {problems}")


def test_the_check_catches_a_build_package_left_out_even_where_chromium_brought_it(tmp_path):
    """The same check, with libharfbuzz-subset0 taken out of the build path's list: on this machine
    Chromium (the test path) installed it, and the check must still name it."""
    files = mapped_by_a_build(tmp_path)
    assert owners([f for f in files if "libharfbuzz-subset" in f]), \
        "WeasyPrint did not load libharfbuzz-subset: the build path must install it"
    packages = [p for p in build_path_packages() if p != "libharfbuzz-subset0"]
    assert "libharfbuzz-subset0" in unaccounted(files, packages)


def test_the_test_path_installs_what_the_build_path_does_and_chromium():
    build = build_path_packages()
    test = build_path_packages("--test")
    assert set(build) <= set(test) and {"chromium", "chromium-driver", "poppler-utils"} <= set(test)
    fonts = {"12": "fonts-liberation2", "13": "fonts-liberation"}[_release()]
    assert fonts in build, "Liberation 2.x is fonts-liberation2 on Debian 12 and fonts-liberation on Debian 13"
