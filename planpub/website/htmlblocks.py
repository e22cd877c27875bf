"""Hand our pages' HTML blocks to Python-Markdown already set aside, so that it does not parse them.

A generated page is Markdown whose content parts are HTML blocks (:func:`planpub.website.pages.html_block`:
one element, no blank line inside). Python-Markdown finds such a block by running an HTML parser
over the whole page (``HtmlBlockPreprocessor``), and MkDocs runs a second one to collect the ids
in it (``_RawHTMLPreprocessor``); at 100 communes these two were about 40 % of a cold build. The
:class:`HtmlBlocks` extension, run before both, puts each block that is exactly one balanced
element starting a paragraph into Python-Markdown's stash itself, which is what
``HtmlBlockPreprocessor`` would have done with it: the HTML of the page is the same byte for byte
(``tests/test_build_safety.py`` compares whole sites). Anything else (a block that is not one
balanced block-level element, an element Python-Markdown parses specially) is left to Python-Markdown.

MkDocs' anchor validation (``validation.anchors``, level ``info`` in our ``mkdocs.yml``: not
reported) no longer sees the ids inside these blocks; links to anchors are written by our templates.
"""
from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])([^>]*)>")
#: elements whose content Python-Markdown's HTML parser treats specially: left to it
_SPECIAL = ("<!--", "<script", "<style", "<pre", "<textarea", "<?", "<!", "markdown=")


class _SetAside(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i, n = 0, len(lines)
        last = max((k for k, line in enumerate(lines) if line.strip()), default=-1)
        while i < n:
            if not lines[i].strip() or (out and out[-1].strip()):
                out.append(lines[i])
                i += 1
                continue
            j = i
            while j < n and lines[j].strip():
                j += 1
            split = self._elements("\n".join(lines[i:j]))
            if split is None:  # not whole block elements: Python-Markdown's to parse
                out.extend(lines[i:j])
            else:
                elements, rest = split
                for k, element in enumerate(elements):
                    # as HtmlBlockPreprocessor keeps it: the last of a paragraph with its line end,
                    # unless it ends the page
                    tail = "\n" if k == len(elements) - 1 and not rest and j <= last else ""
                    out += [self.md.htmlStash.store(element + tail), ""]
                if rest:  # Markdown lines after the elements (a heading): left as they are
                    out.extend(rest)
                else:
                    out.pop()
            i = j
        return out

    def _elements(self, text: str) -> tuple[list[str], list[str]] | None:
        """The whole block-level elements that ``text`` (a paragraph) begins with, one after the
        other (on a line of its own or on the same line as the one before), and the lines after
        them, which must be Markdown without HTML at their start (a heading). None when it is not so."""
        if any(s in text for s in _SPECIAL):
            return None
        found: list[str] = []
        pos, n = 0, len(text)
        while pos < n:
            start = _START.match(text, pos)
            if start is None:
                rest = text[pos:].split("\n")
                if found and text[pos - 1] == "\n" and not any(line.startswith("<") for line in rest):
                    return found, rest
                return None
            name = start.group(1).lower()
            if not self.md.is_block_level(name):
                return None
            depth, end = 0, None
            for tag in _TAG.finditer(text, pos):
                if tag.group(2).lower() != name or tag.group(3).rstrip().endswith("/"):
                    continue
                depth += -1 if tag.group(1) else 1
                if depth == 0:
                    end = tag.end()
                    break
            if end is None:
                return None
            found.append(text[pos:end])
            pos = end + 1 if text.startswith("\n", end) else end
            if pos < n and text[pos] != "<" and text[pos - 1] != "\n":
                return None  # text after an element on its line
        return found, []


class HtmlBlocks(Extension):
    """The Python-Markdown extension (added by :func:`planpub.website.mkdocs_build.load_config`)."""

    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(_SetAside(md), "planpub_html_blocks", 25)
