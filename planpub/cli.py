"""Command line: ``planpub [build|check|…] …`` (``python build.py …`` in a checkout). Messages are
for a commune clerk.

This module only parses arguments, runs the command (a build is :class:`planpub.pipeline.Pipeline`),
prints what it returns and turns exceptions into exit codes: content errors 1, a command line error
2, :class:`BuildFailed` 3, an interruption 130, a defect of ours 3 with the details in a file.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from datetime import date
from pathlib import Path

from .errors import BuildFailed, ContentInvalid
from .settings import STAGES, BuildOptions, Paths

DESCRIPTION = """\
Xuất bản kế hoạch của xã: kiểm tra nội dung trong content/, dựng trang web và bản PDF
theo thể thức Nghị định 30/2020/NĐ-CP vào site/.

Publish commune plans: check content/, build the website and the official PDFs into site/."""

EPILOG = """\
Ví dụ / examples:
  python build.py                 dựng toàn bộ site/ (web, PDF, dữ liệu mở)
  python build.py check           chỉ kiểm tra nội dung, không ghi gì
  python build.py check --strict  coi cảnh báo là lỗi
  python build.py --full          dựng lại tất cả, bỏ qua bộ nhớ đệm
  python build.py issue xa/van-ban --number 5 --date 2026-01-15      ban hành dự thảo
  python build.py sign xa/van-ban --role signer --p12 ky.p12 --image chu-ky.png
  python build.py sign xa/van-ban --role organisation --p12 coquan.p12 --image con-dau.png
  python build.py verify site/pdf/xa/van-ban.pdf --trust goc.pem      kiểm tra chữ ký số
  python build.py report xa/ke-hoach --period 2026-Q1                 viết dự thảo báo cáo kết quả

Mã thoát / exit codes: 0 thành công, 1 nội dung có lỗi, 2 lỗi dòng lệnh, 3 lỗi khi dựng."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (dạng YYYY-MM-DD)") from None


#: argparse's own words (it looks them up through ``argparse._``, gettext's hook), in Vietnamese
_ARGPARSE_VI = {"usage: ": "cách dùng: ", "options": "tùy chọn", "positional arguments": "tham số",
                "show this help message and exit": "in hướng dẫn này rồi thoát"}
argparse._ = lambda text: _ARGPARSE_VI.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with its complaints said in Vietnamese (its own are English)."""

    _VI = ((r"unrecognized arguments: (.*)", r"không hiểu: \1"),
           (r"the following arguments are required: (.*)", r"thiếu: \1"),
           (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"\1: không có lựa chọn \2 (chọn một trong: \3)"),
           (r"argument (\S+): expected one argument", r"\1: cần một giá trị"),
           (r"argument (\S+): invalid (\S+) value: (.*)", r"\1: giá trị không hợp lệ: \3"),
           (r"argument (\S+): (.*)", r"\1: \2"))

    def error(self, message: str):  # type: ignore[override]
        for pattern, vi in self._VI:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, vi, message)
                break
        self.print_usage(sys.stderr)
        command = self.prog.split()[0]
        self.exit(2, f"{self.prog}: lỗi dòng lệnh: {message}\n(xem: {_invocation(command)} --help)\n")


def _invocation(prog: str) -> str:
    """How the clerk ran us: ``python build.py`` or ``planpub``."""
    return f"python {prog}" if prog.endswith(".py") else prog


#: The options every command of this list takes, before or after the command's name; their values
#: when not given. Each option means the same wherever it is written, and one that the command
#: does not take is refused (``build.py --site X check`` is an error, not a silent no-op).
#: (``content``, ``site``, ``build_dir``, ``cache_dir``: None means the default of :class:`Paths`.)
OPTION_DEFAULTS = {"content": None, "strict": False, "quiet": False, "site": None, "build_dir": None,
                   "cache_dir": None, "as_of": None, "full": False, "only": None}
COMMAND_OPTIONS = {"build": set(OPTION_DEFAULTS), "check": {"content", "strict", "quiet", "as_of", "cache_dir"},
                   "issue": {"content", "quiet"}, "sign": {"content"}, "verify": set(),
                   "report": {"content", "quiet", "as_of"}}


def _as_of_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_date, default=argparse.SUPPRESS, metavar="YYYY-MM-DD",
                        help="ngày coi là hôm nay (thời hạn sắp tới, tình trạng nhiệm vụ, ngày muộn nhất của "
                             "tiến độ); mặc định: hôm nay")


def _common_options(parser: argparse.ArgumentParser, build: bool, as_of: bool = False) -> None:
    """The shared options, without defaults (filled in by :func:`parse_args`, so that a value given
    before the command's name is not overwritten by the command's default)."""
    s = argparse.SUPPRESS
    parser.add_argument("--content", type=Path, default=s, metavar="DIR",
                        help="thư mục nội dung (mặc định: content/)")
    parser.add_argument("--strict", action="store_true", default=s, help="coi cảnh báo là lỗi (thoát mã 1)")
    parser.add_argument("-q", "--quiet", action="store_true", default=s, help="không in cảnh báo")
    if as_of or build:
        _as_of_option(parser)
    parser.add_argument("--cache-dir", type=Path, default=s, metavar="DIR",
                        help="bộ nhớ đệm: PDF đã dựng, dấu của lần dựng trước, phông chữ (mặc định: .cache/ "
                             "cạnh content/ nếu ở đó có mkdocs.yml, nếu không thì trong thư mục hiện tại)")
    if not build:
        return
    parser.add_argument("--site", type=Path, default=s, metavar="DIR", help="thư mục kết quả (mặc định: site/)")
    parser.add_argument("--build-dir", type=Path, default=s, metavar="DIR",
                        help="thư mục làm việc của lần dựng, giữ lại giữa các lần (mặc định: build/)")
    parser.add_argument("--full", action="store_true", default=s, help="dựng lại tất cả, không dùng bộ nhớ đệm")
    parser.add_argument("--only", choices=["data", "pdf", "website"], action="append", default=s,
                        help="chỉ dựng phần này (có thể lặp lại)")


def make_parser(prog: str = "build.py") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description=DESCRIPTION, epilog=EPILOG.replace("python build.py", _invocation(prog)),
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    _common_options(parser, build=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _common_options(sub.add_parser("build", help="dựng site/ (mặc định)",
                                   description="Kiểm tra nội dung rồi dựng trang web, PDF và dữ liệu mở vào site/. "
                                               "Xã nào có lỗi thì giữ nguyên bản đã công bố của xã đó (xã mới chưa dựng thành công lần nào thì chưa "
                                               "công bố), các xã khác vẫn được dựng; khi đó mã thoát là 1."), build=True)
    _common_options(sub.add_parser(
        "check", help="kiểm tra nội dung, báo lỗi theo tệp:dòng:cột",
        description="Kiểm tra toàn bộ content/: cú pháp YAML, trường thiếu hay lạ, cơ quan không có "
                    "trong danh sách, số thứ tự nhiệm vụ trùng hay nhảy, thứ tự điểm a b c d đ e g h …, "
                    "ngày không tồn tại, số và ký hiệu theo ND30, thời hạn không đọc được, tiến độ (progress.yaml)."),
        build=False, as_of=True)
    issue = sub.add_parser("issue", help="ban hành một dự thảo: điền số và ngày",
                           description="Ban hành dự thảo: ghi số và ngày vào document.yaml (giữ nguyên các dòng khác). "
                                       "Từ chối số đã dùng trong năm cho cùng loại văn bản và cơ quan, "
                                       "và ngày trước ngày của văn bản làm căn cứ.")
    issue.add_argument("--content", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                       help="thư mục nội dung (mặc định: content/)")
    issue.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="không in cảnh báo")
    issue.add_argument("document", help="mã văn bản (vd. thien-phu/kh-cchc-2026-2030) hoặc thư mục của nó")
    issue.add_argument("--number", type=int, required=True, help="số văn bản (số dưới 10 tự thêm số 0: 5 → 05)")
    issue.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD", help="ngày ban hành")
    sign = sub.add_parser(
        "sign", help="ký số văn bản đã ban hành (người ký, rồi văn thư đóng dấu)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Ký số bản PDF của văn bản đã ban hành, theo ND30 (chữ ký PAdES, pyHanko):\n"
                    "  --role signer        người có thẩm quyền ký trước: ảnh chữ ký (PNG xanh, nền trong suốt)\n"
                    "                       đặt giữa dòng chức vụ và dòng họ tên;\n"
                    "  --role organisation  văn thư ký số của cơ quan sau: ảnh con dấu (PNG đỏ, nền trong suốt)\n"
                    "                       trùm lên khoảng 1/3 ảnh chữ ký, về phía bên trái.\n"
                    "Bản đã ký lưu cùng văn bản: content/<xã>/<văn bản>/signed.pdf (và signed.json ghi mã băm\n"
                    "nội dung lúc ký); lần dựng sau công bố nguyên tệp đó, không dựng lại.\n"
                    "Mật khẩu tệp .p12 lấy từ biến môi trường PLAN_SIGN_PASSWORD, nếu không có thì hỏi\n"
                    "(không hiện khi gõ, không ghi vào đâu). Từ chối: dự thảo chưa ban hành, sai mật khẩu,\n"
                    "chứng thư số không có quyền ký (thiếu nonRepudiation); khi từ chối, không thay đổi gì.",
        epilog="Mã thoát / exit codes: 0 đã ký, 1 từ chối ký (lý do in ra), 2 lỗi dòng lệnh.")
    sign.add_argument("document", help="mã văn bản (vd. thien-phu/kh-cchc-2026-2030) hoặc thư mục của nó")
    sign.add_argument("--content", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                      help="thư mục nội dung (mặc định: content/)")
    sign.add_argument("--role", choices=["signer", "organisation"], required=True,
                      help="signer: người có thẩm quyền ký; organisation: chữ ký số của cơ quan (văn thư)")
    sign.add_argument("--p12", type=Path, required=True, metavar="FILE",
                      help="tệp chứng thư số và khóa bí mật (PKCS#12: .p12, .pfx)")
    sign.add_argument("--image", type=Path, metavar="PNG",
                      help="ảnh chữ ký (signer) hoặc ảnh con dấu (organisation): PNG nền trong suốt")
    sign.add_argument("--timestamp-url", metavar="URL",
                      help="địa chỉ máy chủ cấp dấu thời gian (RFC 3161): chữ ký PAdES B-T; không có: PAdES B-B")
    verify = sub.add_parser(
        "verify", help="kiểm tra chữ ký số trong một tệp PDF",
        description="Liệt kê từng chữ ký số trong tệp PDF: người ký, thời điểm ký (giờ Việt Nam), còn nguyên vẹn "
                    "hay không, có tin cậy được theo chứng thư gốc đã cho hay không, có phủ toàn bộ tệp hay không. "
                    "Không tải gì từ mạng.",
        epilog="Mã thoát / exit codes: 0 mọi chữ ký nguyên vẹn (và tin cậy, nếu có --trust), "
               "1 có chữ ký hỏng, không tin cậy hoặc tệp không có chữ ký, 2 không đọc được tệp.")
    verify.add_argument("file", type=Path, metavar="FILE.pdf", help="tệp PDF cần kiểm tra")
    report = sub.add_parser(
        "report", help="viết dự thảo báo cáo kết quả thực hiện một kế hoạch (quý, 6 tháng, năm)",
        description="Viết vào content/ dự thảo Báo cáo kết quả thực hiện kế hoạch trong một kỳ: document.yaml "
                    "(ký hiệu …/BC-UBND), body.md có sẵn số liệu tổng hợp và các phần để cán bộ viết tiếp, "
                    "Phụ lục I (tình trạng từng nhiệm vụ, kết quả, minh chứng) và Phụ lục II (chỉ tiêu: kế hoạch "
                    "và thực hiện), tính đến ngày cuối kỳ. Sau đó kiểm tra, ban hành (issue), ký (sign) như mọi văn bản.",
        epilog="Mã thoát / exit codes: 0 đã viết, 1 từ chối (lý do in ra), 2 lỗi dòng lệnh.")
    report.add_argument("--content", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                        help="thư mục nội dung (mặc định: content/)")
    report.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="không in cảnh báo")
    _as_of_option(report)
    report.add_argument("document", help="mã kế hoạch (vd. minh-hoa/kh-cchc-2026) hoặc thư mục của nó")
    report.add_argument("--period", required=True, metavar="KỲ",
                        help="kỳ báo cáo: 2026-Q1 … 2026-Q4 (quý), 2026-H1, 2026-H2 (6 tháng), 2026 (năm)")
    verify.add_argument("--trust", type=Path, action="append", metavar="ROOT.pem",
                        help="chứng thư gốc tin cậy (PEM hoặc DER; có thể lặp lại)")
    return parser


def parse_args(argv: list[str] | None = None, prog: str = "build.py") -> argparse.Namespace:
    """Parse the command line; refuse an option the command does not take; fill in the defaults;
    ``args.paths`` is every folder the command reads or writes."""
    parser = make_parser(prog)
    args = parser.parse_args(argv)
    command = args.command = args.command or "build"
    flags = {"content": "--content", "strict": "--strict", "quiet": "--quiet", "site": "--site",
             "build_dir": "--build-dir", "cache_dir": "--cache-dir", "as_of": "--as-of", "full": "--full",
             "only": "--only"}
    for dest, flag in flags.items():
        if dest in vars(args) and dest not in COMMAND_OPTIONS[command]:
            parser.error(f"tùy chọn {flag} không dùng với lệnh {command}")
    for dest in COMMAND_OPTIONS[command]:
        if dest not in vars(args):
            setattr(args, dest, OPTION_DEFAULTS[dest])
    given = vars(args)
    args.paths = Paths.from_options(content=given.get("content"), site=given.get("site"),
                                    build=given.get("build_dir"), cache=given.get("cache_dir"))
    if "content" in COMMAND_OPTIONS[command]:
        args.content = args.paths.content
    return args


def _print_report(report, quiet: bool) -> None:
    for d in report.sorted():
        if quiet and d.severity != "error":
            continue
        print(d.format(), file=sys.stderr)


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Run one command; return its exit code. ``prog``: how the clerk calls us (default: the name
    of the script run, ``build.py`` or ``planpub``)."""
    prog = prog or os.path.basename(sys.argv[0] or "") or "planpub"
    args = parse_args(argv, "build.py" if prog.endswith(".py") else prog)
    command = args.command
    try:
        return _run(command, args)
    except ContentInvalid:  # already printed, at the right lines
        if command == "build":
            print("Không dựng site/ vì nội dung có lỗi; site/ cũ giữ nguyên.", file=sys.stderr)
        return 1
    except BuildFailed as exc:  # the machine (a font, a library), not our code and not the content
        print(f"{_FAILED[command]}: {exc}\nsite/ cũ giữ nguyên.", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu; site/ cũ giữ nguyên.", file=sys.stderr)
        return 130
    except Exception:  # a defect of ours, not of the content: short message, details in a file
        log = args.paths.error_log
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            log = None
        where = f"Chi tiết kỹ thuật đã ghi vào {_shown(log)}; hãy gửi tệp này cho bộ phận kỹ thuật." if log else \
            "Không ghi được chi tiết kỹ thuật:\n" + traceback.format_exc()
        print(f"Lỗi nội bộ của chương trình (không phải do nội dung); site/ cũ giữ nguyên.\n{where}", file=sys.stderr)
        return 3


def _shown(path: Path) -> str:
    """A path as the clerk reads it: relative to the current directory when it is inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


_FAILED = {"build": "Dựng thất bại", "check": "Kiểm tra thất bại", "issue": "Không ban hành được",
           "sign": "Không ký được", "verify": "Không kiểm tra được", "report": "Không viết được báo cáo"}


def _report(args) -> int:
    from .issuing import IssueRefused, find_document
    from .reporting import ReportRefused, write_report

    today = args.as_of or date.today()
    site = _load_or_refuse(args.paths, "Không viết báo cáo", today)
    if site is None:
        return 1
    try:
        plan = find_document(site, args.document, args.content)
        folder = write_report(site, plan, args.period, today)
    except (IssueRefused, ReportRefused) as exc:
        print(f"Không viết báo cáo: {exc}", file=sys.stderr)
        return 1
    print(f"Đã viết dự thảo báo cáo vào {folder}. Viết tiếp body.md (các dòng “[Cán bộ ghi tiếp: …]”), "
          f"kiểm tra (build.py check), rồi ban hành và ký như mọi văn bản.", file=sys.stderr)
    return 0


def _load_or_refuse(paths: Paths, refusal: str, as_of: date | None = None):
    """The content for a command that changes it (issue, report): None, with its errors printed and
    ``refusal`` said, when the content has errors."""
    from .pipeline import Pipeline

    pipeline = Pipeline(BuildOptions(paths, as_of=as_of or date.today()),
                        on_checked=lambda site, report: _print_report(report, True))
    try:
        site, _ = pipeline.check()
    except ContentInvalid:  # errors (warnings refuse nothing here: strict is off)
        print(f"{refusal} vì nội dung đang có lỗi; sửa lỗi trước.", file=sys.stderr)
        return None
    return site


def _issue(args) -> int:
    from . import numbering
    from .issuing import IssueRefused, find_document, issue_document

    site = _load_or_refuse(args.paths, "Không ban hành được")
    if site is None:
        return 1
    try:
        doc = find_document(site, args.document, args.content)
        path = issue_document(site, doc, args.number, args.date)
    except IssueRefused as exc:
        print(f"Không ban hành: {exc}", file=sys.stderr)
        return 1
    print(f"Đã ban hành {doc.id}: số {numbering.number_text(str(args.number), doc.symbol, args.date.year if doc.normative else None)}, "
          f"ngày {args.date:%d/%m/%Y} "
          f"(đã ghi vào {path.relative_to(args.content.resolve().parent) if path.is_relative_to(args.content.resolve().parent) else path}).",
          file=sys.stderr)
    return 0


def _run(command: str, args) -> int:
    if command == "issue":
        return _issue(args)
    if command == "report":
        return _report(args)
    if command in ("sign", "verify"):
        from .signing import commands
        return commands.run_sign(args) if command == "sign" else commands.run_verify(args)
    return _check_or_build(command, args)


def _check_or_build(command: str, args) -> int:
    from .pipeline import Pipeline

    if command == "check":
        options = BuildOptions(args.paths, as_of=args.as_of or date.today(), strict=args.strict)
    else:
        stages = tuple(s for s in STAGES if s in args.only) if args.only else STAGES
        options = BuildOptions(args.paths, as_of=args.as_of or date.today(), full=args.full, strict=args.strict,
                               stages=stages)

    def checked(site, report) -> None:
        _print_report(report, args.quiet)
        print(f"Kiểm tra: {len(site.documents)} văn bản, "
              f"{sum(len(d.tasks) for d in site.documents)} nhiệm vụ, "
              f"{sum(len(d.targets) for d in site.documents)} chỉ tiêu; {report.summary(strict=args.strict)}.",
              file=sys.stderr)

    pipeline = Pipeline(options, on_checked=checked)
    if command == "check":
        pipeline.check()
        return 0
    try:
        result = pipeline.run()
    finally:
        for notice in options.notices:  # about the machine: each once, whatever the build's outcome
            print(notice.format(), file=sys.stderr)
    if result.up_to_date:
        print(f"Không có gì thay đổi; {_shown(args.paths.site)} đã mới nhất.", file=sys.stderr)
    else:
        print(f"Đã dựng {_shown(args.paths.site)}.", file=sys.stderr)
    if result.outcome:  # communes kept at their last good state, or left out: said, and exit 1
        print(result.outcome, file=sys.stderr)
        return 1
    return 0


def run() -> None:
    """The ``planpub`` command (``[project.scripts]`` in pyproject.toml)."""
    sys.exit(main(prog="planpub"))
