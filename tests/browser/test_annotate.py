"""Annotate mode in a real browser: Debian's chromium, driven through selenium, against a real
`claimgraph serve` over this module's database (with its own keys), every host but 127.0.0.1
unresolvable.

The analyst's day, in order: without a key nothing can be edited; a revoked key is refused;
signed in, a short text written for the test becomes a source, a suggested quote in it is
accepted with a new speaker and a stance on a new claim, and after a reload it is in the
reader, in search, on the claim page and in the audit log; a selection becomes evidence (a
taken id refused next to its field); the same statement edited in two windows conflicts and
the second analyst reapplies; a delete refused lists what still refers to the record. The
screenshots docs/explorer.md shows are taken on the way (`--screenshots docs/images`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.db.engine import Database
from tests.browser import chromium
from tests.browser.test_explorer import axe_violations, requested, settled, texts, visit
from tests.conftest import bearer
from tests.service import Service, claimgraph

pytestmark = pytest.mark.process

SOURCE = "harvest-briefing"
TEXT = (
    "Farmers gathered in Kostanay on 12 March 2024 to hear the season's forecast.\n\n"
    '"The harvest will be the largest in a decade," said Aigerim Sadykova, the regional '
    "agriculture minister.\n\n"
    "Grain traders were less sure. Storage in the region is already full, a trader said, "
    "and storage in the north is full too."
)
QUOTE = "The harvest will be the largest in a decade"
STATEMENT = "aigerim-sadykova-the-harvest-will-be-the-largest"
CLAIM_TEXT = "The 2024 harvest in Kostanay is a record"
CLAIM = "the-2024-harvest-in-kostanay-is-a-record"


@pytest.fixture(scope="module")
def service(database: Database) -> Iterator[Service]:
    """`claimgraph serve` over this module's database, logging every request (so that the
    test can read the log for the key)."""
    env = {"DATABASE_URL": database.url, "LOG_LEVEL": "info"}
    with Service("--no-load", env=env) as up:
        yield up


@pytest.fixture(scope="module")
def server(service: Service) -> str:
    return service.base


# -- helpers -----------------------------------------------------------------------------------


def wait(browser: Any, condition: Any, timeout: float = 15) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def find(browser: Any, css: str) -> Any:
    return wait(browser, lambda page: page.find_element("css selector", css))


def present(browser: Any, css: str) -> bool:
    return bool(browser.find_elements("css selector", css))


def status(browser: Any) -> str:
    return str(browser.find_element("id", "status").text)


def sign_in(browser: Any, key: str) -> None:
    browser.find_element("id", "sign-in-open").click()
    find(browser, "#api-key").send_keys(key)
    browser.find_element("css selector", ".sign-in-form button[type=submit]").click()


def signed_in(browser: Any, server: str, key: str) -> None:
    """Sign this window in (sessionStorage is per tab), unless it is already."""
    if not browser.current_url.startswith(server):
        visit(browser, server + "/")
    if present(browser, "#sign-out"):
        return
    sign_in(browser, key)
    wait(browser, lambda page: present(page, "#sign-out"))
    settled(browser)


def field(browser: Any, form: str, name: str) -> Any:
    """The shown control of a form's field, by the input field it stands for (a hidden new
    claim's `id` is not the form's)."""
    controls = browser.find_elements(
        "css selector",
        f"{form} [data-field='{name}'] input:not([type=radio]):not([type=checkbox]),"
        f" {form} [data-field='{name}'] textarea, {form} [data-field='{name}'] select",
    )
    return next(control for control in controls if control.is_displayed())


def error_for(browser: Any, form: str, name: str) -> str:
    slots = browser.find_elements("css selector", f"{form} [data-error-for='{name}']")
    return " ".join(slot.text for slot in slots if slot.text)


def pick(browser: Any, box: Any, words: str, option: str) -> None:
    """Type into a combobox and click the option whose text contains `option`."""
    box.clear()
    box.send_keys(words)
    options = f"#{box.get_attribute('aria-controls')} [role=option]"
    wait(
        browser,
        lambda page: any(option in o.text for o in page.find_elements("css selector", options)),
    )
    next(o for o in browser.find_elements("css selector", options) if option in o.text).click()


def pick_by_keyboard(browser: Any, box: Any, words: str) -> None:
    """Type into a combobox, then ArrowDown to the first option and Enter."""
    from selenium.webdriver.common.keys import Keys

    box.send_keys(words)
    options = f"#{box.get_attribute('aria-controls')} [role=option]"
    wait(browser, lambda page: page.find_elements("css selector", options))
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant").endswith("-0")
    box.send_keys(Keys.ENTER)


def select_words(browser: Any, words: str) -> None:
    """Select `words` in the reader's text as a mouse would, and let go of the button."""
    browser.execute_script(
        "const [words] = arguments; const container = document.querySelector('.source-text');"
        "const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);"
        "for (let node = walker.nextNode(); node; node = walker.nextNode()) {"
        "  const at = node.textContent.indexOf(words); if (at < 0) continue;"
        "  const range = document.createRange(); range.setStart(node, at);"
        "  range.setEnd(node, at + words.length);"
        "  const selection = window.getSelection(); selection.removeAllRanges();"
        "  selection.addRange(range);"
        "  container.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); return; }"
        "throw new Error('not in the text: ' + words);",
        words,
    )
    # The reader reads the selection once the mouseup is over (a task later).
    wait(
        browser,
        lambda page: (
            "The selected passage" in " ".join(texts(page, "#detail h2"))
            and texts(page, "#detail .selected-quote") == [words]
        ),
    )


def shot(
    browser: Any, folder: Path, name: str, show: str | None = None, *, top: bool = False
) -> None:
    """docs/images/annotate-{name}.png: the reader's text and panel in view (the panel
    scrolled to `show`; `top`: the page from its header), at a size that reads on a page."""
    metrics = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        browser.execute_script(
            "document.activeElement.blur();"
            "const body = document.querySelector('.reader-body') || document.querySelector('main');"
            "window.scrollTo(0, arguments[1] ? 0"
            " : body.getBoundingClientRect().top + window.scrollY - 12);"
            "const panel = document.getElementById('detail');"
            "const target = arguments[0] && document.querySelector(arguments[0]);"
            "if (panel) panel.scrollTop = target ? panel.scrollTop"
            " + target.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8 : 0;",
            show,
            top,
        )
        browser.save_screenshot(str(folder / f"annotate-{name}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# -- the analyst's day --------------------------------------------------------------------------


class TestWithoutAKey:
    def test_nothing_can_be_edited(self, server: str, browser: Any) -> None:
        visit(browser, f"{server}/sources/kazakhstan-2022#lebedev-prepared-with-foreign-backing")
        assert present(browser, "#sign-in-open") and not present(browser, "#sign-out")
        assert texts(browser, "#detail h2")  # the panel is open, read-only
        for control in (".annotate-bar", ".edit-record", ".delete-record", ".seg.sug", "form"):
            assert not present(browser, f"main {control}"), control
        visit(browser, f"{server}/new-source")
        assert not present(browser, "main form")
        assert "sign in first" in " ".join(texts(browser, "main p"))

    def test_a_revoked_key_is_refused_with_a_message(
        self, server: str, browser: Any, api_keys: dict[str, str]
    ) -> None:
        visit(browser, server + "/")
        sign_in(browser, api_keys["revoked"])
        error = wait(browser, lambda page: page.find_element("id", "api-key-error").text)
        assert "The API refused this key: the API key is unknown or revoked." in error
        browser.find_element("css selector", ".sign-in-form [data-action='cancel']").click()
        assert not present(browser, "#sign-out")
        assert browser.execute_script("return sessionStorage.length") == 0


class TestKeysFromTheCli:
    def test_a_key_revoked_meanwhile_signs_the_tab_out_saying_why(
        self, server: str, browser: Any, database: Database
    ) -> None:
        env = {"DATABASE_URL": database.url, "LOG_LEVEL": "warning"}
        created = claimgraph("keys", "create", "browser-analyst", "--scope", "write", env=env)
        assert created.returncode == 0, created.stderr
        visit(browser, server + "/")
        browser.find_element("id", "sign-in-open").click()
        assert browser.switch_to.active_element.get_attribute("id") == "api-key"
        assert axe_violations(browser) == []
        browser.switch_to.active_element.send_keys(created.stdout.splitlines()[-1])
        browser.find_element("css selector", ".sign-in-form button[type=submit]").click()
        wait(browser, lambda page: present(page, "#sign-out"))
        assert "Annotating as browser-analyst" in browser.find_element("id", "session").text

        assert claimgraph("keys", "revoke", "browser-analyst", env=env).returncode == 0
        browser.refresh()
        assert settled(browser) == "ready"
        assert present(browser, "#sign-in-open") and not present(browser, "#sign-out")
        assert "Signed out: The API refused this key: the API key is unknown or revoked" in status(
            browser
        )
        assert browser.execute_script("return sessionStorage.length") == 0


class TestAnnotate:
    def test_a_pasted_text_and_an_accepted_suggestion_are_there_after_a_reload(
        self,
        server: str,
        service: Service,
        browser: Any,
        api_keys: dict[str, str],
        screenshots: Path,
    ) -> None:
        signed_in(browser, server, api_keys["write"])
        assert "Annotating as test-write" in browser.find_element("id", "session").text
        # A new source from text, stored exactly as given.
        browser.find_element("css selector", "a.new-source-link").click()
        settled(browser)
        form = ".new-source-form"
        field(browser, form, "title").send_keys("Harvest briefing")
        field(browser, form, "publisher").send_keys("Test Wire")
        field(browser, form, "url").send_keys("https://example.org/harvest")
        browser.execute_script(
            "arguments[0].value = '2024-03-12'; arguments[0].dispatchEvent(new Event('input'))",
            field(browser, form, "publishedAt"),
        )
        browser.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
            field(browser, form, "text"),
            TEXT,
        )
        field(browser, form, "id").clear()
        field(browser, form, "id").send_keys(SOURCE)
        shot(browser, screenshots, "new-source", top=True)
        browser.find_element("css selector", f"{form} button[type=submit]").click()
        wait(browser, lambda page: page.current_url.endswith(f"/sources/{SOURCE}"))
        assert settled(browser) == "ready"
        stored = httpx.get(f"{server}/v1/sources/{SOURCE}").json()
        assert stored["publisher"] == "Test Wire" and stored["published_at"].startswith(
            "2024-03-12"
        )
        assert httpx.get(f"{server}/v1/sources/{SOURCE}/text").text == TEXT

        # Two suggestions, dashed: one dismissed (nothing stored), ...
        find(browser, ".seg.sug")
        assert len(texts(browser, ".seg.sug")) == 2
        trader = browser.find_elements("css selector", ".seg.sug")[1]
        assert "a trader said" in trader.text
        trader.click()
        browser.find_element("css selector", "#detail .dismiss-suggestion").click()
        wait(browser, lambda page: "Dismissed the suggestion" in status(page))
        assert settled(browser) == "ready"
        assert texts(browser, ".seg.sug") == [QUOTE]
        # ... the other accepted, with a new speaker and a stance on a new claim.
        suggested = browser.find_element("css selector", ".seg.sug")
        suggested.click()
        assert "Suggested quote" in texts(browser, "#detail h2")[0]
        assert "Aigerim Sadykova (a new actor)" in browser.find_element("id", "detail").text
        shot(browser, screenshots, "suggestion", top=True)
        browser.find_element("css selector", ".accept-suggestion").click()
        statement = ".statement-form"
        assert find(browser, statement)
        assert browser.switch_to.active_element.text == "Accept the suggested statement"
        assert field(browser, statement, "speaker").get_attribute("value") == "Aigerim Sadykova"
        actor = f"{statement} [data-new-record='actor']"
        assert field(browser, actor, "id").get_attribute("value") == "aigerim-sadykova"
        field(browser, actor, "description").send_keys("Regional agriculture minister")
        browser.find_element("css selector", ".add-stance").click()
        pick(browser, browser.switch_to.active_element, CLAIM_TEXT, "New claim")
        field(browser, statement, "saidOn").send_keys("2024-03")
        shot(browser, screenshots, "statement-form", ".stances-field")
        assert axe_violations(browser) == []
        browser.find_element("css selector", f"{statement} button[type=submit]").click()
        wait(browser, lambda page: page.current_url.endswith(f"#{STATEMENT}"))
        assert settled(browser) == "ready"
        assert f"Saved the statement “{STATEMENT}”" in status(browser)

        # Reloaded: still signed in (this tab), and the statement is in its place.
        browser.refresh()
        assert settled(browser) == "ready"
        assert present(browser, "#sign-out")
        assert present(browser, f".source-text a.marker[data-key='{STATEMENT}']")
        panel = browser.find_element("id", "detail").text
        assert "Quote by Aigerim Sadykova" in panel and "March 2024" in panel
        assert CLAIM_TEXT in panel
        assert QUOTE not in texts(browser, ".seg.sug")  # recorded now, no longer suggested
        shot(browser, screenshots, "saved")

        # In search, on the claim page, and in the audit log.
        visit(browser, f"{server}/search?q=Sadykova")
        assert "Aigerim Sadykova" in " ".join(texts(browser, ".hit h3"))
        visit(browser, f"{server}/claims/{CLAIM}")
        assert "Aigerim Sadykova" in " ".join(texts(browser, ".side-supports .speaker-card h4"))
        audit = httpx.get(
            f"{server}/v1/audit", params={"limit": 100}, headers=bearer(api_keys["admin"])
        ).json()
        written = {(entry["entity"], entry["entity_id"], entry["key"]) for entry in audit["data"]}
        for record in (
            ("source", SOURCE),
            ("actor", "aigerim-sadykova"),
            ("claim", CLAIM),
            ("statement", STATEMENT),
            ("stance", f"{STATEMENT}--{CLAIM}"),
        ):
            assert (*record, "test-write") in written, record

        # The key travelled in headers only: no URL the page loaded, no log line carries it.
        assert not any(api_keys["write"] in url for url in requested(browser))
        assert api_keys["write"] not in service.read()
        assert chromium.console_errors(browser) == []

    def test_a_selection_becomes_evidence_and_a_refusal_is_said_at_its_field(
        self, server: str, browser: Any, api_keys: dict[str, str]
    ) -> None:
        signed_in(browser, server, api_keys["write"])
        visit(browser, f"{server}/sources/{SOURCE}")
        select_words(browser, "storage in the north is full")
        browser.find_element("css selector", "#detail .as-evidence").click()
        form = ".evidence-form"
        find(browser, form)
        # Offsets counted in the source's text, "storage" being there twice (once capitalised).
        where = browser.find_element("css selector", f"{form} .passage-where").text
        start = TEXT.index("storage in the north is full")
        assert f"Characters {start}–{start + 28}" in where
        # Nothing chosen: said at each field, nothing sent.
        browser.find_element("css selector", f"{form} button[type=submit]").click()
        assert "Choose the claim" in error_for(browser, form, "claim")
        assert "Say what the evidence is" in error_for(browser, form, "summary")
        pick_by_keyboard(browser, field(browser, form, "claim"), "2024 harvest")
        assert (
            "Chosen: " + CLAIM_TEXT in browser.find_element("css selector", f"{form} .chosen").text
        )
        browser.find_element("css selector", f"{form} input[value='REFUTES']").click()
        field(browser, form, "summary").send_keys("Storage in the north is already full.")
        field(browser, form, "id").send_keys("harvest-storage-full")
        browser.find_element("css selector", f"{form} button[type=submit]").click()
        wait(browser, lambda page: "evidence" in page.current_url)
        settled(browser)
        assert "Evidence" in texts(browser, "#detail h2")[0]
        # Words that appear twice: which occurrence the selection is.
        select_words(browser, "full")
        assert "occurrence 1 of 2 of these words" in browser.find_element("id", "detail").text
        # The same id again: AlreadyExists, said next to the id, and nothing else written.
        select_words(browser, "Storage in the region is already full")
        browser.find_element("css selector", "#detail .as-evidence").click()
        find(browser, form)
        pick(browser, field(browser, form, "claim"), "2024 harvest", CLAIM_TEXT)
        field(browser, form, "summary").send_keys("Storage in the region is full.")
        field(browser, form, "id").send_keys("harvest-storage-full")
        browser.find_element("css selector", f"{form} button[type=submit]").click()
        message = wait(browser, lambda page: error_for(page, form, "id"))
        assert "already exists" in message
        assert (
            "Nothing was saved" in browser.find_element("css selector", f"{form} .form-status").text
        )
        items = httpx.get(f"{server}/v1/evidence", params={"source": SOURCE}).json()["data"]
        assert len(items) == 1
        assert axe_violations(browser) == []

    def test_a_txt_file_is_stored_exactly_and_offsets_count_code_points(
        self, server: str, browser: Any, api_keys: dict[str, str], tmp_path: Path
    ) -> None:
        text = 'Line one, with \U0001d54f in it.\r\nThe minister said: "Prices will fall."\r\n'
        file = tmp_path / "prices.txt"
        file.write_bytes(text.encode())
        signed_in(browser, server, api_keys["write"])
        visit(browser, f"{server}/new-source")
        form = ".new-source-form"
        field(browser, form, "file").send_keys(str(file))
        wait(
            browser,
            lambda page: (
                "kept exactly" in page.find_element("css selector", f"{form} .form-status").text
            ),
        )
        assert field(browser, form, "title").get_attribute("value") == "prices"
        field(browser, form, "publisher").send_keys("Test Wire")
        browser.find_element("css selector", f"{form} button[type=submit]").click()
        wait(browser, lambda page: page.current_url.endswith("/sources/prices"))
        settled(browser)
        assert httpx.get(f"{server}/v1/sources/prices/text").content == text.encode()
        select_words(browser, "Prices will fall.")
        browser.find_element("css selector", "#detail .as-statement").click()
        browser.find_element("css selector", ".statement-form button[type=submit]").click()
        wait(browser, lambda page: "#unattributed-prices-will-fall" in page.current_url)
        span = httpx.get(f"{server}/v1/statements/unattributed-prices-will-fall").json()["span"]
        assert (span["start"], span["exact"]) == (text.index("Prices"), "Prices will fall.")

    def test_the_same_record_edited_in_two_windows_conflicts_and_reapplies(
        self, server: str, browser: Any, api_keys: dict[str, str], screenshots: Path
    ) -> None:
        reader = f"{server}/sources/{SOURCE}#{STATEMENT}"
        signed_in(browser, server, api_keys["write"])
        visit(browser, reader)
        first = browser.current_window_handle
        find(browser, "#detail .edit-record").click()
        form = ".statement-form"
        field(browser, form, "note").send_keys("Said at the farmers' meeting.")

        browser.switch_to.new_window("window")
        second = browser.current_window_handle
        try:
            signed_in(browser, server, api_keys["admin"])
            visit(browser, reader)
            find(browser, "#detail .edit-record").click()
            field(browser, form, "note").send_keys("From the ministry's transcript.")
            browser.find_element("css selector", f"{form} button[type=submit]").click()
            wait(browser, lambda page: "Saved the changes" in status(page))
        finally:
            browser.close()
            browser.switch_to.window(first)
        assert second not in browser.window_handles

        browser.find_element("css selector", f"{form} button[type=submit]").click()
        conflict = find(browser, f"{form} .conflict")
        assert "version 2" in conflict.text
        rows = texts(browser, f"{form} .conflict-table tr.differs")
        assert any(
            "From the ministry's transcript." in row and "farmers' meeting" in row for row in rows
        )
        assert axe_violations(browser) == []
        shot(browser, screenshots, "conflict", f"{form} .conflict")
        conflict.find_element("css selector", ".reapply").click()
        wait(browser, lambda page: "Saved the changes" in status(page))
        settled(browser)
        stored = httpx.get(f"{server}/v1/statements/{STATEMENT}").json()
        assert stored["note"] == "Said at the farmers' meeting."
        assert stored["version"] == 3

    def test_a_refused_delete_lists_what_refers_and_history_is_one_click_away(
        self, server: str, browser: Any, api_keys: dict[str, str]
    ) -> None:
        signed_in(browser, server, api_keys["write"])
        visit(browser, f"{server}/sources/{SOURCE}#{STATEMENT}")
        find(browser, "#detail .delete-record").click()
        find(browser, "#detail .confirm-delete button.danger").click()
        referrers = wait(browser, lambda page: texts(page, "#detail .referrers li"))
        assert f"the position of {STATEMENT} on the claim {CLAIM}" in referrers
        assert httpx.get(f"{server}/v1/statements/{STATEMENT}").status_code == 200
        browser.find_element("css selector", "#detail .history-record").click()
        entries = wait(browser, lambda page: texts(page, "#detail .history li"))
        assert entries[0].split()[2] == "created" and "changed note" in entries[-1]
        # Evidence nothing refers to goes.
        visit(browser, f"{server}/sources/{SOURCE}#evidence:harvest-storage-full")
        find(browser, "#detail .delete-record").click()
        find(browser, "#detail .confirm-delete button.danger").click()
        wait(browser, lambda page: "Deleted the evidence" in status(page))
        assert httpx.get(f"{server}/v1/evidence/harvest-storage-full").status_code == 404

    def test_signing_out_forgets_the_key(self, server: str, browser: Any) -> None:
        visit(browser, f"{server}/sources/{SOURCE}")
        browser.find_element("id", "sign-out").click()
        wait(browser, lambda page: present(page, "#sign-in-open"))
        settled(browser)
        assert not present(browser, "main .annotate-bar")
        assert browser.execute_script("return sessionStorage.getItem('claimgraph.session')") is None
