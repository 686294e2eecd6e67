"""Language identification: real model, real texts; unsure answers must be "und"."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from workers import language
from workers.language import (
    DETECTOR,
    JOINT_DETECTOR,
    LANGUAGES,
    MIN_CONFIDENCE,
    MIN_JOINT,
    MIN_JOINT_VERY_SHORT,
    SHORT_TEXT_LETTERS,
    UNDETERMINED,
    VERY_SHORT_LETTERS,
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
    assert guess.detector in (DETECTOR, JOINT_DETECTOR)


def test_every_language_of_the_table_is_one_we_detect() -> None:
    assert set(SENTENCES) <= set(LANGUAGES)
    assert len(LANGUAGES) >= 30


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "12345 678", "2021-01-02 10:30", "ok", "€ 1,5 %", "https://example.com/a/b"],
)
def test_empty_numeric_or_tiny_text_is_undetermined(text: str) -> None:
    guess = detect_language(None, text)
    assert guess == LanguageGuess(UNDETERMINED, 0.0, JOINT_DETECTOR)


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
    assert 0.0 < guess.confidence < MIN_JOINT
    assert guess.detector == JOINT_DETECTOR


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


def test_models_load_once_across_threads() -> None:
    language._models.clear()  # start cold so that the threads race to load both
    models: list[tuple[object, object]] = []
    guesses: list[LanguageGuess] = []

    def work() -> None:
        guesses.append(detect_language(None, SHORT_TEXTS[0][1]))  # short: loads both
        models.append((language._identifier(), language._lingua()))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({(id(a), id(b)) for a, b in models}) == 1
    assert [g.language for g in guesses] == [SHORT_TEXTS[0][0]] * 4


def _testdata(shared: Path, kind: str, per_lang: int) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for lang in LANGUAGES:
        path = shared / "eval" / "langid" / "language-testdata" / kind / f"{lang}.txt"
        lines = [ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip()]
        rows += [(lang, t) for t in random.Random(f"{kind}/{lang}").sample(lines, per_lang)]
    return rows


@pytest.mark.parametrize(
    ("kind", "min_correct", "max_wrong"),
    [("sentences", 0.99, 0.002), ("word-pairs", 0.89, 0.015), ("single-words", 0.50, 0.02)],
)
def test_answers_on_the_shared_test_data(
    shared_dir: Path, kind: str, min_correct: float, max_wrong: float
) -> None:
    """Few confident wrong answers at every length; most sentences and word pairs answered."""
    rows = _testdata(shared_dir, kind, 60)
    guesses = [(gold, detect_language(None, text).language) for gold, text in rows]
    correct = sum(g == p for g, p in guesses) / len(rows)
    wrong = sum(p not in (g, UNDETERMINED) for g, p in guesses) / len(rows)
    assert correct >= min_correct and wrong <= max_wrong, (correct, wrong)


def test_the_threshold_is_stricter_for_shorter_texts() -> None:
    assert min_confidence(SHORT_TEXT_LETTERS) == MIN_CONFIDENCE
    assert min_confidence(SHORT_TEXT_LETTERS - 1) == MIN_JOINT
    assert min_confidence(VERY_SHORT_LETTERS - 1) == MIN_JOINT_VERY_SHORT
    assert MIN_CONFIDENCE < MIN_JOINT < MIN_JOINT_VERY_SHORT


# Short titles, written for these tests: a few words each, where py3langid alone was often
# unsure or wrong between neighbours (da/sv/nl, es/pt/it, cs/pl, ru/uk/bg).
SHORT_TEXTS = [
    ("de", "Wetterbericht für Berlin"),
    ("nl", "Nieuws uit Amsterdam"),
    ("sv", "Nyheter från Stockholm"),
    ("da", "Nyheder fra København"),
    ("es", "El Gobierno aprueba el presupuesto"),
    ("pt", "Últimas notícias do Brasil"),
    ("it", "Prezzi della benzina"),
    ("pl", "Wiadomości z Polski"),
    ("cs", "Zprávy z Prahy"),
    ("ru", "Новости России"),
    ("uk", "Новини України"),
    ("bg", "Новини от България"),
    ("fa", "اخبار ایران"),
    ("ur", "پاکستان کی خبریں"),
    ("he", "חדשות ישראל"),
    ("el", "Ειδήσεις από την Ελλάδα"),
    ("ja", "東京のニュース"),
    ("ko", "서울 뉴스"),
]


@pytest.mark.parametrize(("lang", "text"), SHORT_TEXTS)
def test_short_titles_get_the_right_language(lang: str, text: str) -> None:
    guess = classify(text)
    assert guess.language == lang, guess
    assert guess.detector == JOINT_DETECTOR
    assert guess.confidence >= min_confidence(language._letter_weight(text, SHORT_TEXT_LETTERS))


def test_long_body_is_judged_by_py3langid_alone() -> None:
    body = " ".join([SENTENCES["nl"]] * 3)
    guess = detect_language(None, body)
    assert guess == LanguageGuess("nl", guess.confidence, DETECTOR)
    assert guess.confidence >= MIN_CONFIDENCE


@pytest.mark.parametrize("text", ["Internet radio", "xqzv brrt", "Maria Silva"])
def test_words_of_no_one_language_are_und(text: str) -> None:
    # An international word, letters that form no word, a name used in several languages.
    guess = classify(text)
    assert guess.language == UNDETERMINED, guess


def test_py3langid_alone_can_judge_short_texts() -> None:
    # For small machines: no lingua models, the stricter py3langid thresholds of before.
    guess = classify("Le gouvernement a annoncé mardi de nouvelles mesures", "py3langid")
    assert (guess.language, guess.detector) == ("fr", "py3langid")
    assert classify("Maria Silva", "py3langid").language == "und"
    with pytest.raises(ValueError, match="expected 'joint' or 'py3langid'"):
        classify("Le gouvernement", "fasttext")


def test_only_workers_of_the_language_queue_load_its_models() -> None:
    # A fresh process each: a store worker must not carry lingua's ~700 MB, nor spaCy's parser.
    code = (
        "import sys; from workers import language; from workers.pool import preload; "
        "preload(sys.argv[1:]); print(sorted(language._models), 'spacy' in sys.modules)"
    )

    def loaded(*stages: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, *stages], capture_output=True, text=True, check=True
        )
        return done.stdout.strip().splitlines()[-1]  # after the events worker's log lines

    assert loaded("store") == "[] False"
    assert loaded("language", "events").startswith("['lingua', 'py3langid']")
