"""The dashboard in headless Chromium, served by the real app over the sample data.

Needs Debian's chromium (``apt-get install chromium``) and the ``playwright`` package; skips
with the reason when either is missing. The screenshot's path is printed (``pytest -s``).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from ingest.settings import Settings
from newswire.api.app import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary (apt-get install chromium)"
)


@pytest.fixture()
def live_server(filled_url: str, redis_url: str, tmp_path: Path) -> Iterator[str]:
    """Yield the base URL of the app served by uvicorn on a free loopback port."""
    import uvicorn

    app = create_app(Settings(data_dir=tmp_path, database_url=filled_url, redis_url=redis_url))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()
    app.state.engine.dispose()


@pytest.fixture()
def browser() -> Iterator[Any]:
    """Yield a headless Chromium driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def expected_screen_point(
    svg: dict[str, float], view_box: list[float], lon: float, lat: float
) -> tuple[float, float]:
    """Return where (lon, lat) must appear: equirectangular, viewBox fitted with "meet"."""
    vx, vy, vw, vh = view_box
    scale = min(svg["width"] / vw, svg["height"] / vh)
    left = svg["x"] + (svg["width"] - vw * scale) / 2
    top = svg["y"] + (svg["height"] - vh * scale) / 2
    return left + (lon - vx) * scale, top + (-lat - vy) * scale


def markers(page: Any) -> list[dict[str, Any]]:
    """Return every rendered marker: its event id and the centre of its box on screen."""
    return list(page.evaluate(f"() => ({MEASURE})")["markers"])


#: One layout snapshot: the map's box, its viewBox and every marker's centre, read together
#: so that nothing can move between the readings.
MEASURE = """(() => {
  const svg = document.getElementById('map').getBoundingClientRect();
  return {
    svg: {x: svg.x, y: svg.y, width: svg.width, height: svg.height},
    viewBox: document.getElementById('map').getAttribute('viewBox').split(' ').map(Number),
    markers: [...document.querySelectorAll('#markers circle')].map(n => {
      const r = n.getBoundingClientRect();
      return {id: Number(n.dataset.eventId), x: r.x + r.width / 2, y: r.y + r.height / 2,
              fill: n.getAttribute('fill')};
    }),
  };
})()"""


def test_dashboard_shows_the_sample_events(
    live_server: str, browser: Any, tmp_path: Path, redis_conn: Any
) -> None:
    api = httpx.get(f"{live_server}/events", params={"limit": 500}).json()["items"]
    placed = {e["event_id"]: e for e in api if e["latitude"] is not None}
    assert len(placed) >= 3

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    off_host: list[str] = []
    page.on(
        "request",
        lambda req: None if req.url.startswith(live_server) else off_host.append(req.url),
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/?refresh=1")
    page.wait_for_selector("body[data-loaded=true]")

    # The health panel fills the header once /stats answers, which moves the map down: measure
    # after it, in one snapshot.
    page.wait_for_function("Number(document.body.dataset.healthRefreshes || 0) >= 1")
    snap = page.evaluate(f"() => ({MEASURE})")
    shown = snap["markers"]
    # Every located event is a marker, at its projected place, inside its country's outline.
    assert sorted(m["id"] for m in shown) == sorted(placed)
    for m in shown:
        e = placed[m["id"]]
        x, y = expected_screen_point(snap["svg"], snap["viewBox"], e["longitude"], e["latitude"])
        assert abs(m["x"] - x) < 1.0 and abs(m["y"] - y) < 1.0, (e["location"], m, (x, y))
        under = page.evaluate(
            "([x, y]) => document.elementsFromPoint(x, y).map(n => n.dataset.iso).filter(Boolean)",
            [m["x"], m["y"]],
        )
        assert e["country_code"] in under, (e["location"], under)
    # Coloured by type: one colour per type.
    colours = {placed[m["id"]]["event_type"]: m["fill"] for m in shown}
    assert len(set(colours.values())) == len(colours)

    # The table has every event with its evidence, linked in the source's language.
    rows = page.locator("#events tbody tr")
    assert rows.count() == len(api)
    link = page.locator("#events a.source").first
    assert link.get_attribute("hreflang") == "fr"
    assert link.get_attribute("href").startswith("http://newsroom.test/articles/")
    assert page.locator("#events blockquote[lang=fr]").count() >= len(api)
    assert page.locator("#timeline rect").count() >= 2

    # Pipeline health refreshes on its own: a job queued now shows up without a reload.
    from ingest.queueing import get_queue

    get_queue(redis_conn, "events").enqueue("builtins.print", "dashboard test")
    refreshes = int(page.evaluate("document.body.dataset.healthRefreshes"))
    try:
        page.wait_for_selector(
            "#queues tr[data-queue=events] td:nth-child(2):text-is('1')", timeout=15000
        )
    except Exception as exc:
        state = page.evaluate("document.body.dataset.healthRefreshes")
        raise AssertionError(
            f"queued job not shown; refreshes {refreshes} -> {state}; "
            f"redis keys={redis_conn.keys('*')}; panel: {page.inner_text('#health')}"
        ) from exc
    assert "broken.test" in page.inner_text("#failing-feeds")
    assert "needs attention" in page.inner_text("#health-badge")

    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"\ndashboard screenshot: {shot}")

    # A filter changes what is shown: only Anbar's events remain, on the map and in the table.
    want = sorted(i for i, e in placed.items() if e["admin1_code"] == "IQ-AN")
    assert 0 < len(want) < len(placed)
    page.fill("#filters input[name=admin1]", "IQ-AN")
    page.click("#filters button[type=submit]")
    page.wait_for_function(f"document.body.dataset.events === '{len(want)}'")
    assert sorted(m["id"] for m in markers(page)) == want
    assert page.locator("#events tbody tr").count() == len(want)
    assert "admin1=IQ-AN" in page.url
    filtered = tmp_path / "dashboard-filtered.png"
    page.screenshot(path=str(filtered), full_page=True)
    print(f"dashboard screenshot (filtered): {filtered}")

    # A bad filter is reported on the page, from the API's message.
    page.fill("#filters input[name=bbox]", "1,2,3")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#filter-error:has-text('bbox')")

    assert not errors, errors
    assert not off_host, f"the dashboard reached off the server: {off_host}"
