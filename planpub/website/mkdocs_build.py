"""Run MkDocs (Material) on the generated docs folder, then link the result into the site without
touching what other stages wrote there (MkDocs empties its ``site_dir`` before a clean build).

MkDocs' output folder (``build/site``) is kept between builds and its files are hard links of the
published site's: MkDocs must never write one of them in place (``open(path, "wb")`` truncates the
file every link shares, which would change the published site under its readers). While MkDocs
runs, its two writers (``mkdocs.utils.write_file`` and ``copy_file``) replace a file instead of
rewriting it, and the files that its plugins rewrite with ``open`` themselves (the sitemap's gzip,
the offline plugin's ``search_index.js``) are removed before it starts.
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

from ..processes import link_tree
from ..settings import THEME_OVERRIDES
from .htmlblocks import HtmlBlocks

#: files under ``site_dir`` that MkDocs or a plugin writes with ``open`` itself, on every build
REWRITTEN_IN_PLACE = ("sitemap.xml.gz", "search/search_index.js")


class MkDocsWarnings(logging.Handler):
    """Collects what MkDocs warns about, so that the build can report it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_config(config_file: Path, docs_dir: Path, site_dir: Path):
    """MkDocs' configuration from ``config_file`` (the project's ``mkdocs.yml`` or the package's),
    for these folders, with :class:`.htmlblocks.HtmlBlocks` added to its Markdown extensions. A project whose ``mkdocs.yml`` names theme overrides it does not have (a
    project without ``templates/``) gets the package's."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material 9.8's end-of-life banner
    from mkdocs.config import load_config as mkdocs_load_config

    overrides = {}
    theme, custom_dir = _theme(config_file)
    if custom_dir is not None and custom_dir == THEME_OVERRIDES:
        overrides["theme"] = {**theme, "custom_dir": str(THEME_OVERRIDES)}
    config = mkdocs_load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), **overrides)
    config.markdown_extensions.append(HtmlBlocks())  # our HTML blocks, set aside unparsed (same HTML)
    return config


def _theme(config_file: Path) -> tuple[dict, Path | None]:
    """The ``theme`` of ``config_file`` and the theme overrides folder it means (the package's
    when the one it names does not exist)."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as f:
        theme = (yaml_load(f) or {}).get("theme")
    if not isinstance(theme, dict) or not theme.get("custom_dir"):
        return {}, None
    named = config_file.parent / theme["custom_dir"]
    return theme, named if named.is_dir() else THEME_OVERRIDES


def theme_overrides(config_file: Path) -> Path | None:
    """The theme overrides folder a build with ``config_file`` uses."""
    return _theme(config_file)[1]


def build(config, dirty: bool = False) -> list[str]:
    """Build the site (``dirty``: only pages whose output is missing or older); return MkDocs' warnings."""
    from mkdocs.commands.build import build as mkdocs_build

    handler = MkDocsWarnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False  # our build prints its own messages
    for rel in REWRITTEN_IN_PLACE:
        Path(config.site_dir, rel).unlink(missing_ok=True)
    try:
        _cache_theme_templates(config)
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            with _new_files_only():
                mkdocs_build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
    return [m for m in handler.messages if not m.startswith("A 'dirty' build is being performed")]


def _visible_files(folders: list[str]) -> list[str]:
    """What ``FileSystemLoader.list_templates`` lists, without walking hidden folders: MkDocs asks
    for the list to copy the theme's static files and drops hidden ones (``.*``, ``*/.*``) anyway,
    and Material's ``.icons`` alone hold some 14,000 files (0.4 s per build)."""
    found: set[str] = set()
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = os.path.relpath(dirpath, folder)
            for name in filenames:
                found.add(name if rel == "." else os.path.join(rel, name).replace(os.sep, "/"))
    return sorted(found)


def _cache_theme_templates(config) -> None:
    """Keep Material's templates compiled between builds (:mod:`planpub.jinja_cache`), and list
    its files without walking its hidden folders (:func:`_visible_files`)."""
    from ..jinja_cache import bytecode_cache

    theme = config.theme
    get_env = theme.get_env

    def cached_env():
        env = get_env()
        env.bytecode_cache = bytecode_cache()
        env.loader.list_templates = lambda: _visible_files(env.loader.searchpath)
        return env

    theme.get_env = cached_env


@contextmanager
def _new_files_only():
    """While MkDocs runs: its ``write_file`` and ``copy_file`` make a new file (a new inode) rather
    than rewriting one that the published site may share."""
    from mkdocs import utils

    write_file, copy_file = utils.write_file, utils.copy_file

    def write_new(content: bytes, output_path: str) -> None:
        if os.path.lexists(output_path):
            os.unlink(output_path)
        write_file(content, output_path)

    def copy_new(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        if os.path.lexists(output_path):
            os.unlink(output_path)
        copy_file(source_path, output_path)

    utils.write_file, utils.copy_file = write_new, copy_new
    try:
        yield
    finally:
        utils.write_file, utils.copy_file = write_file, copy_file


def link_into(src: Path, dst: Path) -> None:
    """Put everything under ``src`` (MkDocs' output, kept for the next build) into ``dst`` (the new
    site) as hard links, not copies; files of ours replace files of the same name."""
    link_tree(src, dst)
