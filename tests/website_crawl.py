"""Read a built site as files: every page, every link and anchor in it (for the website tests)."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src",
              "form": "action", "use": "href", "image": "href"}


@dataclass
class Page:
    path: str                                   # relative to the site, e.g. "xa/thien-phu/index.html"
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    lang: str | None = None


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page.lang = attrs.get("lang")
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.page.ids.add(attrs[key])
        attr = LINK_ATTRS.get(tag)
        if attr and attrs.get(attr) is not None:
            self.page.links.append((tag, attrs[attr]))
        if tag == "svg" or tag == "use":
            if attrs.get("xlink:href"):
                self.page.links.append((tag, attrs["xlink:href"]))


def read_page(site: Path, path: str) -> Page:
    page = Page(path)
    _Parser(page).feed((site / path).read_text(encoding="utf-8"))
    return page


def resolve(from_path: str, url: str) -> tuple[str, str]:
    """A relative URL on ``from_path`` → (site path, fragment); raises ValueError if not relative."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        raise ValueError(f"not a relative URL: {url}")
    target = parts.path
    if not target:
        return from_path, unquote(parts.fragment)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), unquote(target)))
    if joined.startswith(".."):
        raise ValueError(f"leaves the site: {url}")
    if target.endswith("/"):
        joined += "/index.html"
    return joined, unquote(parts.fragment)


def all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
