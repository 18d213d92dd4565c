"""report.html: self-contained, escaped, deterministic; and it works in a real browser.

The pure tests read the document as text and with html.parser. The browser
tests open it from file:// in the system Chromium through Playwright, once
per module, and write screenshots to ``.artifacts/`` for a human to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.report.html import CSP, render_html
from pipeline.report.model import (
    REPORT_SCHEMA,
    DuplicateGroup,
    EnrichRun,
    ErrorGroup,
    ExtraFile,
    Identification,
    MissingEpisodes,
    NamingIssue,
    NamingRule,
    PlanSummary,
    Report,
    ReviewItem,
    Totals,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / ".artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]

EVIL = "<img src=x onerror=alert(1)>.mkv"
EVIL_PATH = f"/media/Movies/{EVIL}"
QUOTES_PATH = "/media/Movies/Heat (1995)/\"quotes\" & 'apostrophes'.srt"
NUL_PATH = "/m/caf\x00e9.mkv"  # wire form of the byte 0xE9 that is not UTF-8
NUL_SHOWN = "/m/caf\\xe9.mkv"
DUP_NAME = "The Matrix (1999) 1080p BluRay.mkv"
UNICODE_PATH = "/media/Films/千と千尋の神隠し (2001)/Spirited Away.mkv"


def full_report() -> Report:
    """A realistic report: 412 files, every section filled, some lists capped."""
    unidentified = [EVIL_PATH, NUL_PATH, "/media/Movies/Amélie/VTS_01_1.VOB",
                    *(f"/media/Incoming/clip_{n:03d}.mp4" for n in range(1, 22))]
    return Report(
        schema=REPORT_SCHEMA, created="2024-05-01T03:00:00+00:00", tool="0.4.0",
        inputs={"probe.jsonl": "ab" * 32, "scan.jsonl": "cd" * 32},
        roots=["/media"],
        totals=Totals(files=412, bytes=3_876_543_210_987),
        kinds={"video": Totals(180, 3_700_000_000_000), "audio": Totals(150, 170_000_000_000),
               "subtitle": Totals(60, 3_000_000), "book": Totals(12, 6_500_000_000),
               "image": Totals(8, 40_000_000), "other": Totals(2, 3_210_987)},
        identification=Identification(identified=268, needs_review=26, unidentified=24),
        review=[
            ReviewItem("/media/Movies/Alien/Alien.mkv", "movie", "movie without a year",
                       "Alien", None, ["Alien (1979) [tmdbid-348]", "Aliens (1986) [tmdbid-679]"]),
            ReviewItem("/media/Shows/Kommissar Rex/Rex - Folge 12.avi", "episode",
                       "episode without season or episode number", "Kommissar Rex", 1994,
                       ["Kommissar Rex (1994) S01E12", "Rex: A Cop's Best Friend"]),
        ],
        unidentified=unidentified,
        errors=[
            ErrorGroup("probe", "mediainfo_failed", 3, "MediaInfo could not read the file",
                       ["/media/Movies/broken.mkv", QUOTES_PATH, "/media/Movies/zero.mp4"]),
            ErrorGroup("probe", "timeout", 1, "probe took longer than 60 s",
                       ["/media/Shows/Huge/episode.ts"]),
            ErrorGroup("scan", "permission_denied", 1207, "Permission denied: '/media/private'",
                       [f"/media/private/file{n:02d}.mkv" for n in range(7)]),
        ],
        distributions={
            "container": {"mkv": 150, "mp4": 45, "flac": 90, "mp3": 60, "avi": 9},
            "video_codec": {"hevc": 95, "avc": 70, "mpeg4": 9, "av1": 6},
            "resolution": {"1080p": 110, "2160p": 40, "720p": 20, "480p": 10},
            "hdr": {"SDR": 140, "HDR10": 25, "Dolby Vision": 10, "HLG": 5},
            "audio_codec": {"aac": 120, "flac": 90, "ac3": 60, "eac3": 30, "dts": 20,
                            "truehd": 8, "opus": 4, "mp3": 60, "vorbis": 2, "pcm": 1,
                            "alac": 3, "wma": 1},
            "audio_language": {"eng": 150, "deu": 40, "fra": 20, "jpn": 12, "und": 9},
            "subtitle_language": {"eng": 70, "deu": 20, "spa": 8, "und": 5},
        },
        duplicates=[
            DuplicateGroup("same content", "sha256:" + "0f" * 16,
                           [f"/media/Movies/{DUP_NAME}", f"/media/Backup/{DUP_NAME}"]),
            DuplicateGroup("same work", "the matrix (1999)",
                           [f"/media/Movies/{DUP_NAME}", "/media/Movies/The Matrix 720p.mp4"]),
        ],
        missing_episodes=[
            MissingEpisodes("Breaking Bad", 2, [3, 4, 5, 9], [1, 2, 6, 7, 8, 10, 11, 12, 13]),
            MissingEpisodes("Ålesund Nights", 1, [2], [1, 3]),
        ],
        extras=[ExtraFile("sample", "/media/Movies/Heat (1995)/sample.mkv", "named sample"),
                ExtraFile("trailer", "/media/Movies/Heat (1995)/trailers/Heat.mkv",
                          "trailers folder"),
                ExtraFile("featurette", UNICODE_PATH.replace("Spirited Away", "Making of"),
                          None)],
        extras_by_role={"sample": 4, "trailer": 6, "featurette": 2},
        plan=PlanSummary(
            moves=301, skips=111, creates=64,
            skip_reasons={"already in place": 80, "unidentified": 24, "error": 7},
            sample_moves=[[UNICODE_PATH,
                           "/lib/Movies/Spirited Away (2001)/Spirited Away (2001).mkv"],
                          [f"/media/Movies/{DUP_NAME}",
                           "/lib/Movies/The Matrix (1999)/The Matrix (1999).mkv"]]),
        naming_issues=[NamingRule("reserved-character", 1_300, [
            NamingIssue("/media/Music/AC:DC/Back In Black/01.flac",
                        "':' is not allowed on SMB shares", "rename to AC - DC")]),
            NamingRule("movie-without-year", 2, [
                NamingIssue("/media/Movies/Heat", "the movie folder's name has no (YYYY)",
                            "rename to Heat (1995)"),
                NamingIssue("/media/Movies/Alien", "the movie folder's name has no (YYYY)",
                            "rename to Alien (YYYY)")])],
        enriched=False,
        truncated={"unidentified": 37, "extras": 5},
    )


def empty_report() -> Report:
    """An empty library: every list empty, every total zero, no plan."""
    return Report(
        schema=REPORT_SCHEMA, created="2024-05-01T03:00:00+00:00", tool="0.4.0", inputs={},
        roots=[], totals=Totals(), kinds={}, identification=Identification(), review=[],
        unidentified=[], errors=[], distributions={}, duplicates=[], missing_episodes=[],
        extras=[], extras_by_role={}, plan=None, naming_issues=[], enriched=False, truncated={})


def errors_only_report() -> Report:
    """A library where every file failed to scan: errors and nothing else."""
    report = empty_report()
    report.roots = ["/mnt/nas"]
    report.totals = Totals(files=2, bytes=0)
    report.kinds = {"video": Totals(2, 0)}
    report.errors = [ErrorGroup("scan", "io_error", 2, "Input/output error",
                                ["/mnt/nas/a.mkv", EVIL_PATH])]
    return report


def hostile_report() -> Report:
    """The evil name in every string field, keys included."""
    report = full_report()
    report.created = report.tool = EVIL
    report.roots = [EVIL_PATH]
    report.kinds = {EVIL: Totals(1, 1)}
    report.review = [ReviewItem(EVIL_PATH, EVIL, EVIL, EVIL, 2000, [EVIL])]
    report.errors = [ErrorGroup(EVIL, EVIL, 1, EVIL, [EVIL_PATH])]
    report.distributions = {EVIL: {EVIL: 1}, "container": {EVIL: 2}}
    report.duplicates = [DuplicateGroup(EVIL, EVIL, [EVIL_PATH]),
                         DuplicateGroup("same work", EVIL, [EVIL_PATH])]
    report.missing_episodes = [MissingEpisodes(EVIL, 1, [2], [1])]
    report.extras = [ExtraFile(EVIL, EVIL_PATH, EVIL)]
    report.extras_by_role = {EVIL: 1}
    report.plan = PlanSummary(1, 1, 0, {EVIL: 1}, [[EVIL_PATH, EVIL_PATH]])
    report.naming_issues = [NamingRule(EVIL, 1, [NamingIssue(EVIL_PATH, EVIL, EVIL)])]
    report.truncated = {EVIL: 3}
    return report


class _Doc(HTMLParser):
    """Every start tag with its attributes, and the text outside script/style."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._raw = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._raw += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._raw -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._raw:
            self.text.append(data)


# --- pure tests ---------------------------------------------------------------------


@pytest.mark.parametrize("make", [full_report, empty_report, errors_only_report, hostile_report])
def test_no_attribute_points_at_a_network_address(make: Callable[[], Report]) -> None:
    page = render_html(make())
    doc = _Doc(page)
    for tag, attrs in doc.tags:
        for name in ("src", "href", "action", "formaction", "poster", "data", "srcset"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:", "ws:")), (tag, attrs)
    assert not re.search(r"url\(|@import", page, re.IGNORECASE)
    assert not re.search(r"https?://", page)


def test_the_page_carries_the_strict_csp_and_a_data_favicon() -> None:
    page = render_html(full_report())
    doc = _Doc(page)
    metas = [a for t, a in doc.tags if t == "meta" and a.get("http-equiv")]
    assert metas == [{"http-equiv": "Content-Security-Policy", "content": CSP}]
    assert CSP == ("default-src 'none'; style-src 'unsafe-inline'; "
                   "script-src 'unsafe-inline'; img-src data:")
    assert ("link", {"rel": "icon", "href": "data:,"}) in doc.tags
    assert page.startswith("<!DOCTYPE html>\n")
    assert [t for t, a in doc.tags if t == "script"] == ["script"]
    assert all("src" not in a for t, a in doc.tags if t == "script")


@pytest.mark.parametrize("make", [full_report, errors_only_report, hostile_report])
def test_library_text_is_escaped_everywhere(make: Callable[[], Report]) -> None:
    page = render_html(make())
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.mkv" in page
    doc = _Doc(page)
    assert not [t for t, _ in doc.tags if t == "img"]
    assert not [a for _, a in doc.tags if "onerror" in a]
    assert EVIL in "".join(doc.text)


def test_quotes_non_ascii_and_undecodable_bytes_show_as_text() -> None:
    page = render_html(full_report())
    text = "".join(_Doc(page).text)
    assert "\"quotes\" & 'apostrophes'.srt" in text
    assert "&quot;quotes&quot; &amp; &#x27;apostrophes&#x27;.srt" in page
    assert "千と千尋の神隠し (2001)" in text
    assert "Ålesund Nights" in text
    assert NUL_SHOWN in text
    assert "\x00" not in page


@pytest.mark.parametrize("make", [full_report, empty_report, errors_only_report, hostile_report])
def test_the_same_report_gives_the_same_bytes(make: Callable[[], Report]) -> None:
    assert render_html(make()) == render_html(make())


def test_dict_order_does_not_change_the_page() -> None:
    a, b = full_report(), full_report()
    b.kinds = dict(reversed(b.kinds.items()))
    b.distributions = {k: dict(reversed(v.items())) for k, v in reversed(b.distributions.items())}
    b.extras_by_role = dict(reversed(b.extras_by_role.items()))
    assert render_html(a) == render_html(b)


def test_the_key_numbers_are_shown_with_separators_and_binary_units() -> None:
    text = " ".join(_Doc(render_html(full_report())).text)
    for expected in ("412", "268", "3.5 TiB", "1,207", "permission_denied", "mediainfo_failed",
                     DUP_NAME, "E03–E05, E09", "… and 37 more (see report.json)",
                     "… and 5 more (see report.json)", "already in place", "301",
                     "No enrich run: identification from names and tags only",
                     "… and 1,200 more", "Alien (1979) [tmdbid-348]", "1994"):
        assert expected in text, expected
    assert "1,994" not in text  # a year is not a quantity


def test_an_empty_library_says_so_in_every_section() -> None:
    text = "".join(_Doc(render_html(empty_report())).text)
    for expected in ("No items need review.", "No unidentified files.", "No errors.",
                     "No duplicates.", "No missing episodes.", "No extras found.",
                     "No naming issues.", "No files scanned.", "No data.",
                     "No plan yet: run jforg plan --dest DIR"):
        assert expected in text, expected
    assert "more (see report.json)" not in text


def test_a_report_of_only_errors_lists_them_and_nothing_else() -> None:
    page = render_html(errors_only_report())
    text = " ".join(_Doc(page).text)
    assert "io_error" in text and "Input/output error" in text and "a.mkv" in text
    assert '<span title="/mnt/nas/a.mkv">a.mkv</span>' in page  # below its root; full on hover
    assert "No errors." not in text
    assert "No duplicates." in text


def test_an_enriched_report_says_which_providers_were_asked_and_how_often() -> None:
    report = full_report()
    report.enriched = True
    report.enrich_run = EnrichRun({"tmdb": "asked", "musicbrainz": "disabled: HTTP 401",
                                   "openlibrary": "not selected"}, {"tmdb": 3, "musicbrainz": 1})
    text = " ".join(_Doc(render_html(report)).text)
    assert "No enrich run" not in text
    assert ("Enrich: tmdb asked (3 requests); musicbrainz disabled: HTTP 401 (1 request); "
            "openlibrary not selected.") in text


def test_an_offline_enrich_run_is_not_called_no_enrich_run() -> None:
    report = full_report()
    report.enrich_run = EnrichRun({"tmdb": "offline", "musicbrainz": "offline"}, {})
    text = " ".join(_Doc(render_html(report)).text)
    assert "No enrich run" not in text
    assert ("Enrich ran but asked no provider (tmdb offline; musicbrainz offline): "
            "identification from names and tags only.") in text


# --- browser tests ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report_html")
    files = {}
    for name, make in (("full", full_report), ("empty", empty_report),
                       ("errors", errors_only_report), ("hostile", hostile_report)):
        files[name] = folder / f"{name}.html"
        files[name].write_text(render_html(make()), encoding="utf-8")
    return files


class Opened:
    """A page with the report loaded, and what it logged and requested."""

    def __init__(self, browser: Browser, path: Path, width: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800})
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.url = path.as_uri()
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def open_report(browser: Browser, report_files: dict[str, Path]) -> Iterator[
        Callable[..., Opened]]:
    opened: list[Opened] = []

    def open_(name: str = "full", width: int = 1280) -> Opened:
        opened.append(Opened(browser, report_files[name], width))
        return opened[-1]

    yield open_
    for o in opened:
        o.context.close()


@pytest.mark.parametrize("name", ["full", "empty", "errors", "hostile"])
def test_the_page_loads_with_no_console_error_and_no_request_but_itself(
        open_report: Callable[..., Opened], name: str) -> None:
    o = open_report(name)
    o.page.wait_for_timeout(300)  # late requests (favicon) would arrive by now
    assert o.errors == []
    assert o.requests == [o.url]
    assert o.dialogs == []  # no alert(1) from the evil name
    assert o.page.locator("img").count() == 0


def test_the_key_numbers_are_in_the_rendered_text(open_report: Callable[..., Opened]) -> None:
    o = open_report()
    text = o.page.locator("body").inner_text()
    for expected in ("412", "268", "mediainfo_failed", DUP_NAME, NUL_SHOWN,
                     "No enrich run: identification from names and tags only"):
        assert expected in text, expected


def test_the_evil_file_name_is_text_and_makes_no_image(open_report: Callable[..., Opened]) -> None:
    for name in ("full", "hostile"):
        o = open_report(name)
        shown = EVIL_PATH if name == "hostile" else f"Movies/{EVIL}"  # below its root
        assert o.page.get_by_text(shown, exact=True).count() >= 1
        assert o.page.locator(f'span[title="{EVIL_PATH}"]').count() >= 1
        assert o.page.locator("img").count() == 0
        assert o.errors == []


def _first_cells(page: Page, table: str, column: int) -> list[str]:
    cells = page.eval_on_selector_all(
        f"#{table} tbody tr:not([hidden])",
        f"rows => rows.map(r => r.cells[{column}].textContent.trim())")
    return [str(c) for c in cells]


def test_clicking_a_header_sorts_numbers_by_value_and_text_by_name(
        open_report: Callable[..., Opened]) -> None:
    o = open_report()
    size_header = o.page.locator("#t-kinds thead th", has_text="Size").locator("button")
    assert _first_cells(o.page, "t-kinds", 0)[0] == "video"  # by files, largest first
    size_header.click()  # ascending by bytes, not by the text "2.9 MiB" < "3.1 MiB" < "38.1 MiB"
    assert _first_cells(o.page, "t-kinds", 0) == ["subtitle", "other", "image", "book",
                                                  "audio", "video"]
    size_header.click()
    assert _first_cells(o.page, "t-kinds", 0)[0] == "video"
    o.page.locator("#t-kinds thead th", has_text="Kind").locator("button").click()
    assert _first_cells(o.page, "t-kinds", 0) == sorted(_first_cells(o.page, "t-kinds", 0))
    assert _first_cells(o.page, "t-kinds", 0)[0] == "audio"
    count = o.page.locator("#t-errors thead th", has_text="Count").locator("button")
    before = _first_cells(o.page, "t-errors", 1)[0]
    count.click()
    count.click()  # descending: 1,207 before 3 (a text sort would put "3" first)
    assert (before, _first_cells(o.page, "t-errors", 1)[0]) == ("mediainfo_failed",
                                                                 "permission_denied")


def test_typing_in_a_filter_box_hides_rows_that_do_not_match(
        open_report: Callable[..., Opened]) -> None:
    o = open_report()
    rows = o.page.locator("#t-unidentified tbody tr")
    assert rows.count() == 24
    box = o.page.locator('input[data-filter="t-unidentified"]')
    box.fill("clip_01")
    visible = _first_cells(o.page, "t-unidentified", 0)
    assert visible == [f"Incoming/clip_{n:03d}.mp4" for n in range(10, 20)]
    assert o.page.locator("#t-unidentified tbody tr:visible").count() == 10
    box.fill("ONERROR")
    assert _first_cells(o.page, "t-unidentified", 0) == [f"Movies/{EVIL}"]
    box.fill("")
    assert o.page.locator("#t-unidentified tbody tr:visible").count() == 24


def _is_png(path: Path) -> bool:
    return path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_at_phone_width_nothing_scrolls_the_page_sideways(
        open_report: Callable[..., Opened]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for name in ("full", "empty", "hostile"):
        o = open_report(name, width=375)
        width = o.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375 + 2, (name, width)
    o = open_report("full", width=375)
    shot = ARTIFACTS / "report-test-phone.png"
    o.page.screenshot(path=str(shot), full_page=True)
    assert _is_png(shot)


def test_a_desktop_screenshot_is_written(open_report: Callable[..., Opened]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    o = open_report("full", width=1280)
    width = o.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1280
    shot = ARTIFACTS / "report-test.png"
    o.page.screenshot(path=str(shot), full_page=True)
    assert _is_png(shot)


def test_naming_issues_are_grouped_by_rule_with_a_count_and_the_first_files() -> None:
    page = render_html(full_report())
    text = " ".join(_Doc(page).text)
    for expected in ("reserved-character", "1,300", "':' is not allowed on SMB shares",
                     "rename to AC - DC", "… and 1,299 more", "movie-without-year",
                     "rename to Heat (1995)"):
        assert expected in text, expected
    assert text.index("reserved-character") < text.index("movie-without-year")
    assert '<a href="#naming">Naming issues <span class="n">1,302</span>' in page
