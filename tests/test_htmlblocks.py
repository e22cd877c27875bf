"""Our pages' HTML blocks, set aside before Python-Markdown parses them (planpub/website/htmlblocks.py),
give the same HTML as Python-Markdown's own parsing, byte for byte, on every page of the bundled
content and of the demo commune; and a block the extension cannot vouch for is left to Python-Markdown."""
from __future__ import annotations

from datetime import date

import markdown
import pytest

from conftest import AS_OF, CONTENT, DEMO, ROOT
from planpub.content import load_and_check
from planpub.website.catalog import Catalog
from planpub.website.htmlblocks import HtmlBlocks, _SetAside
from planpub.website.mkdocs_build import load_config
from planpub.website.pages import Pages

EXTENSIONS = ["attr_list", "toc"]  # those of mkdocs.yml


def _pages(content, tmp_path):
    site, report = load_and_check(content, ROOT, date.fromisoformat(AS_OF))
    assert not report.errors
    pages = Pages(Catalog(site, date.fromisoformat(AS_OF)), tmp_path, "Kế hoạch của xã", True, True)
    pages.write_all()
    return sorted(tmp_path.rglob("*.md"))


def _body(path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


@pytest.mark.parametrize("content", [CONTENT, DEMO], ids=["bundled", "demo"])
def test_every_page_gives_the_same_html_as_python_markdown_alone(content, tmp_path):
    files = _pages(content, tmp_path)
    assert len(files) > 30
    html_lines = left = 0
    for path in files:
        text = _body(path)
        assert markdown.markdown(text, extensions=[*EXTENSIONS, HtmlBlocks()]) == \
            markdown.markdown(text, extensions=EXTENSIONS), path
        md = markdown.Markdown(extensions=EXTENSIONS)
        html_lines += sum(line.startswith("<") for line in text.split("\n"))
        left += sum(line.startswith("<") for line in _SetAside(md).run(text.split("\n")))
    assert left < html_lines / 5  # most blocks were set aside (without it: every one is parsed)


@pytest.mark.parametrize("text", [
    "<div>a</div><div>b</div>\n\nafter\n",           # two elements on one line
    "<div>open\n\n</div>\n",                        # a blank line inside
    "<div><!-- note --></div>\n",                    # a comment
    "<span>inline</span> *text*\n",                  # not a block-level element
    "para\n<div>x</div>\n",                          # no blank line before
    "<div><div>in</div>\n</div>\n\n<p>end</p>",      # nested, then the last block
    "<pre>\n  code\n</pre>\n",                       # parsed specially
])
def test_any_other_shape_gives_what_python_markdown_gives(text):
    assert markdown.markdown(text, extensions=[*EXTENSIONS, HtmlBlocks()]) == \
        markdown.markdown(text, extensions=EXTENSIONS)


def test_the_website_build_uses_it(tmp_path):
    (tmp_path / "docs").mkdir()
    config = load_config(ROOT / "mkdocs.yml", tmp_path / "docs", tmp_path / "site")
    assert any(isinstance(e, HtmlBlocks) for e in config.markdown_extensions)
