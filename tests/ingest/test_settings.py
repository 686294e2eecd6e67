"""Settings from NEWSWIRE_* variables: defaults, parsing, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.settings import SettingsError, load_settings, mask_url


def test_defaults_are_embedded() -> None:
    s = load_settings({})
    assert s.redis_url is None and s.database_url is None
    assert s.effective_database_url.startswith("sqlite:///")
    assert s.allow_private_networks == ()


def test_values_are_parsed() -> None:
    s = load_settings(
        {
            "NEWSWIRE_DATA_DIR": "/tmp/nw",
            "NEWSWIRE_REDIS_URL": "redis://127.0.0.1:6379/3",
            "NEWSWIRE_DATABASE_URL": "postgresql://u:secret@db/newswire",
            "NEWSWIRE_ALLOW_PRIVATE_NETWORKS": "127.0.0.0/8, 10.1.2.3",
            "NEWSWIRE_LOG_LEVEL": "debug",
            "NEWSWIRE_WORKERS": "4",
            "PATH": "/usr/bin",
        }
    )
    assert s.data_dir == Path("/tmp/nw")
    assert s.allow_private_networks == ("127.0.0.0/8", "10.1.2.3/32")
    assert s.log_level == "DEBUG" and s.workers == 4
    assert s.redacted()["database_url"] == "postgresql://u:***@db/newswire"
    assert s.chain_stages is True  # the default


def test_short_texts_detector_defaults_to_joint_and_can_be_py3langid() -> None:
    assert load_settings({}).langid_short_texts == "joint"
    env = {"NEWSWIRE_LANGID_SHORT_TEXTS": "py3langid"}
    assert load_settings(env).langid_short_texts == "py3langid"


def test_events_parser_defaults_to_auto_and_can_be_off() -> None:
    assert load_settings({}).events_parser == "auto"
    assert load_settings({"NEWSWIRE_EVENTS_PARSER": "off"}).events_parser == "off"


@pytest.mark.parametrize(("raw", "value"), [("false", False), ("0", False), ("On", True)])
def test_chain_stages_is_a_flag(raw: str, value: bool) -> None:
    assert load_settings({"NEWSWIRE_CHAIN_STAGES": raw}).chain_stages is value


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"NEWSWIRE_WORKERS": "many"}, "NEWSWIRE_WORKERS='many': expected an integer"),
        ({"NEWSWIRE_CHAIN_STAGES": "maybe"}, "NEWSWIRE_CHAIN_STAGES='maybe': expected one of 1,"),
        ({"NEWSWIRE_WORKERS": "0"}, "must be greater than 0"),
        ({"NEWSWIRE_LOG_FORMAT": "xml"}, "expected one of auto, json, console"),
        ({"NEWSWIRE_LANGID_SHORT_TEXTS": "lingua"}, "expected one of joint, py3langid"),
        ({"NEWSWIRE_EVENTS_PARSER": "spacy"}, "EVENTS_PARSER='spacy': expected one of auto"),
        ({"NEWSWIRE_ALLOW_PRIVATE_NETWORKS": "localhost"}, "is not a CIDR"),
        ({"NEWSWIRE_REDIS_URL": "http://x"}, "scheme must be one of"),
        ({"NEWSWIRE_DATABASE_URL": "mysql://x"}, "scheme must be one of"),
        ({"NEWSWIRE_COLOUR": "blue"}, "NEWSWIRE_COLOUR: unknown setting"),
        ({"NEWSWIRE_WEBSUB_CALLBACK_URL": "ftp://x/cb"}, "expected an http(s) URL with a host"),
        ({"NEWSWIRE_WEBSUB_CALLBACK_URL": "https://x/cb?a=1"}, "no query or fragment"),
        ({"NEWSWIRE_WEBSUB_PORT": "0"}, "must be greater than 0"),
        (
            {"NEWSWIRE_POLL_MIN_INTERVAL_S": "100", "NEWSWIRE_POLL_MAX_INTERVAL_S": "10"},
            "is above",
        ),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(SettingsError, match=None) as info:
        load_settings(env)
    assert fragment in str(info.value)


def test_mask_url_hides_only_the_password() -> None:
    assert mask_url("redis://:pw@host:6379/0") == "redis://:***@host:6379/0"
    assert mask_url("redis://host:6379/0") == "redis://host:6379/0"


def test_websub_is_off_unless_a_callback_url_is_set() -> None:
    assert load_settings({}).websub_callback_url is None
    s = load_settings({"NEWSWIRE_WEBSUB_CALLBACK_URL": " https://news.example/websub/ "})
    assert s.websub_callback_url == "https://news.example/websub"
