"""Benchmark the build as a user runs it: whole processes, medians, side by side.

    .venv/bin/python bench/run.py                 # bundled content, then 1, 10 and 100 communes
    .venv/bin/python bench/run.py --scales 1,10   # fewer scales
    .venv/bin/python bench/run.py --runs 3        # fewer repetitions (default 5)
    .venv/bin/python bench/run.py --once 300      # the one cold build at many communes (default 300; 0: none)

For the bundled content and for each number of synthetic communes (bench/generate.py: 3 plans of
about 40 tasks each) it reports the median wall time of: a cold full build (`--full` into an
empty folder, with no kept pages nor compiled templates in build/), a no-op rebuild, a rebuild after
editing one plan (each plan in turn; the slowest is reported too), a rebuild after adding one
progress entry (with the number of PDFs rendered again, which must be 0: a plan's PDF does not show
progress, and an issued report is a snapshot, and of the HTML pages that changed); the bytes of
site/ per commitment and per commitment page; and seconds per PDF page next to WeasyPrint alone
rendering the same HTML (bench/pdf_vs_weasyprint.py). Results are printed as a Markdown table.

Also, for each scale: the largest HTML page of the site and its path, the largest page that lists
things across communes (anything outside a commune's own folder: home, documents, explorer, facet
lists, agencies, follow, site map), and the bytes of site/ each kind of rebuild wrote or copied (files
whose inode or modification time changed: a hard link to an unchanged file costs nothing). Then
one cold build at ``--once`` communes with its peak memory: the largest process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper process around the build) and the whole
process tree (the sum of the RSS of the build and its workers, sampled every 0.2 s from /proc).
Last, the goals of issue 15 at 100 communes (cold ≤ 300 s, one-plan edit ≤ 5 s, no-op ≤ 0.5 s),
each held or missed by how much.
The progress case runs on the fictional demo commune (examples/demo) and the synthetic communes,
never on the real communes of content/.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
AS_OF = "2026-11-23"
PDF_CACHE = ROOT / ".cache" / "pdf"  # one file per PDF rendered (planpub/pdf/batch.py)
#: issue 15's goals at 100 communes, seconds: (measure, goal)
GOALS = [("cold", "cold full build", 300.0), ("edit", "one-plan edit", 5.0), ("noop", "no-op rebuild", 0.5)]
#: the site's folders of one commune (or province): pages there are made from its content alone
ISSUER_SECTIONS = ("xa/", "phuong/", "dac-khu/", "tinh/", "thanh-pho/")


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run([PY, str(ROOT / "build.py"), *args, "--as-of", AS_OF, "-q"],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(args)}\n{proc.stderr[-2000:]}")
    return elapsed


def _edit_one_plan(content: Path, n: int) -> None:
    """Add a paragraph to the body of plan number ``n`` (in turn: plans differ in size, and the
    edited plan's PDF is rendered again, which takes from 1 to 3 s for the seeds)."""
    bodies = sorted(content.glob("*/*/body.md"))
    with bodies[n % len(bodies)].open("a", encoding="utf-8") as f:
        f.write(f"\nĐoạn bổ sung số {n} để đo thời gian dựng lại.\n")


def _add_progress_entry(content: Path, site: Path, n: int) -> None:
    """Add one progress entry to the first plan (in progress.yaml, created if missing), dated the
    build date, for its first commitment."""
    with (site / "data" / "tasks.csv").open(encoding="utf-8-sig") as f:
        first = next(csv.DictReader(f))
    path = content / first["plan_id"] / "progress.yaml"
    entry = (f"  - task: {first['task_id']}\n    date: {AS_OF}\n    state: in_progress\n"
             f"    note: Mục đo thời gian số {n}.\n")
    text = path.read_text(encoding="utf-8") if path.is_file() else "progress:\n"
    text = text.replace("actuals:\n", entry + "actuals:\n", 1) if "actuals:\n" in text else text + entry
    path.write_text(text, encoding="utf-8")


def _hashes(folder: Path, pattern: str) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob(pattern) if p.is_file()}


def _site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def _snapshot(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of ``site``: its (inode, modification time)."""
    out = {}
    for p in site.rglob("*"):
        if p.is_file():
            st = p.stat()
            out[p.relative_to(site).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return out


def _written(before: dict[str, tuple[int, int]], site: Path) -> int:
    """Bytes of ``site`` written or copied since ``before``: files that are new or whose inode or
    modification time changed (a hard link to an unchanged file, or a file left in place, costs 0)."""
    total = 0
    for p in site.rglob("*"):
        if p.is_file():
            st = p.stat()
            if before.get(p.relative_to(site).as_posix()) != (st.st_ino, st.st_mtime_ns):
                total += st.st_size
    return total


def page_bytes(site: Path) -> dict:
    """The largest HTML page and the largest page listing things across communes (bytes, path)."""
    pages = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")
             if p.name != "404.html" and not p.relative_to(site).as_posix().startswith("assets/")]
    lists = [x for x in pages if not x[1].startswith(ISSUER_SECTIONS)]
    largest, largest_list = max(pages, default=(0, "—")), max(lists, default=(0, "—"))
    return {"largest": largest[0], "largest_path": largest[1], "list": largest_list[0], "list_path": largest_list[1],
            "pages": len(pages)}


def _commitments(site: Path) -> int:
    with (site / "data" / "tasks.csv").open(encoding="utf-8-sig") as f:
        return sum(1 for _ in csv.DictReader(f))


def _commitment_page_bytes(site: Path) -> float:
    pages = list(site.glob("xa/*/*/nhiem-vu/*/index.html"))  # one page per commitment
    return statistics.median(p.stat().st_size for p in pages) if pages else float("nan")


def measure(label: str, content: Path, runs: int, work: Path, progress: bool = True) -> dict:
    site = work / "site"
    cold, noop, edit, progress_edit, pdfs_rendered, pages_changed = [], [], [], [], [], []
    written: dict[str, list[int]] = {"noop": [], "edit": []}
    for i in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(ROOT / "build", ignore_errors=True)  # no kept pages, no compiled templates
        cold.append(_run(["--full", "--content", str(content), "--site", str(site)]))
        before = _snapshot(site)
        noop.append(_run(["--content", str(content), "--site", str(site)]))
        written["noop"].append(_written(before, site))
    weights = page_bytes(site)
    plans = len(list(content.glob("*/*/body.md")))
    for i in range(max(runs, plans if plans <= 6 else 0)):  # each seed plan at least once
        _edit_one_plan(content, i)
        before = _snapshot(site)
        edit.append(_run(["--content", str(content), "--site", str(site)]))
        written["edit"].append(_written(before, site))
    for i in range(runs if progress else 0):
        cached, pages = set(_hashes(PDF_CACHE, "*.pdf")), _hashes(site, "*.html")
        _add_progress_entry(content, site, i)
        progress_edit.append(_run(["--content", str(content), "--site", str(site)]))
        pdfs_rendered.append(len(set(_hashes(PDF_CACHE, "*.pdf")) - cached))
        after = _hashes(site, "*.html")
        pages_changed.append(sum(1 for p, h in after.items() if pages.get(p) != h))
    n = _commitments(site)
    return {"label": label, "commitments": n, "cold": statistics.median(cold), "noop": statistics.median(noop),
            "edit": statistics.median(edit), "edit_max": max(edit),
            "progress": statistics.median(progress_edit) if progress_edit else None,
            "progress_pdfs": max(pdfs_rendered) if pdfs_rendered else None,
            "progress_pages": statistics.median(pages_changed) if pages_changed else None,
            "bytes_per_commitment": _site_bytes(site) / max(n, 1), "commitment_page": _commitment_page_bytes(site),
            "site_bytes": _site_bytes(site), "pdfs": len(list(site.glob("pdf/**/*.pdf"))),
            "communes": len([p for p in content.iterdir() if (p / "commune.yaml").is_file()]),
            "written_noop": statistics.median(written["noop"]), "written_edit": statistics.median(written["edit"]),
            **{f"page_{k}": v for k, v in weights.items()}}


# run by once(): the build as a child of this small process, whose RUSAGE_CHILDREN is then the build's
_WRAPPER = """import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(rc.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(rc.stderr[-2000:])
"""


def _tree_rss(root: int) -> int:
    """Bytes of resident memory of process ``root`` and all its descendants, now (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))  # fields[1]: parent id
        rss[int(entry)] = int(fields[21]) * page  # fields[21]: resident pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def once(scale: int, work: Path) -> dict:
    """One cold full build at ``scale`` communes: seconds, peak memory, site bytes, PDFs."""
    content, site = work / f"gen-{scale}", work / f"site-{scale}"
    if not content.is_dir():
        subprocess.run([PY, str(ROOT / "bench" / "generate.py"), str(scale), str(content)], check=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    cmd = [PY, "-c", _WRAPPER, PY, str(ROOT / "build.py"), "--full", "--content", str(content), "--site", str(site),
           "--as-of", AS_OF, "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.2)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    code, seconds, maxrss_kb = out.split()
    if int(code) != 0:
        raise SystemExit(f"build failed at {scale} communes\n{err}")
    pages = page_bytes(site)
    return {"communes": scale, "cold": float(seconds), "max_process_mb": int(maxrss_kb) / 1024,
            "tree_mb": peak[0] / 2**20, "site_bytes": _site_bytes(site), "commitments": _commitments(site),
            "pdfs": len(list(site.glob("pdf/**/*.pdf"))), **{f"page_{k}": v for k, v in pages.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100", help="numbers of synthetic communes (comma-separated)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions per measurement (median reported)")
    parser.add_argument("--once", type=int, default=300,
                        help="communes of the one cold build with its peak memory (default 300; 0: none)")
    parser.add_argument("--json", type=Path, help="also write every measure into this file")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="planpub-bench-") as tmp:
        work = Path(tmp)
        bundled = work / "bundled"
        shutil.copytree(ROOT / "content", bundled)
        rows.append(measure("bundled content (5 seeds)", bundled, args.runs, work, progress=False))
        print(_table(rows), flush=True)
        demo = work / "demo"
        shutil.copytree(ROOT / "examples" / "demo", demo)
        rows.append(measure("demo commune (fictional, with progress)", demo, args.runs, work))
        print(_table(rows), flush=True)
        for scale in [int(s) for s in args.scales.split(",") if s]:
            content = work / f"gen-{scale}"
            subprocess.run([PY, str(ROOT / "bench" / "generate.py"), str(scale), str(content)], check=True)
            rows.append(measure(f"{scale} communes", content, args.runs, work))
            print(_table(rows), flush=True)
        print(_pages_table(rows), flush=True)
        single = once(args.once, work) if args.once else None
        if single:
            print(_once_table(single), flush=True)
        print(_per_commune(rows), flush=True)
        print(_goals(rows), flush=True)
        if args.json:
            args.json.write_text(json.dumps({"rows": rows, "once": single}, indent=1, ensure_ascii=False),
                                 encoding="utf-8")
    pdf_bench = ROOT / "bench" / "pdf_vs_weasyprint.py"
    if pdf_bench.exists():
        subprocess.run([PY, str(pdf_bench), "--runs", str(args.runs)], check=True)


def _table(rows: list[dict]) -> str:
    lines = ["", ("| content | commitments | cold full build s | no-op rebuild s | one-plan edit s (median) | "
                  "one-plan edit s (slowest) | progress entry added s | PDFs rendered again | pages changed | "
                  "site bytes / commitment | commitment page bytes |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        progress = ("— | — | —" if r["progress"] is None else
                    f"{r['progress']:.2f} | {r['progress_pdfs']} | {r['progress_pages']:.0f}")
        lines.append(f"| {r['label']} | {r['commitments']} | {r['cold']:.2f} | {r['noop']:.2f} | {r['edit']:.2f} | "
                     f"{r['edit_max']:.2f} | {progress} | "
                     f"{r['bytes_per_commitment']:,.0f} | {r['commitment_page']:,.0f} |")
    return "\n".join(lines)


def _mb(n: float) -> str:
    return f"{n / 2**20:,.1f}"


def _pages_table(rows: list[dict]) -> str:
    lines = ["", "| content | HTML pages | largest page KB | its path | largest list page KB | its path | "
                 "site MB | written by a no-op rebuild MB | written by a one-plan edit MB |",
             "|---|---:|---:|---|---:|---|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['label']} | {r['page_pages']:,} | {r['page_largest'] / 1024:,.0f} | `{r['page_largest_path']}` | "
                     f"{r['page_list'] / 1024:,.0f} | `{r['page_list_path']}` | {_mb(r['site_bytes'])} | "
                     f"{_mb(r['written_noop'])} | {_mb(r['written_edit'])} |")
    return "\n".join(lines)


def _once_table(r: dict) -> str:
    return "\n".join(["", "| one cold build | commitments | PDFs | s | peak MB, largest process | "
                           "peak MB, whole process tree | site MB | largest page KB | largest list page KB |",
                       "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
                       f"| {r['communes']} communes | {r['commitments']:,} | {r['pdfs']:,} | {r['cold']:.1f} | "
                       f"{r['max_process_mb']:,.0f} | {r['tree_mb']:,.0f} | {_mb(r['site_bytes'])} | "
                       f"{r['page_largest'] / 1024:,.0f} (`{r['page_largest_path']}`) | "
                       f"{r['page_list'] / 1024:,.0f} (`{r['page_list_path']}`) |"])


def _per_commune(rows: list[dict]) -> str:
    """Per commune, from the largest scale measured: what a job of a national fan-out would cost."""
    scaled = [r for r in rows if r["label"].endswith(" communes") and r["communes"]]
    if not scaled:
        return ""
    r = scaled[-1]
    n = r["communes"]
    out = (f"\nper commune (at {n} communes): cold build {r['cold'] / n:.2f} s, one-plan edit {r['edit']:.2f} s, "
           f"site {_mb(r['site_bytes'] / n)} MB, {r['pdfs'] / n:.1f} PDFs, {r['commitments'] / n:.0f} commitments")
    if len(scaled) >= 2 and scaled[-2]["communes"] < n:  # what one more commune adds (fixed costs left out)
        q = scaled[-2]
        extra = n - q["communes"]
        out += (f"\neach commune more (from {q['communes']} to {n}): cold build {(r['cold'] - q['cold']) / extra:.2f} s, "
                f"site {_mb((r['site_bytes'] - q['site_bytes']) / extra)} MB, {(r['pdfs'] - q['pdfs']) / extra:.1f} PDFs")
    return out


def _goals(rows: list[dict]) -> str:
    """Issue 15's goals, at 100 communes (or at the largest scale measured, said so)."""
    scaled = [r for r in rows if r["label"].endswith(" communes")]
    if not scaled:
        return ""
    at = next((r for r in scaled if r["communes"] == 100), scaled[-1])
    note = "" if at["communes"] == 100 else f" (measured at {at['communes']} communes, not 100: indicative only)"
    lines = ["", f"goals of issue 15 at 100 communes{note}", "", "| goal | measured s | goal s | held? |",
             "|---|---:|---:|---|"]
    for key, name, goal in GOALS:
        value = at[key]
        verdict = "held" if value <= goal else f"missed by {value - goal:.2f} s ({value / goal:.1f}× the goal)"
        lines.append(f"| {name} | {value:.2f} | {goal:g} | {verdict} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
