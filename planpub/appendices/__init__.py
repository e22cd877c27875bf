"""Appendix shapes (``shape:`` of an appendix file), each one unit, registered once.

A shape is a module of this package that defines ``SHAPE``, a :class:`Shape`: its model class (the
pydantic type of the file, with ``shape: Literal["<name>"]``), the commitments and targets its rows
are (:attr:`Shape.items`), its checks, its PDF view (columns, header rows, rows and spans) and the
names of its templates (``templates/pdf/appendix/<name>.html.j2``,
``templates/website/pages/appendix/<name>.md.j2``). Modules are found by :func:`shapes` (every module
of the package whose name does not start with ``_``); :data:`planpub.model.AppendixContent`, the
loader's hints, the checker, the PDF and the pages all ask this registry, so adding a shape touches
its module and its two templates only (like Lektor's build programs or Pelican's readers).

This module imports nothing of the model at its top: :mod:`planpub.model` builds its union from the
registry while it is being imported (see :func:`content_union`).
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, Optional


def _no_items(appendix_id: str, content: Any) -> list:
    return []


def _no_check(content: Any, report: Any, check_numbers: Callable) -> None:
    return None


def _no_groups(content: Any) -> list:
    return []


@dataclass(frozen=True)
class Shape:
    """One kind of appendix table."""

    name: str                                   # the value of `shape:` in the file
    model: type                                 # its pydantic class
    describe: str                               # in the clerk's words, for hints: "bảng nhiệm vụ theo lĩnh vực"
    view: Callable[[Any], Any]                  # content -> appendices._table.TableView (what the PDF prints)
    #: content -> [(item, default id, id given in the file)]: the commitments (model.Task) and targets
    #: (model.Target) of its rows, in order; the loader gives them their ids
    items: Callable[[str, Any], list] = _no_items
    #: (content, report, check_numbers) -> None: rules beyond the schema (numbering, totals …)
    check: Callable[[Any, Any, Callable], None] = _no_check
    #: content -> [(group label, group title, [tasks])]: where a commitment sits (its page, its neighbours)
    task_groups: Callable[[Any], list] = _no_groups

    @property
    def pdf_template(self) -> str:
        """Under ``templates/pdf/``."""
        return f"appendix/{self.name}.html.j2"

    @property
    def page_template(self) -> str:
        """Under ``templates/website/pages/``."""
        return f"appendix/{self.name}.md.j2"


_REGISTRY: dict[str, Shape] = {}
_MODULES: dict[str, str] = {}  # shape name -> module that registered it


def _discover() -> None:
    from .. import model  # noqa: F401,PLC0415 — the model first: its union asks this registry
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        shape = getattr(module, "SHAPE", None)
        if not isinstance(shape, Shape):
            raise TypeError(f"{module.__name__} defines no SHAPE")
        other = _MODULES.setdefault(shape.name, module.__name__)
        if other != module.__name__:
            raise ValueError(f"shape {shape.name!r} is registered by {other} and {module.__name__}")
        _REGISTRY[shape.name] = shape


def shapes() -> dict[str, Shape]:
    """Every shape, by name (in the order of their module names)."""
    if not _REGISTRY:
        _discover()
    return dict(_REGISTRY)


def get(name: str) -> Optional[Shape]:
    return shapes().get(name)


def of(content: Any) -> Shape:
    """The shape of an appendix's content."""
    return shapes()[content.shape]


def content_union() -> Any:
    """The type of an appendix file: one of the shapes' models, told apart by ``shape:``."""
    from typing import Annotated, Union  # noqa: PLC0415

    from pydantic import Field  # noqa: PLC0415
    models = tuple(s.model for s in shapes().values())
    return Annotated[Union[models], Field(discriminator="shape")]  # type: ignore[valid-type]
