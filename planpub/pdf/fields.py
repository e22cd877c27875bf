"""Empty signature fields in every PDF, over the places ND30 gives the signatures.

ND30 ("Signed electronic documents", ``../shared/ND30.md``):

- the signer's digital signature shows as the image of their signature, centred between the title
  line and the name line of the signature block;
- the organisation's digital signature shows as the image of its seal, at actual size, covering
  about a third of the signature image, on its left.

Where the block is comes from the layout itself: the signature template gives the space between the
title and the name the id :data:`SIGNATURE_SPACE_ID`, and WeasyPrint reports the rectangle of that
element on its page (``Page.anchors``). :func:`add_signature_fields` is a WeasyPrint *finisher*: it
adds the two fields to the PDF WeasyPrint is about to write, so the unsigned PDF stays one revision,
byte-reproducible, with its PDF/A metadata untouched (pyHanko's writer would append an update with
a random file identifier and the current time).

Each field is a merged field/widget (``/FT /Sig``) with an empty appearance stream (PDF/A wants one
on every visible annotation) and the Print flag. Any signing tool that lists signature fields signs
exactly there; ``build.py sign`` fills them (:mod:`planpub.signing.sign`).

A separate-file attachment would get the organisation's field at the top-right corner of its first
page. None of ours is one: appendices, and the plan seed 003's decision issues, are printed in the
same file as their document, so they get no field of their own (ND30: an appendix in the same file
is not signed separately).

Sizes ND30 leaves open (CHOICE, in millimetres): the box of the signature image, the seal's
diameter. They are here rather than in ``nd30.css`` because they size fields, not printed text.
"""
from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4  # PDF points per millimetre
PX = 0.75       # PDF points per CSS pixel (WeasyPrint's scale)

#: The id the signature template gives the space between the title line and the name line.
SIGNATURE_SPACE_ID = "planpub-signature-space"

#: Field names (ASCII, no dots: a dot would make a hierarchy) and what a signing tool shows for them.
SIGNER_FIELD = "ChuKyNguoiKy"
ORGANISATION_FIELD = "ChuKyCoQuan"
FIELD_LABELS = {
    SIGNER_FIELD: "Chữ ký số của người có thẩm quyền",
    ORGANISATION_FIELD: "Chữ ký số của cơ quan, tổ chức (hình con dấu)",
}
ROLES = {"signer": SIGNER_FIELD, "organisation": ORGANISATION_FIELD}

#: CHOICE: the signature image is fitted into a box this wide, centred in the space, and as tall as
#: the space less a small gap above and below (so it never touches the title or the name).
SIGNATURE_WIDTH_MM = 50.0
SIGNATURE_GAP_MM = 2.0
#: CHOICE: a commune's seal is round, about 35 mm across; set this to your seal's real diameter.
#: The seal is centred on the signature's height, its right edge a third of the way into the
#: signature image (so it covers about a third of it, on its left).
SEAL_DIAMETER_MM = 35.0
SEAL_COVERS = 1 / 3


@dataclass(frozen=True)
class Place:
    """A signature field: its name, page (0-based) and rectangle in PDF points, y going up."""

    name: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def places_from_space(page: int, page_height_pt: float, space_px: tuple[float, float, float, float]) -> list[Place]:
    """The signer's and the organisation's places, from the rectangle of the signature space
    (CSS pixels, y down from the top of the page, as WeasyPrint's anchors give it)."""
    left, top, right, bottom = (v * PX for v in space_px)
    y_top, y_bottom = page_height_pt - top, page_height_pt - bottom  # y up
    cx, cy = (left + right) / 2, (y_top + y_bottom) / 2
    width = min(SIGNATURE_WIDTH_MM * MM, right - left)
    height = max(1.0, (y_top - y_bottom) - 2 * SIGNATURE_GAP_MM * MM)
    signer = Place(SIGNER_FIELD, page, cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
    d = SEAL_DIAMETER_MM * MM
    seal_right = signer.x0 + signer.width * SEAL_COVERS
    organisation = Place(ORGANISATION_FIELD, page, seal_right - d, cy - d / 2, seal_right, cy + d / 2)
    return [signer, organisation]


def find_places(document) -> list[Place]:
    """The signature places of a rendered WeasyPrint document (none when it has no signature block)."""
    for index, page in enumerate(document.pages):
        space = page.anchors.get(SIGNATURE_SPACE_ID)
        if space is not None:
            return places_from_space(index, page.height * PX, space)
    return []


def add_signature_fields(document, pdf) -> None:
    """WeasyPrint finisher: add an empty signature field at every place of :func:`find_places`."""
    import pydyf  # noqa: PLC0415 — WeasyPrint's PDF writer, present whenever this runs

    places = find_places(document)
    if not places:
        return
    kids = pdf.pages["Kids"]
    page_numbers = [kids[i] for i in range(0, len(kids), 3)]
    acroform = pdf.catalog.get("AcroForm")
    if acroform is None:
        acroform = pydyf.Dictionary({"Fields": pydyf.Array()})
        pdf.catalog["AcroForm"] = acroform
    for place in places:
        page = pdf.objects[page_numbers[place.page]]
        appearance = pydyf.Stream([], extra={
            "Type": "/XObject", "Subtype": "/Form",
            "BBox": pydyf.Array([0, 0, round(place.width, 3), round(place.height, 3)]),
        })
        pdf.add_object(appearance)
        widget = pydyf.Dictionary({
            "Type": "/Annot",
            "Subtype": "/Widget",
            "FT": "/Sig",
            "T": pydyf.String(place.name),
            "TU": pydyf.String(FIELD_LABELS[place.name]),
            "Rect": pydyf.Array([round(v, 3) for v in place.rect]),
            "F": 1 << 2,  # Print
            "P": page.reference,
            "AP": pydyf.Dictionary({"N": appearance.reference}),
        })
        pdf.add_object(widget)
        if "Annots" not in page:
            page["Annots"] = pydyf.Array()
        page["Annots"].append(widget.reference)
        acroform["Fields"].append(widget.reference)
