"""The commune is the unit of build, and its failures stay in it (issue 15, items 1 and 2).

Every build here is the real command on a copy of content/ (the real communes' facts are not
changed: a paragraph is appended, a date is made impossible) plus, where a new commune is needed,
the fictional demo commune (examples/demo, example data).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import AS_OF, DEMO, ROOT, run_build, tree_hash
from pdf_helpers import fontconfig_without

from planpub import processes
from planpub.communes import store_of

#: files of the site assembled from every commune (home, lists across communes, shared agencies,
#: explorer and its facets, follow page, sitemap, feed, search index, open data)
ASSEMBLED = ("index.html", "van-ban/", "co-quan/", "nhiem-vu/", "theo-doi/", "so-do-trang/", "search/", "data/",
             "van-ban.atom", "sitemap.xml")


def _files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in site.rglob("*") if p.is_file()}


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _of_commune(path: str, commune: str) -> bool:
    return path.startswith((f"xa/{commune}/", f"pdf/{commune}/"))


def _append_paragraph(content: Path) -> None:
    with (content / "thien-phu" / "kh-cchc-2026-2030" / "body.md").open("a", encoding="utf-8") as f:
        f.write("\nĐoạn bổ sung về chuyển đổi số ở thôn Khuổi Xanh.\n")


def _impossible_date(document_yaml: Path) -> int:
    """Make the document's date impossible (31 April); return its line."""
    lines = document_yaml.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("date:"))
    lines[n] = "date: {year: 2026, month: 4, day: 31}\n"
    document_yaml.write_text("".join(lines), encoding="utf-8")
    return n + 1


def _stamps(store: Path) -> dict[str, tuple[int, int]]:
    """mtime and inode of every commune's kept model and kept pages record."""
    return {p.relative_to(store).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in [*store.glob("*/loaded.pickle"), *store.glob("*/pages/pages.json")]}


def _rows(site: Path, name: str, commune: str) -> list[dict]:
    with (site / "data" / name).open(encoding="utf-8-sig") as f:
        return [r for r in csv.DictReader(io.StringIO(f.read())) if r.get("plan_id", "").startswith(f"{commune}/")]


def _search_entries(site: Path, commune: str) -> list[dict]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return [d for d in index["docs"] if d["location"].startswith(f"xa/{commune}/")]


def test_an_edit_in_one_commune_renders_that_commune_and_the_assembled_pages_only(content_copy, tmp_path):
    site = tmp_path / "site"
    run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    before = _files(site)
    store = store_of(ROOT / "build", content_copy, site)
    kept = _stamps(store)
    assert {k.split("/")[0] for k in kept} == {"lung-phinh", "phu-trung", "thien-phu", "thuong-xuan", "tue-tinh"}
    inodes = {p: (site / p).stat().st_ino for p in before}
    known = ROOT / ".cache" / "pdf" / "keys"  # each PDF's cache key, under the key of its commune
    keys = {p.name: p.stat().st_ino for p in known.iterdir()}

    _append_paragraph(content_copy)
    run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    changed = _changed(before, _files(site))
    # only the edited commune's documents were laid out in HTML again to find their PDF's key
    relaid = [p.name for p in known.iterdir() if keys.get(p.name) != p.stat().st_ino]
    assert len(relaid) == len(list((site / "pdf" / "thien-phu").glob("*.pdf"))) > 0, relaid
    assert "xa/thien-phu/kh-cchc-2026-2030/index.html" in changed
    assert "pdf/thien-phu/kh-cchc-2026-2030.pdf" in changed
    outside = sorted(p for p in changed if not _of_commune(p, "thien-phu") and not p.startswith(ASSEMBLED))
    assert outside == [], "files of other communes changed"
    # … nor written again: the other communes' pages (with their PDFs' sizes), PDFs and calendars
    # are the same files as before, linked into the new site
    rewritten = sorted(p for p in before if p.startswith(("xa/", "pdf/")) and not _of_commune(p, "thien-phu")
                       and (site / p).stat().st_ino != inodes[p])
    assert rewritten == [], rewritten[:10]
    # the other communes were neither read from YAML again nor generated again: their kept model and
    # pages are the same files (same inode, same mtime); the edited commune's are new
    now = _stamps(store)
    for rel, stamp in kept.items():
        if rel.startswith("thien-phu/"):
            assert now[rel] != stamp, rel
        else:
            assert now[rel] == stamp, f"{rel} was written again"

    # what was kept is what a clean build gives
    full = tmp_path / "full" / "site"
    run_build("--content", str(content_copy), "--site", str(full), "--as-of", AS_OF, "--full", check=True)
    assert tree_hash(site) == tree_hash(full)


def test_a_broken_commune_keeps_its_last_good_pages_while_another_commune_publishes(content_copy, tmp_path):
    site = tmp_path / "site"
    run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    before = _files(site)
    rows = {name: _rows(site, name, "thuong-xuan") for name in ("tasks.csv", "targets.csv")}
    entries = _search_entries(site, "thuong-xuan")
    assert rows["tasks.csv"] and entries

    line = _impossible_date(content_copy / "thuong-xuan" / "kh-cchc-2026" / "document.yaml")
    _append_paragraph(content_copy)
    shutil.copytree(DEMO / "minh-hoa", content_copy / "minh-hoa")  # a new commune (fictional), broken
    new_line = _impossible_date(content_copy / "minh-hoa" / "kh-cchc-2026" / "document.yaml")

    proc = run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF)
    assert proc.returncode == 1, proc.stderr
    assert f"thuong-xuan/kh-cchc-2026/document.yaml:{line}:1: lỗi [impossible-date]" in proc.stderr
    assert f"minh-hoa/kh-cchc-2026/document.yaml:{new_line}:1: lỗi [impossible-date]" in proc.stderr
    assert "Giữ nguyên bản đã công bố của: xã Thường Xuân" in proc.stderr
    assert "Chưa công bố: xã Minh Họa" in proc.stderr
    assert "Traceback" not in proc.stderr

    after = _files(site)
    mine = {p: h for p, h in before.items() if _of_commune(p, "thuong-xuan")}
    assert any(p.endswith(".pdf") for p in mine) and any(p.endswith(".ics") for p in mine)
    assert {p: h for p, h in after.items() if _of_commune(p, "thuong-xuan")} == mine  # pages, PDF, calendars
    assert {name: _rows(site, name, "thuong-xuan") for name in rows} == rows            # open data rows
    assert _search_entries(site, "thuong-xuan") == entries                              # search entries
    # the other commune's edit is published; the new broken commune is not
    assert "thôn Khuổi Xanh" in (site / "xa/thien-phu/kh-cchc-2026-2030/index.html").read_text(encoding="utf-8")
    assert not (site / "xa" / "minh-hoa").exists() and not any("minh-hoa" in p for p in after)

    # check still reports every error
    proc = run_build("check", "--content", str(content_copy), "--as-of", AS_OF)
    assert proc.returncode == 1
    assert "thuong-xuan/kh-cchc-2026/document.yaml" in proc.stderr and "minh-hoa/kh-cchc-2026" in proc.stderr


def test_a_defect_of_the_machine_leaves_the_whole_site_untouched(content_copy, tmp_path):
    site = tmp_path / "site"
    run_build("--content", str(content_copy), "--site", str(site), "--as-of", AS_OF, check=True)
    before = tree_hash(site)
    good = store_of(ROOT / "build", content_copy, site) / "thien-phu" / "good.pickle"
    good_before = good.read_bytes()

    _impossible_date(content_copy / "phu-trung" / "kh-cchc-2026-2030" / "document.yaml")
    _append_paragraph(content_copy)
    conf = fontconfig_without(tmp_path, ["/usr/share/fonts/truetype/liberation2/*", "*/LiberationSerif*"])
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FONTCONFIG_FILE": str(conf)}
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content_copy), "--site", str(site),
                           "--as-of", AS_OF, "-q"], cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 3, proc.stderr  # BuildFailed: no font for the PDFs
    assert "site/ cũ giữ nguyên" in proc.stderr
    assert tree_hash(site) == before
    assert good.read_bytes() == good_before  # the edit did not become the commune's last good state


def test_a_killed_builds_folders_in_the_store_are_removed_and_a_running_builds_are_not(tmp_path):
    site, build = tmp_path / "site", tmp_path / "build"
    commune = store_of(build, ROOT / "content", site) / "thien-phu"
    # as a build killed with -9 while it made the commune's pages and calendars leaves them: held by
    # no process (the lock went with it)
    killed = [commune / ".pages-new-999999999", commune / ".calendars-new-999999999",
              commune / ".pages-old-999999999"]
    for folder in killed:
        (folder / "docs").mkdir(parents=True)
        (folder / "docs" / "index.md").write_text("# còn sót\n", encoding="utf-8")
    running = commune / f".calendars-new-{os.getpid()}"  # a build still running holds its own
    running.mkdir()
    processes.hold(running)
    try:
        run_build("--site", str(site), "--build-dir", str(build), "--cache-dir", str(tmp_path / "cache"),
                  "--as-of", AS_OF, "--only", "website", "-q", check=True)
        assert running.is_dir()
    finally:
        processes.release(running)
    assert not any(folder.exists() for folder in killed)
    assert (commune / "pages" / "pages.json").is_file() and (commune / "calendars" / "calendars.json").is_file()
    # this build's own new and old folders are gone too: it released them
    assert sorted(p.name for p in commune.iterdir() if p.name.startswith(".")) == [running.name]


def test_the_lists_take_an_unchanged_communes_cards_from_its_store_and_render_an_edited_ones(content_copy, tmp_path):
    """A commitment's card in the lists across communes (facets, explorer, shared agencies) is
    rendered once and kept in its commune's store: the next build uses an unchanged commune's kept
    cards and renders again only those of the commune that changed; the pages are the same bytes
    as pages written without any kept card."""
    from datetime import date

    from planpub.communes import assemble
    from planpub.settings import Paths
    from planpub.website.catalog import Catalog
    from planpub.website.render import write_docs

    shutil.copytree(DEMO / "minh-hoa", content_copy / "minh-hoa")
    paths = Paths.from_options(content=content_copy, site=tmp_path / "site", build=tmp_path / "build",
                               cache=tmp_path / "cache")
    as_of = date.fromisoformat(AS_OF)

    def docs(name: str, with_products: bool = True) -> tuple[Path, object]:
        assembly = assemble(paths, as_of)
        assembly.commit()
        out = tmp_path / name
        pages = write_docs(Catalog(assembly.site, as_of), out, "Kế hoạch của xã", True, True,
                           products=assembly.products if with_products else None)
        return out, pages.cards

    def lists(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "nhiem-vu").rglob("*.md")}

    communes = {"lung-phinh", "phu-trung", "thien-phu", "thuong-xuan", "tue-tinh", "minh-hoa"}
    first, cards = docs("first")
    assert cards.kept == set() and cards.rendered == communes
    store = store_of(paths.build, content_copy, paths.site)
    kept = {c: (store / c / "cards.json").stat() for c in communes}
    assert lists(first) == lists(docs("plain", with_products=False)[0])

    appendix = content_copy / "minh-hoa" / "kh-cchc-2026" / "appendix-01.yaml"
    text = appendix.read_text(encoding="utf-8")
    appendix.write_text(text.replace("    content: ", "    content: (đã sửa) ", 1), encoding="utf-8")
    second, cards = docs("second")
    assert cards.kept == communes - {"minh-hoa"}  # the edited commune's kept cards no longer hold
    assert cards.rendered == {"minh-hoa"}          # no card of another commune was rendered again
    assert communes - {"minh-hoa"} <= cards.reused
    for c in communes - {"minh-hoa"}:
        now = (store / c / "cards.json").stat()
        assert (now.st_ino, now.st_mtime_ns) == (kept[c].st_ino, kept[c].st_mtime_ns), c
    # the edited commitment's card says the new words, in the lists as in a build without kept cards
    assert not any("(đã sửa) " in t.decode() for t in lists(first).values())
    assert any("(đã sửa) " in t.decode() for t in lists(second).values())
    assert lists(second) == lists(docs("plain-2", with_products=False)[0])


def test_the_open_data_takes_an_unchanged_communes_part_from_its_store(content_copy, tmp_path):
    """plans.json and the CSV files are assembled from each commune's part, kept in its store: the
    next build makes again only the part of the commune that changed, and the files are the same
    bytes as files written without any kept part."""
    from datetime import date

    from planpub.communes import assemble
    from planpub.opendata import write_open_data
    from planpub.settings import Paths

    paths = Paths.from_options(content=content_copy, site=tmp_path / "site", build=tmp_path / "build",
                               cache=tmp_path / "cache")
    as_of = date.fromisoformat(AS_OF)

    def data(name: str) -> tuple[dict[str, bytes], object]:
        assembly = assemble(paths, as_of)
        write_open_data(assembly.site, tmp_path / name, as_of, products=assembly.products)
        write_open_data(assembly.site, tmp_path / f"{name}-plain", as_of)
        files = {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()}
        assert files == {p.name: p.read_bytes() for p in (tmp_path / f"{name}-plain").iterdir()}
        return files, assembly.products

    communes = {"lung-phinh", "phu-trung", "thien-phu", "thuong-xuan", "tue-tinh"}
    first, products = data("first")
    assert set(products.data_made) == communes and products.data_reused == []
    _append_paragraph(content_copy)
    second, products = data("second")
    assert products.data_made == ["thien-phu"] and set(products.data_reused) == communes - {"thien-phu"}
    assert "Khuổi Xanh" in second["plans.json"].decode() and "Khuổi Xanh" not in first["plans.json"].decode()
