"""``build.py sign`` and ``build.py verify``: what the clerk runs and what they are told.

The argument parsers are in :mod:`planpub.cli`; these functions do the work and print messages in
Vietnamese. No password, key or image content is ever printed.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .inspect import ROLE_NAMES, UnreadablePdf, load_roots, read_signatures, vietnam_time



def _say(text: str) -> None:
    print(text, file=sys.stderr)


def run_sign(args) -> int:
    from ..issuing import IssueRefused, find_document  # noqa: PLC0415
    from ..content import load_and_check  # noqa: PLC0415
    from . import credentials  # noqa: PLC0415
    from .sign import SignRefused, preflight, sign_document  # noqa: PLC0415

    site, report = load_and_check(args.paths.content, args.paths.project)
    if report.errors:
        for d in report.sorted():
            if d.severity == "error":
                _say(d.format())
        _say("Không ký được vì nội dung đang có lỗi; sửa lỗi trước.")
        return 1
    try:
        doc = find_document(site, args.document, args.content)
        preflight(doc, args.role)
        if args.image is not None and not args.image.is_file():
            raise SignRefused(f"Không thấy tệp ảnh {args.image}.")
        if not args.p12.is_file():
            raise SignRefused(f"Không thấy tệp chứng thư số {args.p12}.")
        creds = credentials.load(args.p12, credentials.read_password())
        signed = sign_document(doc, site, args.role, creds, args.image, args.timestamp_url)
    except (IssueRefused, SignRefused, credentials.CredentialsRefused) as exc:
        _say(f"Không ký: {exc}")
        return 1
    for note in signed.notes:
        _say(note)
    try:
        shown = signed.path.relative_to(Path.cwd())
    except ValueError:
        shown = signed.path
    _say(f"Đã ký {doc.id} với vai trò {ROLE_NAMES[args.role]}: {signed.signer}, lúc {vietnam_time(signed.signed_at)}. "
         f"Bản đã ký: {shown} (được công bố nguyên như vậy ở lần dựng sau).")
    if args.role == "signer":
        _say(f"Bước tiếp theo: văn thư ký số của cơ quan: python build.py sign {doc.id} --role organisation "
             "--p12 TỆP_CƠ_QUAN.p12 --image CON_DẤU.png")
    return 0


def _yes_no(value, yes: str, no: str, unknown: str) -> str:
    return unknown if value is None else (yes if value else no)


def run_verify(args) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        _say(f"Không đọc được {args.file} ({exc.strerror}).")
        return 2
    try:
        roots = load_roots(args.trust) if args.trust else None
    except (OSError, ValueError) as exc:
        _say(f"Không đọc được chứng thư gốc ({exc}).")
        return 2
    try:
        signatures = read_signatures(data, roots)
    except UnreadablePdf as exc:
        _say(f"{args.file}: {exc} Tệp có thể đã bị sửa hoặc hỏng.")
        return 1
    print(f"{args.file}: {len(signatures)} chữ ký số.")
    if not signatures:
        print("Tệp không có chữ ký số nào.")
        return 1
    failed = False
    for i, s in enumerate(signatures, 1):
        role = ROLE_NAMES.get(s.role or "", "")
        print(f"{i}. Ô “{s.field}”{f' ({role})' if role else ''}")
        print(f"   Người ký: {s.signer}{f' — {s.organisation}' if s.organisation else ''}")
        when = f"{vietnam_time(s.signed_at)} (theo máy người ký)" if s.signed_at else "không ghi"
        if s.timestamp:
            when = f"{vietnam_time(s.timestamp)} (dấu thời gian)"
        print(f"   Thời điểm ký: {when}; chuẩn {s.level}")
        print(f"   Toàn vẹn: {'nguyên vẹn' if s.ok else 'KHÔNG nguyên vẹn: ' + '; '.join(s.problems)}")
        print("   Tin cậy: " + _yes_no(s.trusted, "có (chuỗi chứng thư dẫn tới chứng thư gốc đã cho)",
                                         "KHÔNG (chứng thư không do chứng thư gốc đã cho cấp, hoặc không hợp lệ)",
                                         "chưa xét (thêm --trust ROOT.pem để kiểm tra)"))
        print(f"   Phạm vi: {'toàn bộ tệp' if s.whole_file else 'một phần tệp (có phần thêm vào sau khi ký)'}"
              f"{'' if s.whole_file else f'; phần thêm sau: {s.modifications}'}")
        if not s.ok or s.trusted is False:
            failed = True
    print("Kết luận: " + ("CÓ CHỮ KÝ KHÔNG HỢP LỆ." if failed else "mọi chữ ký đều nguyên vẹn và hợp lệ."))
    return 1 if failed else 0
