"""clean_html on the presstv-fr sample pages (gold text) and on small inline pages."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest

from ingest.clean import clean_html, content_hash, decode_html

TOKEN = re.compile(r"\w+")

PARAGRAPHS = [
    "Three roadside bombs exploded on Thursday as a logistics convoy crossed the province,"
    " according to security officials who spoke to reporters in the capital.",
    "The convoy was carrying supplies for foreign troops stationed at the air base, and several"
    " vehicles were set on fire by the blasts, witnesses said on Friday morning.",
    "No group immediately claimed responsibility for the attack, which came days before the"
    " anniversary of a drone strike that killed two senior commanders last year.",
    "Officials said the number of attacks on convoys had risen sharply over the past month and"
    " that new security measures would be introduced along the main supply routes.",
]


def page(
    *,
    head: str = "",
    extra: str = "",
    lang: str = "en",
    charset: str | None = "utf-8",
    paragraphs: list[str] = PARAGRAPHS,
) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:2]) + extra
    body += "".join(f"<p>{p}</p>" for p in paragraphs[2:])
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>Convoy attacked - Example</title>'
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Convoy attacked</h1>{body}</article>"
        f"<footer>© Example News</footer></body></html>"
    )


def f1(pred: str, gold: str) -> float:
    p = collections.Counter(TOKEN.findall(pred.lower()))
    g = collections.Counter(TOKEN.findall(gold.lower()))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


# ------------------------------------------------------------------ presstv-fr gold pages


def _gold(shared_dir: Path) -> list[dict[str, str]]:
    path = shared_dir / "corpus" / "presstv-fr" / "gold_text.jsonl"
    if not path.is_file():
        pytest.skip("presstv-fr gold text not available")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("article_id", ["000", "002"])
def test_presstv_pages_match_gold(shared_dir: Path, article_id: str) -> None:
    gold = next(g for g in _gold(shared_dir) if g["id"] == article_id)
    html = (shared_dir / "corpus" / "presstv-fr" / "articles" / f"{article_id}.html").read_bytes()
    url = f"http://127.0.0.1:8123/fr/news/{article_id}?utm_source=rss"
    article = clean_html(html, url=url, content_type="text/html; charset=utf-8")
    assert article is not None
    # Whitespace compared loosely: trafilatura turns no-break spaces into spaces.
    text = " ".join(article.text.split())
    for paragraph in gold["text"].split("\n"):
        assert " ".join(paragraph.split()) in text
    for unwanted in ("Ilhan Omar", "Lire aussi", "Lire plus", "Partager Cet Article", "SOURCE:"):
        assert unwanted not in article.text
    assert f1(article.text, gold["text"]) >= 0.95
    assert article.title == gold["title"]
    assert article.published_at == gold["published"]
    assert article.published_source == "page"
    assert article.published_reason == "page_has_time_and_offset"
    assert article.canonical_url == f"http://127.0.0.1:8123/articles/{article_id}.html"
    assert article.language_hint == "fr"
    assert article.site_name == "French Press TV"


# ------------------------------------------------------------------ boilerplate lines


@pytest.mark.parametrize(
    "line",
    [
        "<p>Read more: <a href='/x'>Another story about convoys</a></p>",
        "<p><strong>Related:</strong> <a href='/y'>Earlier attack on the base</a></p>",
        "<p>اقرأ أيضا: <a href='/z'>هجوم على قاعدة عين الأسد</a></p>",
        "<p>Lea también: <a href='/w'>Ataque contra un convoy</a></p>",
        "<p><b>Lire aussi :</b> <a href='/v'>La Résistance irakienne mène des frappes</a></p>",
        "<p><strong>Irak :</strong> <a href='/u'>« la Résistance infligera de nouvelles gifles »"
        "</a></p>",
        "<p>Partager Cet Article Facebook Twitter</p>",
        "<p>SOURCE: FRENCH PRESS TV</p>",
    ],
)
def test_boilerplate_lines_dropped(line: str) -> None:
    article = clean_html(page(extra=line).encode(), url="https://news.example.com/a/1")
    assert article is not None
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    inner = re.sub(r"<[^>]+>", "", line)
    assert inner.split(":")[0].strip() not in article.text
    assert article.text.count("\n") == len(PARAGRAPHS) - 1


def test_headline_not_repeated_in_text() -> None:
    article = clean_html(page().encode(), url="https://news.example.com/a/1")
    assert article is not None
    assert article.title is not None
    assert not article.text.startswith(article.title)
    assert article.text.startswith(PARAGRAPHS[0])


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("head", "feed", "expected", "source", "reason"),
    [
        (
            '<meta property="article:published_time" content="2024-07-16T21:40:00+03:30">',
            "2024-07-16T18:00:00+00:00",
            "2024-07-16T21:40:00+03:30",
            "page",
            "page_has_time_and_offset",
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "datePublished": "2024-07-16T10:00:00Z"}</script>',
            None,
            "2024-07-16T10:00:00+00:00",
            "page",
            "page_has_time_and_offset",
        ),
        # A page date without time or offset loses to the feed's...
        (
            '<meta property="article:published_time" content="2024-07-16">',
            "2024-07-16T18:00:00+00:00",
            "2024-07-16T18:00:00+00:00",
            "feed",
            "feed_over_partial_page_date",
        ),
        # ...and a naive one too...
        (
            '<meta property="article:published_time" content="2024-07-16T21:40:00">',
            "2024-07-16T18:00:00+00:00",
            "2024-07-16T18:00:00+00:00",
            "feed",
            "feed_over_partial_page_date",
        ),
        # ...but is used when the feed has none.
        (
            '<meta property="article:published_time" content="2024-07-16">',
            None,
            "2024-07-16",
            "page",
            "page_date_only",
        ),
        ("", "2024-07-16T18:00:00+00:00", "2024-07-16T18:00:00+00:00", "feed", "feed_only"),
        ("", None, None, None, None),
    ],
)
def test_publication_date_precedence(
    head: str, feed: str | None, expected: str | None, source: str | None, reason: str | None
) -> None:
    article = clean_html(
        page(head=head).encode(), url="https://news.example.com/a/1", feed_published=feed
    )
    assert article is not None
    assert article.published_at == expected
    assert article.published_source == source
    assert article.published_reason == reason


# ------------------------------------------------------------------ canonical, language


@pytest.mark.parametrize(
    ("head", "canonical"),
    [
        ('<link rel="canonical" href="/story/1">', "https://news.example.com/story/1"),
        (
            '<link rel="Canonical" href="https://www.example.com/s?id=1">',
            "https://www.example.com/s?id=1",
        ),
        ('<link rel="canonical" href="javascript:void(0)">', None),
        ("", None),
    ],
)
def test_canonical_url(head: str, canonical: str | None) -> None:
    article = clean_html(page(head=head).encode(), url="https://news.example.com/a/1")
    assert article is not None
    assert article.canonical_url == canonical


@pytest.mark.parametrize(
    ("head", "image"),
    [
        (
            '<meta property="og:image" content="/img/main.jpg">',
            "https://news.example.com/img/main.jpg",
        ),
        (
            '<meta name="twitter:image" content="https://cdn.example.net/a.png">',
            "https://cdn.example.net/a.png",
        ),
        ('<meta property="og:image" content="data:image/png;base64,AAAA">', None),
        ("", None),
    ],
)
def test_main_image(head: str, image: str | None) -> None:
    article = clean_html(page(head=head).encode(), url="https://news.example.com/a/1")
    assert article is not None
    assert article.image_url == image


def test_a_huge_author_or_site_name_is_cut_to_what_the_table_holds() -> None:
    head = (
        f'<meta name="author" content="{"Annabel " * 100}">'
        f'<meta property="og:site_name" content="{"S" * 900}">'
    )
    article = clean_html(page(head=head).encode(), url="https://news.example.com/a/1")
    assert article is not None and article.author is not None
    assert 500 <= len(article.author) <= 512 and article.author.startswith("Annabel")
    assert article.site_name == "S" * 512


def test_language_hint_from_html_lang() -> None:
    article = clean_html(page(lang="ar-IQ").encode(), url="https://news.example.com/a/1")
    assert article is not None
    assert article.language_hint == "ar-iq"


# ------------------------------------------------------------------ decoding

FRENCH = [
    "À la veille du premier anniversaire, un convoi militaire a été attaqué près de Bagdad, "
    "selon des sources sécuritaires irakiennes citées par l'agence de presse.",
    "Les véhicules ont été incendiés après l'explosion de trois bombes en bordure de route, "
    "a rapporté le site d'information dans un communiqué publié jeudi soir.",
    "Aucun groupe n'a revendiqué l'attaque, qui intervient à un moment sensible, à l'approche "
    "des négociations prévues la semaine prochaine à Washington sur l'avenir de la coalition.",
    "Les responsables irakiens ont appelé à plusieurs reprises au retrait des troupes étrangères "
    "du pays, plus d'une décennie après l'invasion menée par les États-Unis en 2003.",
]


@pytest.mark.parametrize(
    ("codec", "meta", "header"),
    [
        ("cp1252", None, "text/html; charset=windows-1252"),
        ("iso-8859-1", "iso-8859-1", None),
        ("utf-8", None, None),
        ("cp1252", None, "text/html; charset=utf-8"),  # a wrong header does not win
        ("utf-16", None, None),  # BOM
    ],
)
def test_decoding(codec: str, meta: str | None, header: str | None) -> None:
    html = page(charset=meta, lang="fr", paragraphs=FRENCH).encode(codec)
    assert "été attaqué" in decode_html(html, header)
    article = clean_html(html, url="https://fr.example.com/a/1", content_type=header)
    assert article is not None
    for paragraph in FRENCH:
        assert paragraph in article.text


def test_cyrillic_meta_charset() -> None:
    text = "Военная колонна подверглась нападению"
    html = f'<html><head><meta charset="windows-1251"></head><body><p>{text}</p></body></html>'
    assert text in decode_html(html.encode("cp1251"))


# ------------------------------------------------------------------ nothing usable


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"   ",
        b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_nothing_usable_is_none(html: bytes) -> None:
    assert clean_html(html, url="https://news.example.com/a/1") is None


# ------------------------------------------------------------------ content hash


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("L'attaque a eu lieu.", "l’attaque   a eu lieu", True),
        ("Three bombs — exploded!", "three bombs exploded", True),
        ("ﬁve drones", "five drones", True),  # NFKC ligature
        ("STRASSE", "straße", True),  # casefold
        ("Three bombs exploded.", "Four bombs exploded.", False),
        ("bombs exploded", "bomb sexploded", False),
    ],
)
def test_content_hash(a: str, b: str, same: bool) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash(a))
    assert (content_hash(a) == content_hash(b)) is same
