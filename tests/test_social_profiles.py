"""Profile links of the social block: each network's link checked before it reaches the block."""

from __future__ import annotations

import pytest

from editor.blocks.base import SOCIAL_NETWORKS
from editor.social import PROFILE_DOMAINS, profile_problem


@pytest.mark.parametrize(
    ("network", "value"),
    [
        ("facebook", "https://www.facebook.com/atelier.lumiere"),
        ("facebook", "facebook.com/atelier.lumiere"),  # completed with https://
        ("facebook", "https://m.facebook.com/profile.php?id=1234"),
        ("instagram", "https://www.instagram.com/atelier/"),
        ("linkedin", "https://fr.linkedin.com/company/atelier"),
        ("x", "https://twitter.com/atelier"),
        ("x", "https://x.com/atelier"),
        ("youtube", "https://youtu.be/dQw4w9WgXcQ"),
        ("youtube", "https://www.youtube.com/@atelier"),
        ("tiktok", "https://www.tiktok.com/@atelier"),
        ("pinterest", "https://www.pinterest.fr/atelier/"),
        ("whatsapp", "+33 6 12 34 56 78"),
        ("whatsapp", "https://wa.me/33612345678"),
        ("website", "https://atelier.example/"),
        ("website", "atelier.example"),
        ("email", "bonjour@atelier.example"),
        ("email", "mailto:bonjour@atelier.example"),
        ("facebook", "{{ facebook_page }}"),  # a merge tag: checked when the email is made
        ("facebook", ""),  # empty: the icon is left out
    ],
)
def test_good_profile_links(network: str, value: str) -> None:
    assert profile_problem(network, value) == ""


@pytest.mark.parametrize(
    ("network", "value", "words"),
    [
        ("facebook", "https://twitter.com/atelier", "not on Facebook"),
        ("facebook", "https://facebook.com.evil.example/atelier", "not on Facebook"),
        ("facebook", "https://notfacebook.com/atelier", "not on Facebook"),
        ("instagram", "https://www.facebook.com/atelier", "not on Instagram"),
        ("facebook", "http://www.facebook.com/atelier", "must be a secure web address"),
        ("facebook", "javascript:alert(1)", "must be a secure web address"),
        ("facebook", "https://www.facebook.com/", "home page"),
        ("website", "http://atelier.example/", "must be a secure one"),
        ("email", "bonjour@", "not a valid email address"),
        ("email", "bonjour atelier.example", "not a valid email address"),
    ],
)
def test_bad_profile_links(network: str, value: str, words: str) -> None:
    assert words in profile_problem(network, value)


def test_the_message_says_where_the_link_should_go() -> None:
    problem = profile_problem("facebook", "https://twitter.com/atelier")
    assert "https://www.facebook.com/" in problem
    assert "https://x.com/" in profile_problem("x", "https://www.facebook.com/atelier")


def test_every_network_but_website_and_email_has_its_domains() -> None:
    assert set(PROFILE_DOMAINS) == set(SOCIAL_NETWORKS) - {"website", "email"}
