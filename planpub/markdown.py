"""Body text in Markdown → safe HTML, the same for the website and the PDFs.

Numbering stays as written: Markdown lists are switched off, so ``- …``, ``+ …``, ``1. …`` and
``a) …`` are paragraphs that keep their markers, as ND30 and the sources print them. Code (backtick
spans, fenced and indented blocks) is switched off too: an official document has none, it would
print in a face ND30 does not allow, and runs of backticks are text like any other. Raw HTML in
content is shown as text, never as markup, and the result is sanitised once more with nh3
(links only to http, https and mailto).

Footnotes (``text[^1]`` … ``[^1]: the note``) come from mdit-py-plugins: on the website a numbered
list of notes after the text, each linked both ways; in the PDF (``footnotes="pdf"``) each note
sits where it is called, as a ``<span class="footnote">`` that the stylesheet floats to the foot of
its page (WeasyPrint's ``float: footnote``), numbered 1, 2, 3 … like a Word document's.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "a", "br", "code", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "section", "ol", "li", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "id", "class"}, "th": {"colspan", "rowspan"},
                      "td": {"colspan", "rowspan"}, "sup": {"class"}, "section": {"class"}, "ol": {"class"},
                      "li": {"id", "class"}, "hr": {"class"}, "span": {"class"}}
URL_SCHEMES = {"http", "https", "mailto"}
#: the only classes and ids that survive sanitising: those of the footnote plugin (never the content's)
_CLASSES = {"footnote-ref", "footnotes-sep", "footnotes", "footnotes-list", "footnote-item", "footnote-backref",
            "footnote"}
_FOOTNOTE_ID = re.compile(r"fn(ref)?\d+(:\d+)?")


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        return value if value in _CLASSES else None
    if name == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    return value


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["list", "image", "html_block", "html_inline", "backticks", "fence", "code"])
    md.enable("table")
    md.use(footnote_plugin)
    return md


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", attribute_filter=_attribute_filter)


_NOTES = re.compile(r'<hr class="footnotes-sep" />\s*<section class="footnotes">.*?</section>\s*', re.S)
_NOTE = re.compile(r'<li id="fn(\d+)" class="footnote-item">(.*?)</li>', re.S)
_CALL = re.compile(r'<sup class="footnote-ref"><a href="#fn(\d+)" id="fnref\d+(?::\d+)?">\[[\d:]+\]</a></sup>')
_BACKREF = re.compile(r'\s*<a href="#fnref\d+(?::\d+)?" class="footnote-backref">.*?</a>')


def _notes_in_place(html: str) -> str:
    """The PDF's footnotes: each note's text at its call, in a span the stylesheet floats to the foot
    of the page; the list after the text goes."""
    block = _NOTES.search(html)
    if block is None:
        return html
    notes = {}
    for number, item in _NOTE.findall(block.group(0)):
        text = _BACKREF.sub("", item).strip()
        notes[number] = re.sub(r"</p>\s*<p>", " ", text.removeprefix("<p>").removesuffix("</p>")).strip()
    html = html[:block.start()] + html[block.end():]
    return _CALL.sub(lambda m: f'<span class="footnote">{notes.get(m[1], "")}</span>', html)


def render_markdown(text: str, shift_headings: int = 0, footnotes: Literal["notes", "pdf"] = "notes") -> str:
    """HTML for a Markdown text; ``shift_headings`` moves every heading down that many levels;
    ``footnotes``: a list of notes after the text (the website) or each note at its call (the PDF)."""
    env: dict = {}
    tokens = _parser().parse(text or "", env)
    if shift_headings:
        for tok in tokens:
            if tok.type in ("heading_open", "heading_close"):
                level = min(6, int(tok.tag[1]) + shift_headings)
                tok.tag = f"h{level}"
    html = _parser().renderer.render(tokens, _parser().options, env)
    if footnotes == "pdf":
        html = _notes_in_place(html)
    return sanitize(html)


def parse_blocks(text: str) -> list[tuple[str, int, str]]:
    """The top-level blocks of a Markdown text, for readers of a structure (planpub/regulation.py):
    ``(kind, line, text)`` with kind ``heading2``…``heading6``, ``paragraph`` (its lines joined by
    ``\\n``) or the token type of anything else; line is 1-based in ``text``."""
    blocks = []
    tokens = _parser().parse(text or "", {})
    for i, tok in enumerate(tokens):
        if tok.level != 0 or not tok.type.endswith("_open") and tok.type not in ("hr",):
            continue
        line = (tok.map[0] + 1) if tok.map else 1
        inline = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].type == "inline" else None
        if tok.type == "heading_open":
            blocks.append((f"heading{tok.tag[1]}", line, inline.content.strip() if inline else ""))
        elif tok.type == "paragraph_open":
            blocks.append(("paragraph", line, inline.content if inline else ""))
        else:
            blocks.append((tok.type.removesuffix("_open"), line, (inline.content if inline else tok.markup)[:80]))
    return blocks


def render_inline(text: str) -> str:
    """HTML for one line of text (emphasis only, no paragraphs)."""
    return sanitize(_parser().renderInline(text or ""))
