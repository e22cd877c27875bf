"""Run MkDocs (Material) on the generated docs folder, into a temporary folder, then merge the
result into the site without touching what other stages wrote there (MkDocs empties its
``site_dir`` before writing)."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CONFIG = ROOT / "mkdocs.yml"


class MkDocsWarnings(logging.Handler):
    """Collects what MkDocs warns about, so that the build can report it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_config(docs_dir: Path, site_dir: Path):
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material 9.8's end-of-life banner
    from mkdocs.config import load_config as mkdocs_load_config

    return mkdocs_load_config(str(CONFIG), docs_dir=str(docs_dir), site_dir=str(site_dir))


def build(config) -> list[str]:
    """Build the site; return MkDocs' warnings."""
    from mkdocs.commands.build import build as mkdocs_build

    handler = MkDocsWarnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False  # our build prints its own messages
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
    return handler.messages


def merge_tree(src: Path, dst: Path) -> None:
    """Move everything under ``src`` into ``dst``; files of ours replace files of the same name."""
    dst.mkdir(parents=True, exist_ok=True)
    for entry in src.iterdir():
        target = dst / entry.name
        if entry.is_dir() and target.is_dir():
            merge_tree(entry, target)
        else:
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(entry, target)
