"""Text normalisation and quotation matching, shared by every stage.

Kept apart from :mod:`memo.verify` so that selection, rendering and the kinds
can fold and match text without importing the verify stage (which imports
the kinds registry): one module, one job, no import cycle.

Matching folds curly and straight quotes, dash variants and runs of white
space, and nothing else: a changed word, letter or accent fails. ``…`` (or
``...``) may join parts that each match, in order, within one passage.
"""

from __future__ import annotations

import re

_FOLD = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`", "'"),
        **dict.fromkeys("“”„‟″", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00a0\u2007\u2009\u200a\u202f\t\n\r", " "),
    }
)
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_SPACES = re.compile(r" +")


def fold(text: str) -> str:
    """Fold quote, dash and white-space variants; one character in, one out."""
    return text.translate(_FOLD)


def normalise(text: str) -> str:
    """Folded text with runs of spaces made one, for exact matching."""
    return _SPACES.sub(" ", fold(text)).strip()


def quote_parts(quote: str) -> list[str]:
    """The parts of a quotation between its ellipses, normalised."""
    return [part for part in _ELLIPSIS.split(normalise(quote)) if part]


def quote_in(quote: str, passage: str) -> bool:
    """True when every part of ``quote`` occurs in ``passage``, in order, on word boundaries."""
    parts = quote_parts(quote)
    text = normalise(passage)
    position = 0
    for part in parts:
        pattern = (r"(?<!\w)" if part[0].isalnum() else "") + re.escape(part) + (r"(?!\w)" if part[-1].isalnum() else "")
        found = re.compile(pattern).search(text, position)
        if found is None:
            return False
        position = found.end()
    return bool(parts)
