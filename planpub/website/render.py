"""The website stage: ``render_website(site, out_dir, options)``.

1. generate Markdown pages and the Atom feed into a fresh docs folder (the iCalendar files are
   written straight into the site by a process of their own meanwhile);
2. build it with MkDocs + Material (configuration: ``mkdocs.yml``; theme overrides and assets:
   ``templates/website/``) in ``build/``, rendering again only the pages whose Markdown changed
   since the last build (:mod:`.incremental`);
3. complete the search index (:mod:`.searchfold`), then put the result into ``out_dir`` as hard
   links (:func:`.mkdocs_build.link_into`: nothing copied, nothing ever rewritten in place);
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
from ..processes import hold, in_background, pause_point, release
from ..settings import TEMPLATES, BuildOptions
from . import calendars, feeds, incremental, mkdocs_build, paths, progress_view, searchfold
from .catalog import Catalog
from .pages import Pages, stamp_pdf_sizes

ASSETS = TEMPLATES / "website" / "assets"


SITE_URL_MISSING = (
    "mkdocs.yml: cảnh báo [site-url-missing] Chưa ghi địa chỉ công khai của trang web (site_url): "
    "người dân chưa đăng ký theo dõi được lịch thời hạn, liên kết trong lịch không mở được từ ứng dụng lịch, "
    "sitemap.xml không có trang nào.\n"
    "    Cách sửa: người quản trị cổng thông tin ghi địa chỉ nơi trang web được đặt vào mkdocs.yml, ví dụ "
    "“site_url: https://tenxa.gov.vn/cong-khai/ke-hoach/”, rồi dựng lại.")


def write_docs(cat: Catalog, docs_dir: Path, site_name: str, with_data: bool, with_pdf: bool,
               site_url: str | None = None, products=None, full: bool = False) -> Pages:
    """Everything MkDocs reads: pages, assets, feed. ``products`` (planpub/communes.py): each
    commune's own pages are taken from its kept products when unchanged, else generated and kept;
    so are its commitments' cards in the lists across communes."""
    if products is None:
        pages = Pages(cat, docs_dir, site_name, with_data, with_pdf, site_url)
        pages.write_all()
    else:
        from ..communes import context_digest  # noqa: PLC0415

        context = context_digest(cat.site)
        # a card shows its commune's own content and its statuses as of the build date, nothing else
        cards = products.cards(context, {"as_of": cat.as_of.isoformat(), "what": "cards"}, full)
        pages = Pages(cat, docs_dir, site_name, with_data, with_pdf, site_url, cards=cards)
        settings = {"site_name": site_name, "site_url": site_url, "with_data": with_data, "with_pdf": with_pdf,
                    "as_of": cat.as_of.isoformat()}
        pages.write_all(lambda p, commune: products.commune_pages(p, commune, context, settings, full))
        cards.save()
    shutil.copytree(ASSETS, docs_dir / "assets", dirs_exist_ok=True)
    (docs_dir / paths.FEED).write_bytes(feeds.atom_feed(cat, site_name))
    progress_view.copy_evidence(cat, docs_dir)
    return pages


def write_calendars(cat: Catalog, out_dir: Path, site_url: str | None, products=None, full: bool = False) -> None:
    """The ``.ics`` files, straight into the site (they are not pages: MkDocs has nothing to do
    with them), in a process of their own while the pages are built. ``products``
    (planpub/communes.py): an unchanged commune's calendars are its kept ones."""
    events: dict = {}  # each event written once, put in every calendar it belongs to
    files: dict[str, list] = {c.id: [] for c in cat.site.communes}
    for doc in cat.documents:
        if cat.has_calendar(doc):
            files[doc.commune].append((paths.plan_calendar(doc.id),
                                       lambda doc=doc: calendars.plan_calendar(cat, doc, site_url, events)))
    for c, agency_ids in calendars.agencies_with_calendars(cat).items():
        files[c] += [(paths.agency_calendar(c, a), lambda c=c, a=a: calendars.agency_calendar(cat, c, a, site_url, events))
                     for a in agency_ids]
    for commune_id, made in files.items():
        if products is not None:
            from ..communes import context_digest  # noqa: PLC0415

            settings = {"site_url": site_url, "as_of": cat.as_of.isoformat(), "what": "calendars"}
            products.commune_files("calendars", commune_id, context_digest(cat.site), settings, made, out_dir, full)
            continue
        for path, make in made:
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(make())


def render_website(site: model.Site, out_dir: Path, options: BuildOptions) -> Callable[[], None] | None:
    """Build stage; returns the step that writes the PDFs' sizes once the PDF stage has finished."""
    cat = Catalog(site, options.as_of)
    stages = options.stages
    build, config_file = options.paths.build, options.paths.mkdocs_config
    build.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".docs-", dir=build))
    hold(fresh)  # a killed build's folder is removed by the next build (planpub/processes.py)
    config = mkdocs_build.load_config(config_file, fresh, build / "site")
    if not config.site_url:
        print(SITE_URL_MISSING, file=sys.stderr)
    calendars_done = in_background(write_calendars, cat, out_dir, config.site_url, options.products, options.full)
    try:
        pages = write_docs(cat, fresh, config.site_name, with_data="data" in stages, with_pdf="pdf" in stages,
                           site_url=config.site_url or None, products=options.products, full=options.full)
        with incremental.workspace(fresh, options.full, build, config_file) as ws:
            config = mkdocs_build.load_config(config_file, ws.docs, ws.site)
            warnings = mkdocs_build.build(config, dirty=ws.dirty)
            for message in warnings:
                print(f"MkDocs: {message}", file=sys.stderr)
            index = searchfold.finish_search_index(ws.site, ws.previous_index if ws.dirty else None, ws.touched)
            mkdocs_build.link_into(ws.site, out_dir)  # hard links: no page is copied
            pause_point("website-linked")
            incremental.commit(ws, index)
    except BaseException:
        getattr(calendars_done, "cancel", lambda: None)()
        raise
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        release(fresh)

    def finish() -> None:
        calendars_done()
        if pages.pdf_sizes:
            stamp_pdf_sizes(out_dir, pages.pdf_sizes, kept=build / "stamped" if ws.state is not None else None)

    finish.cancel = getattr(calendars_done, "cancel", lambda: None)  # type: ignore[attr-defined]
    return finish
