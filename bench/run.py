"""Benchmark the build as a user runs it: whole processes, medians, side by side.

    .venv/bin/python bench/run.py                 # bundled content, then 1, 10 and 100 communes
    .venv/bin/python bench/run.py --scales 1,10   # fewer scales
    .venv/bin/python bench/run.py --runs 3        # fewer repetitions (default 5)

For the bundled content and for each number of synthetic communes (bench/generate.py: 3 plans of
about 40 tasks each) it reports the median wall time of: a cold full build (`--full` into an
empty folder, with no kept pages nor compiled templates in build/), a no-op rebuild, a rebuild after
editing one plan (each plan in turn; the slowest is reported too), a rebuild after adding one
progress entry (with the number of PDFs rendered again, which must be 0: a plan's PDF does not show
progress, and an issued report is a snapshot, and of the HTML pages that changed); the bytes of
site/ per commitment and per commitment page; and seconds per PDF page next to WeasyPrint alone
rendering the same HTML (bench/pdf_vs_weasyprint.py). Results are printed as a Markdown table.
The progress case runs on the fictional demo commune (examples/demo) and the synthetic communes,
never on the real communes of content/.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
AS_OF = "2026-11-23"
PDF_CACHE = ROOT / ".cache" / "pdf"  # one file per PDF rendered (planpub/pdf/batch.py)


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


def _commitments(site: Path) -> int:
    with (site / "data" / "tasks.csv").open(encoding="utf-8-sig") as f:
        return sum(1 for _ in csv.DictReader(f))


def _commitment_page_bytes(site: Path) -> float:
    pages = list(site.glob("xa/*/*/nhiem-vu/*/index.html"))  # one page per commitment
    return statistics.median(p.stat().st_size for p in pages) if pages else float("nan")


def measure(label: str, content: Path, runs: int, work: Path, progress: bool = True) -> dict:
    site = work / "site"
    cold, noop, edit, progress_edit, pdfs_rendered, pages_changed = [], [], [], [], [], []
    for i in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(ROOT / "build", ignore_errors=True)  # no kept pages, no compiled templates
        cold.append(_run(["--full", "--content", str(content), "--site", str(site)]))
        noop.append(_run(["--content", str(content), "--site", str(site)]))
    plans = len(list(content.glob("*/*/body.md")))
    for i in range(max(runs, plans if plans <= 6 else 0)):  # each seed plan at least once
        _edit_one_plan(content, i)
        edit.append(_run(["--content", str(content), "--site", str(site)]))
    for i in range(runs if progress else 0):
        cached, pages = set(_hashes(PDF_CACHE, "*")), _hashes(site, "*.html")
        _add_progress_entry(content, site, i)
        progress_edit.append(_run(["--content", str(content), "--site", str(site)]))
        pdfs_rendered.append(len(set(_hashes(PDF_CACHE, "*")) - cached))
        after = _hashes(site, "*.html")
        pages_changed.append(sum(1 for p, h in after.items() if pages.get(p) != h))
    n = _commitments(site)
    return {"label": label, "commitments": n, "cold": statistics.median(cold), "noop": statistics.median(noop),
            "edit": statistics.median(edit), "edit_max": max(edit),
            "progress": statistics.median(progress_edit) if progress_edit else None,
            "progress_pdfs": max(pdfs_rendered) if pdfs_rendered else None,
            "progress_pages": statistics.median(pages_changed) if pages_changed else None,
            "bytes_per_commitment": _site_bytes(site) / max(n, 1), "commitment_page": _commitment_page_bytes(site)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100", help="numbers of synthetic communes (comma-separated)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions per measurement (median reported)")
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


if __name__ == "__main__":
    main()
