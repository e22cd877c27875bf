"""The website stage: ``render_website(site, out_dir, options)``.

1. generate Markdown pages, the Atom feed and the iCalendar files into a fresh docs folder;
2. build it with MkDocs + Material (configuration: ``mkdocs.yml``; theme overrides and assets:
   ``templates/website/``) in ``build/``, rendering again only the pages whose Markdown changed
   since the last build (:mod:`.incremental`);
3. complete the search index (:mod:`.searchfold`), then copy the result into ``out_dir``;
4. once the PDF stage has written the PDFs, write their sizes into the pages that link them.

``build/docs`` (the ``docs_dir`` of ``mkdocs.yml``) keeps the generated docs, so ``mkdocs build``
or Zensical can be run on it by hand.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable

from .. import model
from . import calendars, feeds, incremental, mkdocs_build, paths, searchfold
from .catalog import Catalog
from .pages import Pages, stamp_pdf_sizes

ROOT = mkdocs_build.ROOT
ASSETS = ROOT / "templates" / "website" / "assets"
BUILD = ROOT / "build"


def write_docs(cat: Catalog, docs_dir: Path, site_name: str, site_url: str | None, with_data: bool,
               with_pdf: bool) -> Pages:
    """Everything MkDocs reads: pages, assets, feed, calendars."""
    pages = Pages(cat, docs_dir, site_name, with_data, with_pdf)
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


def render_website(site: model.Site, out_dir: Path, options) -> Callable[[], None] | None:
    """Build stage; returns the step that writes the PDFs' sizes once the PDF stage has finished."""
    cat = Catalog(site, options.as_of)
    stages = getattr(options, "stages", ("data",))
    BUILD.mkdir(exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".docs-", dir=BUILD))
    try:
        config = mkdocs_build.load_config(fresh, BUILD / "site")
        pages = write_docs(cat, fresh, config.site_name, config.site_url, with_data="data" in stages,
                           with_pdf="pdf" in stages)
        with incremental.workspace(fresh, full=getattr(options, "full", False)) as ws:
            config = mkdocs_build.load_config(ws.docs, ws.site)
            warnings = mkdocs_build.build(config, dirty=ws.dirty)
            for message in warnings:
                print(f"MkDocs: {message}", file=sys.stderr)
            index = searchfold.finish_search_index(ws.site, ws.previous_index if ws.dirty else None, ws.touched)
            mkdocs_build.copy_tree(ws.site, out_dir)
            incremental.commit(ws, index)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    if pages.pdf_sizes:
        return lambda: stamp_pdf_sizes(out_dir, pages.pdf_sizes)
    return None
