"""Where a build reads and writes, and what it was asked to do: one object made by the command line
from its options and handed to every stage. A leaf module (of ours it imports only :mod:`planpub.errors`), so that a
stage never imports the pipeline that runs it.

Paths come from the options and the content folder, never from where the code is installed:

- ``project``: the folder holding ``content/`` when it also holds ``mkdocs.yml``, else the current
  directory. It holds the site's configuration (``mkdocs.yml``: name, public address); without
  one, the package's default is used.
- ``site`` (``--site``), ``build`` (``--build-dir``: MkDocs' workspace, compiled templates) and
  ``cache`` (``--cache-dir``: PDFs by hash, stamps, locks, font coverage) default to ``site/``,
  ``build/`` and ``.cache/`` in the project.

The templates (the ND30 and HD 36 layouts, the website's pages and theme overrides) are part of the
program: they are found in the package (``planpub/_bundled``; in a source checkout its entries
are links to ``templates/`` and ``mkdocs.yml`` at the top of the repository, in an installed
package they are copies).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from typing import Any

from .errors import Notice

#: what the package carries besides its code: the templates and the default ``mkdocs.yml``
BUNDLED = Path(__file__).resolve().parent / "_bundled"
TEMPLATES = BUNDLED / "templates"
DEFAULT_MKDOCS_CONFIG = BUNDLED / "mkdocs.yml"
#: the theme overrides the package's ``mkdocs.yml`` names (``theme.custom_dir``)
THEME_OVERRIDES = TEMPLATES / "website" / "overrides"

STAGES = ("data", "pdf", "website")


@dataclass(frozen=True)
class Paths:
    """Every folder a command reads or writes."""

    project: Path
    content: Path
    site: Path
    build: Path
    cache: Path

    @classmethod
    def from_options(cls, content: Path | None = None, site: Path | None = None, build: Path | None = None,
                     cache: Path | None = None, cwd: Path | None = None) -> "Paths":
        """The folders for these options (None: not given); relative paths are taken from ``cwd``
        (default: the current directory)."""
        here = (cwd or Path.cwd()).absolute()
        content = here / (content or "content")
        project = content.parent if (content.parent / "mkdocs.yml").is_file() else here
        return cls(project=project, content=content, site=here / site if site else project / "site",
                   build=here / build if build else project / "build",
                   cache=here / cache if cache else project / ".cache")

    @property
    def mkdocs_config(self) -> Path:
        """The project's ``mkdocs.yml``, or the package's default."""
        own = self.project / "mkdocs.yml"
        return own if own.is_file() else DEFAULT_MKDOCS_CONFIG

    @property
    def stamps(self) -> Path:
        """Fingerprints of the last successful builds, and the lock of each site folder."""
        return self.cache / "stamps"

    @property
    def pdf_cache(self) -> Path:
        return self.cache / "pdf"

    @property
    def font_cache(self) -> Path:
        return self.cache / "fonts"

    @property
    def jinja_cache(self) -> Path:
        return self.build / "jinja"

    @property
    def error_log(self) -> Path:
        return self.cache / "last-error.txt"


@dataclass
class BuildOptions:
    """What one build was asked to do, as the stages read it."""

    paths: Paths
    as_of: date = field(default_factory=date.today)
    full: bool = False
    strict: bool = False
    stages: tuple[str, ...] = STAGES
    #: each commune's kept pages and calendars (:class:`planpub.communes.Products`), or None: all made anew
    products: Any = None  # typed loosely: this leaf module imports nothing of the build
    #: filled by the stages: notices about the machine (each once), printed by the command line
    notices: list[Notice] = field(default_factory=list)

    @property
    def content_dir(self) -> Path:
        return self.paths.content

    @property
    def site_dir(self) -> Path:
        return self.paths.site
