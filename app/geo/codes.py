"""How the City numbers its wards and neighbourhoods: the one definition every check reads.

Import validation (``ward:05`` in a service area), the ``ward=`` and ``neighbourhood=`` filters,
the boundary loader and the API description take a code's width and range from here rather
than each writing its own pattern. The 158 neighbourhoods are numbered up to 174: those split
from older ones took new numbers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PlaceCodes:
    """One kind of City area, numbered from 1 and written zero-padded to a fixed width."""

    kind: str  # "ward" or "neighbourhood": also the prefix in a service area ("ward:05")
    digits: int
    highest: int

    def code(self, number):
        return f"{number:0{self.digits}d}"

    def span(self, prefix=""):
        """'01 to 25' (or 'ward:01 to ward:25'): the codes there are, for messages and documentation."""
        return f"{prefix}{self.code(1)} to {prefix}{self.code(self.highest)}"

    def in_range(self, number):
        return 1 <= number <= self.highest

    def has_form(self, text):
        """Exactly ``digits`` ASCII digits: look-alike digits ("²", "٣") and newlines never pass."""
        return len(text) == self.digits and text.isascii() and text.isdigit()

    def is_code(self, text):
        return self.has_form(text) and self.in_range(int(text))


WARDS = PlaceCodes("ward", digits=2, highest=25)
NEIGHBOURHOODS = PlaceCodes("neighbourhood", digits=3, highest=174)
