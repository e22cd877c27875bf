"""The code passes ruff with the project's rules (pyproject.toml [tool.ruff]): no unused or undefined
name, no unreachable or shadowed statement, in the package, the tests, the benchmarks and build.py."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "planpub", "tests", "bench", "build.py"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
