"""The Markdown pages of the website, written into the docs folder from Jinja2 templates.

Templates live in ``templates/website/pages``. A page is YAML front matter plus Markdown whose
headings are fixed words of ours and whose content parts are HTML blocks: every text from the
content is escaped by Jinja2's autoescape, and body Markdown goes through the shared
:func:`planpub.markdown.render_markdown` (sanitised). HTML blocks are written without blank lines
or indentation, so Markdown leaves them as they are.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .. import appendices, model, numbering
from ..jinja_cache import bytecode_cache
from ..markdown import render_inline, render_markdown
from ..processes import link_file, replace_file
from ..settings import TEMPLATES as BUNDLED_TEMPLATES
from ..signing.published import signed_facts
from . import calendars, charts, pagination, paths, summary, words
from .catalog import Catalog
from .explorer import FACETS, facet_values, facets_on, task_facets
from .progress_view import ProgressView, icon

TEMPLATES = BUNDLED_TEMPLATES / "website" / "pages"

# column labels for commitments written in the body (commitments.yaml), as the bodies word them
BODY_COLUMNS = {"content": "Nội dung", "summary": "Nội dung cụ thể", "deliverables": "Sản phẩm",
                "lead": "Đơn vị chủ trì", "support": "Đơn vị phối hợp", "deadline": "Thời gian thực hiện",
                "budget": "Kinh phí"}
# the site map's headings, in its order: (kind of page, heading)
SITEMAP_KINDS = [("home", "Trang chính"), ("documents", "Văn bản"), ("document", "Văn bản"), ("targets", "Chỉ tiêu"),
                 ("commune", "Xã"), ("agencies", "Cơ quan"), ("agency", "Cơ quan"), ("shared-agency", "Cơ quan"),
                 ("explorer", "Tra cứu nhiệm vụ"), ("facet", "Danh sách nhiệm vụ theo tiêu chí"), ("task", "Nhiệm vụ"),
                 ("follow", "Theo dõi")]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def html_block(text: str) -> Markup:
    """An HTML block Markdown will not touch: no blank line, no indentation."""
    return Markup("\n".join(line.strip() for line in str(text).splitlines() if line.strip()))


def md_text(text: str) -> Markup:
    """Content text made safe for a Markdown heading: HTML-escaped, Markdown specials backslashed."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(" ".join(str(text).split())))))


def lines(text: str | None) -> Markup:
    """A multi-line plain text as paragraphs of escaped text."""
    parts = [p.strip() for p in (text or "").splitlines() if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>" for p in parts))


def column_label(text: str) -> str:
    """``4- Kết quả/ Sản phẩm`` → ``Kết quả/ Sản phẩm`` (framework headers carry their column number)."""
    return re.sub(r"^\s*\d+\s*-\s*", "", text or "").strip()


@dataclass
class Place:
    """Where a commitment sits in its document: appendix, group, objective, and its neighbours."""

    appendix: model.Appendix | None = None
    group_label: str | None = None
    group_title: str | None = None
    columns: dict = field(default_factory=dict)
    previous: model.Task | None = None
    next: model.Task | None = None


def locate(doc: model.Document, task: model.Task) -> Place:
    for appendix in doc.appendices:
        content = appendix.content
        if content is None:
            continue
        for label, title, tasks in appendices.of(content).task_groups(content):
            for i, t in enumerate(tasks):
                if t is task:
                    columns = {k: column_label(v) for k, v in content.columns.items()}
                    return Place(appendix, label, title, columns,
                                 tasks[i - 1] if i else None, tasks[i + 1] if i + 1 < len(tasks) else None)
    same = [t for t in doc.body_commitments]
    i = next((k for k, t in enumerate(same) if t is task), None)
    place = Place(columns=dict(BODY_COLUMNS))
    if i is not None:
        place.previous = same[i - 1] if i else None
        place.next = same[i + 1] if i + 1 < len(same) else None
    return place


#: where a kept card has the address of its commitment's page (relative to the page it is put on)
CARD_HREF = "\x00href\x00"  # no content has it: YAML does not allow this character


def pdf_size_mark(pdf: str) -> str:
    return f"@@pdf-size:{pdf}@@"


def stamp_pdf_sizes(out_dir: Path, pdf_sizes: dict[str, set[str]], kept: Path | None = None) -> None:
    """Write each PDF's size (``123 KB``) where :meth:`Pages.pdf_of` left its mark, in ``out_dir``.

    ``kept`` (a folder of ``build/``): the stamped pages of earlier builds, each named by what it
    was made from (the unstamped page, the same file while MkDocs did not render it again, and the
    sizes); a page whose page and sizes are unchanged is linked from there, not written again."""
    used: set[str] = set()
    for page, pdfs in sorted(pdf_sizes.items()):
        html = out_dir / paths.output(page)
        sizes = {pdf: (out_dir / pdf).stat().st_size for pdf in sorted(pdfs)}
        name = None
        if kept is not None:
            st = html.stat()
            made_from = json.dumps([page, st.st_ino, st.st_dev, st.st_mtime_ns, st.st_size, sizes])
            name = hashlib.sha256(made_from.encode()).hexdigest() + ".html"
            used.add(name)
            if (kept / name).is_file():
                link_file(kept / name, html)  # replaces the link to build/site's page
                continue
        text = html.read_text(encoding="utf-8")
        for pdf, size in sizes.items():
            text = text.replace(pdf_size_mark(pdf), f"{max(1, round(size / 1024))} KB")
        replace_file(html, text.encode("utf-8"))  # a new file: the old one is a link of build/site's
        if kept is not None and name is not None:
            kept.mkdir(parents=True, exist_ok=True)
            tmp = kept / f".{name}.{os.getpid()}"
            link_file(html, tmp)
            os.replace(tmp, kept / name)
    if kept is not None and kept.is_dir():
        for entry in os.scandir(kept):  # pages stamped for an earlier state: not needed any more
            if entry.name not in used and not entry.name.startswith("."):
                os.unlink(entry.path)


class Pages:
    """Writes every page; remembers what it wrote (for the sitemap page and the tests)."""

    def __init__(self, cat: Catalog, docs_dir: Path, site_name: str, with_data: bool, with_pdf: bool,
                 site_url: str | None = None, cards=None) -> None:
        self.cat = cat
        #: kept cards (:class:`planpub.communes.Cards`: ``get(commune, key)``, ``put(commune, key, html)``),
        #: or None: every card is rendered where it is shown (:meth:`card`)
        self.cards = cards
        self.docs_dir = docs_dir
        self.with_data = with_data
        self.with_pdf = with_pdf
        self.pdf_sizes: dict[str, set[str]] = {}  # page → PDFs whose size it shows (see pdf_of)
        self._page = ""
        self._commune: model.Commune | None = None  # while writing one commune's own pages
        self.written: list[tuple[str, str, str]] = []  # (docs path, title, kind)
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                               lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=True,
                               comment_start_string="{##", comment_end_string="##}",  # {#id} is Markdown
                               bytecode_cache=bytecode_cache())
        self.env.filters.update(html=html_block, md=md_text, lines=lines, short=words.short, day=words.day,
                                column_label=column_label)
        self.env.tests["startswith"] = lambda value, prefix: str(value).startswith(prefix)
        self.env.filters["agency_led"] = lambda member: cat.led.get((member[0], member[1].id), [])
        self.progress = ProgressView(cat)  # statuses, counts, example-data note: _progress.j2
        self.env.globals.update(
            cat=cat, words=words, numbering=numbering, paths=paths, site_name=site_name, FACETS=FACETS,
            with_data=with_data, NOT_IN_SOURCE=model.NOT_IN_SOURCE_WORDS,
            site_url=site_url,  # the public address (mkdocs.yml), or None: calendars' subscribe links
            markdown=lambda text, shift=0: Markup(render_markdown(text, shift_headings=shift)),
            inline=lambda text: Markup(render_inline(text)), chart=charts.target_chart,
            facets_of=lambda doc, task: task_facets(cat, doc, task), pdf_of=self.pdf_of, locate=locate,
            agencies_text=model.agencies_text,
            signed_of=lambda doc: signed_facts(doc, cat.site),  # the signed PDF's facts: _signed.j2
            summary_of=lambda doc: summary.summarise(cat, doc),  # a plan's summary at the top of its page
            progress=self.progress, icon=icon, appendix_shape=appendices.get,
            facets_on=lambda items: facets_on(cat, self.facets, items),  # an explorer page's choices
            # the page of a paginated list that holds item number ``index`` (0-based)
            page_holding=lambda first, index, size: pagination.page_path(first, index // size + 1),
            per_page=pagination, card=self.card)
        self.facets = facet_values(cat)
        self._card_maker = None  # _parts.j2 with its own ``link``: cards that do not depend on their page

    # --- helpers -------------------------------------------------------------------------------

    def pdf_of(self, doc: model.Document) -> dict | None:
        """The document's PDF, if this build renders PDFs. Its size is not known yet (the PDF stage
        renders while the pages are built): ``size`` is a mark that :func:`stamp_pdf_sizes`
        replaces in the HTML once the PDFs are written, kept out of the search index."""
        if not (doc.pdf and self.with_pdf):
            return None
        self.pdf_sizes.setdefault(self._page, set()).add(doc.pdf)
        return {"path": doc.pdf, "size": Markup(f'<span data-search-exclude>{escape(pdf_size_mark(doc.pdf))}</span>')}

    def card(self, doc: model.Document, task: model.Task, with_facets: bool = False, show_plan: bool = True) -> Markup:
        """A commitment's card (``task_card`` of ``_parts.j2``) on the page being written. It is the
        same on every page but for the address of the commitment's page, so it is rendered once per
        variant with :data:`CARD_HREF` in place of that address, and kept (``self.cards``, per commune:
        an unchanged commune's cards are not rendered again); the address is put in here."""
        key = f"{task.uid}|{int(with_facets)}|{int(show_plan)}"
        html = self.cards.get(doc.commune, key) if self.cards is not None else None
        if html is None:
            html = str(self._card_module(lambda to, anchor=None: CARD_HREF).task_card(doc, task, with_facets, show_plan))
            if html.count(CARD_HREF) != 1:  # the mark is in the content itself: this card is not kept
                page = self._page
                return self._card_module(lambda to, anchor=None: paths.href(page, to, anchor)).task_card(
                    doc, task, with_facets, show_plan)
            if self.cards is not None:
                self.cards.put(doc.commune, key, html)
        self.progress.of(task)  # as the card's status badge does: the page says when statuses were updated
        return Markup(html.replace(CARD_HREF, str(escape(paths.href(self._page, paths.task_page(task.uid))))))

    def _card_module(self, link):
        """``_parts.j2`` whose macros link with ``link`` (the one with the mark is made once)."""
        if link(paths.HOME) != CARD_HREF:
            return self.env.get_template("_parts.j2").make_module({"link": link})
        if self._card_maker is None:
            self._card_maker = self.env.get_template("_parts.j2").make_module({"link": link})
        return self._card_maker

    def write(self, path: str, template: str, title: str, kind: str, *, description: str | None = None,
              search: bool = True, hide: tuple[str, ...] = (), **ctx) -> None:
        ctx.update(page=path, link=lambda to, anchor=None: paths.href(path, to, anchor), title=title, kind=kind)
        self._page = path
        self.progress.start_page()
        body = self.env.get_template(template).render(**ctx)
        body = f"{html_block(self.progress.page_header(self._commune))}\n\n{body.strip()}\n\n{html_block(self.progress.page_footer())}"
        # MkDocs' theme templates print page.meta values without escaping (<title>, <meta>): escape here
        meta: dict = {"title": str(escape(title))}
        if description:
            meta["description"] = str(escape(" ".join(description.split())))
        if not search:
            meta["search"] = {"exclude": True}
        if hide:
            meta["hide"] = list(hide)
        front = yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000)
        target = self.docs_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{front}---\n\n{body.strip()}\n", encoding="utf-8")
        self.written.append((path, title, kind))

    def write_list(self, path: str, template: str, title: str, kind: str, items: list, per_page: int,
                   **kw) -> None:
        """A list that spans communes, in pages of at most ``per_page`` items (:mod:`.pagination`):
        the template gets ``items`` (this page's) and ``pager``; page 2 on says its number in its title."""
        for page_path, page_items, pager in pagination.paginate(path, items, per_page):
            page_title = title if pager.number == 1 else f"{title} (trang {pager.number}/{pager.count})"
            self.write(page_path, template, page_title, kind, items=page_items, pager=pager, **kw)

    # --- every page ----------------------------------------------------------------------------

    def write_all(self, commune_pages=None) -> None:
        """Every page. ``commune_pages(pages, commune)`` (planpub/communes.py), when given, puts a
        commune's own pages in place (kept ones when unchanged) instead of :meth:`write_commune`."""
        communes = self.cat.site.communes
        if commune_pages is None:
            self.write_communes(communes)
        else:
            self.check_folder_names(communes)
            for commune in communes:
                commune_pages(self, commune)
        self.write_lists()  # the pages across communes, assembled from what every commune published

    def check_folder_names(self, communes) -> None:
        for commune in communes:
            for name in paths.RESERVED_IN_COMMUNE:
                if any(d.id == f"{commune.id}/{name}" for d in self.cat.documents):
                    raise ValueError(f"Thư mục văn bản không được đặt tên “{name}” (trùng trang của web).")

    def write_communes(self, communes) -> None:
        """The pages of each of ``communes`` alone: its documents, targets, commitments, agencies."""
        self.check_folder_names(communes)
        for commune in communes:
            self.write_commune(commune)

    def write_lists(self) -> None:
        """The pages that span communes, each split into pages of a bounded size (:mod:`.pagination`)."""
        cat, per = self.cat, pagination
        communes = list(cat.site.communes)
        for shared in cat.shared_agencies:
            self.write_list(paths.shared_agency_page(shared.slug), "shared_agency.md.j2", f"{shared.name} (các xã)",
                            "shared-agency", list(shared.members), per.MEMBERS_PER_PAGE, shared=shared,
                            description=f"Nhiệm vụ {shared.name} chủ trì ở {len(shared.members)} xã, từng xã một.")
        for facet, values in self.facets.items():
            for fv in values:
                if fv.page.startswith("nhiem-vu/"):
                    self.write_list(fv.page, "facet.md.j2", f"Nhiệm vụ: {fv.label}", "facet", fv.tasks,
                                    per.TASKS_PER_PAGE, fv=fv, facet_name=FACETS[facet], search=False)
        self.write_list(paths.EXPLORER, "explorer.md.j2", "Tra cứu nhiệm vụ", "explorer", cat.tasks,
                        per.EXPLORER_PER_PAGE, facets=self.facets, search=False,
                        description="Mọi nhiệm vụ của các kế hoạch, lọc theo xã, kế hoạch, lĩnh vực, cơ quan, thời hạn.")
        self.write_list(paths.DOCUMENTS, "documents.md.j2", "Văn bản", "documents", communes, per.COMMUNES_PER_PAGE)
        self.write_list(paths.AGENCIES, "agencies.md.j2", "Cơ quan", "agencies",
                        [c for c in communes if cat.agencies_in_use(c.id)], per.COMMUNES_PER_PAGE, search=False)
        calendar_agencies = calendars.agencies_with_calendars(cat)
        self.write_list(paths.FOLLOW, "follow.md.j2", "Theo dõi và dữ liệu mở", "follow",
                        [c for c in communes if any(cat.has_calendar(d) for d in cat.documents_of(c.id))
                         or calendar_agencies.get(c.id)], per.COMMUNES_PER_PAGE, calendar_agencies=calendar_agencies)
        self.write(paths.HOME, "home.md.j2", "Kế hoạch của xã", "home", facets_by_area=self.facets["linh-vuc"],
                   communes=communes[:per.COMMUNES_PER_PAGE], all_communes=len(communes),
                   description="Các xã đã cam kết làm gì, ai chịu trách nhiệm, đến khi nào.")
        kinds = [k for k, _ in SITEMAP_KINDS]
        listed = sorted(self.written, key=lambda w: (kinds.index(w[2]) if w[2] in kinds else len(kinds), w[0]))
        self.write_list(paths.SITEMAP, "sitemap.md.j2", "Sơ đồ trang", "sitemap", listed, per.SITEMAP_PER_PAGE,
                        search=False, kinds=SITEMAP_KINDS)

    def write_commune(self, commune: model.Commune) -> None:
        """One commune's own pages: its documents, their targets and commitments, its page, its agencies."""
        self._commune = commune
        try:
            self._write_commune(commune)
        finally:
            self._commune = None

    def _write_commune(self, commune: model.Commune) -> None:
        cat = self.cat
        for doc in cat.documents_of(commune.id):
            self.document(doc)
            if doc.targets:
                self.write(paths.targets_page(doc.id), "targets.md.j2", f"Chỉ tiêu: {words.short(doc.subject, 80)}",
                           "targets", doc=doc, description=f"Các chỉ tiêu của {doc.type_name.lower()} {doc.subject}")
            for task in doc.tasks:
                self.task(doc, task)
        self.write(paths.commune_page(commune.id), "commune.md.j2", f"{commune.kind.capitalize()} {commune.name}",
                   "commune", commune=commune)
        for agency in cat.agencies_in_use(commune.id):
            self.write(paths.agency_page(commune.id, agency.id), "agency.md.j2",
                       f"{agency.name} ({commune.name})", "agency", commune=commune, agency=agency,
                       description=f"Nhiệm vụ {agency.name} xã {commune.name} chủ trì, phối hợp.")

    def document(self, doc: model.Document) -> None:
        commune = self.cat.communes[doc.commune]
        # the number in the title: how readers name a document ("Quyết định 364/QĐ-UBND"), and what
        # search ranks first for a query that is a number (assets/search-fold.js)
        number = f" {doc.number_text}" if doc.number_text and doc.symbol else ""
        self.write(paths.document_page(doc.id), "document.md.j2",
                   f"{doc.type_name}{number}: {words.short(doc.subject, 90)}",
                   "document", doc=doc, commune=commune, description=f"{doc.type_name}{number} {doc.subject}")

    def task(self, doc: model.Document, task: model.Task) -> None:
        area = words.AREA_NAMES.get(task.area, "") if task.area else ""
        self.write(paths.task_page(task.uid), "task.md.j2", words.short(task.content, 90), "task", doc=doc,
                   task=task, commune=self.cat.communes[doc.commune], place=locate(doc, task),
                   description=f"Nhiệm vụ {area}: {words.short(task.content, 150)}")
