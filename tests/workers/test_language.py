"""Language identification: real model, real texts; unsure answers must be "und"."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest

from workers import language
from workers.language import (
    LANGUAGES,
    LONG_TEXT_LETTERS,
    MIN_CONFIDENCE,
    UNDETERMINED,
    LanguageGuess,
    classify,
    detect_language,
    min_confidence,
)

# One ordinary news sentence per language, written for these tests.
SENTENCES = {
    "fr": "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les agriculteurs.",
    "en": "The government announced new measures on Tuesday to support farmers across the region.",
    "es": "El gobierno anunció el martes nuevas medidas para apoyar a los agricultores del país.",
    "de": "Die Regierung hat am Dienstag neue Maßnahmen für die Landwirte angekündigt.",
    "it": "Il governo ha annunciato martedì nuove misure per sostenere gli agricoltori del paese.",
    "pt": "O governo anunciou na terça-feira novas medidas para apoiar os agricultores do país.",
    "ru": "Правительство во вторник объявило о новых мерах поддержки фермеров по всей стране.",
    "uk": "Уряд у вівторок оголосив про нові заходи підтримки фермерів по всій країні.",
    "ar": "أعلنت الحكومة يوم الثلاثاء عن إجراءات جديدة لدعم المزارعين في جميع أنحاء البلاد.",
    "fa": "دولت روز سه‌شنبه اقدامات تازه‌ای برای حمایت از کشاورزان در سراسر کشور اعلام کرد.",
    "tr": "Hükümet salı günü ülke genelindeki çiftçileri desteklemek için yeni önlemler açıkladı.",
    "he": "הממשלה הודיעה ביום שלישי על צעדים חדשים לתמיכה בחקלאים ברחבי הארץ.",
    "zh": "政府周二宣布了支持全国农民的新措施，包括补贴和低息贷款。",
    "ja": "政府は火曜日、全国の農家を支援するための新たな措置を発表した。",
    "ko": "정부는 화요일 전국 농민을 지원하기 위한 새로운 조치를 발표했다.",
    "pl": "Rząd ogłosił we wtorek nowe środki wsparcia dla rolników w całym kraju.",
    "nl": "De regering heeft dinsdag nieuwe maatregelen aangekondigd om boeren te steunen.",
    "el": "Η κυβέρνηση ανακοίνωσε την Τρίτη νέα μέτρα για τη στήριξη των αγροτών σε όλη τη χώρα.",
    "hi": "सरकार ने मंगलवार को देश भर के किसानों की मदद के लिए नए उपायों की घोषणा की।",
    "ur": "حکومت نے منگل کو ملک بھر کے کسانوں کی مدد کے لیے نئے اقدامات کا اعلان کیا۔",
}


@pytest.mark.parametrize(("lang", "sentence"), sorted(SENTENCES.items()))
def test_sentence_in_each_language(lang: str, sentence: str) -> None:
    guess = detect_language(None, sentence)
    assert guess.language == lang
    assert guess.confidence >= MIN_CONFIDENCE
    assert guess.detector == "py3langid"


def test_every_language_of_the_table_is_one_we_detect() -> None:
    assert set(SENTENCES) <= set(LANGUAGES)
    assert len(LANGUAGES) >= 30


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "12345 678", "2021-01-02 10:30", "ok", "€ 1,5 %", "https://example.com/a/b"],
)
def test_empty_numeric_or_tiny_text_is_undetermined(text: str) -> None:
    guess = detect_language(None, text)
    assert guess == LanguageGuess(UNDETERMINED, 0.0, "py3langid")


def test_title_alone_decides_when_there_is_no_body() -> None:
    guess = detect_language("Attaque contre un convoi militaire près de la frontière", "")
    assert guess.language == "fr"


def test_long_body_wins_over_a_foreign_title() -> None:
    body = " ".join([SENTENCES["es"]] * 4)
    guess = detect_language("Breaking news: the latest update from our correspondents", body)
    assert guess.language == "es"


def test_ambiguous_short_text_is_und_with_its_confidence() -> None:
    # A bare international word gives the model nothing to go on: it must not pick one.
    guess = classify("Internet radio")
    assert guess.language == UNDETERMINED
    assert 0.0 < guess.confidence < MIN_CONFIDENCE


def test_none_title_and_confidence_is_a_probability() -> None:
    guess = detect_language(None, SENTENCES["de"])
    assert 0.0 <= guess.confidence <= 1.0


def test_sample_french_articles(shared_dir: Path) -> None:
    lines = (shared_dir / "corpus" / "presstv-fr" / "gold_text.jsonl").read_text("utf-8")
    articles = [json.loads(line) for line in lines.splitlines() if line.strip()]
    assert articles
    for art in articles:
        assert detect_language(art["title"], art["text"]).language == "fr"
        assert classify(art["title"]).language == "fr"


def test_model_loads_once_across_threads() -> None:
    language._models.clear()  # start cold so that the threads race to load it
    models: list[object] = []
    guesses: list[LanguageGuess] = []

    def work() -> None:
        models.append(language._identifier())
        guesses.append(detect_language(None, SENTENCES["pl"]))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(m) for m in models}) == 1
    assert [g.language for g in guesses] == ["pl"] * 4


def _testdata(shared: Path, kind: str, per_lang: int) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for lang in LANGUAGES:
        path = shared / "eval" / "langid" / "language-testdata" / kind / f"{lang}.txt"
        lines = [ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip()]
        rows += [(lang, t) for t in random.Random(f"{kind}/{lang}").sample(lines, per_lang)]
    return rows


@pytest.mark.parametrize(
    ("kind", "min_correct", "max_wrong"),
    [("sentences", 0.985, 0.002), ("word-pairs", 0.65, 0.01), ("single-words", 0.30, 0.01)],
)
def test_answers_on_the_shared_test_data(
    shared_dir: Path, kind: str, min_correct: float, max_wrong: float
) -> None:
    """Few confident wrong answers at every length; most sentences answered (30 languages)."""
    rows = _testdata(shared_dir, kind, 60)
    guesses = [(gold, detect_language(None, text).language) for gold, text in rows]
    correct = sum(g == p for g, p in guesses) / len(rows)
    wrong = sum(p not in (g, UNDETERMINED) for g, p in guesses) / len(rows)
    assert correct >= min_correct and wrong <= max_wrong, (correct, wrong)


def test_the_threshold_is_stricter_for_short_texts() -> None:
    assert min_confidence(LONG_TEXT_LETTERS) < min_confidence(LONG_TEXT_LETTERS - 1)
    # A two-word text the model leans on but cannot settle is "und"; the same confidence on a
    # sentence-length text would be an answer.
    guess = classify("Internet radio")
    assert guess.language == UNDETERMINED and guess.confidence < min_confidence(5)
