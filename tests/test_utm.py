"""UTM parameters: the helper on hostile and ordinary URLs, and the slug of the subject."""

from __future__ import annotations

import pytest

from editor.urls import URL_MAX
from editor.utm import add_utm, add_utm_to_links, campaign_slug, utm_params

P = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "octobre"}
Q = "utm_source=newsletter&utm_medium=email&utm_campaign=octobre"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/a", f"https://x.example/a?{Q}"),
        ("https://x.example", f"https://x.example/?{Q}"),
        ("HTTP://X.example/a", f"HTTP://X.example/a?{Q}"),
        ("https://x.example/a?b=1", f"https://x.example/a?b=1&{Q}"),
        ("https://x.example/a?", f"https://x.example/a?{Q}"),
        ("https://x.example/a?b=1&", f"https://x.example/a?b=1&{Q}"),
        ("https://x.example/a#top", f"https://x.example/a?{Q}#top"),
        ("https://x.example/a?b=1#top?x", f"https://x.example/a?b=1&{Q}#top?x"),
        ("https://x.example/#", f"https://x.example/?{Q}#"),
        # IDN and non-ASCII paths are left as the author wrote them.
        ("https://café.example/été", f"https://café.example/été?{Q}"),
        ("https://xn--caf-dma.example/", f"https://xn--caf-dma.example/?{Q}"),
    ],
)
def test_parameters_are_appended_before_the_fragment(url: str, expected: str) -> None:
    assert add_utm(url, P) == expected


def test_a_parameter_the_author_set_is_kept_as_written() -> None:
    url = "https://x.example/?utm_source=partner&utm_campaign=Spring%20Sale"
    assert add_utm(url, P) == f"{url}&utm_medium=email"
    encoded = "https://x.example/?utm%5Fsource=a&utm_medium=b&utm_campaign=c"
    assert add_utm(encoded, P) == encoded


@pytest.mark.parametrize(
    "url",
    [
        "mailto:a@x.example?subject=Hi",
        "tel:+33123456789",
        "javascript:alert(1)//https://x.example",
        " data:text/html,https://x",
        "#",
        "",
        "/relative",
        "ftp://x.example/",
        "https://x.example/\nSet-Cookie: a",
        "https://x.example/\x00",
        "{{ website }}/promo",
        "BMTW0123456789abZ/promo",
    ],
)
def test_anything_but_a_web_address_is_left_alone(url: str) -> None:
    assert add_utm(url, P) == url


def test_a_url_that_would_become_too_long_is_left_alone() -> None:
    url = "https://x.example/?" + "a" * (URL_MAX - 30)
    assert add_utm(url, P) == url


def test_merge_tags_and_markers_are_kept_and_their_signs_ignored() -> None:
    tag = 'https://x.example/p?e={{ email | default("a#b?c") }}'
    assert add_utm(tag, P) == f"{tag}&{Q}"
    marked = "https://x.example/BMTQ0123456789abZ"
    assert add_utm(marked, P) == f"{marked}?{Q}"
    fragment = "https://x.example/#{{ anchor }}"
    assert add_utm(fragment, P) == f"https://x.example/?{Q}#{{{{ anchor }}}}"


def test_values_are_percent_encoded() -> None:
    params = {"utm_campaign": "été & co=1#"}
    assert add_utm("https://x.example/", params) == (
        "https://x.example/?utm_campaign=%C3%A9t%C3%A9%20%26%20co%3D1%23"
    )


def test_nothing_to_add_changes_nothing() -> None:
    assert add_utm("https://x.example", {}) == "https://x.example"


def test_links_in_html_are_tagged_and_stay_escaped() -> None:
    html = (
        '<p><a target="_blank" href="https://x.example/?a=1&amp;b=2">x</a> '
        '<a href="mailto:a@x.example">m</a> <img src="https://x.example/i.png"></p>'
    )
    out = add_utm_to_links(html, P)
    assert f'href="https://x.example/?a=1&amp;b=2&amp;{Q.replace("&", "&amp;")}"' in out
    assert 'href="mailto:a@x.example"' in out
    assert 'src="https://x.example/i.png"' in out
    assert add_utm_to_links(html, {}) == html


@pytest.mark.parametrize(
    ("subject", "slug"),
    [
        ("Octobre au fournil", "octobre-au-fournil"),
        ("Octobre au fournil : pain aux noix !", "octobre-au-fournil-pain-aux-noix"),
        ("  Œufs, crème & café — l’été  ", "oeufs-creme-cafe-l-ete"),
        ("{{ first_name }}, our October news", "our-october-news"),
        ("日本語", "newsletter"),
        ("", "newsletter"),
    ],
)
def test_campaign_slug(subject: str, slug: str) -> None:
    assert campaign_slug(subject) == slug


def test_a_long_slug_is_cut_at_a_hyphen() -> None:
    slug = campaign_slug("walnut bread and apple tart " * 10)
    assert len(slug) <= 60
    assert slug.startswith("walnut-bread-and-apple-tart-walnut")
    assert not slug.endswith("-")
    assert campaign_slug("x" * 100) == "x" * 60


def test_params_follow_the_settings() -> None:
    assert utm_params(False, "newsletter", "email", "", "Hi") == {}
    assert utm_params(True, " newsletter ", "email", "", "Octobre au fournil") == {
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": "octobre-au-fournil",
    }
    assert utm_params(True, "", "email", "spring", "x") == {
        "utm_medium": "email",
        "utm_campaign": "spring",
    }
