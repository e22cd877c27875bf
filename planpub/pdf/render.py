"""Render every KH and QĐ of the site as a PDF in the layout of ND30, with WeasyPrint.

One PDF per document, at ``out/<doc.pdf>``; a plan issued by a decision (``attached_to``) is printed
inside its decision's PDF, after the decision, and has no file of its own.

The work is split so that a later stage can cache and parallelise it:

- :func:`document_html` — the complete, self-contained HTML of one PDF (stylesheet and font files
  inline): a pure function of the content, the templates and the installed face, hence a cache key;
- :func:`html_to_pdf` — WeasyPrint on that HTML, to bytes; picklable in, bytes out;
- :func:`render_document` — both; :func:`render_pdfs` — the build stage.

``weasyprint`` is imported on first use, once per process (it costs about 0.7 s), so that a build
without the PDF stage does not pay for it.

Variant and tags — what we chose and why:
``pdf_variant="pdf/a-2b"`` and ``pdf_tags=True``. WeasyPrint 70 then writes XMP metadata with
``pdfaid:part=2, conformance=B``, an sRGB output intent, a file identifier computed from the content
(no random value, so the bytes stay reproducible) and a structure tree for screen readers (headings,
paragraphs, tables with header cells). Fonts are embedded in every case. Checked by
tests/test_pdf.py: identical bytes on two renders and across processes, every font embedded, the
XMP identification, the output intent, ``/Lang vi`` and a structure tree with H1, P, Table, TH, TD.
Checked once by hand (November 2026, the five seeds): pdfplumber reads the same characters at the
same positions with and without tags; tags add about a third to the file size and no measurable
time next to the noise of a shared two-core machine. We did not validate PDF/A (no validator is installable here; WeasyPrint does not guarantee validity),
so the PDFs claim PDF/A-2b in their metadata but we promise no more than the checks in
tests/test_pdf.py. Not chosen: ``pdf/a-2a``/``pdf/ua-1`` (they claim accessibility conformance we
cannot verify) and PDF/X-4 (adds random values). Signing (pyHanko) appends to these bytes later.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .. import model
from ..jinja_cache import bytecode_cache
from ..processes import link_file, replace_file
from ..errors import BuildFailed, Notice
from ..markdown import render_inline
from ..settings import TEMPLATES as _TEMPLATES
from ..settings import BuildOptions
from . import fields, fonts, typography, view

TEMPLATES = _TEMPLATES / "pdf"
STYLESHEET = TEMPLATES / "nd30.css"
#: the stylesheets of the document families, after ND30's (each scoped to ``.family-<name>``)
FAMILY_STYLESHEETS = {"party": TEMPLATES / "hd36.css"}

_STYLE = re.compile(r"<style>.*?</style>", re.S)
_TAGS = re.compile(r"<[^>]*>")

#: WeasyPrint options; see the module docstring for the choice of variant and tags.
PDF_OPTIONS = {"pdf_variant": "pdf/a-2b", "pdf_tags": True}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=bytecode_cache())
    env.filters["keep"] = typography.keep_text  # no line break inside a number, a place, a year range
    env.filters["inline"] = lambda text: typography.keep_together(render_inline(text))  # a regulation's text
    return env


@lru_cache(maxsize=1)
def _weasyprint():
    import weasyprint  # noqa: PLC0415 — once per process, and only when a PDF is rendered
    return weasyprint


def documents_to_render(site: model.Site) -> list[model.Document]:
    """The documents that get a PDF of their own: all but plans printed inside their decision."""
    return [d for d in site.documents if not d.attached_to]


def _attached_plan(doc: model.Document, site: model.Site) -> Optional[model.Document]:
    if not doc.issues:
        return None
    plan = site.document(doc.issues)
    if plan is None or plan.attached_to != doc.id:
        return None
    return plan


def document_html(doc: model.Document, site: model.Site) -> str:
    """The HTML of one PDF: the document, then the plan it issues (if any), then their appendices."""
    plan = _attached_plan(doc, site)
    main = view.document_view(doc, site)
    attached = view.document_view(plan, site, decision=doc) if plan is not None else None
    faces = fonts.find_faces()
    html = _environment().get_template("document.html.j2").render(
        main=main, attached=attached, meta=view.metadata(doc, plan), font=faces.describe(),
        stylesheet=_stylesheet())
    missing = faces.missing(_TAGS.sub(" ", _STYLE.sub(" ", html)))
    if missing:
        raise BuildFailed(f"Phông {faces.name} không có các ký tự: {' '.join(missing)} "
                          f"(sẽ phải in bằng phông khác, sai thể thức ND30). Cách sửa: thay các ký tự "
                          f"này trong nội dung bằng ký tự tương đương.")
    return html


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (STYLESHEET, *FAMILY_STYLESHEETS.values()))


#: What WeasyPrint logs about the machine, not the document: it changes how the fonts are subset
#: and how large the file is, never where a letter stands. Reported once as a warning (the key is
#: permanent), and the build goes on. Each entry: key → (the message it matches, what the clerk reads).
ENVIRONMENT_NOTICES: dict[str, tuple[re.Pattern[str], Notice]] = {
    "pdf-subset-fonttools": (
        re.compile(r"Using fontTools instead of HarfBuzz-Subset"),
        Notice("pdf-subset-fonttools",
               "Máy này thiếu thư viện HarfBuzz-Subset (gói Debian libharfbuzz-subset0): phông chữ trong PDF được "
               "thu gọn bằng fontTools. Bố cục và chữ không đổi; tệp PDF có thể lớn hơn và dựng chậm hơn.",
               "Chạy `bash scripts/setup.sh` (hoặc `sudo apt-get install libharfbuzz-subset0`), rồi dựng lại.")),
    "pdf-subset-failed": (
        re.compile(r"Unable to subset \".*\" with (HarfBuzz|fontTools)"),
        Notice("pdf-subset-failed",
               "Không thu gọn được phông chữ trong PDF; cả tệp phông được nhúng. Bố cục và chữ không đổi; tệp PDF lớn hơn.",
               "Cập nhật các gói phông và thư viện (`bash scripts/setup.sh`); nếu vẫn vậy, báo bộ phận kỹ thuật.")),
}

#: What WeasyPrint logs that changes the layout: the build stops with the message. Anything it logs
#: that is in neither list stops the build too (unknown means the layout may have changed).
LAYOUT_PROBLEMS: dict[str, re.Pattern[str]] = {
    "missing-glyph": re.compile(r"\.notdef glyph rendered"),       # a letter drawn as an empty box
    "css-ignored": re.compile(r"^Ignored |Invalid or unsupported|[Uu]nknown property|unsupported"),
    "image-not-loaded": re.compile(r"Failed to load (image|inline SVG)|Failed to render SVG"),
    "font-not-loaded": re.compile(r"Font-face .* cannot be loaded|Failed to load font"),
    "stylesheet-not-loaded": re.compile(r"Failed to load stylesheet"),
}


def classify(message: str) -> tuple[str, str]:
    """("notice", key) for an environment notice, ("layout", key) for anything else WeasyPrint logs."""
    for key, (pattern, _) in ENVIRONMENT_NOTICES.items():
        if pattern.search(message):
            return "notice", key
    for key, pattern in LAYOUT_PROBLEMS.items():
        if pattern.search(message):
            return "layout", key
    return "layout", "unknown"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def html_to_pdf_with_notices(html: str) -> tuple[bytes, tuple[str, ...]]:
    """WeasyPrint on one document's HTML, and the keys of the environment notices it logged.
    Anything else WeasyPrint would only log (a CSS rule it ignores, a letter no font has, an image
    it could not load, an unknown option) stops the build instead: the layout must hold."""
    weasyprint = _weasyprint()
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        document = weasyprint.HTML(string=html, base_url=str(TEMPLATES) + "/").render(**PDF_OPTIONS)
        if _main_pages(document) == 2:  # a short text that spills: try it within ND30's tighter ranges
            tight = weasyprint.HTML(string=html.replace("<body>", f'<body class="{FIT_CLASS}">', 1),
                                    base_url=str(TEMPLATES) + "/").render(**PDF_OPTIONS)
            if _main_pages(tight) == 1:
                document = tight
        pdf = document.write_pdf(finisher=fields.add_signature_fields, **PDF_OPTIONS)  # signature fields: fields.py
    finally:
        logger.removeHandler(collect)
    notices: list[str] = []
    problems: list[str] = []
    for record in collect.records:
        kind, key = classify(record.getMessage())
        if kind == "notice":
            notices.append(key)
        else:
            problems.append(f"  - [{key}] {record.getMessage()}")
    if problems:
        raise BuildFailed("WeasyPrint báo lỗi khi dựng PDF (bố cục ND30 có thể không đúng):\n" + "\n".join(problems[:10]))
    return pdf, tuple(dict.fromkeys(notices))


#: the class on <body> that sets a document in ND30's tighter ranges (13 pt, single spacing: nd30.css)
#: when that keeps a text of two pages on one
FIT_CLASS = "fit-one-page"


def _main_pages(document) -> int:
    """Pages of the first document of a PDF (not its attached plan, not its appendices: named pages)."""
    return sum(1 for page in document.pages if not page._page_box.page_type.name)


def html_to_pdf(html: str) -> bytes:
    """:func:`html_to_pdf_with_notices` without the notices."""
    return html_to_pdf_with_notices(html)[0]


def notices_of(keys) -> list[Notice]:
    """The clerk's notices for these keys, each once, in the order of the catalogue."""
    wanted = set(keys)
    return [notice for key, (_, notice) in ENVIRONMENT_NOTICES.items() if key in wanted]


def render_document(doc: model.Document, site: model.Site) -> bytes:
    """The PDF of one document (with the plan it issues) as bytes."""
    return html_to_pdf(document_html(doc, site))


def _last_edit(doc: model.Document, site: model.Site) -> int:
    """When a file of the document's folder (or of the plan it issues) last changed."""
    from ..signing.record import document_folder

    times = [0]
    for d in filter(None, (doc, _attached_plan(doc, site))):
        folder = document_folder(d)
        if folder is not None and folder.is_dir():
            times += [p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()]
    return max(times)


def render_pdfs(site: model.Site, out: Path, options: BuildOptions) -> Callable[[], None]:
    """Build stage: write ``out/<doc.pdf>`` for every document that has a PDF of its own.

    Unchanged documents come from the cache, the others render on every core (:mod:`.batch`)
    while the later stages run; the stage returns the function that waits for them and puts them
    into ``out`` as hard links to their files in the cache (no bytes copied). A signed document is never rendered again: its ``signed.pdf`` is copied byte for byte.
    """
    from ..signing.record import signed_pdf
    from . import batch

    fonts.find_faces()  # stop early, with the clerk's message, if the face is missing
    docs = [doc for doc in documents_to_render(site) if doc.pdf]
    for doc in docs:
        signed = signed_pdf(doc)  # the issued record (content/<doc>/signed.pdf), published as it is
        if signed is not None:
            target = out / doc.pdf
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(signed.read_bytes())
    docs = [doc for doc in docs if signed_pdf(doc) is None]
    # the most recently edited first: its PDF (the one likely to render) starts while the others'
    # HTML is made and found in the cache
    docs.sort(key=lambda doc: -_last_edit(doc, site))
    pending = batch.Pending(full=options.full, cache=options.paths.pdf_cache)
    known = _KnownKeys(site, options)
    for doc in docs:
        if pending.add_kept(known.get(doc)):
            continue  # its commune and what it shows of the others are unchanged: the same PDF
        try:
            pending.add(document_html(doc, site))
        except BuildFailed as exc:
            pending.cancel()
            raise BuildFailed(f"{doc.id}: {exc}") from None
        known.put(doc, pending.keys[-1])

    def finish() -> None:
        results = pending.result()
        options.notices.extend(n for n in notices_of(pending.notices) if n not in options.notices)
        for doc, data, kept in zip(docs, results, pending.files()):
            target = out / doc.pdf
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                link_file(kept, target)  # the cache's file (never rewritten: replaced), not a copy
            except FileNotFoundError:  # the cache was emptied meanwhile
                if data is None:
                    raise BuildFailed(f"{doc.id}: tệp PDF trong bộ nhớ đệm ({kept}) bị xóa trong lúc dựng. "
                                      "Dựng lại.") from None
                target.write_bytes(data)

    finish.cancel = pending.cancel  # type: ignore[attr-defined]
    return finish


class _KnownKeys:
    """The cache key of each document's PDF, remembered under the key of what decides its HTML: the
    published state of its commune and what it shows of the others (:meth:`planpub.communes.Products.page_key`),
    the face. A document of an unchanged commune is then not laid out in HTML again only to find
    its key (about 0.1 s a document). Only for a build with the per-commune store."""

    def __init__(self, site: model.Site, options: BuildOptions) -> None:
        self.products = options.products
        self.reuse = not options.full  # ``--full`` lays every document out again, and keeps their keys
        self.folder = options.paths.pdf_cache / "keys"
        if self.products is not None:
            from ..communes import context_digest

            self.context = context_digest(site)
            self.face = fonts.find_faces().describe()

    def _file(self, doc: model.Document) -> Path | None:
        if self.products is None:
            return None
        key = self.products.page_key(doc.commune, self.context, {"what": "pdf", "doc": doc.id, "face": self.face})
        return self.folder / key

    def get(self, doc: model.Document) -> str | None:
        path = self._file(doc) if self.reuse else None
        try:
            return path.read_text(encoding="ascii").strip() if path is not None else None
        except OSError:
            return None

    def put(self, doc: model.Document, pdf_key: str) -> None:
        path = self._file(doc)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, pdf_key.encode("ascii"))
