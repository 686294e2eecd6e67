"""Split an article body into sentences with their character offsets.

Lines are paragraphs (trafilatura keeps one per line). A related-article line ("Lire aussi :",
"Read more") is dropped whole, and an inline one cuts its line, because the link text reports
another article's event. Clauses (for the scope of negation and the like) are found here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .lexicon import Lexicon

#: A sentence ends at . ! ? … or the Arabic question mark (optionally followed by closing
#: quotes) before a space and an upper-case letter, a digit, an opening quote or a letter of a
#: script without case (Arabic).
_END = re.compile(r"""[.!?…؟]+[»"”’)]*(?=\s+[«"“(]?\s*[A-ZÀ-ÖØ-Þ0-9\u0600-\u06ff])""")
_COMMAS = (",", "،")
_WORD_BEFORE = re.compile(r"([\w.\-]+)$")
#: How far back the word before a full stop is read: longer than any abbreviation.
_WORD_REACH = 64


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text, its offsets in the article, and its paragraph number."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int


@cache
def _abbreviations(lex: Lexicon) -> frozenset[str]:
    return frozenset(a.lower().rstrip(".") for a in lex.raw["sentences"]["abbreviations"])


def _is_related(line: str, lex: Lexicon) -> int | None:
    """Return where a related-article marker starts in ``line`` (None when there is none)."""
    found = lex.related.search(line)
    if found is None:
        return None
    pos = found.start() + (len(found.group(0)) - len(found.group(0).lstrip()))
    before = line[:pos].strip()
    # Inline markers only count with a colon ("... Lire aussi : ..."), else it is prose.
    if before and ":" not in found.group(0) and "-" not in found.group(0):
        return None
    return pos


def split(text: str, lex: Lexicon) -> list[Sentence]:
    """Return the sentences of ``text``; ``text[s.start:s.end] == s.text`` for each."""
    abbreviations = _abbreviations(lex)
    out: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        line_start = offset
        offset += len(line) + 1
        cut = _is_related(line, lex)
        usable = line if cut is None else line[:cut]
        start = 0
        for end_match in _END.finditer(usable):
            # The word before the stop, read in the characters just before it (the line's
            # whole start would make a paragraph's splitting quadratic in its length).
            stop = end_match.start()
            word = _WORD_BEFORE.search(usable, max(0, stop - _WORD_REACH), stop)
            token = word.group(1).lower() if word else ""
            if token in abbreviations or (len(token) == 1 and token.isalpha()):
                continue
            start = _emit(out, usable, start, end_match.end(), base=line_start, para=paragraph)
        _emit(out, usable, start, len(usable), base=line_start, para=paragraph)
    return out


#: The longest span read as one sentence. Real sentences stay far below it (the longest of
#: the evaluation sets: 2,064 characters, an Arabic run-on); a page without full stops (a
#: list, a table flattened by the cleaner, a hostile page) is cut into pieces this long, at a
#: clause mark where there is one, so that reading it stays linear in its length (a
#: 22,000-word line took 167 s as one sentence).
MAX_SENTENCE = 3000
_PIECE_BREAK = re.compile(r"[,،;؛:]\s|\s")


def _emit(out: list[Sentence], line: str, start: int, end: int, *, base: int, para: int) -> int:
    """Append the stripped span ``line[start:end]`` when not empty (in pieces of at most
    :data:`MAX_SENTENCE` characters); return the next start."""
    while end - start > MAX_SENTENCE:
        window = line[start + MAX_SENTENCE // 2 : start + MAX_SENTENCE]
        breaks = list(_PIECE_BREAK.finditer(window))
        # The last clause mark in the window, else its last space, else a hard cut.
        marks = [m for m in breaks if not m.group().isspace()] or breaks
        cut = start + MAX_SENTENCE // 2 + (marks[-1].end() if marks else len(window))
        _append(out, line, start, cut, base=base, para=para)
        start = cut
    _append(out, line, start, end, base=base, para=para)
    return end


def _append(out: list[Sentence], line: str, start: int, end: int, *, base: int, para: int) -> None:
    chunk = line[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        s = base + start + lead
        out.append(Sentence(stripped, s, s + len(stripped), para, len(out)))


@lru_cache(maxsize=64)
def clauses(sentence: str, lex: Lexicon) -> tuple[tuple[int, int], ...]:
    """Return the (start, end) spans of the clauses of ``sentence`` at the language's breaks.

    Negation, hypotheticals and habitual wording only scope over their own clause, so "the
    attacks intensified after the 3 January strike" keeps the strike. Cached: every cue of a
    sentence asks.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for found in lex.clause_break.finditer(sentence):
        if found.start() > start:
            spans.append((start, found.start()))
            start = found.start()
    spans.append((start, len(sentence)))
    return tuple(spans)


def comma_scope(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Return the span between the commas around ``sentence[start:end]``."""
    left = max(sentence.rfind(m, 0, start) for m in (*_COMMAS, "«")) + 1
    right_candidates = [i for i in (sentence.find(m, end) for m in (*_COMMAS, "»")) if i >= 0]
    right = min(right_candidates) if right_candidates else len(sentence)
    return left, right
