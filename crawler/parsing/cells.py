"""Table cells as printed: numbers, signed changes, money with units, and the marks reports use for blank."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# What reports print in a cell that has no figure.  None of these is ever read as 0.
BLANK_MARKS = frozenset({"", "/", "\\", "—", "——", "–", "-", "--", "---", "−", "空", "无", "\u3000", "×", "…"})

_NUMBER_RE = re.compile(r"^(?P<sign>[+\-−]?)\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s*"
                        r"(?P<unit>万元|元|件|个|项|条|次|人次)?$")


@dataclass(frozen=True)
class Cell:
    """A value cell: its figure (None when blank) and the string printed in the report."""

    value: int | float | None
    printed: str

    @property
    def differs(self) -> bool:
        """Whether the printed string says more than the value does ("251000元", "+3", "/", "")."""
        if self.value is None:
            return True
        return self.printed != str(self.value)


def normalise(text: str) -> str:
    """Full-width digits, signs and punctuation folded (NFKC), all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def read_cell(text: str) -> Cell | None:
    """The cell `text` as a value cell, or None when it is not one (a label, a sentence)."""
    printed = text.strip()
    folded = normalise(printed)
    if folded in BLANK_MARKS or (folded and set(folded) <= {"-", "—", "/", "－"}):
        return Cell(None, printed)
    m = _NUMBER_RE.match(folded)
    if not m:
        return None
    digits = m.group("digits").replace(",", "")
    if m.group("frac"):
        value: int | float = float(digits + m.group("frac"))
    else:
        value = int(digits)
    if m.group("sign") in ("-", "−"):
        value = -value
    return Cell(value, printed)
