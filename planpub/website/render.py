"""The website stage: ``render_website(site, out_dir, options)``.

1. generate Markdown pages, the Atom feed and the iCalendar files into a fresh docs folder;
2. build it with MkDocs + Material (configuration: ``mkdocs.yml``; theme overrides and assets:
   ``templates/website/``) into a temporary folder;
3. compact the search index (:mod:`.searchfold`), then merge the result into ``out_dir``.

The last generated docs folder is kept as ``build/docs`` (the ``docs_dir`` of ``mkdocs.yml``),
so ``mkdocs build`` or Zensical can be run on it by hand.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from .. import model
from . import calendars, feeds, mkdocs_build, paths, searchfold
from .catalog import Catalog
from .pages import Pages

ROOT = mkdocs_build.ROOT
ASSETS = ROOT / "templates" / "website" / "assets"
BUILD = ROOT / "build"


def write_docs(cat: Catalog, docs_dir: Path, out_dir: Path, site_name: str, site_url: str | None,
               with_data: bool) -> Pages:
    """Everything MkDocs reads: pages, assets, feed, calendars."""
    pages = Pages(cat, docs_dir, site_name, out_dir, with_data)
    pages.write_all()
    shutil.copytree(ASSETS, docs_dir / "assets", dirs_exist_ok=True)
    (docs_dir / paths.FEED).write_bytes(feeds.atom_feed(cat, site_name))
    for doc in cat.documents:
        if cat.has_calendar(doc):
            (docs_dir / paths.plan_calendar(doc.id)).write_bytes(calendars.plan_calendar(cat, doc, site_url))
    for commune_id, agency_ids in pages.calendar_agencies().items():
        for agency_id in agency_ids:
            path = docs_dir / paths.agency_calendar(commune_id, agency_id)
            path.write_bytes(calendars.agency_calendar(cat, commune_id, agency_id, site_url))
    return pages


def _keep_docs(docs_dir: Path) -> None:
    """Keep the generated docs as build/docs (best effort: it is a convenience copy)."""
    target = BUILD / "docs"
    old = BUILD / f".docs-old-{os.getpid()}"
    try:
        if target.exists():
            os.rename(target, old)
        os.rename(docs_dir, target)
    except OSError:
        pass
    shutil.rmtree(old, ignore_errors=True)


def render_website(site: model.Site, out_dir: Path, options) -> None:
    cat = Catalog(site, options.as_of)
    BUILD.mkdir(exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    docs_dir = Path(tempfile.mkdtemp(prefix=".docs-", dir=BUILD))
    tmp_site = None
    try:
        tmp_site = Path(tempfile.mkdtemp(prefix=".site-web-", dir=out_dir.parent))
        config = mkdocs_build.load_config(docs_dir, tmp_site)
        write_docs(cat, docs_dir, out_dir, config.site_name, config.site_url,
                   with_data="data" in getattr(options, "stages", ("data",)))
        warnings = mkdocs_build.build(config)
        for message in warnings:
            print(f"MkDocs: {message}", file=sys.stderr)
        searchfold.compact_search_index(tmp_site)
        mkdocs_build.merge_tree(tmp_site, out_dir)
        if getattr(options, "keep_docs", True):
            _keep_docs(docs_dir)
    finally:
        if tmp_site is not None:
            shutil.rmtree(tmp_site, ignore_errors=True)
        shutil.rmtree(docs_dir, ignore_errors=True)
