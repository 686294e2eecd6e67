"""Language identification of an article's title and body.

Choice, by measurement (``python bench/langid_compare.py``, figures in bench/RESULTS.md): over
30 languages, py3langid restricted to :data:`LANGUAGES` was the most accurate detector on
sentences (99.7 %) and on word pairs, well ahead of the same model unrestricted, of langdetect,
CLD2, CLD3 and fastText's small model, and level with lingua's low-accuracy mode on single words.
lingua's high-accuracy mode is better on very short texts but its models take ~680 MB of RSS,
above the 400 MB a worker may use; a vote between py3langid and a second detector (lingua low,
fastText) answered more short texts but made five times as many wrong answers. So one detector
serves titles and bodies: py3langid, a runtime dependency already, ~0.1 ms per sentence,
~2 ms per article body, ~80 MB of RSS once loaded (~100 MB peak).

Being unsure is an answer: below a confidence threshold (py3langid's normalised probability)
the guess is "und". The threshold depends on length: :data:`MIN_CONFIDENCE` (0.6) for a text
of at least :data:`LONG_TEXT_LETTERS` weighted letters, :data:`MIN_CONFIDENCE_SHORT` (0.75)
below. On the test data (bench/RESULTS.md) this answers 99.0 % of sentences correctly with
0.03 % wrong, and word pairs and single words 73 % and 39 % with under 0.5 % wrong, where a
flat 0.8 answered 98.1 % of sentences and 69 % of word pairs, and taking every top answer was
wrong on 8 % of word pairs and 25 % of single words. A lower threshold for short texts would
answer more of them, but each point gained there costs about a tenth of a point of confident
wrong answers. A text with too few letters to judge (empty, numbers, one short word) is
"und" without asking the model.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from schemas.messages import ArticleMessage, decode_article
from workers.runtime import JobResult, StageWork, run_stage

#: The languages the feeds carry that we detect, ISO 639-1.
LANGUAGES: tuple[str, ...] = (
    "fr", "en", "ar", "fa", "es", "de", "ru", "tr", "zh", "uk", "he", "ur",
    "it", "pt", "nl", "pl", "sv", "ro", "el", "hi", "ja", "ko", "id", "vi",
    "cs", "hu", "bn", "da", "fi", "bg",
)  # fmt: skip

UNDETERMINED = "und"
DETECTOR = "py3langid"
#: Below this normalised probability a text of LONG_TEXT_LETTERS or more is "und".
MIN_CONFIDENCE = 0.6
#: ... and below this one a shorter text is (short texts are wrong more often at equal score).
MIN_CONFIDENCE_SHORT = 0.75
#: Weighted letters (CJK counts 3) from which a text counts as long for the threshold.
LONG_TEXT_LETTERS = 20
#: Fewer weighted letters than this is too little to judge (CJK counts 3).
MIN_LETTERS = 4
#: A body with at least this many weighted letters is judged alone; a shorter one with the title.
BODY_ALONE_LETTERS = 200
#: Only this much of a body is read: the score is settled long before, and time grows with length.
MAX_CHARS = 10_000

_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_models: dict[str, Any] = {}  # one identifier per process, built on first use
_model_lock = threading.Lock()


@dataclass(frozen=True)
class LanguageGuess:
    """The language of a text, or "und" when the evidence is too weak to say."""

    language: str  # ISO 639-1, or "und"
    confidence: float
    detector: str


def _identifier() -> Any:
    """Return the process's py3langid identifier restricted to LANGUAGES, loading it once."""
    model = _models.get(DETECTOR)
    if model is None:
        with _model_lock:  # two threads must not both load ~90 MB
            model = _models.get(DETECTOR)
            if model is None:
                model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                model.set_languages(list(LANGUAGES))
                _models[DETECTOR] = model
    return model


def _is_wide(ch: str) -> bool:
    """Return True for a CJK ideograph, kana or Hangul syllable."""
    cp = ord(ch)
    return (
        0x3040 <= cp <= 0x30FF
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
    )


def _letter_weight(text: str, enough: int) -> int:
    """Return how many letters ``text`` holds (counting stops at ``enough``).

    A CJK, kana or Hangul character counts 3: one carries about as much evidence as a few
    alphabetic letters, so a two-character Chinese word is not thrown away as "too short"
    while "ok" is.
    """
    weight = 0
    for ch in text:
        if ch.isalpha():
            weight += 3 if _is_wide(ch) else 1
            if weight >= enough:
                break
    return weight


def _clean(text: str | None) -> str:
    """Return ``text`` without URLs and e-mail addresses (they are not in any language)."""
    return _URL.sub(" ", text or "")[:MAX_CHARS].strip()


def min_confidence(letters: int) -> float:
    """Return the confidence below which a text of ``letters`` weighted letters is "und"."""
    return MIN_CONFIDENCE if letters >= LONG_TEXT_LETTERS else MIN_CONFIDENCE_SHORT


def classify(text: str) -> LanguageGuess:
    """Return the language of one piece of text, "und" when too short or too unsure."""
    cleaned = _clean(text)
    letters = _letter_weight(cleaned, LONG_TEXT_LETTERS)
    if letters < MIN_LETTERS:
        return LanguageGuess(UNDETERMINED, 0.0, DETECTOR)
    lang, prob = _identifier().classify(cleaned)
    confidence = round(float(prob), 4)
    if confidence < min_confidence(letters):
        return LanguageGuess(UNDETERMINED, confidence, DETECTOR)
    return LanguageGuess(str(lang), confidence, DETECTOR)


def detect_language(title: str | None, text: str) -> LanguageGuess:
    """Return the language of an article from its body, or body and title if the body is short.

    A body long enough to decide alone is judged without the title, since titles are short and
    sometimes keep a foreign name or slogan; a short or empty body is judged with the title
    joined to it. The result is "und" (with the model's confidence, or 0.0 when there was
    too little text to ask) rather than a guess the figures say is often wrong.
    """
    body = _clean(text)
    if _letter_weight(body, BODY_ALONE_LETTERS) >= BODY_ALONE_LETTERS:
        return classify(body)
    joined = "\n".join(part for part in (_clean(title), body) if part)
    return classify(joined)


# -- the RQ job ---------------------------------------------------------------------------


def tag_language(msg: ArticleMessage) -> ArticleMessage:
    """Return ``msg`` with the language of its title and body and the detector's confidence."""
    guess = detect_language(msg.title, msg.text)
    return msg.with_(language=guess.language, language_confidence=guess.confidence)


STAGE_WORK = StageWork(tag_language)


def job(payload: dict[str, Any]) -> JobResult:
    """RQ job of the language stage; returns the job summary."""
    return run_stage("language", payload, decode_article, STAGE_WORK.work)
