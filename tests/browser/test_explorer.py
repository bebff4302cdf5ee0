"""The explorer in a real browser: Debian's chromium, driven through selenium, against a real
`claimgraph serve` over this module's database, with every host but 127.0.0.1 unresolvable.

One server and one browser for the module. Each page is checked as a person would meet it
(what it shows, where links lead, back and forward), and as axe-core, the console and the
Performance API see it. Screenshots of each page go to `--screenshots DIR` (or
$CLAIMGRAPH_SCREENSHOTS, else pytest's tmp).
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import pytest_asyncio
from sqlalchemy.engine import make_url

from api.db.engine import Database
from api.store.fixtures import loader
from api.web.pages import STATIC
from tests.browser import chromium, long_source
from tests.conftest import admin
from tests.service import Service, free_port

pytestmark = pytest.mark.process

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
LONG_STATEMENTS = 230
CLAIM = "/claims/unrest-was-colour-revolution"
READER = "/sources/kazakhstan-2022"
PAGES = {
    "home": "/",
    "source-reader-page": READER,
    "claim-page": CLAIM,
    "actor": "/actors/vladimir-putin",
    "event": "/events/putin-statement-2022-01-10",
    "timeline": "/timeline?actor=vladimir-putin",
    "search": "/search?q=colour+revolution",
    "not-found": "/claims/no-such-claim",
}


@pytest_asyncio.fixture(scope="module")
async def loaded(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """This module's database, with a generated source long enough to need three pages."""
    folder = long_source.write(tmp_path_factory.mktemp("long"), LONG_STATEMENTS)
    await loader.load_fixtures(database.sessions, [folder.parent])
    return database


class _Elsewhere(http.server.SimpleHTTPRequestHandler):
    """The explorer's files hosted by another origin: /static/ as files, any other path the
    page (a static host's fallback for an app with its own URLs)."""

    def send_head(self) -> Any:
        if not self.path.startswith("/static/"):
            self.path = "/static/index.html"
        return super().send_head()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(origin, folder) of a plain static server holding a copy of the explorer's files."""
    root = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(STATIC, root / "static")
    port = free_port()
    handler = functools.partial(_Elsewhere, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", root
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def server(loaded: Database, elsewhere: tuple[str, Path]) -> Iterator[str]:
    """`claimgraph serve` over this module's database, open to the other origin's pages,
    whose copy of the page is pointed at it (the one change a static host makes)."""
    origin, root = elsewhere
    env = {"DATABASE_URL": loaded.url, "LOG_LEVEL": "warning", "CORS_ORIGINS": origin}
    with Service("--no-load", env=env) as up:
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        (root / "static" / "index.html").write_text(
            page.replace('content="/graphql"', f'content="{up.base}/graphql"'), encoding="utf-8"
        )
        yield up.base


# -- helpers -----------------------------------------------------------------------------------


def state(browser: Any) -> str:
    return str(browser.execute_script("return document.getElementById('main').dataset.state"))


def settled(browser: Any, timeout: float = 20) -> str:
    """Wait until the view has rendered (or found nothing, or failed); its state."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(lambda page: state(page) != "loading")
    return state(browser)


def visit(browser: Any, url: str) -> str:
    browser.get(url)
    return settled(browser)


def texts(browser: Any, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [element.text for element in browser.find_elements(By.CSS_SELECTOR, css)]


def heading(browser: Any) -> str:
    return texts(browser, "main h1")[0]


def axe_violations(browser: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    browser.execute_script(AXE)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-failed', impact: 'critical', help: String(e)}]));"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def requested(browser: Any) -> list[str]:
    """Every URL the page loaded, by the Performance API (navigation and resources)."""
    return list(
        browser.execute_script(
            "return performance.getEntriesByType('navigation').concat("
            "performance.getEntriesByType('resource')).map(e => e.name)"
        )
    )


def screenshot(browser: Any, folder: Path, name: str, *, full: bool = True) -> None:
    if full:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        width = browser.get_window_size()["width"]
        browser.set_window_size(width, min(int(height) + 120, 4000))
    browser.save_screenshot(str(folder / f"{name}.png"))
    if full:
        browser.set_window_size(1280, 900)


def selected_text(browser: Any) -> str:
    return str(
        browser.execute_script(
            "return [...document.querySelectorAll('.source-text .seg.sel')]"
            ".map(e => e.textContent).join('')"
        )
    )


# -- the pages ---------------------------------------------------------------------------------


class TestClaim:
    def test_shows_its_seven_supporting_speakers_and_one_disputing(
        self, server: str, browser: Any
    ) -> None:
        assert visit(browser, server + CLAIM) == "ready"
        supporters = texts(browser, ".side-supports .speaker-card h4")
        disputers = texts(browser, ".side-disputes .speaker-card h4")
        assert len(supporters) == 7 and len(disputers) == 1
        assert any("Sergei Lebedev" in name for name in supporters)
        assert "Melinda Haring" in disputers[0]
        facts = texts(browser, ".page-head .facts")[0]
        assert "first and last said January 2022" in facts
        assert "7 speakers support it · 1 disputes it" in facts
        assert visit(browser, f"{server}/claims/unrest-was-coup-attempt") == "ready"
        facts = texts(browser, ".page-head .facts")[0]
        assert "1 speaker supports it · 0 dispute it" in facts  # each verb agrees with its count
        assert visit(browser, server + CLAIM) == "ready"
        # The picture says the same, with a text alternative beside it.
        assert len(browser.find_elements("css selector", ".graph .edge.pos-supports")) == 7
        assert len(browser.find_elements("css selector", ".graph .edge.pos-disputes")) == 1
        assert browser.find_elements("css selector", ".graph .edge.hedged")

    def test_a_quote_leads_to_its_place_and_back(self, server: str, browser: Any) -> None:
        statement = "putin-colour-revolution-scenarios"
        exact = httpx.get(f"{server}/v1/statements/{statement}").json()["span"]["exact"]
        visit(browser, server + CLAIM)
        link = browser.find_element("css selector", f"a.quote-link[href$='#{statement}']")
        assert link.get_attribute("href") == f"{server}{READER}#{statement}"
        link.click()
        assert settled(browser) == "ready"
        assert browser.current_url == f"{server}{READER}#{statement}"
        assert selected_text(browser) == exact
        assert "Vladimir Putin" in texts(browser, "#detail h2")[0]
        assert "10 January 2022" in texts(browser, "#detail .byline")[0]

        browser.back()
        assert settled(browser) == "ready"
        assert browser.current_url == server + CLAIM
        assert len(texts(browser, ".side-supports .speaker-card")) == 7
        browser.forward()
        assert settled(browser) == "ready"
        assert selected_text(browser) == exact


class TestReader:
    def test_every_span_is_highlighted_and_a_hash_selects_one(
        self, server: str, browser: Any
    ) -> None:
        visit(browser, f"{server}{READER}#lebedev-prepared-with-foreign-backing")
        markers = browser.find_elements("css selector", ".source-text a.marker")
        assert len(markers) == 42 + 23
        assert selected_text(browser).startswith("Mass unrest in Kazakhstan was prepared")
        assert "January 2022" in texts(browser, "#detail .byline")[0]

    def test_the_keyboard_reaches_and_opens_a_highlight(self, server: str, browser: Any) -> None:
        from selenium.webdriver.common.keys import Keys

        visit(browser, server + READER)
        marker = browser.find_element(
            "css selector", "a.marker[data-key='january-5-rioters-better-armed']"
        )
        browser.execute_script("arguments[0].focus()", marker)
        marker.send_keys(Keys.ENTER)
        assert browser.current_url.endswith("#january-5-rioters-better-armed")
        panel = texts(browser, "#detail")[0]
        assert "attributed by context" in panel and "5 January 2022" in panel
        # Back undoes the selection, as it undoes a page; so does the panel's Close.
        browser.back()
        assert selected_text(browser) == ""
        browser.forward()
        assert selected_text(browser).startswith("were better armed")
        browser.find_element("css selector", "#detail .panel-close").click()
        assert selected_text(browser) == "" and "#" not in browser.current_url
        assert browser.switch_to.active_element == marker

    def test_colour_by_a_claim_shows_positions_with_a_legend(
        self, server: str, browser: Any
    ) -> None:
        visit(browser, f"{server}{READER}?claim=unrest-had-foreign-backing")
        disputing = browser.find_elements("css selector", ".by-position .marker.p-disputes")
        assert [m.get_attribute("data-key") for m in disputing] == ["haring-hand-behind-the-scenes"]
        assert "disputes" in texts(browser, ".legend-slot")[0]

    def test_a_long_source_comes_in_pages(self, server: str, browser: Any) -> None:
        last = f"long-source-quote-{LONG_STATEMENTS - 23}"  # on the third page of 100
        assert visit(browser, f"{server}/sources/long-source#{last}") == "ready"
        statements = browser.find_elements("css selector", "a.marker.k-quote, a.marker.k-report")
        assert len(statements) == LONG_STATEMENTS
        assert selected_text(browser).startswith(f"statement {LONG_STATEMENTS - 23} holds")


class TestSearch:
    def test_a_misspelled_name_leads_to_its_actor(self, server: str, browser: Any) -> None:
        visit(browser, f"{server}/search?q=Tokaev")
        link = browser.find_element(
            "css selector", "#hits-actor a[href='/actors/kassym-jomart-tokayev']"
        )
        link.click()
        assert settled(browser) == "ready"
        assert heading(browser) == "Kassym-Jomart Tokayev"

    def test_snippets_mark_hits_and_stay_text(self, server: str, browser: Any) -> None:
        visit(browser, f"{server}/search?q=colour+revolution")
        marks = texts(browser, ".snippet mark")
        assert marks and {mark.lower() for mark in marks} <= {"colour", "revolution", "revolutions"}
        # The API escapes quotes and apostrophes in snippets; the page shows them as text.
        snippets = " ".join(texts(browser, ".snippet"))
        assert "&quot;" not in snippets and "&#39;" not in snippets and '"' in snippets

    def test_the_box_on_every_page_searches(self, server: str, browser: Any) -> None:
        from selenium.webdriver.common.keys import Keys

        visit(browser, server + "/actors/vladimir-putin")
        box = browser.find_element("id", "search-q")
        box.send_keys("kompromat OR Haring", Keys.ENTER)
        assert settled(browser) == "ready"
        assert "/search?q=" in browser.current_url
        assert "Melinda Haring" in " ".join(texts(browser, ".hit h3"))


class TestTimeline:
    def test_january_2022_is_a_period(self, server: str, browser: Any) -> None:
        visit(browser, f"{server}/timeline")
        periods = browser.execute_script(
            "return [...document.querySelectorAll('.timeline-list time')]"
            ".map(t => [t.getAttribute('datetime'), t.textContent,"
            " t.parentElement.textContent])"
        )
        month = [p for p in periods if p[0] == "2022-01"]
        assert month and month[0][1] == "January 2022" and "the whole month" in month[0][2]
        titles = browser.execute_script(
            "return [...document.querySelectorAll('.timeline-svg .period.month')]"
            ".map(p => p.parentElement.querySelector('title').textContent)"
        )
        assert titles and all(t.startswith("January 2022 (the whole period)") for t in titles)
        assert "undated" in texts(browser, ".page-head .facts")[0]

    def test_filters_by_actor_and_claim(self, server: str, browser: Any) -> None:
        visit(browser, f"{server}/timeline?actor=vladimir-putin&claim=maidan-methods-used")
        entries = texts(browser, ".timeline-entry.statement")
        assert len(entries) == 2 and all("Vladimir Putin" in entry for entry in entries)


class TestEveryPage:
    @pytest.mark.parametrize(("name", "path"), PAGES.items())
    def test_accessible_quiet_offline_and_shown(
        self, server: str, browser: Any, screenshots: Path, name: str, path: str
    ) -> None:
        chromium.console_errors(browser)  # what earlier tests left
        expected = "not-found" if name == "not-found" else "ready"
        assert visit(browser, server + path) == expected
        assert axe_violations(browser) == []
        assert chromium.console_errors(browser) == []
        assert all(url.startswith(server + "/") for url in requested(browser))
        screenshot(browser, screenshots, name)

    def test_an_unknown_claim_is_not_found(self, server: str, browser: Any) -> None:
        assert visit(browser, f"{server}/claims/no-such-claim") == "not-found"
        assert "no-such-claim" in heading(browser) and "not in claimgraph" in heading(browser)
        assert browser.title.startswith("Not found")
        for kind in ("sources", "actors", "events", "statements", "evidence"):
            assert visit(browser, f"{server}/{kind}/no-such-{kind}") == "not-found", kind
            assert f"no-such-{kind}" in heading(browser)

    def test_each_view_opens_its_query_in_graphiql(self, server: str, browser: Any) -> None:
        visit(browser, server + CLAIM)
        link = browser.find_element("css selector", ".data-footer a.graphiql-link")
        query = parse_qs(urlsplit(link.get_attribute("href")).query)
        assert link.get_attribute("href").startswith(f"{server}/graphql?")
        assert query["query"][0].startswith("query ClaimPage($id: ID!)")
        assert json.loads(query["variables"][0]) == {"id": "unrest-was-colour-revolution"}

    def test_a_phone_has_no_horizontal_scroll(
        self, server: str, browser: Any, screenshots: Path
    ) -> None:
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
        )
        try:
            for name, path in PAGES.items():
                visit(browser, server + path)
                scroll = browser.execute_script(
                    "return [document.documentElement.scrollWidth, window.innerWidth]"
                )
                assert scroll[0] <= scroll[1], (path, scroll)
                browser.save_screenshot(str(screenshots / f"phone-{name}.png"))
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


class TestReadmeScreenshots:
    """The two pictures docs/explorer.md shows, at a size that reads on a page:
    `python3 run.py test tests/browser -k readme --screenshots docs/images`."""

    def test_the_reader_and_a_claim(self, server: str, browser: Any, screenshots: Path) -> None:
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1200, "height": 860, "deviceScaleFactor": 1, "mobile": False},
        )
        try:
            chosen = "claim=unrest-was-colour-revolution#lebedev-colour-revolution-sponsors"
            reader = f"{READER}?{chosen}"
            assert visit(browser, server + reader) == "ready"
            assert selected_text(browser).startswith("These provocateurs")
            browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
            browser.save_screenshot(str(screenshots / "explorer-source-reader.png"))
            assert visit(browser, server + CLAIM) == "ready"
            browser.save_screenshot(str(screenshots / "explorer-claim.png"))
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        for name in ("explorer-source-reader.png", "explorer-claim.png"):
            assert (screenshots / name).stat().st_size < 300_000


class TestElsewhere:
    def test_the_files_work_from_another_origin(
        self, server: str, browser: Any, elsewhere: tuple[str, Path]
    ) -> None:
        origin, _ = elsewhere
        assert visit(browser, origin + CLAIM) == "ready"
        assert len(texts(browser, ".side-supports .speaker-card")) == 7
        urls = requested(browser)
        assert any(url.startswith(f"{server}/graphql?") for url in urls)
        assert all(url.startswith((origin + "/", server + "/")) for url in urls)
        assert chromium.console_errors(browser) == []


class TestOutage:
    def test_a_database_outage_is_a_notice_that_retries(
        self, server: str, server_url: str, loaded: Database, browser: Any
    ) -> None:
        name = str(make_url(loaded.url).database)
        asyncio.run(_rename(server_url, name, f"{name}_away"))
        try:
            browser.get(f"{server}/actors/vladimir-putin")
            from selenium.webdriver.support.ui import WebDriverWait

            WebDriverWait(browser, 20).until(
                lambda page: "not answering" in page.find_element("id", "notice").text
            )
            assert state(browser) == "loading"
            assert "Retry now" in browser.find_element("id", "notice").text
        finally:
            asyncio.run(_rename(server_url, f"{name}_away", name))
        assert settled(browser, timeout=40) == "ready"
        assert heading(browser) == "Vladimir Putin"
        assert not browser.find_element("id", "notice").is_displayed()
        chromium.console_errors(browser)  # the 503s were logged, as browsers do


async def _rename(server_url: str, old: str, new: str) -> None:
    """Rename a database, cutting off whoever is connected (the server reconnects after)."""
    for _ in range(50):
        try:
            await admin(
                server_url,
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{old}'",
            )
            await admin(server_url, f'ALTER DATABASE "{old}" RENAME TO "{new}"')
            return
        except Exception:  # a connection came back in between; try again
            await asyncio.sleep(0.1)
    raise AssertionError(f"could not rename {old}")


def followers(server: str) -> float:
    """The service's gauge of clients following the change feed."""
    metrics = httpx.get(f"{server}/metrics", timeout=10).text
    found = re.search(r"^claimgraph_feed_followers (\S+)$", metrics, re.MULTILINE)
    assert found, "no claimgraph_feed_followers in /metrics"
    return float(found.group(1))


def followed_by(server: str, expected: float) -> float:
    """The gauge once it reads `expected` (a stream's end reaches the server a moment after
    the page closes it), or as it reads after ten seconds."""
    deadline = time.monotonic() + 10
    while (now := followers(server)) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return now


class TestLive:
    def test_only_the_page_in_front_holds_a_stream(self, server: str, browser: Any) -> None:
        """A page left for another (kept for the Back button) closes its change-feed stream:
        a browser opens six connections to a server, and the seventh page would wait for one
        of them (it did, a minute each)."""
        paths = [f"/{kind}/no-such-{kind}" for kind in ("claims", "sources", "actors", "events")]
        for path in [*paths, "/statements/no-such-statements", "/evidence/no-such-evidence"]:
            assert visit(browser, server + path) == "not-found"
        assert visit(browser, server + CLAIM) == "ready"
        assert followed_by(server, 1) == 1
        browser.back()
        assert settled(browser) == "not-found"
        assert followed_by(server, 1) == 1
