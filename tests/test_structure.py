"""The shape of the code that the build relies on: the pipeline is the only owner of the sequence
(no stage imports it back), the modules every stage shares are leaves, and the package installs
with ``pip install .`` and builds a content folder anywhere, writing only where its options say."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import AS_OF, ROOT

PACKAGE = ROOT / "planpub"
#: the modules allowed to import planpub.pipeline: the command line that runs it, and itself
RUNS_THE_PIPELINE = {"planpub.cli", "planpub.pipeline"}
#: modules that import nothing of ours (but the listed ones): every stage may import them
LEAVES = {"planpub.errors": set(), "planpub.processes": set(), "planpub.settings": {"planpub.errors"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The planpub modules ``path`` imports (anywhere in it, also inside functions), resolved."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "planpub")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "planpub":
                continue
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)  # `from . import pipeline`
    return found


def _modules() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py")) if "_bundled" not in p.parts}


def test_no_stage_imports_the_pipeline():
    modules = _modules()
    assert {"planpub.pdf.render", "planpub.website.render", "planpub.opendata", "planpub.signing.commands",
            "planpub.pdf.batch", "planpub.website.incremental"} <= set(modules)  # the scan sees the stages
    offenders = sorted(m for m, imported in modules.items()
                       if m not in RUNS_THE_PIPELINE and "planpub.pipeline" in imported)
    assert offenders == []


def test_the_shared_modules_are_leaves():
    modules = _modules()
    for leaf, allowed in LEAVES.items():
        ours = {m for m in modules[leaf] if not any(m == a or m.startswith(a + ".") for a in allowed | {leaf})}
        assert ours == set(), f"{leaf} imports {sorted(ours)}"


def test_the_import_scan_sees_an_import_of_the_pipeline(tmp_path):
    """The scan above can fail: a module written like a stage that imports the pipeline is found."""
    stage = PACKAGE / "website" / "_probe_for_test.py"
    stage.write_text("def f():\n    from ..pipeline import build\n    return build\n", encoding="utf-8")
    try:
        assert "planpub.pipeline" in _imports(stage)
    finally:
        stage.unlink()


def _venv_with_planpub(tmp_path: Path) -> Path:
    """A fresh virtual environment with ``pip install .`` (not editable) of this repository; the
    dependencies come from the test environment (a .pth file), so that none is downloaded."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site_packages = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        check=True, capture_output=True, text=True).stdout.strip())
    (site_packages / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    proc = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(ROOT)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return venv


def _tree(root: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_pip_install_gives_a_planpub_command_that_writes_only_where_its_options_say(tmp_path):
    venv = _venv_with_planpub(tmp_path)
    planpub = venv / "bin" / "planpub"
    installed = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import planpub; print(planpub.__file__)"],
                                    check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()).parent
    assert installed.is_relative_to(venv) and not installed.is_relative_to(ROOT)
    assert (installed / "_bundled" / "templates" / "pdf" / "nd30.css").is_file()  # copies, not links
    assert not (installed / "_bundled" / "templates").is_symlink()
    before = _tree(installed)

    # a project without mkdocs.yml: content elsewhere, the command run from a third folder
    project = tmp_path / "project"
    content = project / "noi-dung"
    shutil.copytree(ROOT / "tests" / "fixtures" / "checker" / "clean", content)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    site, build, cache = tmp_path / "out" / "site", tmp_path / "work" / "build", tmp_path / "work" / "cache"
    check = subprocess.run([str(planpub), "check", "--content", str(content), "--cache-dir", str(cache)],
                           capture_output=True, text=True, cwd=elsewhere, env=env, timeout=600)
    assert check.returncode == 0, check.stderr
    assert "0 lỗi" in check.stderr
    proc = subprocess.run([str(planpub), "--content", str(content), "--site", str(site), "--build-dir", str(build),
                           "--cache-dir", str(cache), "--as-of", AS_OF], capture_output=True, text=True,
                          cwd=elsewhere, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert (site / "index.html").is_file() and (site / "data" / "plans.json").is_file()
    assert list((site / "pdf").rglob("*.pdf"))
    assert (build / "site" / "index.html").is_file() and (build / "jinja").is_dir()
    assert list((cache / "pdf").glob("*.pdf")) and (cache / "stamps").is_dir()
    assert sorted(p.name for p in elsewhere.iterdir()) == []          # nothing in the working directory
    assert sorted(p.name for p in project.iterdir()) == ["noi-dung"]  # nor beside the content
    assert _tree(installed) == before                                 # nor next to the installed code

    # a project with its own mkdocs.yml (and no templates/): without folder options, site/, build/
    # and .cache/ go beside its content/; its mkdocs.yml names the site; again, and it is a no-op
    own = tmp_path / "own-project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "checker" / "clean", own / "content")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (own / "mkdocs.yml").write_text(config.replace("site_name: Kế hoạch của xã", "site_name: Cổng thử nghiệm"),
                                    encoding="utf-8")
    again = [str(planpub), "--content", str(own / "content"), "--only", "website", "--as-of", AS_OF]
    proc = subprocess.run(again, capture_output=True, text=True, cwd=elsewhere, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in own.iterdir()) == [".cache", "build", "content", "mkdocs.yml", "site"]
    assert "Cổng thử nghiệm" in (own / "site" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in elsewhere.iterdir()) == []
    proc = subprocess.run(again, capture_output=True, text=True, cwd=elsewhere, env=env, timeout=600)
    assert proc.returncode == 0 and "Không có gì thay đổi" in proc.stderr, proc.stderr
    assert _tree(installed) == before
