"""Body text in Markdown → safe HTML, the same for the website and the PDFs.

Numbering stays as written: Markdown lists are switched off, so ``- …``, ``+ …``, ``1. …`` and
``a) …`` are paragraphs that keep their markers, as ND30 and the sources print them. Code (backtick
spans, fenced and indented blocks) is switched off too: an official document has none, it would
print in a face ND30 does not allow, and runs of backticks are text like any other. Raw HTML in
content is shown as text, never as markup, and the result is sanitised once more with nh3
(links only to http, https and mailto).
"""
from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "a", "br", "code", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["list", "image", "html_block", "html_inline", "backticks", "fence", "code"])
    md.enable("table")
    return md


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def render_markdown(text: str, shift_headings: int = 0) -> str:
    """HTML for a Markdown text; ``shift_headings`` moves every heading down that many levels."""
    tokens = _parser().parse(text or "")
    if shift_headings:
        for tok in tokens:
            if tok.type in ("heading_open", "heading_close"):
                level = min(6, int(tok.tag[1]) + shift_headings)
                tok.tag = f"h{level}"
    return sanitize(_parser().renderer.render(tokens, _parser().options, {}))


def render_inline(text: str) -> str:
    """HTML for one line of text (emphasis only, no paragraphs)."""
    return sanitize(_parser().renderInline(text or ""))
