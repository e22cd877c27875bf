"""Seconds per PDF page: our PDF stage next to WeasyPrint alone rendering the same HTML.

    .venv/bin/python bench/pdf_vs_weasyprint.py            # bundled content, 5 runs each
    .venv/bin/python bench/pdf_vs_weasyprint.py --runs 3
    .venv/bin/python bench/pdf_vs_weasyprint.py --content DIR

Three whole-process measurements, median of ``--runs`` each:

1. ``build.py --only pdf --full`` into an empty folder: what a clerk waits for (Python start,
   loading and checking content, templates, WeasyPrint, writing the files);
2. WeasyPrint alone in a fresh process (import included) on the very HTML our templates produce
   for the same documents (written to temporary files first), with the same write_pdf options;
3. the same process's time inside WeasyPrint only (import excluded): the floor for our stage.

Pages are counted in the PDFs the build wrote. Output: a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))

# Runs in a fresh process: import WeasyPrint, render every HTML file given, report timings.
WEASYPRINT_ALONE = r"""
import json, sys, time
t0 = time.perf_counter()
import weasyprint
t1 = time.perf_counter()
options = json.loads(sys.argv[1])
sizes = 0
for name in sys.argv[2:]:
    sizes += len(weasyprint.HTML(filename=name).write_pdf(**options))
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "render": t2 - t1, "bytes": sizes}))
"""


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def _write_html(content: Path, work: Path) -> list[Path]:
    from planpub.pdf.render import document_html, documents_to_render
    from planpub.pipeline import load_and_check

    site, report = load_and_check(content, ROOT)
    if report.errors:
        raise SystemExit("content has errors; run build.py check")
    files = []
    for i, doc in enumerate(documents_to_render(site)):
        path = work / f"doc-{i:03d}.html"
        path.write_text(document_html(doc, site), encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="repetitions (median reported)")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="content folder")
    args = parser.parse_args()
    from planpub.pdf.render import PDF_OPTIONS

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="planpub-pdfbench-") as tmp:
        work = Path(tmp)
        files = _write_html(args.content, work)
        build, alone, inside = [], [], []
        pages = 0
        for i in range(args.runs):  # interleaved, so that both see the same load of the machine
            site = work / f"site-{i}"
            start = time.perf_counter()
            proc = subprocess.run([PY, str(ROOT / "build.py"), "--only", "pdf", "--full", "-q",
                                   "--content", str(args.content), "--site", str(site)],
                                  capture_output=True, text=True)
            build.append(time.perf_counter() - start)
            if proc.returncode != 0:
                raise SystemExit(f"build failed:\n{proc.stderr[-2000:]}")
            pages = sum(_pages(p) for p in (site / "pdf").rglob("*.pdf"))
            start = time.perf_counter()
            out = subprocess.run([PY, "-c", WEASYPRINT_ALONE, json.dumps(PDF_OPTIONS), *map(str, files)],
                                 capture_output=True, text=True, check=True).stdout
            alone.append(time.perf_counter() - start)
            inside.append(json.loads(out)["render"])

    b, a, r = statistics.median(build), statistics.median(alone), statistics.median(inside)
    print(f"\nPDFs of {args.content} — {len(files)} files, {pages} pages; median of {args.runs} runs\n")
    print("| measurement | s | s / page |")
    print("|---|---:|---:|")
    print(f"| build.py --only pdf --full (whole process) | {b:.2f} | {b / pages:.3f} |")
    print(f"| WeasyPrint alone, same HTML (whole process, import included) | {a:.2f} | {a / pages:.3f} |")
    print(f"| WeasyPrint alone, rendering only (import excluded) | {r:.2f} | {r / pages:.3f} |")
    print(f"\nOverhead of the build over WeasyPrint alone: {b - a:+.2f} s ({(b / a - 1) * 100:+.0f} %)."
          f"\nLoad average (1 min) before / after: {load_before:.2f} / {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs; all runs: build {', '.join(f'{x:.1f}' for x in build)}; "
          f"alone {', '.join(f'{x:.1f}' for x in alone)}.")


if __name__ == "__main__":
    main()
