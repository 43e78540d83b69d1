"""Real-browser end to end: `greenmfg serve` in a subprocess, headless Debian chromium driven by Playwright.

- /widget/demo: open the widget, ask, see a streamed answer with citations; CSS isolation, Esc, session.
- a page on another origin embeds /widget.js (CORS allowlist) and gets an answer too.
- /ui: the 咨询 tab answers.
Screenshots go to test-artifacts/ (gitignored). In CI a missing chromium is a failure, locally a skip.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "我们去年出过一次较大环保事故，还能申报绿色工厂吗？"
POLICY_QUESTION = "绿色工厂的基本要求有哪些？"
SERVER_START_TIMEOUT_S = 900  # a cold index build on a busy 2-core CI machine
ANSWER_TIMEOUT_MS = 120_000


def _tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is missing at /usr/bin/chromium (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def host_page_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A plain static site on another origin (localhost vs 127.0.0.1, other port) to embed the widget."""
    root = tmp_path_factory.mktemp("host-site")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def service(
    session_home: Path, tmp_path_factory: pytest.TempPathFactory, host_page_server: tuple[str, Path]
) -> Iterator[str]:
    """`greenmfg serve` on a free loopback port with its own GREENMFG_HOME."""
    # Build the index once in this test session's home and hand the server a copy: the server starts
    # from a warm index, yet never shares files with this process.
    from retrieval.service import get_search_service

    get_search_service().search("绿色工厂", k=1)
    home = tmp_path_factory.mktemp("serve-home") / "home"
    shutil.copytree(session_home, home, ignore=shutil.ignore_patterns("*.sqlite-journal", "sessions*"))

    port = free_port()
    env = {
        **os.environ,
        "GREENMFG_HOME": str(home),
        "GREENMFG_RATE_LIMIT_PER_MINUTE": "1000",
        "GREENMFG_CORS_ORIGINS": host_page_server[0],
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    env.pop("GREENMFG_API_KEYS", None)
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ui.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"greenmfg serve exited with {process.returncode}:\n{_tail(log_path)}")
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"greenmfg serve not ready in {SERVER_START_TIMEOUT_S} s:\n{_tail(log_path)}")
            time.sleep(1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def _ask_widget(page: object, question: str) -> object:
    widget = page.locator("greenmfg-chat-widget")
    widget.locator(".launcher").click()
    panel = widget.locator(".panel")
    panel.wait_for(state="visible")
    page.keyboard.type(question)  # the input has focus once the panel opens
    page.keyboard.press("Enter")
    answer = widget.locator('.msg.bot[data-state="done"]').last
    answer.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return answer


def test_widget_demo_streams_a_cited_answer(service: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{service}/widget/demo")

    answer = _ask_widget(page, POLICY_QUESTION)
    text = answer.locator(".text").inner_text()
    assert "[1]" in text and len(text) > 10
    citations = answer.locator('[data-testid="citations"] li')
    assert citations.count() >= 1
    assert citations.first.locator("summary").inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / "widget-demo.png"))

    # the session id is kept in localStorage for the next visit
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('greenmfg-widget-session'))")
    assert len(stored) == 1

    # CSS isolation both ways: host rules do not reach the widget, widget rules do not restyle the host
    launcher_bg = page.evaluate(
        "getComputedStyle(document.querySelector('greenmfg-chat-widget').shadowRoot"
        ".querySelector('.launcher')).backgroundColor"
    )
    assert launcher_bg == "rgb(26, 127, 55)"
    widget_font = page.evaluate(
        "getComputedStyle(document.querySelector('greenmfg-chat-widget').shadowRoot"
        ".querySelector('.msg .text')).fontFamily"
    )
    assert "Comic Sans" not in widget_font
    host_msg = page.evaluate("(() => { const s = getComputedStyle(document.getElementById('host-msg'));"
                             " return [s.fontSize, s.backgroundColor]; })()")
    assert host_msg == ["30px", "rgba(0, 0, 0, 0)"]

    # keyboard: Tab / Shift+Tab stay inside the open panel (focus trap)
    focus_inside = (
        "(() => { const root = document.querySelector('greenmfg-chat-widget').shadowRoot;"
        " const active = root.activeElement;"
        " return !!active && root.querySelector('.panel').contains(active); })()"
    )
    page.locator("greenmfg-chat-widget textarea").focus()
    for key in ["Tab"] * 7 + ["Shift+Tab"] * 7:
        page.keyboard.press(key)
        assert page.evaluate(focus_inside), key

    # keyboard: Esc closes the panel and gives focus back to the launcher
    page.locator("greenmfg-chat-widget textarea").focus()
    page.keyboard.press("Escape")
    assert page.locator("greenmfg-chat-widget .panel").is_hidden()
    focused = page.evaluate(
        "document.querySelector('greenmfg-chat-widget').shadowRoot.activeElement.className"
    )
    assert focused == "launcher"
    assert errors == []
    context.close()


def test_widget_on_mobile_width(service: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{service}/widget/demo")
    page.locator("greenmfg-chat-widget .launcher").click()
    box = page.locator("greenmfg-chat-widget .panel").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.screenshot(path=str(ARTIFACTS / "widget-mobile.png"))
    context.close()


def test_widget_embedded_cross_origin(
    service: str, browser: object, host_page_server: tuple[str, Path]
) -> None:
    origin, root = host_page_server
    (root / "host.html").write_text(
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>外部站点</title></head>"
        f"<body><h1>外部站点</h1><script src='{service}/widget.js' data-title='绿色制造助手'"
        " data-context='park'></script></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{origin}/host.html")
    answer = _ask_widget(page, "绿色园区评价要看哪些指标？")
    assert answer.locator('[data-testid="citations"] li').count() >= 1
    page.screenshot(path=str(ARTIFACTS / "widget-cross-origin.png"))
    context.close()


def test_workspace_chat_tab_answers(service: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(f"{service}/ui/")
    box = page.locator("#gm-chat-input textarea")
    box.wait_for(timeout=60_000)
    box.fill(QUESTION)
    page.locator("#gm-chat-send").click()
    bot = page.locator("#gm-chatbot [data-testid='bot']")
    bot.first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"#gm-chatbot [data-testid='bot']\")]"
        ".some(el => el.innerText.includes('[1]'))",
        timeout=ANSWER_TIMEOUT_MS,
    )
    page.screenshot(path=str(ARTIFACTS / "workspace-chat.png"), full_page=True)
    context.close()
