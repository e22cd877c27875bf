"""Issue → sign → seal → verify, tried as a new user would, with the real commands on a copy of
content/ and a test CA the tests create (tests/signing_ca.py), signature and seal PNGs they draw
(tests/signing_images.py) and a local timestamp authority (tests/signing_tsa.py).

Checked against ../shared/ND30.md ("Signed electronic documents") by reading the PDFs: widget
rectangles (pdfplumber, pyHanko), the text of the signature block (pdfplumber), and the colours a
rasteriser draws (pdftoppm)."""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from PIL import Image

from conftest import AS_OF, CONTENT, ROOT
from pdf_helpers import MM, find, fontconfig_without, segments
from signing_ca import PASSWORD, make_ca, make_other_root
from signing_images import opaque_png, seal_png, signature_png
from signing_tsa import TimestampServer

DRAFT = "thien-phu/kh-cchc-2026-2030"           # seed 000, a draft: "Số:    /KH-UBND"
DRAFT_PDF = f"pdf/{DRAFT}.pdf"
SIGNED = f"content/{DRAFT}/signed.pdf"
DECISION, ATTACHED = "tue-tinh/qd-364-2026", "tue-tinh/kh-cchc-2026-2030"  # seed 003, already issued
TITLE, NAME = "CHỦ TỊCH", "Phan Văn Đại"
FIELDS = {"signer": "ChuKyNguoiKy", "organisation": "ChuKyCoQuan"}


# --- running the commands as a clerk does ---------------------------------------------------------

def run(*args: str, cwd: Path, password: str | None = PASSWORD, timeout: int = 900) -> subprocess.CompletedProcess:
    """``python build.py ARGS`` in ``cwd`` (a copy of the project's working folder), the password
    in PLAN_SIGN_PASSWORD (or none at all), no terminal to prompt on."""
    env = {k: v for k, v in os.environ.items() if k != "PLAN_SIGN_PASSWORD"}
    if password is not None:
        env["PLAN_SIGN_PASSWORD"] = password
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        h.update(rel.encode() + b"\0")
        if path.is_file():
            h.update(oct(path.stat().st_mode & 0o777).encode() + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def new_workdir(base: Path) -> Path:
    """A working folder with a fresh copy of content/ (commands run there, like a clerk's)."""
    base.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CONTENT, base / "content")
    return base


def issue(work: Path, doc: str, number: str, when: str) -> subprocess.CompletedProcess:
    return run("issue", doc, "--number", number, "--date", when, "--content", str(work / "content"), cwd=work)


def sign(work: Path, doc: str, role: str, p12: Path, image: Path | None, *extra: str,
         password: str | None = PASSWORD) -> subprocess.CompletedProcess:
    args = ["sign", doc, "--role", role, "--p12", str(p12), "--content", str(work / "content")]
    if image is not None:
        args += ["--image", str(image)]
    return run(*args, *extra, cwd=work, password=password)


def build(work: Path, *extra: str) -> subprocess.CompletedProcess:
    return ok(run("--content", str(work / "content"), "--site", str(work / "site"), "--as-of", AS_OF, *extra,
                  cwd=work))


def check(work: Path, *extra: str) -> subprocess.CompletedProcess:
    return run("check", "--content", str(work / "content"), *extra, cwd=work)


@pytest.fixture(scope="module", autouse=True)
def bundled_content_untouched():
    """Every command here works on a copy: the project's content/ stays as it was."""
    before = tree_hash(CONTENT)
    yield
    assert tree_hash(CONTENT) == before


# --- reading the PDF -------------------------------------------------------------------------------

def widgets(pdf_path: Path) -> dict[str, dict]:
    """Signature widgets by field name: page (0-based) and rectangle (pdfplumber's: y from the top)."""
    out = {}
    with pdfplumber.open(pdf_path) as pdf:
        for i, page in enumerate(pdf.pages):
            for a in page.annots:
                kind = a.get("data", {}).get("FT")
                if getattr(kind, "name", kind) in ("Sig", b"Sig"):
                    out[a["title"]] = {"page": i, "x0": a["x0"], "x1": a["x1"], "top": a["top"],
                                       "bottom": a["bottom"], "height": page.height}
    return out


def block_lines(pdf_path: Path, page: int, title: str, name: str):
    with pdfplumber.open(pdf_path) as pdf:
        segs = segments(pdf.pages[page])
    _, t = find(segs, re.escape(title))
    _, n = find(segs, re.escape(name))
    return t, n


def centre_x(w: dict) -> float:
    return (w["x0"] + w["x1"]) / 2


def centre_y(w: dict) -> float:
    return (w["top"] + w["bottom"]) / 2


def raster(pdf_path: Path, page: int, dpi: int = 100) -> Image.Image:
    out = pdf_path.parent / f".raster-{os.getpid()}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1), "-png", "-singlefile",
                    str(pdf_path), str(out)], check=True)
    img = Image.open(f"{out}.png").convert("RGB")
    Path(f"{out}.png").unlink()
    return img


def coloured(img: Image.Image, dpi: int = 100) -> dict[str, list[tuple[float, float]]]:
    """Points (in PDF points, y from the top) where the page is clearly blue or clearly red."""
    k = 72 / dpi
    px = img.load()
    out = {"blue": [], "red": []}
    for y in range(img.height):
        for x in range(img.width):
            r, g, b = px[x, y]
            if b > 120 and b > r + 60 and b > g + 40:
                out["blue"].append((x * k, y * k))
            elif r > 140 and r > g + 80 and r > b + 80:
                out["red"].append((x * k, y * k))
    return out


def inside(point, w: dict, pad: float = 1.5) -> bool:
    x, y = point
    return w["x0"] - pad <= x <= w["x1"] + pad and w["top"] - pad <= y <= w["bottom"] + pad


def pyhanko_status(pdf_path: Path, root_pem: Path, *, fast_reader: bool = False, skip_diff: bool = True):
    """pyHanko's own validator on every signature, trusting only our root."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from planpub.signing.inspect import open_pdf

    _, _, der = pem.unarmor(root_pem.read_bytes())
    root = x509.Certificate.load(der)
    data = pdf_path.read_bytes()
    reader = open_pdf(data) if fast_reader else PdfFileReader(io.BytesIO(data), strict=False)
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    return [(s, validate_pdf_signature(s, ValidationContext(trust_roots=[root]), skip_diff=skip_diff))
            for s in reader.embedded_signatures]


# --- the whole path, once ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def world(tmp_path_factory):
    """issue the draft of seed 000 → build → sign as signer → sign as organisation → build again."""
    base = tmp_path_factory.mktemp("signing")
    ca = make_ca(base / "ca")
    images = SimpleNamespace(signature=signature_png(base / "ca" / "chu-ky.png"),
                             seal=seal_png(base / "ca" / "con-dau.png"))
    work = new_workdir(base / "work")
    steps = SimpleNamespace(ca=ca, images=images, work=work)
    steps.issue = ok(issue(work, DRAFT, "5", "2026-01-15"))
    steps.build_unsigned = build(work)
    steps.unsigned = base / "unsigned"
    shutil.copytree(work / "site" / "pdf", steps.unsigned)
    steps.sign_signer = ok(sign(work, DRAFT, "signer", ca.signer.p12, images.signature))
    steps.after_signer = base / "after-signer.pdf"
    shutil.copyfile(work / SIGNED, steps.after_signer)
    steps.sign_organisation = ok(sign(work, DRAFT, "organisation", ca.organisation.p12, images.seal))
    steps.signed = work / SIGNED
    steps.build_signed = build(work)
    return steps


# --- issue ---------------------------------------------------------------------------------------------

def test_issue_writes_number_and_date_and_keeps_every_other_line(world):
    before = (CONTENT / DRAFT / "document.yaml").read_text(encoding="utf-8").splitlines()
    after_path = world.work / "content" / DRAFT / "document.yaml"
    after = after_path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after)
    assert [b for _, b in changed] == ['number: "05"', "date: 2026-01-15"]
    assert after_path.stat().st_mode & 0o777 == (CONTENT / DRAFT / "document.yaml").stat().st_mode & 0o777
    assert "Đã ban hành thien-phu/kh-cchc-2026-2030: số 05/KH-UBND, ngày 15/01/2026" in world.issue.stderr


def test_the_built_pdf_shows_the_number_and_the_date(world):
    with pdfplumber.open(world.unsigned / "thien-phu" / "kh-cchc-2026-2030.pdf") as pdf:
        segs = segments(pdf.pages[0])
    find(segs, re.escape("Số: 05/KH-UBND"))
    find(segs, re.escape("Thiên Phú, ngày 15 tháng 01 năm 2026"))


def test_issue_refusals_change_nothing(tmp_path):
    work = new_workdir(tmp_path)
    content = work / "content"
    twin = content / "thien-phu" / "kh-twin-2026"  # a second draft plan of the same commune and type
    shutil.copytree(content / DRAFT, twin)
    ok(issue(work, DRAFT, "5", "2026-01-15"))
    cases = [
        (("thien-phu/kh-twin-2026", "5", "2026-03-02"), "Số 05/KH-UBND năm 2026 đã dùng"),
        (("thien-phu/kh-twin-2026", "6", "2026-01-04"), "trước ngày của căn cứ"),
        ((DRAFT, "7", "2026-02-01"), "đã ban hành: số 05/KH-UBND"),
        ((ATTACHED, "1", "2026-05-01"), "ban hành kèm theo tue-tinh/qd-364-2026"),
        (("thien-phu/khong-co", "1", "2026-05-01"), "Không có văn bản"),
    ]
    for args, message in cases:
        before = tree_hash(content)
        proc = issue(work, *args)
        assert proc.returncode == 1, (args, proc.stderr)
        assert message in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert tree_hash(content) == before, args
    # the same number in another year is a new number
    ok(issue(work, "thien-phu/kh-twin-2026", "5", "2027-01-11"))


# --- signature places in every unsigned PDF ----------------------------------------------------------

def test_every_pdf_has_the_two_empty_fields_over_its_signature_block(world):
    from planpub.pdf.fields import SEAL_DIAMETER_MM

    from planpub.pipeline import load_and_check

    site = load_and_check(world.work / "content", ROOT)[0]
    docs = [d for d in site.documents if not d.attached_to]
    assert len(docs) == 5
    for doc in docs:
        doc_id, title, name = doc.id, doc.signature.title, doc.signature.name
        path = world.unsigned / f"{doc_id}.pdf"
        found = widgets(path)
        assert set(found) == set(FIELDS.values()), (doc_id, found)
        s, o = found[FIELDS["signer"]], found[FIELDS["organisation"]]
        assert s["page"] == o["page"]
        with pdfplumber.open(path) as pdf:
            segs = segments(pdf.pages[s["page"]])
        _, t = find(segs, re.escape(title))
        assert t.bottom < s["top"], (doc_id, "below the title line")
        assert abs(centre_x(s) - t.center) <= 1.0, (doc_id, "centred under the title")
        if name:
            _, n = find(segs, re.escape(name))
            assert s["bottom"] < n.top, (doc_id, "above the name line")
            assert abs(centre_y(s) - (t.bottom + n.top) / 2) <= 3.0, (doc_id, "halfway between the lines")
        # the seal: actual size, over the left third of the signature, on its height
        assert abs((o["x1"] - o["x0"]) - SEAL_DIAMETER_MM * MM) <= 0.5
        assert abs(o["x1"] - (s["x0"] + (s["x1"] - s["x0"]) / 3)) <= 0.5
        assert abs(centre_y(o) - centre_y(s)) <= 0.5
        # ND30: colour only for the signature and the seal, and nothing is drawn yet
        drawn = coloured(raster(path, s["page"]))
        assert not drawn["blue"] and not drawn["red"], doc_id


def test_a_plan_in_its_decisions_file_gets_no_field_of_its_own(world):
    """Seed 003: the plan issued by QĐ 364 is printed in the decision's PDF (ND30: not signed
    separately); the only fields are over the decision's signature block."""
    path = world.unsigned / f"{DECISION}.pdf"
    found = widgets(path)
    with pdfplumber.open(path) as pdf:
        plan_start = next(i for i, p in enumerate(pdf.pages) if i > 0 and any(
            s.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" for s in segments(p)[:3]))
        assert all(not p.annots for p in pdf.pages[plan_start:])
    assert len(found) == 2 and all(w["page"] < plan_start for w in found.values())


def test_the_unsigned_pdf_with_its_fields_is_byte_reproducible(world):
    from planpub.pdf.render import render_document
    from planpub.pipeline import load_and_check

    site, report = load_and_check(world.work / "content", ROOT)
    doc = site.document(DRAFT)
    first, second = render_document(doc, site), render_document(doc, site)
    assert first == second == (world.unsigned / "thien-phu" / "kh-cchc-2026-2030.pdf").read_bytes()
    record = json.loads((world.work / "content" / DRAFT / "signed.json").read_text(encoding="utf-8"))
    assert record["unsigned_sha256"] == hashlib.sha256(first).hexdigest()
    assert world.signed.read_bytes().startswith(first), "signing appends; the unsigned bytes stay as they were"


# --- sign, then seal ----------------------------------------------------------------------------------

def test_pyhanko_validates_both_signatures_and_the_second_covers_the_whole_file(world):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    statuses = pyhanko_status(world.signed, world.ca.root_pem)
    assert [s.field_name for s, _ in statuses] == [FIELDS["signer"], FIELDS["organisation"]]
    for sig, status in statuses:
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    (_, first), (_, second) = statuses
    assert first.signing_cert.subject.native["common_name"] == "Nguyễn Thị Hạnh"
    assert second.signing_cert.subject.native["common_name"] == "UBND xã Thử Nghiệm"
    assert first.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert second.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # what the organisation added after the signer is allowed (a signature in an existing field)
    from pyhanko.sign.diff_analysis import ModificationLevel
    (_, first_full), _ = pyhanko_status(world.signed, world.ca.root_pem, fast_reader=True, skip_diff=False)
    assert first_full.modification_level == ModificationLevel.FORM_FILLING and first_full.bottom_line
    assert first.signer_reported_dt <= second.signer_reported_dt


def test_the_appearances_sit_where_nd30_says(world):
    found = widgets(world.signed)
    s, o = found[FIELDS["signer"]], found[FIELDS["organisation"]]
    assert found == widgets(world.unsigned / "thien-phu" / "kh-cchc-2026-2030.pdf"), "signed in the fields made at build"
    title, name = block_lines(world.signed, s["page"], TITLE, NAME)
    drawn = coloured(raster(world.signed, s["page"]))
    blue, red = drawn["blue"], drawn["red"]
    assert len(blue) > 200 and len(red) > 200
    # the signature image (blue): between the title line and the name line, centred under the title
    assert all(inside(p, s) for p in blue), "no blue outside the signer's field"
    assert title.bottom < min(y for _, y in blue) and max(y for _, y in blue) < name.top
    assert abs((min(x for x, _ in blue) + max(x for x, _ in blue)) / 2 - title.center) <= 3
    # the seal (red): inside its field, over about a third of the signature, on its left
    assert all(inside(p, o) for p in red), "no red outside the seal's field"
    left, right = min(x for x, _ in blue), max(x for x, _ in blue)
    seal_right = max(x for x, _ in red)
    covered = (seal_right - left) / (right - left)
    assert 0.25 <= covered <= 0.42, covered
    assert (min(x for x, _ in red) + seal_right) / 2 < left + (right - left) / 2, "on the left"


def test_a_rebuild_publishes_the_signed_file_byte_identical(world):
    site_pdf = world.work / "site" / DRAFT_PDF
    assert site_pdf.read_bytes() == world.signed.read_bytes()
    build(world.work, "--full")
    assert site_pdf.read_bytes() == world.signed.read_bytes()


def test_the_website_shows_who_signed_when_the_hash_and_the_coverage(world):
    page = (world.work / "site" / "xa" / DRAFT / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="chu-ky-so"'):]
    section = section[:section.index("</table>") + 2000]
    site_pdf = world.work / "site" / DRAFT_PDF
    assert sha256(site_pdf) in section
    assert 'href="../../../pdf/thien-phu/kh-cchc-2026-2030.pdf"' in section
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    cells = [c for c in (re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows) if c]
    assert [c[1].split(" (")[0] for c in cells] == ["Nguyễn Thị Hạnh", "UBND xã Thử Nghiệm"]
    times = [re.search(r'datetime="([^"]+)"', c[2])[1] for c in cells]
    record = json.loads((world.work / "content" / DRAFT / "signed.json").read_text(encoding="utf-8"))
    assert times == [e["signed_at"] for e in record["signatures"]]
    assert all(t.endswith("+07:00") for t in times)
    assert [c[3] for c in cells] == ["Có", "Có"]
    assert cells[0][4].startswith("Không") and cells[1][4] == "Có"
    # the plan issued with a decision shows nothing: its decision here is not signed
    assert 'id="chu-ky-so"' not in (world.work / "site" / "xa" / ATTACHED / "index.html").read_text(encoding="utf-8")


def test_check_warns_when_signed_content_changes_and_the_site_keeps_the_signed_file(world, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(world.work / "content", work / "content")
    proc = ok(check(work))
    assert "signed-" not in proc.stderr
    body = work / "content" / DRAFT / "body.md"
    body.write_text(body.read_text(encoding="utf-8").replace("Thiên Phú", "Thiên Phước", 1), encoding="utf-8")
    proc = check(work)
    assert proc.returncode == 0
    assert "[signed-content-changed]" in proc.stderr and "thien-phu/kh-cchc-2026-2030/body.md" in proc.stderr
    assert check(work, "--strict").returncode == 1
    build(work, "--only", "pdf")
    assert (work / "site" / DRAFT_PDF).read_bytes() == world.signed.read_bytes()


# --- verify -------------------------------------------------------------------------------------------

def test_verify_reports_each_signature(world, tmp_path):
    proc = ok(run("verify", str(world.signed), "--trust", str(world.ca.root_pem), cwd=world.work))
    out = proc.stdout
    assert "2 chữ ký số" in out
    assert out.count("Toàn vẹn: nguyên vẹn") == 2 and out.count("Tin cậy: có") == 2
    assert "Người ký: Nguyễn Thị Hạnh" in out and "Người ký: UBND xã Thử Nghiệm" in out
    assert re.search(r"Thời điểm ký: 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", out)
    assert "Phạm vi: toàn bộ tệp" in out.split("2. ")[1]
    # without a root: trust not judged, still exit 0; with another root: not trusted, exit 1
    assert "chưa xét" in ok(run("verify", str(world.signed), cwd=world.work)).stdout
    other = run("verify", str(world.signed), "--trust", str(make_other_root(tmp_path)), cwd=world.work)
    assert other.returncode == 1 and "Tin cậy: KHÔNG" in other.stdout
    # the unsigned PDF: no signature, exit 1
    unsigned = run("verify", str(world.unsigned / "thien-phu" / "kh-cchc-2026-2030.pdf"), cwd=world.work)
    assert unsigned.returncode == 1 and "không có chữ ký số" in unsigned.stdout


def test_verify_reports_one_tampered_byte(world, tmp_path):
    data = bytearray(world.signed.read_bytes())
    # one byte in the middle of the first page content stream, which both signatures cover
    stream = re.search(rb"\d+ 0 obj\s*<</Filter /FlateDecode/Length (\d+)>>\s*stream\r?\n", bytes(data))
    assert stream and int(stream[1]) > 400
    data[stream.end() + int(stream[1]) // 2] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    proc = run("verify", str(tampered), "--trust", str(world.ca.root_pem), cwd=world.work)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "KHÔNG nguyên vẹn" in proc.stdout and "CÓ CHỮ KÝ KHÔNG HỢP LỆ" in proc.stdout
    assert "Traceback" not in proc.stderr
    assert not any(status.intact for _, status in pyhanko_status(tampered, world.ca.root_pem))


# --- refusals: a clear message, nothing changed ----------------------------------------------------------

@pytest.fixture(scope="session")
def issued_work(world, tmp_path_factory):
    """A working folder where the draft is issued but not signed."""
    work = new_workdir(tmp_path_factory.mktemp("issued"))
    ok(issue(work, DRAFT, "5", "2026-01-15"))
    return work


def _refused(work: Path, proc: subprocess.CompletedProcess, before: str, *words: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith("Không ký: ") or "\nKhông ký: " in proc.stderr, proc.stderr
    for w in words:
        assert w in proc.stderr, (w, proc.stderr)
    assert "Traceback" not in proc.stderr and PASSWORD not in proc.stderr + proc.stdout
    assert tree_hash(work / "content") == before


def test_a_wrong_password_is_refused_and_changes_nothing(world, issued_work):
    before = tree_hash(issued_work / "content")
    proc = sign(issued_work, DRAFT, "signer", world.ca.signer.p12, world.images.signature, password="sai mật khẩu")
    _refused(issued_work, proc, before, "Sai mật khẩu", "signer.p12", "Không có gì bị thay đổi")
    proc = sign(issued_work, DRAFT, "signer", world.ca.signer.p12, world.images.signature, password=None)
    _refused(issued_work, proc, before, "PLAN_SIGN_PASSWORD")


def test_a_certificate_that_cannot_sign_is_refused_and_changes_nothing(world, issued_work):
    before = tree_hash(issued_work / "content")
    proc = sign(issued_work, DRAFT, "signer", world.ca.cannot_sign.p12, world.images.signature)
    _refused(issued_work, proc, before, "không dùng để ký văn bản được", "nonRepudiation", "Máy chủ mã hóa")


def test_other_refusals_change_nothing(world, issued_work, tmp_path):
    content = issued_work / "content"
    before = tree_hash(content)
    ca, img = world.ca, world.images
    _refused(issued_work, sign(issued_work, "phu-trung/kh-cchc-2026-2030", "signer", ca.signer.p12, img.signature),
             before, "còn là dự thảo", "build.py issue")
    _refused(issued_work, sign(issued_work, DRAFT, "organisation", ca.organisation.p12, img.seal),
             before, "chưa có chữ ký của người có thẩm quyền")
    _refused(issued_work, sign(issued_work, ATTACHED, "signer", ca.signer.p12, img.signature),
             before, "hãy ký tue-tinh/qd-364-2026")
    _refused(issued_work, sign(issued_work, DRAFT, "signer", ca.signer.p12, opaque_png(tmp_path / "trang.png")),
             before, "nền trong suốt")
    _refused(issued_work, sign(issued_work, DRAFT, "signer", ca.signer.p12, ca.root_pem),
             before, "không phải ảnh PNG")
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _refused(issued_work, sign(issued_work, DRAFT, "signer", ca.signer.p12, img.signature,
                               "--timestamp-url", f"http://127.0.0.1:{port}/tsa"),
             before, "Không lấy được dấu thời gian", "Không có gì bị thay đổi")
    # and once signed, the same role cannot sign again
    _refused(world.work, sign(world.work, DRAFT, "signer", ca.signer.p12, img.signature),
             tree_hash(world.work / "content"), "đã được ký")
    _refused(world.work, sign(world.work, DRAFT, "organisation", ca.organisation.p12, img.seal),
             tree_hash(world.work / "content"), "đã được ký")


def test_signing_without_a_usable_font_says_so_like_the_build(world, issued_work, tmp_path):
    """The PDF to sign is rendered first: with no Times New Roman nor Liberation Serif the clerk reads
    the build's font message (exit 3), not an internal error, and nothing changes."""
    conf = fontconfig_without(tmp_path, ["*/LiberationSerif*"])
    before = tree_hash(issued_work / "content")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FONTCONFIG_FILE": str(conf), "PLAN_SIGN_PASSWORD": PASSWORD}
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "sign", DRAFT, "--role", "signer",
                           "--p12", str(world.ca.signer.p12), "--image", str(world.images.signature),
                           "--content", str(issued_work / "content")],
                          cwd=issued_work, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith("Không ký được: Không tìm thấy phông chữ Times New Roman"), proc.stderr
    assert "Lỗi nội bộ" not in proc.stderr and "Traceback" not in proc.stderr
    assert tree_hash(issued_work / "content") == before


# --- PAdES B-T with a timestamp authority; seed 003's decision -----------------------------------------

def test_b_t_with_a_timestamp_server_on_the_decision_of_seed_003(world, tmp_path):
    work = new_workdir(tmp_path)
    ca, img = world.ca, world.images
    tsa = TimestampServer(ca.tsa, ca.root)
    with tsa as url:
        ok(sign(work, DECISION, "signer", ca.signer.p12, img.signature, "--timestamp-url", url))
        ok(sign(work, DECISION, "organisation", ca.organisation.p12, img.seal, "--timestamp-url", url))
    assert tsa.requests >= 2  # pyHanko also asks once per signature to size the token
    signed = work / "content" / DECISION / "signed.pdf"
    proc = ok(run("verify", str(signed), "--trust", str(ca.root_pem), cwd=work))
    assert proc.stdout.count("(dấu thời gian); chuẩn PAdES B-T") == 2, proc.stdout
    statuses = pyhanko_status(signed, ca.root_pem)
    for _, status in statuses:
        assert status.timestamp_validity is not None and status.timestamp_validity.trusted
        assert status.intact and status.valid and status.trusted
    # the plan printed with the decision shows the decision's signatures on its page
    build(work, "--only", "pdf", "--only", "website")
    plan_page = (work / "site" / "xa" / ATTACHED / "index.html").read_text(encoding="utf-8")
    assert 'id="chu-ky-so"' in plan_page and sha256(signed) in plan_page
    assert (work / "site" / "pdf" / f"{DECISION}.pdf").read_bytes() == signed.read_bytes()
    # our faster reader gives pyHanko's answer, modification analysis included
    stock = pyhanko_status(signed, ca.root_pem, skip_diff=False)
    fast = pyhanko_status(signed, ca.root_pem, fast_reader=True, skip_diff=False)
    assert [(s.modification_level, s.coverage, s.intact, s.valid, s.trusted) for _, s in stock] == \
           [(s.modification_level, s.coverage, s.intact, s.valid, s.trusted) for _, s in fast]


# --- issue 17: a signed file is what it claims; every output agrees after signing ------------------------

def _copy_signed_work(world, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(world.work / "content", work / "content")
    return work


def _record_sha(work: Path) -> None:
    """What an attacker does after replacing signed.pdf: write its SHA-256 into signed.json."""
    path = work / "content" / DRAFT / "signed.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["signed_sha256"] = sha256(work / SIGNED)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")


def _refused_build(work: Path, key: str) -> None:
    """check says ``key`` at signed.pdf; the build publishes the other communes and leaves this
    commune (never built without errors here) out: the refused file is not published."""
    proc = check(work)
    assert proc.returncode == 1, proc.stderr
    assert re.search(rf"{re.escape(SIGNED.removeprefix('content/'))}:1:1: lỗi \[{key}\] .+\n    Cách sửa: ", proc.stderr)
    site = work / "site"
    proc = run("--content", str(work / "content"), "--site", str(site), "--as-of", AS_OF, cwd=work)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "Lỗi nội bộ" not in proc.stderr, proc.stderr
    assert "Chưa công bố: xã Thiên Phú" in proc.stderr
    assert not (site / DRAFT_PDF).exists() and not (site / "xa" / "thien-phu").exists()
    assert (site / "pdf" / f"{DECISION}.pdf").is_file()  # the other communes are published


def test_check_refuses_a_signed_pdf_with_one_byte_flipped_even_with_its_hash_recorded(world, tmp_path):
    work = _copy_signed_work(world, tmp_path)
    data = bytearray((work / SIGNED).read_bytes())
    stream = re.search(rb"\d+ 0 obj\s*<</Filter /FlateDecode/Length (\d+)>>\s*stream\r?\n", bytes(data))
    data[stream.end() + int(stream[1]) // 2] ^= 0x01
    (work / SIGNED).write_bytes(bytes(data))
    _record_sha(work)
    _refused_build(work, "signed-pdf-invalid")


def test_check_refuses_an_incremental_update_that_paints_over_page_1(world, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    work = _copy_signed_work(world, tmp_path)
    writer = IncrementalPdfFileWriter(io.BytesIO((work / SIGNED).read_bytes()), strict=False)
    paint = writer.add_object(generic.StreamObject(stream_data=b"q 1 1 1 rg 300 700 200 60 re f Q"))
    writer.add_stream_to_page(0, paint)
    out = io.BytesIO()
    writer.write(out)
    (work / SIGNED).write_bytes(out.getvalue())
    _record_sha(work)
    # pyHanko itself sees the signatures intact: only the analysis of what was added finds the paint
    assert all(status.intact for _, status in pyhanko_status(work / SIGNED, world.ca.root_pem))
    _refused_build(work, "signed-pdf-invalid")


def test_check_refuses_a_signed_pdf_replaced_without_its_record(world, tmp_path):
    work = _copy_signed_work(world, tmp_path)
    shutil.copyfile(world.unsigned / "thien-phu" / "kh-cchc-2026-2030.pdf", work / SIGNED)
    _refused_build(work, "signed-pdf-replaced")


def test_every_output_marks_content_changed_after_signing(world, tmp_path):
    from planpub.website import paths

    def outputs(site: Path) -> dict:
        plans = json.loads((site / "data" / "plans.json").read_text(encoding="utf-8"))
        with (site / "data" / "tasks.csv").open(encoding="utf-8-sig") as f:
            import csv
            rows = [r for r in csv.DictReader(f) if r["plan_id"] == DRAFT]
        doc = next(d for d in plans["documents"] if d["id"] == DRAFT)
        def unfold(path: str) -> str:  # an iCalendar line folded at 75 octets, joined again
            return (site / path).read_text(encoding="utf-8").replace("\r\n ", "")

        return {"signed": doc["signed"], "rows": {r["changed_after_signing"] for r in rows},
                "first": rows[0]["content"], "feed": unfold(paths.FEED),
                "ics": unfold(paths.plan_calendar(DRAFT)),
                "task": (site / paths.output(paths.task_page(f"{DRAFT}/{rows[0]['task_id']}"))).read_text(encoding="utf-8")}

    note = "đã được sửa sau khi văn bản được ký số"
    before = outputs(world.work / "site")
    assert before["signed"] == {"signed_sha256": sha256(world.signed), "content_changed_after_signing": False}
    assert before["rows"] == {"false"}
    assert note not in before["feed"] + before["ics"] + before["task"]

    work = _copy_signed_work(world, tmp_path)
    appendix = work / "content" / DRAFT / "appendix-01.yaml"
    appendix.write_text(appendix.read_text(encoding="utf-8").replace('content: "Rà soát, hoàn thiện',
                                                                     'content: "Rà soát lại, hoàn thiện', 1),
                        encoding="utf-8")
    build(work)
    after = outputs(work / "site")
    assert after["first"].startswith("Rà soát lại")  # the edited text, marked as such everywhere
    assert after["signed"]["content_changed_after_signing"] is True
    assert after["rows"] == {"true"}
    feed_entry = after["feed"][after["feed"].index("Thiên Phú"):]
    assert note in feed_entry and note in after["ics"] and note in after["task"]
    assert (work / "site" / DRAFT_PDF).read_bytes() == world.signed.read_bytes()


def test_the_signer_is_warned_when_the_certificate_names_someone_else(world):
    # the test certificate is Nguyễn Thị Hạnh's; document.yaml names Phan Văn Đại
    assert "chứng thư số mang tên “Nguyễn Thị Hạnh”, khác người ký" in world.sign_signer.stderr
    proc = check(world.work)
    assert re.search(r"document\.yaml:\d+:\d+: cảnh báo \[signer-name-mismatch\] .*Phan Văn Đại", proc.stderr)


def test_a_certificate_not_yet_valid_is_called_so(world, issued_work, tmp_path):
    from signing_ca import make_signer

    p12 = make_signer(world.ca, tmp_path, "Phan Văn Đại", "tomorrow.p12", starts_in_days=2)
    proc = sign(issued_work, DRAFT, "signer", p12, world.images.signature)
    _refused(issued_work, proc, tree_hash(issued_work / "content"), "chưa có hiệu lực")
    assert "không còn hiệu lực" not in proc.stderr


def test_verify_prints_certificate_names_without_control_characters(world, tmp_path):
    from signing_ca import make_signer

    work = new_workdir(tmp_path / "w")
    ok(issue(work, DRAFT, "5", "2026-01-15"))
    p12 = make_signer(world.ca, tmp_path, "Phan Văn Đại\r\x1b[2KNguyễn Thị Hạnh\u202e", "control.p12")
    ok(sign(work, DRAFT, "signer", p12, world.images.signature))
    proc = run("verify", str(work / SIGNED), cwd=work)
    assert "Người ký: Phan Văn Đại\ufffd\ufffd[2KNguyễn Thị Hạnh\ufffd" in proc.stdout, proc.stdout
    assert not any(c in proc.stdout + proc.stderr for c in "\r\x1b\u202e")
