"""The literal prefilter (lexicon.literal_keys) never hides a match its regexes would find."""

from __future__ import annotations

import re

import pytest

from workers.eventcoding import actors
from workers.eventcoding.lexicon import (
    PREFIX,
    KeyIndex,
    LexiconError,
    available_languages,
    compile_any,
    either,
    first_chars,
    lexicon,
    literal_keys,
    written_out,
)
from workers.eventcoding.sentences import MAX_SENTENCE, split

SENTENCES = {
    "en": [
        "Two suicide drones struck Ain al-Asad air base on Thursday.",
        "A suicide bomber blew himself up at a market in Kirkuk.",
        "Police fired tear gas at protesters who threw stones in Baghdad.",
        "Gunmen opened fire on farmers, killing four, and abducted two women.",
        "The US-led coalition said Houthis fired rockets at a convoy of U.S. forces.",
        "KIDNAPPERS SEIZED THREE HOSTAGES AFTER AN IED WENT OFF.",
    ],
    "fr": [
        "Deux drones suicide ont pris pour cible la base aérienne d'Ain al-Asad.",
        "Un kamikaze s'est fait exploser dans un marché de Kirkouk.",
        "Des roquettes ont été tirées contre l'ambassade américaine à Bagdad.",
        "Ils ont ouvert le feu sur les manifestants ; trois personnes ont été enlevées.",
        "La Résistance islamique en Irak a revendiqué l'attaque contre les forces américaines.",
    ],
    "es": [
        "Dos drones suicidas atacaron la base aérea de Ain al-Asad.",
        "Un terrorista suicida se hizo estallar en un mercado de Kirkuk.",
        "Los manifestantes lanzaron piedras y cócteles molotov contra la policía.",
        "Hombres armados secuestraron a un periodista y abrieron fuego contra civiles.",
    ],
    "ar": [
        "فجر انتحاري نفسه وسط سوق في بغداد أمس.",
        "استهدفت طائرة مسيرة رتلا أمريكيا قرب مطار بغداد.",
        "وتظاهر آلاف الأشخاص في بيروت واشتبك المتظاهرون مع قوات الأمن.",
        "والهجوم بالعبوات الناسفة أدى الى مقتل ثلاثة جنود.",
    ],
}


@pytest.mark.parametrize(
    ("pattern", "keys"),
    [
        (["(?:suicide|kamikaze) drones?"], ("suicide", "kamikaze")),
        (["rockets? (?:\\w+ ){0,2}(?:landed|hit)"], ("rocket",)),
        (["(?:\\w+ ){0,3}convoys?"], ("convoy",)),
        (["(?:a|ont) été enlevée?s?"], ("été enlevé",)),
        ([f"{PREFIX}عبو(?:ة|ات)"], ("عبو",)),
        (["(?<!rocket-propelled )grenades?"], ("grenade",)),
        (["\\bIEDs?\\b", "x"], None),  # one pattern without a usable literal: always run
        # The most telling literal of the pattern, not its first: "was" is in most sentences.
        (["(?:was|were) (?:\\w+ )?handed over"], ("handed over",)),
        (["Ta['’]ang National Liberation Army"], ("ang national liberation army",)),
        # What a match looks ahead at is in the sentence; what it looks behind at may not be.
        (["\\bIS\\b(?= (?:fighters|militants))"], ("fighters", "militants")),
        (["(?<=killed by )gunmen"], ("gunmen",)),
    ],
)
def test_literal_keys(pattern: list[str], keys: tuple[str, ...] | None) -> None:
    assert literal_keys(pattern) == keys


@pytest.mark.parametrize("language", sorted(available_languages()))
def test_prefilter_keeps_every_trigger_and_actor_match(language: str) -> None:
    lex = lexicon(language)
    for sentence in SENTENCES[language]:
        lowered = sentence.lower()
        for trigger in lex.triggers:
            if trigger.pattern.search(sentence):
                assert trigger.keys is None or any(k in lowered for k in trigger.keys), (
                    trigger.sub_event_type,
                    sentence,
                )
        for _name, _kind, pattern, _target, keys in actors._compiled(lex).entries:
            if pattern.search(sentence):
                assert keys is None or any(k in lowered for k in keys), sentence


@pytest.mark.parametrize("language", sorted(available_languages()))
def test_key_index_finds_exactly_the_items_a_literal_of_which_occurs(language: str) -> None:
    lex = lexicon(language)
    compiled = actors._compiled(lex)
    for sentence in [*SENTENCES[language], "", "ab", "IED"]:
        lowered = sentence.lower()
        expected = {
            i
            for i, t in enumerate(lex.triggers)
            if t.keys is None or any(k in lowered for k in t.keys)
        }
        assert lex.trigger_index.active(lowered) == expected, sentence
        expected = {
            i
            for i, e in enumerate(compiled.entries)
            if e[4] is None or any(k in lowered for k in e[4])
        }
        assert compiled.index.active(lowered) == expected, sentence


def _pattern_lists(raw: object) -> list[list[str]]:
    """Return every list of pattern strings in a pack (nested anywhere in its data)."""
    if isinstance(raw, dict):
        return [found for value in raw.values() for found in _pattern_lists(value)]
    if isinstance(raw, list):
        if raw and all(isinstance(p, str) for p in raw):
            return [raw]
        return [found for value in raw for found in _pattern_lists(value)]
    return []


@pytest.mark.parametrize("language", sorted(available_languages()))
def test_one_boundary_around_the_alternatives_finds_what_one_per_alternative_did(
    language: str,
) -> None:
    # compile_any tests a shared boundary once per position, not once per alternative (a
    # fifth of English extraction's instructions): every pack's pattern lists, compiled
    # both ways, must find the same spans.
    lex = lexicon(language)
    texts = [*SENTENCES[language], *(s.upper() for s in SENTENCES[language])]
    checked = 0
    for patterns in _pattern_lists(lex.raw):
        try:
            factored = {b: compile_any(patterns, bounded=b) for b in (False, True)}
        except LexiconError:  # a list of words that are no patterns
            continue
        parts = [written_out(p) for p in patterns]
        union = {
            False: re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE),
            True: re.compile(
                "|".join(f"(?:(?<![\\w-])(?:{p})(?:(?<=')|(?<=’)|(?![\\w-])))" for p in parts),
                re.IGNORECASE,
            ),
        }
        for bounded in (False, True):
            for text in texts:
                expected = [m.span() for m in union[bounded].finditer(text)]
                assert [m.span() for m in factored[bounded].finditer(text)] == expected
        checked += 1
    assert checked > 20


@pytest.mark.parametrize(
    ("pattern", "ahead"),
    [
        ("(?:following\\b)|(?:after\\b)|(?:;)", "(?=[;af])"),
        ("(?<![\\w-])(?:(?:killed|shot) by)", "(?=[ks])"),
        ("s?x", "(?=[sx])"),  # an optional letter: the next one may start the match
        ("\\bIS\\b", "(?=[I])"),
        ("[0-3]?\\d", None),  # a class escape stands for too much to list
        ("(?:\\w+ ){0,3}convoys?", None),
        ("a|", None),  # may match nothing: at any position
        (f"{PREFIX}عبو", "(?=[ابعفكلو])"),
    ],
)
def test_first_chars(pattern: str, ahead: str | None) -> None:
    assert first_chars(pattern) == ahead


def test_a_union_starting_with_known_letters_is_tested_once_per_position() -> None:
    # Python's re finds no prefix in a case-insensitive pattern: a lookahead of the first
    # letters spares the alternatives at every other position, and changes no match.
    compiled = compile_any(["following", "after", "as a result of"])
    assert compiled.pattern == "(?=[af])(?:(?:following)|(?:after)|(?:as a result of))"
    text = "Shortly AFTER the raid, and as a result of it, following orders"
    assert [m.group() for m in compiled.finditer(text)] == ["AFTER", "as a result of", "following"]


def test_an_embedded_group_looks_ahead_at_its_first_letters_and_stays_one_group() -> None:
    group = either(["north of", "near", "outskirts of"])
    assert group == "(?:(?=[no])(?:north of|near|outskirts of))"
    # Still one group: a quantifier after it makes the lookahead optional too.
    assert re.fullmatch(rf"x{group}?", "x") is not None
    before = re.compile(rf"{group}\s*$", re.IGNORECASE)
    assert before.search("clashes erupted NEAR ") is not None
    assert before.search("clashes erupted nearby ") is None


def test_a_bad_pattern_is_named() -> None:
    with pytest.raises(LexiconError, match="foo"):
        compile_any(["foo[", "bar"], bounded=True)


def test_key_index_short_and_shared_literals() -> None:
    index = KeyIndex.build([("ab", "xyz"), ("xyzw",), None, ("qqq",)])
    assert index.active("--ab--") == {0, 2}
    assert index.active("xyzw") == {0, 1, 2}
    assert index.active("nothing") == {2}


@pytest.mark.parametrize("language", sorted(available_languages()))
def test_a_line_without_full_stops_is_read_in_bounded_pieces(language: str) -> None:
    # A page without sentence ends (a flattened table, a hostile page) must not become one
    # sentence: every cue of it would search all of it (a 22,000-word line took 167 s).
    words = {
        "en": "the army attacked rebels with rockets near Baghdad, and killed people ",
        "fr": "l'armée a attaqué des rebelles avec des roquettes près de Bagdad ",
        "es": "el ejército atacó a los rebeldes con cohetes cerca de Bagdad ",
        "ar": "هاجم الجيش المسلحين بالصواريخ قرب بغداد، وقتل مدنيين ",
    }[language]
    text = words * 600
    pieces = split(text, lexicon(language))
    assert len(pieces) > 1
    assert all(len(p.text) <= MAX_SENTENCE for p in pieces)
    assert all(text[p.start : p.end] == p.text for p in pieces)
    assert [p.index for p in pieces] == list(range(len(pieces)))
    if "," in words or "،" in words:
        # Cut at a clause mark where there is one, else at a space.
        assert all(p.text.rstrip().endswith((",", "،")) for p in pieces[:-1])
    else:
        assert all(text[p.end] == " " for p in pieces[:-1])
