"""Per-site boilerplate learned in real Redis from a stream of same-site articles."""

from __future__ import annotations

import threading

import pytest
import redis

from ingest.boilerplate import MIN_ARTICLES, BoilerplateStore, fingerprint, host_of

CAPTION = "Photo d'archive : des soldats américains en Irak, le 12 mars 2020. (AFP)"
FOLLOW = "Suivez-nous sur Telegram pour ne rien manquer de l'actualité."


PLACES = ["Anbar", "Ninive", "Bassora", "Kirkouk", "Diyala", "Babel", "Salaheddine"]


def _article(i: int, *, caption: bool = True) -> str:
    place, other = PLACES[i % 7], PLACES[(i * 3 + 1) % 7]
    lines = [
        f"Une attaque a visé un poste à {place} (article {'x' * (i + 1)}).",
        f"Le bilan fait état de blessés selon une source de {other} ({'y' * (i + 1)}).",
        f"Les autorités de {place} ont ouvert une enquête et renforcé la sécurité autour des "
        f"bâtiments publics de la ville et de la route vers {other} ({'v' * (i + 1)}).",
        f"Aucun groupe n'a revendiqué l'attaque, la troisième ce mois-ci dans la région de "
        f"{place}, selon les services de sécurité cités par la presse ({'u' * (i + 1)}).",
    ]
    if caption:
        lines.insert(1, CAPTION.replace("12 mars", f"{i} mars"))  # dates vary, text does not
    lines.append(FOLLOW)
    return "\n".join(lines)


def test_a_sites_repeated_paragraphs_are_learned_and_dropped(redis_conn: redis.Redis) -> None:
    store = BoilerplateStore(redis_conn)
    url = "https://www.example.org/news/{}"
    early = [store.strip(url.format(i), f"a{i}", _article(i)) for i in range(MIN_ARTICLES - 1)]
    # Nothing is dropped before the site has shown enough articles.
    assert all(not s.dropped for s in early)
    later = store.strip(url.format(99), "a99", _article(99))
    assert set(later.dropped) == {CAPTION.replace("12 mars", "99 mars"), FOLLOW}
    assert later.text.splitlines() == _article(99, caption=False).splitlines()[:-1]
    # Another site has learned nothing.
    other = store.strip("https://other.net/x", "b1", _article(5))
    assert not other.dropped


def test_observing_is_idempotent_per_article(redis_conn: redis.Redis) -> None:
    store = BoilerplateStore(redis_conn, min_articles=3, min_repeats=3)
    for _ in range(10):  # one article re-run ten times is still one article
        assert store.observe("example.org", "same", [FOLLOW]) == [False]
    store.observe("example.org", "k2", [FOLLOW])
    assert store.observe("example.org", "k3", [FOLLOW]) == [True]


def test_rare_or_long_paragraphs_stay(redis_conn: redis.Redis) -> None:
    store = BoilerplateStore(redis_conn, min_share=0.5)
    long_para = " ".join(["mot"] * 80)
    flags: list[bool] = []
    for i in range(20):
        unique = f"Texte unique {PLACES[i % 7]} {'w' * i} ici."
        rare = "Une phrase qui revient parfois." if i % 4 == 0 else unique
        flags = store.observe("example.org", f"k{i}", [rare, long_para])
    assert flags == [False, False]  # 25 % of articles, and too long to be a caption
    assert fingerprint(long_para) is None


def test_window_rotation_forgets_an_old_template(redis_conn: redis.Redis) -> None:
    store = BoilerplateStore(redis_conn, window=10, min_articles=3, min_repeats=3)
    for i in range(20):
        store.observe("example.org", f"old{i}", ["Ancien pied de page du site."])
    for i in range(25):
        flags = store.observe(
            "example.org", f"new{i}", ["Nouveau pied de page.", f"texte {'z' * (i + 1)}"]
        )
    assert store.observe("example.org", "probe", ["Ancien pied de page du site."]) == [False]
    assert flags == [True, False]
    assert len(redis_conn.keys("newswire:boiler:*")) == 5  # bounded: two generations


def test_concurrent_workers_count_each_article_once(redis_conn: redis.Redis) -> None:
    store = BoilerplateStore(redis_conn, min_articles=1, min_repeats=1, min_share=1.0)

    def work(worker: int) -> None:
        for i in range(50):
            store.observe("example.org", f"k{i}", [FOLLOW])  # every worker sees every article

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 50 distinct articles, each counted once: the share is exactly 100 %.
    assert store.observe("example.org", "k0", [FOLLOW]) == [True]
    assert int(redis_conn.hget("newswire:boiler:{example.org}:size", "cur") or 0) == 50


def test_bad_settings_and_hosts() -> None:
    with pytest.raises(ValueError, match="min_share"):
        BoilerplateStore(redis.Redis(), min_share=0)
    assert host_of("https://WWW.Example.org:8443/a") == "example.org"


def test_copies_of_one_story_on_one_site_are_not_boilerplate(redis_conn: redis.Redis) -> None:
    """The same story under many URLs of one site must not teach its paragraphs as boilerplate."""
    store = BoilerplateStore(redis_conn)
    story = _article(3)
    for i in range(MIN_ARTICLES * 2):
        out = store.strip(f"https://example.org/a/{i}", f"copy{i}", story)
        assert out.text == story and not out.dropped
