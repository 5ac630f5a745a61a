"""The one URL policy: links in emails, web addresses, clean URIs from outside data."""

from __future__ import annotations

import pytest

from editor.urls import URL_MAX, is_safe_link, is_web_url, web_uri


@pytest.mark.parametrize(
    "url",
    ["https://x.example/a", "http://x.example", "HTTPS://X.EXAMPLE", " mailto:a@b.c", "tel:+33123"],
)
def test_safe_links(url: str) -> None:
    assert is_safe_link(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,hi",
        "vbscript:x",
        "file:///etc/passwd",
        "/relative/path",
        "#",
        "",
        "https:/one-slash",
        "ftp://x.example",
    ],
)
def test_unsafe_links(url: str) -> None:
    assert not is_safe_link(url)


def test_web_urls_are_http_or_https_only() -> None:
    assert is_web_url("https://blog.example/feed") and is_web_url("HTTP://blog.example")
    assert not is_web_url("mailto:a@b.c") and not is_web_url("feed://x") and not is_web_url("")


def test_web_uri_cleans_outside_urls() -> None:
    assert web_uri("https://blog.example/a?b=1#c") == "https://blog.example/a?b=1#c"
    assert web_uri("HTTP://Blog.Example/A") == "http://blog.example/A"
    assert web_uri("/img.png", "https://blog.example/feed/") == "https://blog.example/img.png"
    assert web_uri("https://café.example/été") == "https://xn--caf-dma.example/%C3%A9t%C3%A9"
    assert web_uri('https://x.example/"><script>') == "https://x.example/%22%3E%3Cscript%3E"
    assert web_uri("https://user:pw@x.example:8443/") == "https://user:pw@x.example:8443/"


@pytest.mark.parametrize(
    "hostile",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,hi",
        "vbscript:x",
        "file:///etc/passwd",
        "https://",
        "https://x.example:99999/",
        "https://x.example/\x00",
        "https://x.example/" + "a" * URL_MAX,
        "",
        "mailto:a@b.c",
    ],
)
def test_web_uri_refuses_anything_else(hostile: str) -> None:
    assert web_uri(hostile) == ""


def test_web_uri_ignores_non_strings() -> None:
    assert web_uri(None) == ""  # type: ignore[arg-type]
