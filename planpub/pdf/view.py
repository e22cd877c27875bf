"""What the ND30 templates print, worked out from the typed objects (the logic; no layout here).

Every string the paper shows and the model does not hold verbatim is composed here, by the rules of
Nghị định 30/2020/NĐ-CP: the number line (``Số: 09/KH-UBND``), the place and date line, the blanks a
draft keeps, the ``(Kèm theo …)`` lines, and the appendices (each shape's rows and spans: ``planpub/appendices/``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from markupsafe import Markup, escape

from .. import appendices, model, numbering
from ..appendices._table import LONG_BLOCK_ROWS, Cell, HeaderCell, Row  # noqa: F401 — what the templates print
from ..markdown import render_markdown
from ..regulation import Part, Regulation
from .typography import keep_together

#: A draft keeps blanks where the clerk writes the number and the day: `Số:      /KH-UBND`,
#: `ngày      tháng 01 năm 2026` (six spaces in place of " 09" and " 24 ").
BLANK_WIDTH = 6
BLANK = Markup('<span class="blank">' + " " * BLANK_WIDTH + "</span>")
#: The place, when the content has none yet, is a dotted gap to fill in (a blank at the start of
#: the line would not show where the line begins).
PLACE_BLANK = "…………"
#: What the body ends with (ND30: the end of the content).
END_MARK = "./."


# --- numbers and dates (ND30 Phụ lục I) ------------------------------------------------------

def _word(value: Optional[str]) -> Markup:
    """A value between two words (`` 24 ``), or the draft's blank in its place."""
    return Markup(escape(f" {value} ")) if value else BLANK


def number_symbol(doc: model.Document) -> Markup:
    """What follows ``Số``: `` 364/QĐ-UBND`` (:mod:`planpub.numbering` writes it); ``      /KH-UBND``
    for a draft (the blank replaces the space and the number); a Party committee's `` 05-KH/ĐU``."""
    if doc.number_text:
        return Markup(escape(" " + doc.number_text))
    return Markup(BLANK + escape(numbering.blank_form(doc.symbol)))


def number_line(doc: model.Document) -> Markup:
    """The header's number: ``Số: 364/QĐ-UBND``, ``Số:      /KH-UBND``; a Party plan ``Số 05-KH/ĐU``."""
    return Markup(escape(numbering.label(doc.symbol)) + number_symbol(doc))


def date_words(d: Optional[model.DocDate]) -> Markup:
    """``ngày 24 tháng 4 năm 2026``: days below 10 and months 1–2 padded; a draft keeps blanks
    (``ngày      tháng 01 năm 2026``)."""
    if d is None:
        return Markup(escape("ngày") + BLANK + escape("tháng") + BLANK + escape("năm") + BLANK)
    day = f"{d.day:02d}" if d.day else None
    month = (f"{d.month:02d}" if d.month <= 2 else str(d.month)) if d.month else None
    return Markup(escape("ngày") + _word(day) + escape("tháng") + _word(month) + escape(f"năm {d.year}"))


def place_date_line(doc: model.Document) -> Markup:
    """``Xã Tuệ Tĩnh, ngày 24 tháng 4 năm 2026``; a missing place is left blank to fill in. The
    place and the date are each kept whole (a long place name, such as "Thành phố Hồ Chí Minh",
    puts the date on a second line, both centred in the right column, as ND30 documents do)."""
    place = escape(doc.place) if doc.place else PLACE_BLANK
    return Markup(f'<span class="place">{place}{escape(",")}</span> '
                  f'<span class="date">{date_words(doc.date)}</span>')


def created_date(doc: model.Document) -> Optional[str]:
    """The PDF's creation date: the document's date; a draft's is the first day of its month."""
    if doc.date is None:
        return None
    return date(doc.date.year, doc.date.month or 1, doc.date.day or 1).isoformat()


# --- the blocks of a document ---------------------------------------------------------------

@dataclass
class Header:
    parent_issuer: Optional[str]
    issuer_lines: list[str]
    number: Optional[Markup]        # None: an attached plan has no number of its own
    place_date: Optional[Markup]    # None: nor a place and date


@dataclass
class Signature:
    authority: Optional[str]
    title: str
    name: str


@dataclass
class AppendixView:
    id: str
    heading: Optional[str]          # a heading over all appendices (seed 002), on the first one
    label: str
    title: Optional[str]
    reference: Markup               # (Kèm theo Kế hoạch số … ngày … của …)
    shape: str
    template: str                   # the shape's template under templates/pdf/ (appendix/<shape>.html.j2)
    columns: list[tuple[str, str]]  # (key, header text)
    blocks: list[list[Row]]         # rows kept on one page when they fit (a <tbody> each)
    widths: dict[str, str]          # column key -> CSS width
    header_rows: list[list[HeaderCell]]  # the header, repeated on every page
    long_block_rows: int = LONG_BLOCK_ROWS  # a longer block may break between its rows


@dataclass
class DocumentView:
    doc: model.Document
    family: str                     # "state" (ND30) or "party" (HD 36-HD/VPTW): its templates and stylesheet
    kind: str                       # "plan" or "decision"
    attached: bool                  # a plan printed inside its decision's PDF
    header: Header
    type_name: str
    subject: str
    attached_line: Optional[Markup]
    authority: Optional[str]
    legal_bases: list[str]
    preamble: Optional[str]
    body: Markup
    signature: Optional[Signature]
    recipients: list[str]
    archive: Optional[str]
    archive_label: str              # "Lưu:" (ND30), "Lưu" (HD 36)
    source_note: Optional[str]      # a published copy: what its source does not show, said once
    appendices: list[AppendixView]
    regulation: Optional[Regulation] = None  # a Quy định / Quy chế: _regulation.html.j2
    regulation_end: Optional[Part] = None    # its last part, whose last paragraph ends with END_MARK
    end_mark: str = END_MARK


#: attached documents printed with the signature block of the decision that issues them (a plan
#: issued by a decision, as seed 003's, has none in its source)
SIGNED_WITH_DECISION = ("QYĐ", "QC", "CTr")


def not_in_source_note(doc: model.Document) -> Optional[str]:
    """``(Bản công bố lại văn bản đã ban hành; nguồn không ghi: họ tên người ký.)``: the blanks of a
    published copy are the source's, not a draft's."""
    if not doc.not_in_source:
        return None
    missing = ", ".join(model.NOT_IN_SOURCE_WORDS[k] for k in doc.not_in_source)
    return f"(Bản công bố lại văn bản đã ban hành; nguồn không ghi: {missing}.)"


def body_html(markdown: str) -> Markup:
    """The body as HTML (the shared Markdown renderer) ending with ``./.``."""
    html = keep_together(render_markdown(markdown, footnotes="pdf"))
    end = html.rfind("</p>")
    if end == -1:
        return Markup(html + f"<p>{END_MARK}</p>")
    return Markup(html[:end] + END_MARK + html[end:])


def _issued_by(decision: model.Document, commune: Optional[model.Commune]) -> str:
    """Who issued a decision, as an attached plan names it: ``Chủ tịch Ủy ban nhân dân xã``.

    From the decision's authority line (``CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TUỆ TĨNH``): the office in
    sentence case before the issuer's name as written in ``issuer.name``; inside its own commune's
    documents the commune's name is left out, as the seeds write it."""
    issuer = decision.issuer.name
    if commune is not None and issuer.endswith(" " + commune.name):
        issuer = issuer[: -len(commune.name) - 1]
    authority = (decision.authority or "").strip()
    if authority.upper().endswith(decision.issuer.name.upper()):
        office = authority[: len(authority) - len(decision.issuer.name)].strip()
        if office:
            return f"{office.capitalize()} {issuer}"
    return issuer


def attached_line(plan: model.Document, decision: model.Document, commune: Optional[model.Commune]) -> Markup:
    """``(Kèm theo Quyết định số 364/QĐ-UBND ngày 24 tháng 4 năm 2026 của Chủ tịch Ủy ban nhân dân xã)``."""
    return Markup(escape(f"(Kèm theo {decision.type_name} số") + number_symbol(decision)
                  + escape(" ") + date_words(decision.date)
                  + escape(f" của {_issued_by(decision, commune)})"))


def appendix_reference(doc: model.Document, decision: Optional[model.Document]) -> Markup:
    """``(Kèm theo Kế hoạch số 09/KH-UBND ngày 10 tháng 01 năm 2026 của UBND xã Thường Xuân)``."""
    if decision is not None:  # a plan with no number of its own: name it by its decision
        return Markup(escape(f"(Kèm theo {doc.type_name} ban hành kèm theo {decision.type_name} số")
                      + number_symbol(decision) + escape(" ")
                      + date_words(decision.date) + escape(f" của {decision.issuer.short})"))
    return Markup(escape(f"(Kèm theo {doc.type_name} số") + number_symbol(doc)
                  + escape(" ") + date_words(doc.date) + escape(f" của {doc.issuer.short})"))


def appendix_views(doc: model.Document, decision: Optional[model.Document]) -> list[AppendixView]:
    """The appendices printed: those with content (one only referred to has nothing to print)."""
    views = []
    for appendix in doc.appendices:
        if appendix.content is None:
            continue
        shape = appendices.of(appendix.content)
        table = shape.view(appendix.content)
        views.append(AppendixView(
            id=appendix.id, heading=doc.appendix_heading if not views else None, label=appendix.label,
            title=appendix.title, reference=appendix_reference(doc, decision), shape=shape.name,
            template=shape.pdf_template, columns=table.columns, blocks=table.blocks, widths=table.widths,
            header_rows=table.header_rows))
    return views


def document_view(doc: model.Document, site: model.Site, decision: Optional[model.Document] = None) -> DocumentView:
    """Everything one document prints; ``decision`` is given for a plan attached to it."""
    attached = decision is not None
    commune = next((c for c in site.communes if c.id == doc.commune), None)
    header = Header(parent_issuer=doc.parent_issuer, issuer_lines=list(doc.issuer.header),
                    number=None if attached else number_line(doc),
                    place_date=None if attached else place_date_line(doc))
    signature = None
    if doc.signature is not None and not attached:
        signature = Signature(doc.signature.authority, doc.signature.title, doc.signature.name)
    elif attached and doc.type in SIGNED_WITH_DECISION and decision.signature is not None:
        # ND30 Phụ lục III (a regulation, rules or programme issued by a decision): it ends with the
        # signature block of the decision's signer, and has no Nơi nhận of its own
        signature = Signature(decision.signature.authority, decision.signature.title, decision.signature.name)
    return DocumentView(
        doc=doc, family=doc.family, kind=model.DOCUMENT_CODES[doc.type], attached=attached, header=header,
        type_name=doc.type_name.upper(), subject=doc.subject,
        attached_line=attached_line(doc, decision, commune) if attached else None,
        authority=doc.authority, legal_bases=[b.text for b in doc.legal_bases], preamble=doc.preamble,
        body=body_html(doc.body) if doc.regulation is None else Markup(""),
        regulation=doc.regulation, regulation_end=doc.regulation.last_part() if doc.regulation else None,
        signature=signature,
        recipients=[] if attached else [r.text for r in doc.recipients],
        archive=None if attached else doc.archive,
        archive_label="Lưu" if doc.family == "party" else "Lưu:",
        source_note=None if attached else not_in_source_note(doc),
        appendices=appendix_views(doc, decision))


# --- the file ---------------------------------------------------------------------------------

@dataclass
class Metadata:
    title: str
    author: str
    subject: str
    keywords: list[str]
    created: Optional[str]
    lang: str = "vi"


def metadata(doc: model.Document, attached: Optional[model.Document]) -> Metadata:
    """Title, author (the issuer), subject, keywords and creation date of a document's PDF."""
    if doc.number:
        ident = f"{doc.type_name} số {doc.number_text}"
    else:
        ident = f"{doc.type_name} (dự thảo)"
    keywords = [doc.type_name, ident if doc.number else "dự thảo", doc.issuer.short]
    if doc.period:
        keywords.append(f"giai đoạn {doc.period.start} - {doc.period.end}" if doc.period.end != doc.period.start
                        else f"năm {doc.period.start}")
    if attached is not None:
        keywords.append(f"kèm theo: {attached.type_name} {attached.subject}")
    return Metadata(title=f"{ident}: {doc.subject}", author=doc.issuer.name, subject=doc.subject,
                    keywords=keywords, created=created_date(doc))
