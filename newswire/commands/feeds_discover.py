"""``newswire feeds discover SITE_URL``: list (and optionally add) the feeds a site offers."""

from __future__ import annotations

import json
import sys

import click


def register(main: click.Group) -> None:
    """Add ``discover`` to the ``feeds`` group of ``main``."""
    feeds = main.commands.get("feeds")
    if isinstance(feeds, click.Group):
        feeds.add_command(discover)


@click.command("discover")
@click.argument("site_url")
@click.option("--add", "add", is_flag=True, help="Register every feed found.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed.")
@click.pass_context
def discover(ctx: click.Context, site_url: str, add: bool, as_json: bool) -> None:
    """Find the feeds SITE_URL offers: its <link rel=alternate> tags, then common paths."""
    from ingest.discover import discover as find_feeds  # noqa: PLC0415 -- keep `newswire --help` fast
    from ingest.feedstore import FeedInputError, check_feed_url  # noqa: PLC0415
    from ingest.safehttp import FetchError, FetchLimits, fetch  # noqa: PLC0415
    from ingest.settings import SettingsError, load_settings  # noqa: PLC0415

    try:
        settings = load_settings()
        url = check_feed_url(site_url)
    except (SettingsError, FeedInputError) as exc:
        raise click.UsageError(str(exc), ctx) from exc
    limits = FetchLimits(
        deadline_s=settings.fetch_deadline_s,
        max_body_bytes=settings.fetch_max_bytes,
        max_decoded_bytes=2 * settings.fetch_max_bytes,
        user_agent=settings.user_agent,
    )
    try:
        found = find_feeds(
            url,
            lambda u: fetch(u, limits=limits, allowed_networks=settings.allow_private_networks),
        )
    except FetchError as exc:
        click.echo(f"error: cannot fetch {url}: {exc}", err=True)
        sys.exit(1)
    if not found:
        click.echo(f"no feed found on {url}", err=True)
        sys.exit(1)
    for f in found:
        if as_json:
            click.echo(
                json.dumps({"url": f.url, "title": f.title, "kind": f.kind, "found_by": f.found_by})
            )
        else:
            click.echo(f"{f.kind:<8} {f.url}" + (f"  ({f.title})" if f.title else ""))
    if add:
        from ingest.db import make_engine, session_factory, transaction  # noqa: PLC0415
        from ingest.feedstore import add_feeds  # noqa: PLC0415

        engine = make_engine(settings.effective_database_url)
        with transaction(session_factory(engine)) as s:
            for r in add_feeds(s, [f.url for f in found]):
                click.echo(f"{r.status:<8} {r.url}", err=True)
        engine.dispose()
