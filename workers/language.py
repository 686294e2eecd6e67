"""Language identification of an article's title and body.

Choice, by measurement (``python bench/langid_compare.py --candidates
py3langid-set,lingua-high-set,newswire``, 200 texts per language and kind over the 30
:data:`LANGUAGES`, and rules replayed on its ``--dump``; "correct / wrong" are shares of all
texts, the rest "und"):

* A text of :data:`SHORT_TEXT_LETTERS` (100) weighted letters or more (CJK counts 3: article
  bodies, most sentences) is judged by py3langid restricted to LANGUAGES alone, "und" below
  :data:`MIN_CONFIDENCE` (0.6): the most accurate detector on sentences and the fastest.
* A shorter text (titles, short bodies, word pairs) is judged by py3langid and lingua's
  high-accuracy mode together: each gives a probability per language, the two are multiplied
  and normalised, so that only a language both find likely keeps a high share; the best one is
  the answer if its joint probability is at least :data:`MIN_JOINT` (0.7), or
  :data:`MIN_JOINT_VERY_SHORT` (0.9) below :data:`VERY_SHORT_LETTERS` (10) letters, else "und".

On the test data this is right on 99.4 % of sentences (0.03 % wrong), 91.1 % of word pairs
(1.1 % wrong) and 56.9 % of single words (1.1 % wrong); on the ~23,000 lines of each kind
outside the benchmark's sample, 99.4 / 0.11, 90.8 / 1.14 and 59.2 / 1.04. py3langid alone (0.6
from 20 letters, 0.75 below, shipped before) answered 73 % of word pairs (0.5 % wrong): its top
answer is right on only 92 % of them, so no threshold reaches 90 % without ~6 % wrong. lingua
high alone is right on 96 % of word pairs but already wrong on 1.7 % at 92 % correct
(threshold 0.4); an agreement vote of the two gave 90.8 / 1.4; the product at 0.75 gives
90.0 / 0.9. Small second models (lingua low, fastText) reached 80-86 % at 1.2-1.9 % wrong.
Rules on letters specific to one language (Cyrillic і/ї/є, ы/э/ё; Urdu ٹ/ڈ/ں/ے; Persian
پ/چ/ژ/گ) changed nothing measurable: lingua applies them already. Most remaining wrong
answers are word pairs that belong to two languages (es/pt "recursos bolsa", ur/fa
"تناسب افرادی") or English names in another language's sample; Spanish is answered least
(61 % of pairs) because the test data's Spanish lost its accented letters ("resolucin").

Cost: lingua's high-accuracy models for the 30 languages take ~700 MB of RSS per process
(bench: 687 MB loaded, 694 MB peak; both detectors 769 / 793 MB; a worker after
``workers.pool.preload()`` 924 MB instead of 217 MB) and 6-9 s to load. They are loaded all at
once (no model load later in a job), once per process, on the first short text, under the same
lock as py3langid's model. A short text costs ~0.3-0.5 ms (both detectors); a body of 100
letters or more only py3langid's, on at most :data:`MAX_CHARS` characters: 1.1 ms at the
median over 64 article bodies (best of 15 runs each; 1.6-2.7 ms with the 2 cores contended).

A text with too few letters to judge (empty, numbers, one short word) is "und" without asking
a model. The ``detector`` of a guess names what answered: "py3langid" for long texts,
"py3langid+lingua" for short ones (also when "und").
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from ingest.settings import SHORT_TEXT_DETECTORS, load_settings
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
LINGUA = "lingua"
#: What answers a short text: both detectors together.
JOINT_DETECTOR = "py3langid+lingua"
#: Below this normalised probability a text of SHORT_TEXT_LETTERS or more is "und".
MIN_CONFIDENCE = 0.6
#: Weighted letters (CJK counts 3) from which py3langid alone judges a text.
SHORT_TEXT_LETTERS = 100
#: Below this joint probability of py3langid and lingua a shorter text is "und"...
MIN_JOINT = 0.7
#: ... and below this one a text of fewer than VERY_SHORT_LETTERS (one word, mostly).
MIN_JOINT_VERY_SHORT = 0.9
VERY_SHORT_LETTERS = 10
#: Floor added to each detector's probability before multiplying: a 0 from one detector (lingua
#: gives 0 to a language whose letters the text lacks) is then a near-veto, not a hard one, and
#: a text to which lingua gives no language at all is judged by py3langid's probabilities.
JOINT_FLOOR = 1e-4
#: With ``short_texts="py3langid"`` (NEWSWIRE_LANGID_SHORT_TEXTS, for workers that cannot spare
#: lingua's memory) py3langid alone judges short texts too: "und" below MIN_CONFIDENCE from
#: LONG_TEXT_LETTERS letters, below MIN_CONFIDENCE_SHORT under it (73 % of word pairs answered
#: right, 0.5 % wrong, on the same test data).
MIN_CONFIDENCE_SHORT = 0.75
LONG_TEXT_LETTERS = 20
#: The values of NEWSWIRE_LANGID_SHORT_TEXTS (defined with the setting).
JOINT, PY3LANGID_ONLY = SHORT_TEXT_DETECTORS
#: Fewer weighted letters than this is too little to judge (CJK counts 3).
MIN_LETTERS = 4
#: A body with at least this many weighted letters is judged alone; a shorter one with the title.
BODY_ALONE_LETTERS = 200
#: Only this much of a text is read: time grows with length, and a body's language is settled
#: long before (on 64 article bodies, reading 1,000 to 10,000 characters gave the same answers,
#: all at confidence >= 0.998; at 3,000 instead of 10,000 the median body takes 1.1 ms, not 1.4).
MAX_CHARS = 3_000

_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_models: dict[str, Any] = {}  # one identifier and one lingua detector per process, on first use
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


def _lingua() -> Any:
    """Return the process's lingua detector (high accuracy, LANGUAGES only), loading it once.

    All its models are loaded at once (~700 MB, a few seconds) so that no text pays for a
    model load later; a worker's warm-up text is short, so this happens at start.
    """
    detector = _models.get(LINGUA)
    if detector is None:
        with _model_lock:  # two threads must not both load ~700 MB
            detector = _models.get(LINGUA)
            if detector is None:
                chosen = [
                    Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                    for code in LANGUAGES
                ]
                builder = LanguageDetectorBuilder.from_languages(*chosen)
                detector = builder.with_preloaded_language_models().build()
                _models[LINGUA] = detector
    return detector


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
    head = (text or "")[: 2 * MAX_CHARS]  # URLs removed leave room for more text
    return _URL.sub(" ", head)[:MAX_CHARS].strip()


def min_confidence(letters: int, short_texts: str = JOINT) -> float:
    """Return the confidence below which a text of ``letters`` weighted letters is "und".

    From SHORT_TEXT_LETTERS on it is py3langid's probability, below it the joint one (or, with
    ``short_texts="py3langid"``, py3langid's with the stricter short-text threshold).
    """
    if letters >= SHORT_TEXT_LETTERS:
        return MIN_CONFIDENCE
    if short_texts == PY3LANGID_ONLY:
        return MIN_CONFIDENCE if letters >= LONG_TEXT_LETTERS else MIN_CONFIDENCE_SHORT
    return MIN_JOINT if letters >= VERY_SHORT_LETTERS else MIN_JOINT_VERY_SHORT


def _joint(text: str) -> tuple[str, float]:
    """Return the best language of ``text`` for py3langid and lingua together, and its share.

    Each detector's probabilities over LANGUAGES are multiplied, language by language (each
    plus JOINT_FLOOR), and normalised: a language both find likely keeps a high share, one
    only a single detector believes in does not.
    """
    by_py: dict[str, float] = {str(lang): float(p) for lang, p in _identifier().rank(text)}
    by_lingua: dict[str, float] = {
        value.language.iso_code_639_1.name.lower(): float(value.value)
        for value in _lingua().compute_language_confidence_values(text)
    }
    scores = {
        lang: (by_py.get(lang, 0.0) + JOINT_FLOOR) * (by_lingua.get(lang, 0.0) + JOINT_FLOOR)
        for lang in LANGUAGES
    }
    best = max(scores, key=scores.__getitem__)
    return best, scores[best] / sum(scores.values())


def classify(text: str, short_texts: str = JOINT) -> LanguageGuess:
    """Return the language of one piece of text, "und" when too short or too unsure.

    ``short_texts`` says who judges a text under SHORT_TEXT_LETTERS: "joint" (py3langid and
    lingua) or "py3langid" alone.
    """
    return _classify_clean(_clean(text), short_texts)


def _classify_clean(cleaned: str, short_texts: str = JOINT) -> LanguageGuess:
    """Return :func:`classify`'s answer for a text already passed through :func:`_clean`."""
    if short_texts not in SHORT_TEXT_DETECTORS:
        raise ValueError(f"short_texts={short_texts!r}: expected {JOINT!r} or {PY3LANGID_ONLY!r}")
    letters = _letter_weight(cleaned, SHORT_TEXT_LETTERS)
    alone = letters >= SHORT_TEXT_LETTERS or short_texts == PY3LANGID_ONLY
    detector = DETECTOR if alone else JOINT_DETECTOR
    if letters < MIN_LETTERS:
        return LanguageGuess(UNDETERMINED, 0.0, detector)
    if alone:
        lang, prob = _identifier().classify(cleaned)
    else:
        lang, prob = _joint(cleaned)
    confidence = round(float(prob), 4)
    if confidence < min_confidence(letters, short_texts):
        return LanguageGuess(UNDETERMINED, confidence, detector)
    return LanguageGuess(str(lang), confidence, detector)


def detect_language(title: str | None, text: str, short_texts: str = JOINT) -> LanguageGuess:
    """Return the language of an article from its body, or body and title if the body is short.

    A body long enough to decide alone is judged without the title, since titles are short and
    sometimes keep a foreign name or slogan; a short or empty body is judged with the title
    joined to it. The result is "und" (with the model's confidence, or 0.0 when there was
    too little text to ask) rather than a guess the figures say is often wrong.
    """
    body = _clean(text)
    if _letter_weight(body, BODY_ALONE_LETTERS) >= BODY_ALONE_LETTERS:
        return _classify_clean(body, short_texts)
    joined = "\n".join(part for part in (_clean(title), body) if part)
    return _classify_clean(joined[:MAX_CHARS], short_texts)


# -- the RQ job ---------------------------------------------------------------------------


@cache
def short_text_detectors() -> str:
    """Return who judges short texts in this process (NEWSWIRE_LANGID_SHORT_TEXTS, read once).

    Read from the settings, not from ``runtime()``: this stage needs no Redis or database.
    """
    return load_settings().langid_short_texts


def tag_language(msg: ArticleMessage) -> ArticleMessage:
    """Return ``msg`` with the language of its title and body and the detector's confidence."""
    guess = detect_language(msg.title, msg.text, short_text_detectors())
    return msg.with_(language=guess.language, language_confidence=guess.confidence)


STAGE_WORK = StageWork(tag_language)


def job(payload: dict[str, Any]) -> JobResult:
    """RQ job of the language stage; returns the job summary."""
    return run_stage("language", payload, decode_article, STAGE_WORK.work)
