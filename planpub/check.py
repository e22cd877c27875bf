"""Rules a clerk's document must keep before it is signed, beyond what the schema says.

Numbering of tasks and articles, the Vietnamese order of points (a b c d đ e g h …), dates that
exist, the ND30 form of the header's number and symbol, deadlines that can be read, and links
between documents. Every finding goes to the :class:`~planpub.diagnostics.Report`.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from . import appendices, model, numbering, regulation
from .diagnostics import Report
from .load import BODY_FILE, COMMITMENTS_FILE
from .progress import check_progress
from .references import find_dates, valid_date
from .reporting import check_reports
from .signing.record import check_signed

VIETNAMESE_POINTS = regulation.VIETNAMESE_POINTS
_POINT = re.compile(r"^[*_]{0,3}([a-zđ])\)\s")
_ITEM = re.compile(r"^[*_]{0,3}(\d+(?:\.\d+)*)\.\s")
_SECTION = re.compile(r"^[*_]{0,3}([IVXL]+)\.\s")
DEADLINE_FORMS = ("Quý I/2026, Tháng 7-10/2026, Cả năm 2026, 2026-2027, Trước ngày 15/01/2026, "
                  "Hàng năm, Tháng 12 hàng năm, Thường xuyên, Theo kế hoạch của UBND tỉnh")


def check_site(site: model.Site, content_dir: Path, report: Report, as_of: date | None = None,
               links: bool = True) -> None:
    """Every rule; ``links=False`` (one commune checked alone, planpub/communes.py) leaves the links
    between documents to :func:`check_links`, run on every commune published together."""
    for doc in site.documents:
        check_document(doc, report)
        _check_name_spelling(doc, site.commune(doc.commune), report)
    if links:
        check_links(site, report)
    check_progress(site, report, as_of or date.today())  # progress.yaml (planpub/progress.py)
    check_reports(site, report)  # reports on plans (planpub/reporting.py)
    _check_text_dates(content_dir, report)
    check_signed(site, report)  # signed documents: content changed after signing (planpub/signing/record.py)


def check_document(doc: model.Document, report: Report) -> None:
    path = doc.source_file
    _check_header(doc, path, report)
    _check_body(doc, report)
    for appendix in doc.appendices:  # each shape's own rules (planpub/appendices/)
        if appendix.content is not None:
            appendices.of(appendix.content).check(appendix.content, report, _check_numbers)
    if doc.body_commitments:
        _check_numbers([[(t.number, t) for t in doc.body_commitments]], "nhiệm vụ", "task", report)
    _check_has_commitments(doc, report)
    _check_commitments_verbatim(doc, report)
    for task in doc.tasks:
        if task.deadline is None and task.deadline_in_source is False:
            pass  # the source states none, and the content says so (deadline_in_source: false)
        elif task.deadline is None:
            report.warning(task.source_file, task.line_of(), "deadline-missing",
                           f"Nhiệm vụ {task.number or task.id} chưa có thời hạn hoàn thành.",
                           f"Ghi `deadline:` theo một dạng như: {DEADLINE_FORMS}; nếu văn bản gốc không ghi "
                           "thời hạn, ghi `deadline_in_source: false` (không tự đặt thời hạn).")
        elif task.deadline.kind == "unknown":
            report.warning(task.source_file, task.line_of("deadline"), "deadline-unknown",
                           f"Không đọc được thời hạn “{task.deadline.text}” (nhiệm vụ {task.number or task.id}).",
                           f"Viết theo một dạng như: {DEADLINE_FORMS}.", _col(task, "deadline"))
    for c in doc.corrections:
        if path is not None and not (path.parent / c.file).is_file():
            report.error(path, c.line_of("file"), "missing-file", f"Mục đính chính nói đến tệp “{c.file}” không có.",
                         "Ghi tên một tệp trong thư mục văn bản.")


def _check_has_commitments(doc: model.Document, report: Report) -> None:
    """A plan with no commitment at all shows an empty plan to the citizen: say so, unless the
    content states that the source has none (``commitments: []`` in commitments.yaml)."""
    path = doc.source_file
    if doc.type != "KH" or doc.tasks or path is None or (path.parent / COMMITMENTS_FILE).is_file():
        return
    report.warning(path, 1, "no-commitments",
                   "Kế hoạch không có nhiệm vụ nào: trang web sẽ hiện “0 nhiệm vụ”.",
                   f"Ghi các nhiệm vụ của văn bản vào {COMMITMENTS_FILE} (nhiệm vụ ở phần nội dung, ở mục "
                   "“Tổ chức thực hiện”) hoặc vào một phụ lục; nếu văn bản gốc thật sự không có nhiệm vụ nào, "
                   f"tạo {COMMITMENTS_FILE} chỉ với dòng `commitments: []`.")


def _words(text: str) -> str:
    return " ".join(text.split())


def _check_commitments_verbatim(doc: model.Document, report: Report) -> None:
    """A commitment written in the body is the body's own words: each line of its content and
    summary must be found in body.md."""
    if not doc.body_commitments:
        return
    body = _words(doc.body.replace("**", "").replace("*", ""))
    for task in doc.body_commitments:
        for key in ("content", "summary"):
            for line in (getattr(task, key) or "").splitlines():
                if line.strip() and _words(line) not in body:
                    report.warning(task.source_file, task.line_of(key), "commitment-not-in-body",
                                   f"Câu “{_words(line)[:80]}” của nhiệm vụ {task.number or task.id} không có "
                                   f"nguyên văn trong {BODY_FILE}.",
                                   f"Chép nguyên văn từ {BODY_FILE} (cùng chữ, dấu câu); nếu {BODY_FILE} sai so với "
                                   "văn bản gốc, sửa cả hai và ghi vào `corrections:`.", _col(task, key))


def _check_header(doc: model.Document, path: Path, report: Report) -> None:
    if doc.attached_to:  # an attached plan has no number or date of its own (ND30 Mẫu 2.x)
        return
    if doc.number is not None:
        normative = re.fullmatch(r"(\d+)/(\d{4})", doc.number)
        if normative:
            report.error(path, doc.line_of("number"), "number-form",
                         f"Số văn bản “{doc.number}” ghi cả năm: năm được in từ ngày ban hành.",
                         f"Văn bản quy phạm pháp luật (số dạng {doc.number}/{doc.symbol or doc.type + '-UBND'}): "
                         f"ghi `number: \"{normative[1]}\"` và `normative: true`.")
        elif not re.fullmatch(r"\d+", doc.number):
            report.error(path, doc.line_of("number"), "number-form", f"Số văn bản “{doc.number}” phải là chữ số Ả Rập.",
                         "ND30: số ghi bằng chữ số Ả Rập, ví dụ `number: \"09\"`.")
        elif int(doc.number) < 10 and len(doc.number) < 2:
            report.error(path, doc.line_of("number"), "number-form",
                         f"Số văn bản dưới 10 phải có số 0 ở đầu: “0{doc.number}”, không phải “{doc.number}”.",
                         f"Ghi `number: \"0{doc.number}\"` (trong ngoặc kép).")
    if doc.symbol is None:
        report.error(path, doc.line_of(), "symbol-missing", "Thiếu ký hiệu văn bản (`symbol:`).",
                     f"Ví dụ `symbol: {doc.type}-UBND`.")
    else:
        form = numbering.PARTY_SYMBOL if doc.family == "party" else numbering.STATE_SYMBOL
        m = form.match(doc.symbol)
        if m is None or m["type"] != doc.type:
            if doc.family == "party":
                report.error(path, doc.line_of("symbol"), "symbol-form",
                             f"Ký hiệu “{doc.symbol}” không đúng dạng văn bản của Đảng cho {doc.type_name.lower()}.",
                             f"Hướng dẫn 36-HD/VPTW: tên loại viết tắt, dấu “/”, rồi chữ viết tắt của cấp ủy, "
                             f"ví dụ `{doc.type}/ĐU`.")
            else:
                report.error(path, doc.line_of("symbol"), "symbol-form",
                             f"Ký hiệu “{doc.symbol}” không đúng dạng ND30 cho {doc.type_name.lower()}.",
                             f"Viết liền, không dấu cách, bắt đầu bằng “{doc.type}-”, các nhóm chữ nối bằng “-”, "
                             f"ví dụ `{doc.type}-UBND`.")
    if doc.normative and doc.family == "state" and doc.type != "QĐ":
        report.error(path, doc.line_of("normative"), "normative-type",
                     f"{doc.type_name} không phải văn bản quy phạm pháp luật: số không ghi năm.",
                     "Chỉ quyết định quy phạm pháp luật ghi `normative: true`; bỏ dòng này.")
    if doc.normative and doc.family == "party":
        report.error(path, doc.line_of("normative"), "normative-party",
                     "Văn bản của Đảng không phải văn bản quy phạm pháp luật: số không ghi năm.",
                     "Bỏ dòng `normative: true`.")
    if doc.date is None:
        report.error(path, doc.line_of(), "date-missing", "Thiếu ngày tháng năm (`date:`).",
                     "Văn bản dự thảo ghi `date: {year: 2026, month: 1}`; văn bản đã ban hành ghi `date: 2026-01-10`.")
    else:
        nis = set(doc.not_in_source)
        if "day" in nis and doc.date.complete:
            report.error(path, doc.line_of("not_in_source"), "not-in-source-contradiction",
                         "`not_in_source` ghi nguồn không có ngày ban hành, nhưng `date:` đã đủ ngày.",
                         "Bỏ `day` khỏi `not_in_source`, hoặc ghi `date:` như nguồn (năm và tháng).")
        if "day" in nis and doc.date.month is None:
            report.error(path, doc.line_of("date"), "date-form",
                         "Bản công bố không ghi ngày, nhưng cũng phải có tháng và năm ban hành.",
                         f"Ghi `date: {{year: {doc.date.year}, month: …}}` như nguồn.")
        if "number" in nis and doc.number:
            report.error(path, doc.line_of("not_in_source"), "not-in-source-contradiction",
                         "`not_in_source` ghi nguồn không có số văn bản, nhưng `number:` đã có số.",
                         "Bỏ `number` khỏi `not_in_source`, hoặc bỏ `number:`.")
        if doc.number and not doc.date.complete and "day" not in nis:
            lacking = "ngày" if doc.date.month is not None else "ngày và tháng"
            report.error(path, doc.line_of("date"), "date-form",
                         f"Văn bản đã có số nhưng ngày ban hành còn thiếu {lacking} "
                         f"(mới ghi {'tháng ' + str(doc.date.month) + ' ' if doc.date.month else ''}năm {doc.date.year}).",
                         f"Ghi đủ ngày, tháng, năm: `date: {doc.date.year}-{doc.date.month or 1:02d}-DD`, "
                         "hoặc bỏ số nếu còn là dự thảo; bản công bố không ghi ngày thì thêm "
                         "`not_in_source: [day]`.")
        if doc.date.complete and not doc.number and "number" not in nis:
            report.error(path, doc.line_of("number"), "number-missing",
                         "Văn bản đã có ngày ban hành nhưng chưa có số.",
                         "Ghi `number:`, hoặc bỏ ngày nếu còn là dự thảo; bản công bố (như trên cổng thông tin) "
                         "ghi “Số: /…” thì thêm `not_in_source: [number]`.")
    if not doc.place:
        report.warning(path, doc.line_of(), "place-missing", "Thiếu địa danh ở dòng ngày tháng (`place:`).",
                       "ND30: ghi tên xã, ví dụ `place: Thiên Phú`.")
    if doc.signature is None:
        report.error(path, doc.line_of(), "signature-missing", "Thiếu khối chữ ký (`signature:`).",
                     "Ghi `signature:` với `authority`, `title`, `name`.")
    elif doc.signature.name and "signer_name" in doc.not_in_source:
        report.error(path, doc.line_of("not_in_source"), "not-in-source-contradiction",
                     "`not_in_source` ghi nguồn không có họ tên người ký, nhưng `signature.name` đã có.",
                     "Bỏ `signer_name` khỏi `not_in_source`, hoặc bỏ `name:`.")
    elif not doc.signature.name and "signer_name" not in doc.not_in_source:
        add = report.warning if doc.is_draft else report.error
        add(path, doc.signature.line_of("name"), "signer-name-missing", "Chưa có họ tên người ký.",
            "Ghi `name:` trong `signature:` trước khi ban hành; bản công bố không ghi tên người ký thì thêm "
            "`not_in_source: [signer_name]`.")
    if not doc.recipients and doc.archive is None:
        report.warning(path, doc.line_of(), "recipients-missing", "Thiếu Nơi nhận.", "Ghi `recipients:` và `archive:`.")
    if doc.type == "QĐ" and not doc.authority:
        report.error(path, doc.line_of(), "authority-missing", "Quyết định thiếu dòng thẩm quyền ban hành (`authority:`).",
                     "Ví dụ `authority: CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TUỆ TĨNH`.")


def _col(obj, key: str) -> int:
    """The column where ``key`` is written in the source (1 when unknown)."""
    return obj.pos.column_of(key) if getattr(obj, "pos", None) else 1


def _check_numbers(groups: list[list[tuple]], noun: str, key: str, report: Report) -> None:
    """Numbers in a table run 1, 2, 3 … by row, on across groups or again from 1 in a group.

    One slip gives one message. A single mis-numbered row (``… 17, 34, 19 …``) is reported and
    counting goes on by row; a gap or a repeat that the following rows carry on from
    (``… 2, 4, 5, 6 …`` or ``… 2, 2, 3, 4 …``) is reported once and counting goes on from it.
    """
    rows = []  # (number, obj, starts again from 1)
    for group in groups:
        numbered = [(n, o) for n, o in group if n is not None]
        for j, (number, obj) in enumerate(numbered):
            rows.append((number, obj, j == 0 and number == 1))
    expected, seen = 1, {}
    for i, (number, obj, restart) in enumerate(rows):
        if restart:
            expected, seen = 1, {}
        following = rows[i + 1][0] if i + 1 < len(rows) and not rows[i + 1][2] else None
        if number in seen:
            report.error(obj.source_file, obj.line_of("number"), f"{key}-number-duplicate",
                         f"Số thứ tự {number} của {noun} bị trùng (đã dùng ở dòng {seen[number].line_of('number')}).",
                         f"Đánh số lại cho liên tục: {noun} ở dòng này là số {expected}.", _col(obj, "number"))
        elif number != expected:
            report.error(obj.source_file, obj.line_of("number"),
                         f"{key}-number-skipped" if number > expected else f"{key}-number-order",
                         f"Số thứ tự của {noun} là {number}, nhưng theo thứ tự phải là {expected}.",
                         f"Sửa thành {expected} (các {noun} được đánh số liên tục 1, 2, 3 …).", _col(obj, "number"))
        seen.setdefault(number, obj)
        if number != expected and following is not None and following == number + 1 != expected + 1:
            expected = number + 1  # the rows after it carry on from this number: one message, not one per row
        else:
            expected += 1


def _check_body(doc: model.Document, report: Report) -> None:
    if doc.source_file is None:
        return
    path = doc.source_file.parent / BODY_FILE
    if doc.regulation is not None:  # chapters, articles, clauses, points: planpub/regulation.py
        regulation.check(doc.regulation, path, report)
        return
    expected = 0  # index into VIETNAMESE_POINTS of the next point letter
    previous = ""  # the last point letter as written
    items_seen: dict[str, int] = {}
    for lineno, line in enumerate(doc.body.splitlines(), 1):
        text = line.strip()
        if not text:
            continue
        if text.startswith("#") or _SECTION.match(text):
            expected = 0
            heading = text.lstrip("# ")
            if _SECTION.match(heading):  # a new section numbers its items afresh
                items_seen = {}
            m = _ITEM.match(heading)
            if m:
                _item(m[1], lineno, items_seen, path, report)
            continue
        m = _ITEM.match(text)
        if m:
            expected = 0
            _item(m[1], lineno, items_seen, path, report)
            continue
        m = _POINT.match(text)
        if not m:
            continue
        letter = m[1]
        column = text.index(letter) + 1 + (len(line) - len(line.lstrip()))
        right = _point_letter(expected)
        if letter not in VIETNAMESE_POINTS:
            report.error(path, lineno, "point-letter",
                         f"Điểm “{letter})” không có trong thứ tự chữ cái tiếng Việt (a b c d đ e g h i k …).",
                         f"Sửa thành “{right})”.", column)
            expected += 1  # it stands where “{right})” belongs
            previous = letter
            continue
        index = VIETNAMESE_POINTS.index(letter)
        if index < expected:
            report.error(path, lineno, "point-order",
                         f"Điểm “{letter})” đứng sau “{previous})”, sai thứ tự.",
                         f"Sửa thành “{right})” hoặc đánh lại các điểm theo thứ tự a b c d đ e g h …",
                         column)
            expected += 1  # counted where it stands, so the points after it are not flagged too
        else:
            if index > expected:
                report.warning(path, lineno, "point-skipped",
                               f"Điểm “{letter})” bỏ qua “{right})”.",
                               f"Thứ tự điểm là a b c d đ e g h …; điểm này có lẽ là “{right})”.",
                               column)
            expected = index + 1
        previous = letter
    if doc.type == "QĐ":
        for i, article in enumerate(doc.articles, 1):
            if article.number != i:
                report.error(path, 1, "article-number", f"Điều {article.number} đứng ở vị trí thứ {i}.",
                             "Đánh số các Điều liên tục từ Điều 1.")
        if not doc.articles:
            report.error(path, 1, "articles-missing", "Quyết định không có Điều nào.",
                         "Mỗi Điều là một đoạn bắt đầu bằng `**Điều 1.**`.")


def _point_letter(index: int) -> str:
    return VIETNAMESE_POINTS[index] if index < len(VIETNAMESE_POINTS) else "?"


def _item(number: str, lineno: int, seen: dict[str, int], path: Path, report: Report) -> None:
    if number in seen:
        report.warning(path, lineno, "item-number-duplicate",
                       f"Mục “{number}.” trùng với mục ở dòng {seen[number]}.", "Đánh số lại các mục cho liên tục.")
    seen[number] = lineno


def check_links(site: model.Site, report: Report) -> None:
    by_number = {}
    for doc in site.documents:
        if doc.number and doc.symbol:
            by_number[doc.number_text] = doc
    for doc in site.documents:
        path = doc.source_file
        if doc.issues:
            target = site.document(doc.issues)
            if target is None:
                report.error(path, doc.line_of("issues"), "broken-link", f"Không có văn bản “{doc.issues}”.",
                             "Ghi mã văn bản dạng `<xã>/<thư mục>`.")
            elif target.attached_to != doc.id:
                report.error(path, doc.line_of("issues"), "broken-link",
                             f"Văn bản “{doc.issues}” không ghi `attached_to: {doc.id}`.",
                             "Hai văn bản phải trỏ tới nhau: `issues:` ở quyết định, `attached_to:` ở kế hoạch.")
        if doc.attached_to:
            parent = site.document(doc.attached_to)
            if parent is None or parent.issues != doc.id:
                report.error(path, doc.line_of("attached_to"), "broken-link",
                             f"Quyết định “{doc.attached_to}” không có hoặc không ghi `issues: {doc.id}`.",
                             "Hai văn bản phải trỏ tới nhau.")
        if doc.implements:
            higher = site.document(doc.implements)
            if higher is None:
                report.error(path, doc.line_of("implements"), "broken-link",
                             f"Không có văn bản “{doc.implements}” (văn bản mà kế hoạch này thực hiện).",
                             "Ghi mã văn bản dạng `<tỉnh>/<thư mục>`, ví dụ `thanh-hoa/kh-cchc-2026`, và đặt văn bản "
                             "đó trong content/.")
            elif higher.commune == doc.commune:
                report.error(path, doc.line_of("implements"), "implements-same-issuer",
                             f"“{doc.implements}” cũng của {doc.commune}: `implements:` nối kế hoạch của xã với "
                             "văn bản của cấp trên (tỉnh) mà nó thực hiện.",
                             "Ghi văn bản của tỉnh, hoặc bỏ dòng này.")
    # a chain of decisions replacing each other must not come back to where it started
    for doc in site.documents:
        seen, current = [doc.id], doc
        while current.replaces and current.replaces.number and current.replaces.number in by_number:
            current = by_number[current.replaces.number]
            if current.id in seen:
                report.error(doc.source_file, doc.line_of("replaces"), "replace-cycle",
                             "Các quyết định thay thế nhau thành vòng: " + " → ".join([*seen, current.id]) + ".",
                             "Một văn bản không thể thay thế văn bản thay thế chính nó; sửa trường `replaces:`.")
                break
            seen.append(current.id)


def _check_text_dates(content_dir: Path, report: Report) -> None:
    """Every date written in any content file must exist (no "31 tháng 6")."""
    root = content_dir.resolve()
    for path in sorted(content_dir.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".md") or not path.is_file():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            continue  # never read: reported by the loader (symlink-outside)
        is_md = path.suffix == ".md"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported by the loader
        in_corrections = False
        for lineno, line in enumerate(text.splitlines(), 1):
            if not is_md:
                if line[:1] not in ("", " ", "-", "#"):
                    in_corrections = line.startswith("corrections:")
                if in_corrections or line.lstrip().startswith("#"):
                    continue  # a correction or a YAML comment quotes the original slip
            for day, month, year, start, _ in find_dates(line):
                if valid_date(day, month, year) is None:
                    report.error(path, lineno, "impossible-date",
                                 f"Ngày “{line[start:_]}” không tồn tại.",
                                 "Kiểm tra lại ngày và tháng (tháng 4, 6, 9, 11 có 30 ngày; tháng 2 có 28 hoặc 29 ngày).",
                                 start + 1)


# --- names in titles and headers ---------------------------------------------------------------

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


def _fold(word: str) -> str:
    """A word without any mark: ``Phủ`` → ``phu``, ``Đảng`` → ``dang``."""
    d = unicodedata.normalize("NFD", word.casefold().replace("đ", "d"))
    return "".join(c for c in d if not unicodedata.combining(c))


def _spelling(word: str) -> tuple[str, str]:
    """A word as it is spelled, whatever the position of its tone mark (``hoá`` = ``hóa``,
    ``Uỷ`` = ``Ủy``) and its case: its letters with their other marks, and its tone."""
    d = unicodedata.normalize("NFD", word.casefold())
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES)), "".join(c for c in d if c in _TONES)


def _titles(doc: model.Document) -> list[tuple[str, str, Path | None, int]]:
    """(what it is, text, file, line) of every title and header of a document."""
    out: list[tuple[str, str, Path | None, int]] = []
    path = doc.source_file
    out.append(("trích yếu", doc.subject, path, doc.line_of("subject")))
    out.append(("tên cơ quan ban hành", doc.issuer.name, path, doc.issuer.line_of("name")))
    out.append(("tên viết tắt của cơ quan ban hành", doc.issuer.short, path, doc.issuer.line_of("short")))
    for i, line in enumerate(doc.issuer.header):
        out.append(("tiêu đề cơ quan ban hành", line, path, doc.issuer.line_of("header", i)))
    for key, what in (("parent_issuer", "cơ quan chủ quản"), ("place", "địa danh"), ("authority", "thẩm quyền ban hành")):
        if getattr(doc, key):
            out.append((what, getattr(doc, key), path, doc.line_of(key)))
    if doc.signature and doc.signature.authority:
        out.append(("dòng thẩm quyền ký", doc.signature.authority, path, doc.signature.line_of("authority")))
    for a in doc.appendices:
        if a.title:
            out.append((f"tên {a.label}", a.title, path, a.line_of("title")))
    if path is not None:
        for lineno, line in enumerate(doc.body.splitlines(), 1):
            if line.startswith("#"):
                out.append(("tiêu đề mục", line.lstrip("# "), path.parent / BODY_FILE, lineno))
    return out


def _check_name_spelling(doc: model.Document, commune: model.Commune, report: Report) -> None:
    """The commune's name and the names of its bodies (commune.yaml: name, agencies, aliases) are
    spelled in a title or header as commune.yaml spells them; a word with another tone or mark
    (``THIÊN PHỦ`` for ``Thiên Phú``) is a warning. The text stays verbatim if the source has it."""
    names: dict[tuple[str, ...], list[str]] = {}  # folded words → the spellings commune.yaml gives
    for name in [commune.name, *(n for a in commune.agencies for n in (a.name, *a.aliases))]:
        words = re.findall(r"\w+", name)
        if words:
            names.setdefault(tuple(_fold(w) for w in words), []).append(name)
    lengths = sorted({len(k) for k in names}, reverse=True)
    lines_of: dict[Path, list[str]] = {}
    for what, text, file, lineno in _titles(doc):
        tokens = list(re.finditer(r"\w+", text or ""))
        folded = [_fold(t[0]) for t in tokens]
        for n in lengths:
            for i in range(len(tokens) - n + 1):
                spellings = names.get(tuple(folded[i:i + n]))
                if not spellings:
                    continue
                found = [_spelling(t[0]) for t in tokens[i:i + n]]
                if any(found == [_spelling(w) for w in re.findall(r"\w+", sp)] for sp in spellings):
                    continue
                written = text[tokens[i].start():tokens[i + n - 1].end()]
                name = spellings[0]
                right = name.upper() if written.isupper() else name
                column = 1
                if file is not None and file.is_file():
                    lines = lines_of.setdefault(file, file.read_text(encoding="utf-8").splitlines())
                    if 0 < lineno <= len(lines) and written in lines[lineno - 1]:
                        column = lines[lineno - 1].index(written) + 1
                report.warning(file, lineno, "name-spelling",
                               f"“{written}” trong {what} viết khác với tên trong commune.yaml (“{name}”).",
                               f"Nếu văn bản gốc cũng viết như vậy thì giữ nguyên văn và ghi chú bằng một dòng `#`; "
                               f"nếu là lỗi khi chép, sửa thành “{right}”; nếu là một tên gọi khác của cơ quan, thêm "
                               "vào `aliases` của cơ quan trong commune.yaml.",
                               column)
