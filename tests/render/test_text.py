"""The plain-text part reads well on its own."""

from __future__ import annotations

from editor.document import (
    ButtonBlock,
    Column,
    ColumnsBlock,
    DividerBlock,
    HeadingBlock,
    ImageBlock,
    SocialBlock,
    SocialLink,
    SpacerBlock,
    TextBlock,
)
from editor.render.engine import Renderer
from tests.render.helpers import newsletter


def text_of(*blocks: object, language: str = "en", contact: dict[str, str] | None = None) -> str:
    doc = newsletter(*blocks, language=language)  # type: ignore[arg-type]
    return Renderer().render(doc).text_for(contact)


def test_headings_are_underlined_to_the_personalised_length() -> None:
    out = text_of(
        HeadingBlock(text="Hello {{ first_name }}", level=1),
        HeadingBlock(text="Sub", level=2),
        contact={"email": "a@b.c", "first_name": "Ana"},
    )
    assert out.startswith("Hello Ana\n=========\n\nSub\n---\n")


def test_paragraphs_links_and_lists() -> None:
    out = text_of(
        TextBlock(
            html='<p>See <a href="https://x.example/a">our shop</a>.</p>'
            "<ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol>"
        )
    )
    assert (
        "See our shop\n(https://x.example/a?utm_source=newsletter&utm_medium=email&utm_campaign="
        in out
    )
    assert "- One\n- Two" in out
    assert "1. First" in out


def test_buttons_images_social_dividers_spell_out_their_links() -> None:
    out = text_of(
        ButtonBlock(label="Order", url="https://x.example/order"),
        ImageBlock(src="https://cdn.example/i.png", alt="Our shop", link="https://x.example"),
        DividerBlock(),
        SpacerBlock(),
        SocialBlock(links=[SocialLink("instagram", "https://instagram.com/x")]),
    )
    assert "Order:\nhttps://x.example/order?utm_source=newsletter&utm_medium=email&" in out
    assert "Our shop:\nhttps://x.example/?utm_source=newsletter&utm_medium=email&" in out
    assert "-" * 40 in out
    assert "Instagram: https://instagram.com/x" in out


def test_columns_are_read_in_order() -> None:
    out = text_of(
        ColumnsBlock(
            columns=[
                Column([TextBlock(html="<p>Left</p>")]),
                Column([TextBlock(html="<p>Right</p>")]),
            ]
        )
    )
    assert out.index("Left") < out.index("Right")


def test_footer_has_identity_reason_and_unsubscribe_in_the_newsletter_language() -> None:
    out = text_of(
        TextBlock(html="<p>x</p>"),
        language="fr",
        contact={"email": "zoe@exemple.fr", "first_name": "Zoé"},
    )
    footer = out[out.index("-- \n") :]
    assert "Bakery Martin\n1 rue du Pain\n75001 Paris" in footer
    assert "Vous recevez cet e-mail" in footer
    assert "Pour ne plus recevoir nos e-mails :\nmailto:hello+unsub-" in footer
    assert "zoe" not in footer  # the token (a sample one here), never the address


def test_wrapping_happens_after_personalisation() -> None:
    html = "<p>{{ first_name }}, " + "vous la découvrez en avant-première, " * 4 + "</p>"
    out = text_of(TextBlock(html=html), contact={"email": "a@b.fr", "first_name": "Marie"})
    first = out.splitlines()[0]
    assert first.startswith("Marie, vous") and 60 <= len(first) <= 76


def test_hyphenated_domains_and_list_items_wrap_cleanly() -> None:
    html = "<ul><li>" + "commandez sur maison-pivoine.example " * 4 + "</li></ul>"
    out = text_of(TextBlock(html=html))
    lines = out.split("\n\n")[0].splitlines()
    assert lines[0].startswith("- ") and all(line.startswith("  ") for line in lines[1:])
    assert "maison-\n" not in out


def test_long_paragraphs_are_wrapped_without_breaking_urls() -> None:
    url = "https://example.com/" + "a" * 90
    out = text_of(TextBlock(html=f"<p>{'word ' * 40}<a href='{url}'>{url}</a></p>"))
    body = out.split("\n\n")[0]
    assert all(len(line) <= 76 for line in body.splitlines() if url not in line)
    assert url in out


def test_rewrap_keeps_non_breaking_spaces_and_lines_that_fit() -> None:
    from editor.render.text import rewrap

    glued = "19\u00a0h\u00a0—\u00a021\u00a0h"
    line = ("mot " * 17) + glued + " fin"
    out = rewrap(line, 76)
    assert glued in out.splitlines()[-1] or glued in out.splitlines()[0]
    assert all(len(part) <= 76 for part in out.splitlines())
    assert rewrap("court\n\n  - liste", 76) == "court\n\n  - liste"
