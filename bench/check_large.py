"""How long ``build.py check`` takes on hostile files just under the 2 MB limit.

    python bench/check_large.py [CASE ...]

Each case lays one large file over a copy of the clean test commune (tests/fixtures/checker/clean)
and times ``build.py check`` as a whole process (seconds, wall clock), with the number of problems
it reported. ``check`` must stay linear in its input: every case should take seconds, not minutes.
Cases: ``tasks`` (tasks with no deadline, about 1.9 MB, one warning each), ``dates`` (a body of
impossible dates, one error each), ``points`` (a body of ``a)`` lines, one error each),
``backticks`` (a body of backtick runs), ``controls`` (a body of control characters), ``aliases``
(a YAML file of aliases of aliases).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "tests" / "fixtures" / "checker" / "clean"
LIMIT = 1_990_000  # bytes: just under yamlsrc.MAX_BYTES


def _fill(unit: str, head: str = "") -> str:
    return head + unit * ((LIMIT - len(head.encode())) // len(unit.encode()))


def _tasks() -> dict[str, str]:
    head = "shape: task_table\ncolumns: {number: TT, content: Nội dung}\ngroups:\n  - area: institutions\n    tasks:\n"
    rows, n = [], 0
    size = len(head)
    while size < LIMIT - 100:
        n += 1
        row = f"      - {{number: {n}, content: Việc {n}, lead: [UBND xã]}}\n"
        rows.append(row)
        size += len(row.encode())
    return {"demo/kh-demo-2026/appendix-01.yaml": head + "".join(rows)}


CASES = {
    "tasks": _tasks,
    "dates": lambda: {"demo/kh-demo-2026/body.md": _fill("31/6/2026\n\n")},
    "points": lambda: {"demo/kh-demo-2026/body.md": _fill("a) x\n\n")},
    "backticks": lambda: {"demo/kh-demo-2026/body.md": _fill("`" * 50 + " ")},
    "controls": lambda: {"demo/kh-demo-2026/body.md": _fill("\x01")},
    "aliases": lambda: {"demo/kh-demo-2026/targets.yaml": "targets:\n" + "".join(
        f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9) if i else ', '.join(['lol'] * 9)}]\n" for i in range(12))},
}


def run(case: str) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(CLEAN, content)
        for rel, text in CASES[case]().items():
            (content / rel).write_text(text, encoding="utf-8")
        size = max((content / rel).stat().st_size for rel in CASES[case]())
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(content)],
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        problems = proc.stderr.count(": lỗi [") + proc.stderr.count(": cảnh báo [")
        if "Traceback" in proc.stderr or "Lỗi nội bộ" in proc.stderr:
            raise SystemExit(f"{case}: internal error\n{proc.stderr[-2000:]}")
        return seconds, size, problems


def main(argv: list[str]) -> None:
    for case in argv or list(CASES):
        seconds, size, problems = run(case)
        print(f"{case:10s} {size / 1e6:5.2f} MB  {seconds:6.2f} s  {problems:>7d} problems", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
