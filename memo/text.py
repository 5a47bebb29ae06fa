"""Text normalisation and quotation matching, shared by every stage.

Kept apart from :mod:`memo.verify` so that selection, rendering and the kinds
can fold and match text without importing the verify stage (which imports
the kinds registry): one module, one job, no import cycle.

Matching brings both sides to Unicode NFC (so ``é`` typed as ``e`` plus an
accent matches ``é``), folds curly and straight quotes, dash variants and
runs of white space, and nothing else: a changed word, letter or accent
fails. ``…`` (or ``...``) may join parts that each match, in order, within
one passage, but a cut may not leave out a word that flips the sense
(:data:`NEGATIONS`, :data:`SENSE_FLIPPERS`, :data:`NEGATING_PREFIXES`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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

# Words an ellipsis may not cut out of a quotation: leaving one out turns the source's sense around.
NEGATIONS = ("not", "no", "never", "neither", "nor", "without", "cannot", "none", "nobody", "nothing", "nowhere", "n't")
# Words and phrases that flip or hollow out what follows, likewise kept.
SENSE_FLIPPERS = ("hardly", "barely", "scarcely", "seldom", "rarely", "rather than", "instead of", "far from", "no longer",
                  "unless", "except", "lack of", "lacks", "lacking", "fail to", "fails to", "failed to")
# A hyphenated prefix cut off the word after the ellipsis ("un-…American" quoted as "…American").
NEGATING_PREFIXES = ("un-", "non-", "in-", "dis-", "anti-")

_FLIP = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in (*NEGATIONS, *SENSE_FLIPPERS) if w != "n't")
    + r")(?!\w)|\w+n't(?!\w)",
    re.IGNORECASE,
)
_PREFIX_AT_END = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in NEGATING_PREFIXES) + r")\s*$", re.IGNORECASE)


def fold(text: str) -> str:
    """Fold quote, dash and white-space variants; one character in, one out."""
    return text.translate(_FOLD)


def nfc(text: str) -> str:
    """Composed Unicode (NFC): what looks alike compares alike."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """NFC, folded text with runs of spaces made one, for exact matching (cached: a page is matched against every
    quotation of a project)."""
    return _SPACES.sub(" ", fold(nfc(text))).strip()


def quote_parts(quote: str) -> list[str]:
    """The parts of a quotation between its ellipses, normalised."""
    return [part for part in _ELLIPSIS.split(normalise(quote)) if part]


def sense_flipper(gap: str) -> str | None:
    """The first negation or sense-flipping word in ``gap`` (text an ellipsis leaves out), if any."""
    found = _FLIP.search(gap)
    if found:
        return found.group(0)
    prefix = _PREFIX_AT_END.search(gap)
    return prefix.group(0).strip() if prefix else None


@dataclass(frozen=True)
class QuoteMatch:
    """How a quotation stands against a passage: found fairly, or found only by cutting out ``dropped``."""

    found: bool
    dropped: str | None = None
    gap: str | None = None


def _occurrences(part: str, text: str) -> list[tuple[int, int]]:
    if part not in text:
        return []  # the common case, without compiling a pattern
    pattern = (r"(?<!\w)" if part[0].isalnum() else "") + re.escape(part) + (r"(?!\w)" if part[-1].isalnum() else "")
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def match_quote(quote: str, passage: str) -> QuoteMatch:
    """Whether every part of ``quote`` occurs in ``passage``, in order, on word boundaries, with no
    ellipsis standing for a negation; when only such a cut would match, say which word it drops."""
    parts = quote_parts(quote)
    text = normalise(passage)
    if not parts:
        return QuoteMatch(False)
    places = [_occurrences(part, text) for part in parts]
    if not all(places):
        return QuoteMatch(False)
    # reach[i][j]: part i at its j-th place can start a fair match of parts i.. (no negation in any gap)
    reach = [[False] * len(p) for p in places]
    reach[-1] = [True] * len(places[-1])
    for i in range(len(parts) - 2, -1, -1):
        for j, (_, end) in enumerate(places[i]):
            reach[i][j] = any(reach[i + 1][k] and start >= end and sense_flipper(text[end:start]) is None
                              for k, (start, _) in enumerate(places[i + 1]))
    if any(reach[0]):
        return QuoteMatch(True)
    position, previous = 0, None
    for spots in places:  # the first in-order placement, to name the word its cut would drop
        spot = next((s for s in spots if s[0] >= position), None)
        if spot is None:
            return QuoteMatch(False)
        if previous is not None and (word := sense_flipper(text[previous:spot[0]])):
            return QuoteMatch(False, dropped=word, gap=text[previous:spot[0]].strip())
        previous = position = spot[1]
    return QuoteMatch(False)


def quote_in(quote: str, passage: str) -> bool:
    """True when every part of ``quote`` occurs in ``passage``, in order, on word boundaries, and no cut drops a negation."""
    return match_quote(quote, passage).found


# Print typography for text that reaches a page: straight quotes become curly ones. Quote marks are a matter of
# house style (Chicago 13.7), so a quotation's words and letters stay verbatim; :func:`fold` treats both alike.
_SMART = (
    (re.compile(r"'(?=\d0s\b)"), "\u2019"),                      # ’90s
    (re.compile(r"(?<=\w)'(?=\w)"), "\u2019"),                    # China’s, don’t
    (re.compile(r"(?:^|(?<=[\s(\[{\u2014\u2013/\"“]))'"), "\u2018"),  # ‘opening
    (re.compile(r"'"), "\u2019"),                                 # closing’, students’
    (re.compile(r"(?:^|(?<=[\s(\[{\u2014\u2013/‘]))\""), "\u201c"),  # “opening
    (re.compile(r"\""), "\u201d"),                                # closing”
)


def smarten(text: str) -> str:
    """``text`` with straight quotes and apostrophes set as curly ones (print typography, not a change of words)."""
    if "'" not in text and '"' not in text:
        return text
    for pattern, curly in _SMART:
        text = pattern.sub(curly, text)
    return text
