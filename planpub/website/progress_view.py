"""What the website shows of progress (:mod:`planpub.progress`), as of the build date.

One object per build, :class:`ProgressView`, given to the page templates as ``progress``
(``templates/website/pages/_progress.j2`` holds the macros): the status of a commitment in words
with an icon, the counts of a list of commitments as an SVG chart with a table beside it, a
target's actual values against the planned ones, the reports on a plan, the example-data note,
and "Cập nhật lần cuối". It remembers which plans' statuses a page showed, so that
:meth:`page_footer` can say when they were last updated. Colours come from ``progress.css``; the
words and icons carry the meaning, never the colour alone.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from markupsafe import Markup, escape

from .. import model, progress, reporting
from . import paths
from .catalog import Catalog

#: status → an icon (16×16, drawn in currentColor; hidden from screen readers: the words say it)
_ICONS = {
    "done_on_time": '<path d="M3 8.5l3.2 3.2L13 4.8" fill="none" stroke="currentColor" stroke-width="2.2"/>',
    "done_late": '<path d="M2 8.5l3 3L11 5.5" fill="none" stroke="currentColor" stroke-width="2.2"/>'
                 '<circle cx="13" cy="12" r="2.5" fill="currentColor"/>',
    "in_progress": '<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="2"/>'
                   '<path d="M8 2a6 6 0 0 1 0 12z" fill="currentColor"/>',
    "overdue": '<path d="M8 1.5L15 14H1z" fill="none" stroke="currentColor" stroke-width="1.8"/>'
               '<path d="M8 6v4M8 11.5v1.5" stroke="currentColor" stroke-width="1.8"/>',
    "stopped": '<rect x="3" y="3" width="10" height="10" fill="currentColor"/>',
    "no_report": '<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.6" '
                 'stroke-dasharray="2.5 2"/>',
}
CHART_WIDTH = 320
LABEL_WIDTH = 150
ROW = 24


def icon(status: str) -> Markup:
    return Markup(f'<svg class="pp-status__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" '
                  f'focusable="false" xmlns="http://www.w3.org/2000/svg">{_ICONS[status]}</svg>')


def day(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


#: the example-data note names this many fictional communes at most (:meth:`ProgressView.page_header`)
EXAMPLE_NAMES = 3


class ProgressView:
    def __init__(self, cat: Catalog) -> None:
        self.cat = cat
        self.as_of = cat.as_of
        self.statuses = progress.STATUSES
        self.state_names = progress.STATE_NAMES
        self._cache: dict[str, progress.TaskProgress] = {}
        self._shown: set[str] = set()  # plan ids whose statuses the page being written shows
        self.example = [c for c in cat.site.communes if c.example]

    # --- statuses ------------------------------------------------------------------------------

    def of(self, task: model.Task) -> progress.TaskProgress:
        doc = self.cat.plan_of[task.uid]
        self._shown.add(doc.id)
        found = self._cache.get(task.uid)
        if found is None:
            found = self._cache[task.uid] = progress.task_progress(doc, task, self.as_of)
        return found

    def status(self, task: model.Task) -> str:
        return self.of(task).status

    def badge(self, task: model.Task) -> Markup:
        """The status in words with its icon: ``✓ Hoàn thành đúng hạn``."""
        status = self.status(task)
        return Markup(f'<span class="pp-status pp-status--{status}">{icon(status)}'
                      f'{escape(progress.STATUSES[status])}</span>')

    def counts(self, tasks: list[model.Task]) -> dict[str, int]:
        return progress.counts([self.of(t) for t in tasks])

    def chart(self, tasks: list[model.Task], caption: str) -> Markup:
        """The counts of ``tasks`` per status: a bar chart (for the eye) and a table (for everyone)."""
        counts = self.counts(tasks)
        total = sum(counts.values()) or 1
        bar_space = CHART_WIDTH - LABEL_WIDTH - 40
        height = ROW * len(counts) + 4
        svg = [(f'<svg class="pp-chart pp-status-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
                f'height="{height}" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">')]
        for i, (status, n) in enumerate(counts.items()):
            y = 2 + i * ROW
            length = bar_space * n / total
            svg.append(f'<text class="pp-chart__period" x="{LABEL_WIDTH - 6}" y="{y + ROW / 2 + 1:.0f}" '
                       f'text-anchor="end" dominant-baseline="middle">{escape(progress.STATUSES[status])}</text>'
                       f'<rect class="pp-bar--{status}" x="{LABEL_WIDTH}" y="{y + 4}" width="{max(length, 1):.1f}" '
                       f'height="{ROW - 9}"/>'
                       f'<text class="pp-chart__value" x="{LABEL_WIDTH + max(length, 1) + 5:.1f}" y="{y + ROW / 2 + 1:.0f}" '
                       f'dominant-baseline="middle">{n}</text>')
        svg.append("</svg>")
        rows = "".join(f'<tr><th scope="row"><span class="pp-status pp-status--{s}">{icon(s)}'
                       f'{escape(progress.STATUSES[s])}</span></th><td>{n}</td></tr>' for s, n in counts.items())
        return Markup(f'<div class="pp-status-counts">{"".join(svg)}'
                      f'<table class="pp-table pp-table--small"><caption>{escape(caption)}</caption>'
                      f'<thead><tr><th scope="col">Tình trạng</th><th scope="col">Số nhiệm vụ</th></tr></thead>'
                      f'<tbody>{rows}</tbody></table></div>')

    # --- targets -------------------------------------------------------------------------------

    def actuals(self, target: model.Target) -> list[model.TargetActual]:
        doc = self.cat.docs[target.plan_id]
        self._shown.add(doc.id)
        return progress.actuals_of(doc, target, self.as_of)

    def actual_chart(self, target: model.Target) -> Markup | None:
        """Planned values (outlined bars) against actual ones (solid bars), in one unit."""
        actual = [a for a in self.actuals(target) if a.value is not None]
        planned = [v for v in target.values if v.value is not None]
        if not actual:
            return None
        unit = actual[-1].unit
        rows = [("planned", f"Kế hoạch {v.period}", v.value, v.value_text) for v in planned if v.unit == unit]
        rows += [("actual", f"Thực hiện {a.period}", a.value, a.value_text) for a in actual if a.unit == unit]
        top = max(r[2] for r in rows)
        scale = 100.0 if unit == "%" and top <= 100 else (top or 1.0)
        bar_space = CHART_WIDTH - LABEL_WIDTH - 50
        height = ROW * len(rows) + 4
        svg = [(f'<svg class="pp-chart pp-actual-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
                f'height="{height}" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">')]
        for i, (kind, label, value, text) in enumerate(rows):
            y = 2 + i * ROW
            length = max(2.0, bar_space * value / scale)
            svg.append(f'<text class="pp-chart__period" x="{LABEL_WIDTH - 6}" y="{y + ROW / 2 + 1:.0f}" '
                       f'text-anchor="end" dominant-baseline="middle">{escape(label)}</text>'
                       f'<rect class="pp-bar--{kind}" x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 9}"/>'
                       f'<text class="pp-chart__value" x="{LABEL_WIDTH + length + 5:.1f}" y="{y + ROW / 2 + 1:.0f}" '
                       f'dominant-baseline="middle">{escape(text[:14])}</text>')
        svg.append("</svg>")
        return Markup("".join(svg))

    # --- documents -----------------------------------------------------------------------------

    def reports_of(self, doc: model.Document) -> list[model.Document]:
        return reporting.reports_of(self.cat.site, doc)

    def evidence_href(self, page: str, doc_id: str, ev: model.Evidence) -> str:
        if ev.url:
            return ev.url
        if ev.document:
            return paths.href(page, paths.document_page(ev.document))
        return paths.href(page, evidence_path(doc_id, ev.file))

    # --- every page ----------------------------------------------------------------------------

    def start_page(self) -> None:
        self._shown = set()

    def page_header(self, commune: model.Commune | None = None) -> Markup:
        """A note that the page is built from example data: on a page of ``commune``'s own, when
        it is fictional; on a page across communes, when any is. It names at most
        :data:`EXAMPLE_NAMES` of them, so that no page grows with the number of communes."""
        if commune is not None:
            fictional = [commune] if commune.example else []
        else:
            fictional = self.example
        if not fictional:
            return Markup("")
        names = ", ".join(f"{c.kind} {c.name}" for c in fictional[:EXAMPLE_NAMES])
        if len(fictional) > EXAMPLE_NAMES:
            if len(fictional) == len(self.cat.site.communes):
                names = f"cả {len(fictional)} xã, phường của trang web này"
            else:
                names += f" và {len(fictional) - EXAMPLE_NAMES} đơn vị khác, ghi rõ trên trang của từng đơn vị,"
        return Markup('<div class="pp-note pp-example" role="note"><p><strong>Dữ liệu ví dụ.</strong> '
                      f"Trang này dựng từ dữ liệu giả định ({escape(names)} không có thật): "
                      "kế hoạch, tiến độ, số liệu và báo cáo chỉ để minh họa.</p></div>")

    def page_footer(self) -> Markup:
        """Under a page that showed a status: the day statuses are derived for, and the last update."""
        if not self._shown:
            return Markup("")
        last = progress.last_updated([self.cat.docs[d] for d in sorted(self._shown)], self.as_of)
        when = f"Cập nhật lần cuối: {day(last)}" if last else "Cập nhật lần cuối: chưa có báo cáo tiến độ nào"
        return Markup(f'<p class="pp-updated" data-search-exclude>Tình trạng tính đến ngày {day(self.as_of)}. '
                      f"{when}.</p>")


def evidence_path(doc_id: str, file_name: str) -> str:
    return paths.in_document(doc_id, f"{progress.EVIDENCE_FOLDER}/{file_name}")


def copy_evidence(cat: Catalog, docs_dir: Path) -> None:
    """Evidence files (``minh-chung/`` of a plan's folder) next to the plan's pages."""
    for doc in cat.documents:
        for entry in doc.progress:
            for ev in entry.evidence:
                if ev.file and doc.source_file is not None:
                    source = doc.source_file.parent / progress.EVIDENCE_FOLDER / ev.file
                    target = docs_dir / evidence_path(doc.id, ev.file)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)


def feed_entries(cat: Catalog) -> list[tuple[str, date, str, str, str]]:
    """(key, day, title, page, summary) of every progress entry recorded up to the build date."""
    out = []
    for doc in cat.documents:
        tasks = {t.id: t for t in doc.tasks}
        for e in doc.progress:
            task = tasks.get(e.task)
            if task is None or e.date > cat.as_of:
                continue
            summary = f"{progress.STATE_NAMES[e.state]}. {e.note}"
            if e.done_on:
                summary += f" Hoàn thành ngày {day(e.done_on)}."
            if e.reason:
                summary += f" Lý do: {e.reason}"
            out.append((f"{task.uid}/{e.date.isoformat()}/{e.line_of()}", e.date,
                        f"Tiến độ: {' '.join(task.content.split())[:120]}", paths.task_page(task.uid), summary))
    return out
