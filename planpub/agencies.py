"""Find the agency a clerk meant, whichever of its spellings the source used."""
from __future__ import annotations

import difflib
import re
import unicodedata


def agency_key(text: str) -> str:
    """Fold what does not tell two agencies apart: case, dash kind, spaces, trailing punctuation."""
    s = unicodedata.normalize("NFC", text).strip().casefold()
    s = re.sub(r"[–—−‐]", "-", s)
    s = re.sub(r"\s*([-&/])\s*", r"\1", s)
    s = re.sub(r"\s+", " ", s)
    return s.rstrip(" .;,:")


class AgencyIndex:
    """Agencies of one commune by every name and alias."""

    def __init__(self, agencies) -> None:
        self.by_key: dict[str, object] = {}
        self.names: dict[str, str] = {}  # key -> the name as written in commune.yaml
        for agency in agencies:
            for name in [agency.name, *agency.aliases]:
                self.by_key.setdefault(agency_key(name), agency)
                self.names.setdefault(agency_key(name), name)

    def resolve(self, text: str):
        return self.by_key.get(agency_key(text))

    def nearest(self, text: str, n: int = 3) -> list[str]:
        keys = difflib.get_close_matches(agency_key(text), list(self.by_key), n=n, cutoff=0.5)
        seen, out = set(), []
        for k in keys:
            agency = self.by_key[k]
            if agency.id not in seen:
                seen.add(agency.id)
                out.append(self.names[k])
        return out
