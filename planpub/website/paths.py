"""Where every page of the website lives, and the relative link from one page to another.

Pages are written as ``…/index.md`` into the docs folder; MkDocs (``use_directory_urls: false``)
turns them into ``…/index.html``. Every link is relative to the page it is on, so the site works
copied under any sub-path and from ``file://``.
"""
from __future__ import annotations

import posixpath
import re

HOME = "index.md"
DOCUMENTS = "van-ban/index.md"
AGENCIES = "co-quan/index.md"
EXPLORER = "nhiem-vu/index.md"
FOLLOW = "theo-doi/index.md"
SITEMAP = "so-do-trang/index.md"
FEED = "van-ban.atom"
DATA_FILES = ("data/plans.json", "data/tasks.csv", "data/targets.csv", "data/schema.json")

from ..folders import RESERVED_IN_COMMUNE  # noqa: E402,F401 — names used inside a commune's folder


#: The site's folder of each kind of issuer (local government since 1/7/2025: the commune level
#: and the province level): ``xa/thien-phu/``, ``phuong/…``, ``dac-khu/…``, ``tinh/…``, ``thanh-pho/…``.
SECTIONS = {"xã": "xa", "phường": "phuong", "đặc khu": "dac-khu", "tỉnh": "tinh", "thành phố": "thanh-pho"}
_kinds: dict[str, str] = {}   # commune id → kind, for the build at hand (use_communes)


def use_communes(communes) -> None:
    """Tell this module the kind of every issuer of the site, once per build, before any path is asked."""
    _kinds.clear()
    _kinds.update({c.id: c.kind for c in communes})


def section(commune_id: str) -> str:
    """``xa``, ``phuong``, ``tinh`` …: the folder of an issuer's pages (its kind's)."""
    return SECTIONS.get(_kinds.get(commune_id, "xã"), "xa")


def _under(doc_or_commune_id: str) -> str:
    return f"{section(doc_or_commune_id.split('/', 1)[0])}/{doc_or_commune_id}"


def commune_page(commune_id: str) -> str:
    return f"{_under(commune_id)}/index.md"


def document_page(doc_id: str) -> str:
    return f"{_under(doc_id)}/index.md"


def targets_page(doc_id: str) -> str:
    return f"{_under(doc_id)}/chi-tieu/index.md"


def task_page(uid: str) -> str:
    plan_id, task_id = uid.rsplit("/", 1)
    return f"{_under(plan_id)}/nhiem-vu/{task_id}/index.md"


def agency_page(commune_id: str, agency_id: str) -> str:
    return f"{_under(commune_id)}/co-quan/{agency_id}/index.md"


def plan_calendar(doc_id: str) -> str:
    """``xa/thien-phu/kh-cchc-2026-2030/lich-thien-phu-kh-cchc-2026-2030.ics``: a downloaded file
    says whose calendar it is."""
    return f"{_under(doc_id)}/lich-{doc_id.replace('/', '-')}.ics"


def agency_calendar(commune_id: str, agency_id: str) -> str:
    return f"{_under(commune_id)}/co-quan/{agency_id}/lich-{commune_id}-{agency_id}.ics"


def in_document(doc_id: str, name: str) -> str:
    """A file published in a document's folder of the site (evidence of progress, …)."""
    return f"{_under(doc_id)}/{name}"


def absolute(site_url: str, path: str) -> str:
    """The public address of a site file (``site_url`` from ``mkdocs.yml``, ending in / or not)."""
    return site_url.rstrip("/") + "/" + output(path)


def subscribe(site_url: str, path: str) -> str:
    """The ``webcal://`` address of a calendar: calendar apps subscribe to it and fetch it again."""
    return re.sub(r"^https?://", "webcal://", absolute(site_url, path))


def shared_agency_page(slug: str) -> str:
    """One agency name across communes (``co-quan/van-phong-hdnd-va-ubnd/``)."""
    return f"co-quan/{slug}/index.md"


def facet_page(facet: str, value: str) -> str:
    return f"nhiem-vu/{facet}/{value}/index.md"


def output(path: str) -> str:
    """The file a docs path becomes in the built site (``a/index.md`` → ``a/index.html``)."""
    return path[:-3] + ".html" if path.endswith(".md") else path


def href(from_page: str, to: str, anchor: str | None = None) -> str:
    """Relative URL from the page ``from_page`` to ``to`` (both docs paths, or site files)."""
    url = _relative(posixpath.dirname(output(from_page)) or ".", output(to))
    return f"{url}#{anchor}" if anchor else url


def _relative(source_dir: str, target: str) -> str:
    """``posixpath.relpath`` for two paths relative to the site's root (it asks the operating system
    for the current folder on every call, a tenth of the pages' cost)."""
    src = [] if source_dir == "." else source_dir.split("/")
    dst = target.split("/")
    common = 0
    while common < len(src) and common < len(dst) - 1 and src[common] == dst[common]:
        common += 1
    return "/".join([".."] * (len(src) - common) + dst[common:]) or "."
