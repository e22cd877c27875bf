"""The commune is the unit of build, and its failures stay in it (issue 15, items 1 and 2).

Each commune folder of ``content/`` is loaded and checked on its own (:func:`planpub.load.load_commune`,
:func:`planpub.check.check_site` with ``links=False``) and kept, per content folder and site folder,
in ``build/communes/<key>/<commune>/``:

- ``loaded.pickle``: the loaded model of its current content and what the checker said about it,
  under the fingerprint of its folder (every file's name and bytes) + the code and tools (salt) +
  the options that change the model or the checker (``--as-of``, where the content is). A commune
  whose fingerprint is unchanged is not read from YAML again nor checked again.
- ``good.pickle``: the same for the content last *published* without errors: its last good state.
- ``pages/``: the Markdown of its pages (plans, decisions, reports, targets, commitments, its own
  page and its agencies' pages) with ``pages.json`` (the key they were made under, what was
  written, which PDFs' sizes they show). An unchanged commune's pages are not generated again:
  they are linked into the docs folder as they are (:meth:`Products.commune_pages`).
- ``calendars/``: the same for its calendar files.
- ``data.json``: its share of the open data files (its entries of ``plans.json``, its rows of the
  CSV files: :func:`planpub.opendata.commune_part`), under its page key.
- ``cards.json``: the HTML of its commitments' cards in the lists across communes (:class:`Cards`),
  under its page key.

A new ``pages/`` (or ``calendars/``) is made in ``.pages-new-<pid>`` beside it, held
(:func:`planpub.processes.hold`) while it is made, then renamed over the old one (moved aside to
``.pages-old-<pid>`` and removed). Those of a build that was killed are removed by the next build
that assembles the communes (:func:`assemble`); those of a build still running are held, and left
alone.

Assembly (:func:`assemble`): a commune without errors is published with its current content; a
commune with errors is published from its last good state (its pages, PDFs, calendars, data rows
and search entries are made from the same model, hence byte-identical for the same ``--as-of``),
or left out when it has none; the build then exits 1 and names them. The checks across communes
(``implements:``, ``issues:``/``attached_to:``, a report's plan) run at assembly on the communes
published together; a commune whose links fail there is treated as a commune with errors.
The pages across communes (home, lists, shared agencies, explorer, search index, open data,
sitemap, feed) are assembled from the models of the published communes.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import fingerprint, load, model
from .check import check_links, check_site
from .diagnostics import ERROR, Report
from .processes import hold, link_file, read_json_object, release, remove_leftovers, replace_file
from .settings import TEMPLATES, Paths

STORE_VERSION = 1


@functools.lru_cache(maxsize=1)
def code_salt() -> str:
    """What decides a commune's model and products besides its own folder and the site's
    ``mkdocs.yml``: our code, the templates and the versions of the tools."""
    h = hashlib.sha256(f"communes {STORE_VERSION}".encode())
    fingerprint.hash_tree(h, fingerprint.CODE, fingerprint.CODE)
    fingerprint.hash_tree(h, TEMPLATES, TEMPLATES)
    h.update(json.dumps(fingerprint.tool_versions(), sort_keys=True).encode())
    return h.hexdigest()


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def folder_key(folder: Path, options: dict) -> str:
    """The fingerprint of one commune's folder (names and bytes of its files), the salt and ``options``."""
    h = hashlib.sha256(code_salt().encode())
    fingerprint.hash_tree(h, folder, folder)
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    return h.hexdigest()


def store_of(build_dir: Path, content_dir: Path, site_dir: Path) -> Path:
    """The kept products of the communes of one content folder published into one site folder."""
    key = hashlib.sha256(f"{content_dir.resolve()}\0{site_dir.resolve()}".encode()).hexdigest()[:16]
    return build_dir / "communes" / key


@dataclass
class State:
    """A commune's model and what the checker said about it, under the key of its folder."""

    key: str
    commune: model.Commune | None
    documents: list[model.Document]
    report: Report

    def failed(self, strict: bool) -> bool:
        return bool(self.report.errors) or (strict and bool(self.report.warnings)) or self.commune is None


@dataclass
class CommuneBuild:
    """One commune folder in this build: its current state, its last good one, what is published."""

    id: str
    folder: Path
    current: State
    reused: bool                      # the current state came from the store, not from YAML
    good: State | None = None         # loaded only when needed (the current state failed)
    published: State | None = None    # the state published in this build (None: left out)

    def name(self) -> str:
        """``xã Minh Họa`` (its kind and name, from the state that has them), else its folder's name."""
        for state in (self.published, self.current, self.good):
            if state is not None and state.commune is not None:
                return f"{state.commune.kind} {state.commune.name}"
        return self.id


def _read_state(path: Path) -> State | None:
    try:
        with path.open("rb") as f:
            state = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return state if isinstance(state, State) else None


def _write_state(path: Path, state: State) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    with tmp.open("wb") as f:
        pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def load_one(folder: Path, content_dir: Path, outside: set[Path], root: Path, as_of: date, key: str) -> State:
    """Load and check one commune's folder alone (the links across communes wait for assembly)."""
    from .progress import load_progress  # noqa: PLC0415 — as load.load_content does

    report = Report(root=root)
    commune, documents = load.load_commune(folder, content_dir, outside, report)
    alone = model.Site(communes=[commune] if commune else [], documents=documents)
    load_progress(alone, content_dir, report)
    if commune is not None:
        check_site(alone, folder, report, as_of, links=False)
    report._seen = set()  # not needed once checked; smaller to keep
    return State(key, commune, documents, report)


@dataclass
class Assembly:
    """What this build publishes, commune by commune, and what it says about it."""

    site: model.Site
    report: Report                    # every problem found, in every commune (printed by the CLI)
    communes: list[CommuneBuild]
    store: Path
    refused: bool = False             # nothing is published (a problem outside any commune)
    products: Products | None = None  # each commune's pages, for the website stage
    loaded: int = 0                   # communes read from YAML in this build (the others: kept models)
    current: model.Site | None = None  # every commune's current content (what `check` counts)

    @property
    def kept(self) -> list[CommuneBuild]:
        return [c for c in self.communes if c.published is not None and c.published is not c.current]

    @property
    def left_out(self) -> list[CommuneBuild]:
        return [c for c in self.communes if c.published is None]

    def counts(self) -> tuple[int, int, int]:
        """Documents, commitments and targets of the current content of every commune."""
        docs = [d for c in self.communes for d in c.current.documents]
        return len(docs), sum(len(d.tasks) for d in docs), sum(len(d.targets) for d in docs)

    def commit(self) -> None:
        """After the new site is published: each commune published with its current content keeps
        that content as its last good state."""
        for c in self.communes:
            if c.published is not None and c.published is c.current:
                good = self.store / c.id / "good.pickle"
                key = good.with_suffix(".key")
                try:
                    unchanged = key.read_text(encoding="ascii") == c.current.key
                except OSError:
                    unchanged = False
                if not unchanged:
                    _write_state(good, c.current)
                    key.write_text(c.current.key, encoding="ascii")
        present = {c.id for c in self.communes}
        if self.store.is_dir():
            for entry in os.scandir(self.store):  # a commune whose folder is gone is gone from the site
                if entry.is_dir() and entry.name not in present:
                    shutil.rmtree(entry.path, ignore_errors=True)

    def outcome(self) -> str:
        """The sentences that end a build that kept or left out communes (exit 1)."""
        lines = []
        if self.kept:
            lines.append("Giữ nguyên bản đã công bố của: " + ", ".join(c.name() for c in self.kept)
                         + " (nội dung mới có lỗi, chưa công bố; sửa lỗi rồi dựng lại).")
        if self.left_out:
            lines.append("Chưa công bố: " + ", ".join(c.name() for c in self.left_out)
                         + " (nội dung có lỗi và chưa có bản nào dựng thành công).")
        return "\n".join(lines)


def assemble(paths: Paths, as_of: date, strict: bool = False, full: bool = False) -> Assembly:
    """Load every commune (from the store when its folder is unchanged), then choose for each what
    is published: its current content, its last good state, or nothing."""
    content_dir, root = paths.content, paths.project
    report = Report(root=root)
    store = store_of(paths.build, content_dir, paths.site)
    _remove_leftovers(store)
    loaded_at = time.time_ns()
    if not content_dir.is_dir():
        report.error(content_dir, 1, "no-content", "Không thấy thư mục nội dung.",
                     "Tạo thư mục content/ với mỗi xã một thư mục con.")
        empty = model.Site(communes=[], documents=[])
        return Assembly(empty, report, [], store, refused=True, current=empty)
    folders, outside = load.commune_folders(content_dir, report)
    options = {"as_of": as_of.isoformat(), "content": str(content_dir), "resolved": str(content_dir.resolve()),
               "root": str(root), "mkdocs": _digest(paths.mkdocs_config)}
    communes: list[CommuneBuild] = []
    loaded = 0
    for folder in folders:
        key = folder_key(folder, options)
        kept = None if full else _read_state(store / folder.name / "loaded.pickle")
        if kept is not None and kept.key == key:
            communes.append(CommuneBuild(folder.name, folder, kept, reused=True))
            continue
        state = load_one(folder, content_dir, outside, root, as_of, key)
        loaded += 1
        _write_state(store / folder.name / "loaded.pickle", state)
        communes.append(CommuneBuild(folder.name, folder, state, reused=False))

    for c in communes:
        report.items.extend(c.current.report.items)
        report._kinds.update(c.current.report._kinds)
    # the links across communes of the content as it is now: reported as `check` reports them
    now = model.Site(communes=[c.current.commune for c in communes if c.current.commune],
                     documents=[d for c in communes for d in c.current.documents])
    check_links(now, report)
    refused = _site_level_failed(report, communes, strict)

    # choose what each commune publishes: current → last good → nothing; then the links across the
    # communes published together, until they hold
    for c in communes:
        c.published = c.current if not c.current.failed(strict) else _good(c, store)
    for _ in range(len(communes) + 1):
        site = _site_of(communes)
        broken = _link_failures(site, communes, root)
        if not broken:
            break
        for c in broken:
            c.published = _good(c, store) if c.published is c.current else None
    site = _site_of(communes)
    site.loaded_at = loaded_at
    if not site.communes and any(c.published is not c.current for c in communes):
        refused = True  # nothing good to publish: site/ is left as it is
    assembly = Assembly(site, report, communes, store, refused=refused, loaded=loaded, current=now)
    assembly.products = Products(assembly)
    return assembly


def _remove_leftovers(store: Path) -> None:
    """The new and old folders (``.pages-new-<pid>``, ``.calendars-old-<pid>`` …) that a killed
    build left in the communes' folders of the store; a running build holds its own."""
    try:
        communes = [Path(e.path) for e in os.scandir(store) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for folder in communes:
        remove_leftovers(folder, ".")  # a commune's folder holds no other folder named ".…"


def _good(c: CommuneBuild, store: Path) -> State | None:
    if c.good is None:
        c.good = _read_state(store / c.id / "good.pickle")
    return c.good


def _site_of(communes: list[CommuneBuild]) -> model.Site:
    published = [c.published for c in communes if c.published is not None and c.published.commune is not None]
    return model.Site(communes=[s.commune for s in published], documents=[d for s in published for d in s.documents])


def _link_failures(site: model.Site, communes: list[CommuneBuild], root: Path) -> list[CommuneBuild]:
    """The published communes whose documents' links (checked across communes) fail."""
    links = Report(root=root)
    check_links(site, links)
    if not links.errors:
        return []
    owner = {links._rel(d.source_file): d.commune for d in site.documents if d.source_file}
    bad = {owner.get(d.file) for d in links.errors}
    return [c for c in communes if c.published is not None and c.published.commune is not None
            and c.published.commune.id in bad]


def _site_level_failed(report: Report, communes: list[CommuneBuild], strict: bool) -> bool:
    """A problem outside every commune's folder (a stray file, a link out of content/, a folder
    name): nothing is published, as before communes were built one by one."""
    own = {id(d) for c in communes for d in c.current.report.items}
    return any(id(d) not in own and (d.severity == ERROR or strict) and not _is_link_check(d)
               for d in report.items)


_LINK_KEYS = ("broken-link", "implements-same-issuer", "replace-cycle")


def _is_link_check(d) -> bool:
    return d.key in _LINK_KEYS


def context_digest(site: model.Site) -> str:
    """What a commune's pages show of the other communes (their names and kinds, whether they are
    example data, agency names shared across communes, the documents one implements or that implement
    it): a commune's kept pages are used again only when this is unchanged."""
    communes = [(c.id, c.kind, c.name, c.example, [(a.id, a.name) for a in c.agencies]) for c in site.communes]
    docs = [(d.id, d.commune, d.type, d.type_name, d.symbol, d.number, d.number_text, d.subject, d.implements,
             d.attached_to, d.issues, repr(d.date), list(d.not_in_source), d.signed is not None)
            for d in site.documents]
    return hashlib.sha256(json.dumps([communes, docs], default=str, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Products:
    """Each commune's generated pages, kept in the store and used again while its key holds."""

    assembly: Assembly
    generated: list[str] = field(default_factory=list)  # communes whose pages were generated
    reused: list[str] = field(default_factory=list)     # communes whose kept pages were used
    data_made: list[str] = field(default_factory=list)    # communes whose open data part was made
    data_reused: list[str] = field(default_factory=list)  # communes whose kept open data part was used

    def page_key(self, commune_id: str, context: str, settings: dict) -> str:
        c = next(c for c in self.assembly.communes if c.id == commune_id)
        state = c.published
        return hashlib.sha256(json.dumps([state.key if state else "", context, settings],
                                         sort_keys=True, default=str).encode()).hexdigest()

    def commune_pages(self, pages, commune: model.Commune, context: str, settings: dict, full: bool) -> None:
        """Put ``commune``'s pages into ``pages.docs_dir``: the kept ones when their key holds,
        else generated (by :meth:`planpub.website.pages.Pages.write_commune`) and kept."""
        key = self.page_key(commune.id, context, settings)
        folder = self.assembly.store / commune.id / "pages"
        record = None if full else read_json_object(folder / "pages.json")
        if record is None or record.get("key") != key:
            record = self._generate(pages, commune, key, folder)
            self.generated.append(commune.id)
        else:
            self.reused.append(commune.id)
        docs = folder / "docs"
        for rel in record["files"]:
            target = pages.docs_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(docs / rel, target)  # never written in place afterwards: moved or deleted only
            except OSError:
                shutil.copyfile(docs / rel, target)
        pages.written.extend(tuple(w) for w in record["written"])
        for page, pdfs in record["pdf_sizes"].items():
            pages.pdf_sizes.setdefault(page, set()).update(pdfs)

    def _generate(self, pages, commune: model.Commune, key: str, folder: Path) -> dict:
        new = _new_folder(folder)
        try:
            docs_dir, written_from = pages.docs_dir, len(pages.written)
            pages.docs_dir = new / "docs"
            try:
                pages.write_commune(commune)
            finally:
                pages.docs_dir = docs_dir
            written = pages.written[written_from:]
            del pages.written[written_from:]  # added back, with the kept ones, by commune_pages
            mine = {w[0] for w in written}
            sizes = {p: sorted(pages.pdf_sizes.pop(p)) for p in list(pages.pdf_sizes) if p in mine}
            files = sorted(p.relative_to(new / "docs").as_posix() for p in (new / "docs").rglob("*") if p.is_file())
            record = {"key": key, "files": files, "written": [list(w) for w in written], "pdf_sizes": sizes}
            (new / "pages.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            _replace_folder(new, folder)
        finally:
            release(new)
        return record

    def data_parts(self, site: model.Site, as_of: date, make, full: bool) -> dict[str, dict]:
        """Each published commune's share of the open data (:func:`planpub.opendata.commune_part`,
        given as ``make``): the one kept in ``<commune>/data.json`` while its page key holds, else
        made now and kept."""
        context = context_digest(site)
        settings = {"as_of": as_of.isoformat(), "what": "data"}
        parts: dict[str, dict] = {}
        of: dict[str, list[model.Document]] = {}
        for d in site.documents:
            of.setdefault(d.commune, []).append(d)
        for commune in site.communes:
            key = self.page_key(commune.id, context, settings)
            path = self.assembly.store / commune.id / "data.json"
            record = None if full else read_json_object(path)
            if record is not None and record.get("key") == key and isinstance(record.get("part"), dict):
                parts[commune.id] = record["part"]
                self.data_reused.append(commune.id)
                continue
            part = make(commune, of.get(commune.id, []), as_of)
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, json.dumps({"key": key, "part": part}, ensure_ascii=False).encode("utf-8"))
            parts[commune.id] = part  # text only: the same when read back from data.json
            self.data_made.append(commune.id)
        return parts

    def cards(self, context: str, settings: dict, full: bool) -> Cards:
        """The commitments' cards of the lists across communes, kept per commune (:class:`Cards`)."""
        return Cards(self, context, settings, full)

    def commune_files(self, kind: str, commune_id: str, context: str, settings: dict, made: list, out_dir: Path,
                      full: bool) -> None:
        """Write a commune's files of one ``kind`` (its calendars: ``(site path, make)`` pairs) into
        ``out_dir``: the kept ones while their key holds, else made now and kept."""
        key = self.page_key(commune_id, context, settings)
        folder = self.assembly.store / commune_id / kind
        record = None if full else read_json_object(folder / f"{kind}.json")
        if record is None or record.get("key") != key:
            new = _new_folder(folder)
            try:
                for path, make in made:
                    target = new / "files" / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(make())
                record = {"key": key, "files": sorted(path for path, _ in made)}
                (new / f"{kind}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
                _replace_folder(new, folder)
            finally:
                release(new)
        for rel in record["files"]:
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            link_file(folder / "files" / rel, target)  # the store never rewrites a file: it replaces folders


class Cards:
    """Each commune's commitment cards (:meth:`planpub.website.pages.Pages.card`: the HTML of each
    variant a list shows, the address of the commitment's page left as a mark), kept in
    ``<commune>/cards.json`` under the commune's page key and used again while it holds: the lists
    across communes render only the cards of the communes that changed."""

    def __init__(self, products: Products, context: str, settings: dict, full: bool) -> None:
        self.products, self.context, self.settings, self.full = products, context, settings, full
        self._cards: dict[str, dict[str, str]] = {}
        self._keys: dict[str, str] = {}
        self.kept: set[str] = set()      # communes whose kept cards held (their key unchanged)
        self.reused: set[str] = set()    # communes some of whose cards were used again
        self.rendered: set[str] = set()  # communes some of whose cards were rendered (and are kept)

    def _of(self, commune_id: str) -> dict[str, str]:
        cards = self._cards.get(commune_id)
        if cards is None:
            key = self._keys[commune_id] = self.products.page_key(commune_id, self.context, self.settings)
            record = None if self.full else read_json_object(self._file(commune_id))
            kept = record.get("cards") if record is not None and record.get("key") == key else None
            cards = self._cards[commune_id] = dict(kept) if isinstance(kept, dict) else {}
            if cards:
                self.kept.add(commune_id)
        return cards

    def _file(self, commune_id: str) -> Path:
        return self.products.assembly.store / commune_id / "cards.json"

    def get(self, commune_id: str, name: str) -> str | None:
        html = self._of(commune_id).get(name)
        if html is not None:
            self.reused.add(commune_id)
        return html

    def put(self, commune_id: str, name: str, html: str) -> None:
        self._of(commune_id)[name] = html
        self.rendered.add(commune_id)

    def save(self) -> None:
        """Keep the cards of the communes that had new ones (a new file, renamed over the old one)."""
        for commune_id in sorted(self.rendered):
            path = self._file(commune_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, json.dumps({"key": self._keys[commune_id], "cards": self._cards[commune_id]},
                                          ensure_ascii=False).encode("utf-8"))


def _new_folder(folder: Path) -> Path:
    """An empty ``.<name>-new-<pid>`` beside ``folder``, held by this build until it is released
    (a killed build's is removed by the next one: :func:`_remove_leftovers`)."""
    new = folder.with_name(f".{folder.name}-new-{os.getpid()}")
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir(parents=True)
    hold(new)
    return new


def _replace_folder(new: Path, folder: Path) -> None:
    old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
    if folder.exists():
        os.rename(folder, old)
    os.rename(new, folder)
    shutil.rmtree(old, ignore_errors=True)
