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
            line = lines[i]
            start = _START.match(line)
            if start is None or (out and out[-1].strip()) or not self.md.is_block_level(start.group(1)):
                out.append(line)
                i += 1
                continue
            j = i
            while j < n and lines[j].strip():
                j += 1
            block = "\n".join(lines[i:j])
            if not _balanced(block, start.group(1)):
                out.extend(lines[i:j])
                i = j
                continue
            # as HtmlBlockPreprocessor keeps it: with the line end after it, unless it ends the page
            out.append(self.md.htmlStash.store(block + "\n" if j <= last else block))
            i = j
        return out


def _balanced(block: str, name: str) -> bool:
    """``block`` is one ``name`` element: its end tag closes the start tag at the very end."""
    if any(s in block for s in _SPECIAL) or not block.rstrip().endswith(f"</{name}>"):
        return False
    depth = 0
    for tag in _TAG.finditer(block):
        if tag.group(2).lower() != name.lower() or tag.group(3).rstrip().endswith("/"):
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end() == len(block.rstrip())
    return False


class HtmlBlocks(Extension):
    """The Python-Markdown extension (added by :func:`planpub.website.mkdocs_build.load_config`)."""

    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(_SetAside(md), "planpub_html_blocks", 25)
