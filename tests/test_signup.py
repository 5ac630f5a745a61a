"""The signup snippet and GDPR notice: complete in both languages, safe with hostile values."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import lxml.html
import pytest

from editor.cli import run
from editor.signup import (
    SignupError,
    SignupSettings,
    privacy_notice,
    privacy_notice_text,
    signup_form,
    subscribe_address,
    subscribe_mailto_url,
)

HOSTILE = '<script>alert("x")</script> & \'Co\' "--> <img src=x onerror=alert(1)>'

# One phrase per item the GDPR notice must carry (issue 11), in each language.
NOTICE_ITEMS = {
    "en": {
        "controller": "data controller",
        "purpose": "to send you our newsletter",
        "legal basis": "consent (GDPR article 6.1.a)",
        "recipients": "accessible only to",
        "retention": "at most 24 months after your last contact",
        "access": "access",
        "rectification": "rectify",
        "erasure": "erase",
        "objection": "object to its processing",
        "complaint": "CNIL",
        "transfers": "not transferred outside the European Union",
    },
    "fr": {
        "controller": "responsable du traitement",
        "purpose": "vous envoyer notre lettre d’information",
        "legal basis": "consentement (article 6.1.a du RGPD)",
        "recipients": "Seuls ont accès à vos données",
        "retention": "au plus 24 mois après votre dernier contact",
        "access": "droit d’accès",
        "rectification": "rectification",
        "erasure": "effacement",
        "objection": "droit d’opposition",
        "complaint": "CNIL",
        "transfers": "ne sont pas transférées hors de l’Union européenne",
    },
}


def settings(**changes: object) -> SignupSettings:
    base: dict[str, object] = {
        "organisation": "Les Amis du Jardin",
        "contact_email": "rgpd@jardin.example",
        "address": "3 rue des Lilas, 75020 Paris",
        "retention_months": 24,
        "action": "https://jardin.example/inscription",
    }
    base.update(changes)
    return SignupSettings(**base)  # type: ignore[arg-type]


def parse(snippet: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(snippet, create_parent="div")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_notice_covers_every_item_in_both_forms(lang: str) -> None:
    s = settings(language=lang, dpo="dpo@jardin.example")
    text = privacy_notice_text(s)
    html_text = parse(privacy_notice(s)).text_content()
    for item, phrase in NOTICE_ITEMS[lang].items():
        assert phrase in text, (lang, item)
        assert phrase in html_text, (lang, item)
    for value in ("Les Amis du Jardin", "3 rue des Lilas", "rgpd@jardin.example", "dpo@jardin"):
        assert value in text and value in html_text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_notice_names_the_recipients_and_transfers_given(lang: str) -> None:
    s = settings(
        language=lang,
        recipients="Mailjet (sending service)",
        transfers="to the United States, under the EU Commission's standard contractual clauses",
        purpose="to send our monthly garden news",
    )
    text = privacy_notice_text(s)
    assert "Mailjet (sending service)" in text
    assert "standard contractual clauses" in text
    assert NOTICE_ITEMS[lang]["transfers"] not in text
    assert "to send our monthly garden news" in text


def test_notice_does_not_need_a_form_target() -> None:
    assert "Les Amis du Jardin" in privacy_notice(settings(action=""))


@pytest.mark.parametrize("mode", ["action", "mailto"])
def test_consent_checkbox_is_unticked_required_and_labelled(mode: str) -> None:
    target = (
        {"action": "https://jardin.example/s"}
        if mode == "action"
        else {
            "action": "",
            "mailto": "news@jardin.example",
        }
    )
    root = parse(signup_form(settings(list_name="Nouvelles", **target)))
    boxes = root.xpath("//input[@type='checkbox']")
    assert len(boxes) == 1
    box = boxes[0]
    assert box.get("checked") is None
    assert box.get("required") is not None
    label = root.xpath(f"//label[@for='{box.get('id')}']")[0].text_content()
    assert "Nouvelles" in label and "Les Amis du Jardin" in label
    assert "receive" in label or "recevoir" in label
    # The full notice is in the snippet, folded.
    assert root.xpath("//details/summary")
    assert "rgpd@jardin.example" in root.xpath("//details")[0].text_content()


def test_form_posts_to_the_handler_with_a_required_email_and_optional_first_name() -> None:
    root = parse(signup_form(settings(language="en")))
    form = root.xpath("//form")[0]
    assert form.get("action") == "https://jardin.example/inscription"
    assert form.get("method") == "post"
    email = root.xpath("//input[@name='email']")[0]
    assert email.get("type") == "email" and email.get("required") is not None
    first = root.xpath("//input[@name='first_name']")[0]
    assert first.get("required") is None
    for field in (email, first):
        assert root.xpath(f"//label[@for='{field.get('id')}']")


def test_snippet_has_no_script_and_no_external_resource() -> None:
    for target in ({}, {"action": "", "mailto": "news@jardin.example"}):
        snippet = signup_form(settings(organisation=HOSTILE, list_name=HOSTILE, **target))
        root = parse(snippet)
        assert not root.xpath("//script | //img | //iframe | //link | //object | //embed")
        assert not root.xpath("//@src | //@*[starts-with(name(), 'on')]")
        assert "url(" not in "".join(root.xpath("//style/text()"))
        hrefs = root.xpath("//a/@href")
        assert hrefs and all(h.startswith("mailto:") for h in hrefs)


@pytest.mark.parametrize("field", ["organisation", "address", "list_name", "dpo", "recipients"])
def test_hostile_values_are_escaped(field: str) -> None:
    snippet = signup_form(settings(**{field: HOSTILE}))
    assert "<script>" not in snippet and "<img" not in snippet
    root = parse(snippet)
    # The text reads back exactly as typed: escaped, not dropped.
    assert HOSTILE in root.text_content()
    assert "<script>" not in privacy_notice(settings(**{field: HOSTILE}))


@pytest.mark.parametrize(
    "action",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "/relative",
        "ftp://x",
    ],
)
def test_unsafe_action_is_refused(action: str) -> None:
    with pytest.raises(SignupError, match="http or https"):
        signup_form(settings(action=action))


def test_action_is_cleaned_and_attribute_quotes_escaped() -> None:
    root = parse(signup_form(settings(action='https://jardin.example/a b?x="1"')))
    assert root.xpath("//form/@action") == ["https://jardin.example/a%20b?x=%221%22"]


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("news@jardin.example", "news+subscribe@jardin.example"),
        ("news+fr@jardin.example", "news+fr+subscribe@jardin.example"),
        ("  Lettre@Exämple.FR ", "Lettre+subscribe@xn--exmple-cua.fr"),
    ],
)
def test_subscribe_address(sender: str, expected: str) -> None:
    assert subscribe_address(sender) == expected


@pytest.mark.parametrize("sender", ["", "news", "@x.fr", "a@", "a b@x.fr", "a@x.fr\r\nBcc: b@y"])
def test_subscribe_address_refuses_non_addresses(sender: str) -> None:
    with pytest.raises(SignupError):
        subscribe_address(sender)


def test_mailto_mode_opens_a_message_to_the_subscribe_address() -> None:
    s = settings(action="", mailto="news+fr@jardin.example", language="fr", list_name="Nouvelles")
    url = subscribe_mailto_url(s)
    parts = urllib.parse.urlsplit(url)
    assert parts.scheme == "mailto" and parts.path == "news+fr+subscribe@jardin.example"
    query = urllib.parse.parse_qs(parts.query)
    assert query["subject"] == ["Abonnement"]
    assert "Nouvelles" in query["body"][0] and "Les Amis du Jardin" in query["body"][0]
    assert "+" not in parts.query  # spaces as %20: mail programs show a literal +
    root = parse(signup_form(s))
    form = root.xpath("//form")[0]
    assert form.get("action") == "mailto:news+fr+subscribe@jardin.example"
    assert form.get("method") == "get"
    assert not root.xpath("//input[@name='email']")  # the sender's own address subscribes
    hidden = {i.get("name"): i.get("value") for i in root.xpath("//input[@type='hidden']")}
    assert hidden["subject"] == "Abonnement"
    # Browsers send a form's line breaks as CRLF, as the link has them.
    assert hidden["body"].replace("\n", "\r\n") == query["body"][0]
    # The consent box has no name: a named one would become a header of the mailto: URL.
    assert root.xpath("//input[@type='checkbox']")[0].get("name") is None
    assert url in root.xpath("//a/@href")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organisation": "  "}, "name of the organisation"),
        ({"contact_email": "nobody"}, "not an email address"),
        ({"language": "de"}, "French"),
        ({"retention_months": 0}, "between 1 and 120"),
        ({"action": ""}, "form handler or the sender address"),
        ({"mailto": "news@jardin.example"}, "not both"),
        ({"address": "x" * 5000}, "longer than"),
    ],
)
def test_incomplete_settings_are_clear_errors(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SignupError, match=message):
        signup_form(settings(**changes))


def test_cli_writes_the_snippet_and_the_notice(tmp_path: Path) -> None:
    out = tmp_path / "form.html"
    common = ["signup-form", "--organisation", "Jardin & Co", "--email", "rgpd@jardin.example"]
    assert (
        run([*common, "--mailto", "news+fr@jardin.example", "--lang", "en", "--out", str(out)]) == 0
    )
    root = parse(out.read_text(encoding="utf-8"))
    assert root.xpath("//form/@action") == ["mailto:news+fr+subscribe@jardin.example"]
    assert "Jardin & Co" in root.text_content()

    notice = tmp_path / "notice.txt"
    assert run([*common, "--lang", "fr", "--text", "--out", str(notice)]) == 0
    text = notice.read_text(encoding="utf-8")
    assert "Jardin & Co" in text and "droit d’opposition" in text and "<" not in text


def test_cli_refuses_a_javascript_action_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "form.html"
    args = ["signup-form", "--organisation", "X", "--email", "a@b.example"]
    assert run([*args, "--action", "javascript:alert(1)", "--out", str(out)]) == 2
    assert "http or https" in capsys.readouterr().err
    assert not out.exists()


def test_cli_prints_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["signup-form", "--organisation", "X", "--email", "a@b.example", "--notice-only"]
    assert run([*args, "--lang", "en"]) == 0
    assert "<h2>How we use your personal data</h2>" in capsys.readouterr().out


# -- the optional consent to measuring opens and clicks

MEASURE: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Measuring opens and clicks (optional)",
        "line": "Measure my opens and clicks: yes",
        "button": "Subscribe and accept measurement",
    },
    "fr": {
        "heading": "Mesure des ouvertures et des clics (facultative)",
        "line": "Mesure des ouvertures et des clics : oui",
        "button": "S’abonner et accepter la mesure",
    },
}
MEASURE_BOX = {
    "en": ("Optional", "open", "links I click", "withdraw"),
    "fr": ("Facultatif", "j’ouvre", "liens je clique", "retirer"),
}
MEASURE_NOTICE = {
    "en": ("whether you opened it", "your consent", "withdraw it at any time"),
    "fr": ("si vous l’avez ouverte", "votre consentement", "retirer à tout moment"),
}
MAILTO = {"action": "", "mailto": "news@jardin.example"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_handler_mode_offers_an_optional_unticked_measurement_box(lang: str) -> None:
    root = parse(signup_form(settings(language=lang, ask_measurement=True)))
    (box,) = root.xpath("//input[@name='measurement_consent']")
    assert box.get("type") == "checkbox" and box.get("value") == "yes"
    assert box.get("checked") is None and box.get("required") is None
    label = root.xpath(f"//label[@for='{box.get('id')}']")[0].text_content()
    assert all(word in label for word in MEASURE_BOX[lang]), label
    assert "Les Amis du Jardin" in label and "*" not in label  # not marked required
    assert box.xpath("ancestor::form")  # posted with the rest
    # The subscription's own box is still there, still required, before it.
    consent, measurement = root.xpath("//input[@type='checkbox']")
    assert consent.get("name") == "consent" and consent.get("required") is not None
    assert measurement is box


@pytest.mark.parametrize("mode", [{}, MAILTO])
def test_without_the_option_nothing_about_measurement(mode: dict[str, str]) -> None:
    for lang in ("en", "fr"):
        snippet = signup_form(settings(language=lang, **mode))
        root = parse(snippet)
        assert not root.xpath("//input[@name='measurement_consent']")
        assert len(root.xpath("//input[@type='checkbox']")) == 1
        assert len(root.xpath("//button")) == 1
        assert MEASURE[lang]["line"] not in snippet and MEASURE[lang]["heading"] not in snippet
        url = urllib.parse.unquote(" ".join(root.xpath("//a/@href")))
        assert "mesure" not in url.lower() and "measure" not in url.lower()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_mailto_mode_has_a_second_button_whose_body_says_yes_to_measurement(lang: str) -> None:
    s = settings(language=lang, list_name="Nouvelles", ask_measurement=True, **MAILTO)
    root = parse(signup_form(s))
    # Still one checkbox, the required consent: an optional box cannot reach the message.
    (box,) = root.xpath("//input[@type='checkbox']")
    assert box.get("required") is not None and box.get("name") is None
    assert not root.xpath("//input[@type='hidden' and @name='body']")  # each button has its own
    plain, measured = root.xpath("//form//button")
    assert plain.get("type") == measured.get("type") == "submit"
    assert plain.get("name") == measured.get("name") == "body"
    assert measured.text_content() == MEASURE[lang]["button"]
    line = MEASURE[lang]["line"]
    assert line not in plain.get("value") and line in measured.get("value").split("\n")
    # The first button sends what the link sends; the second, the same plus the line.
    for button, flag in ((plain, False), (measured, True)):
        url = subscribe_mailto_url(s, measurement=flag)
        body = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["body"][0]
        assert button.get("value").replace("\n", "\r\n") == body
        assert url in root.xpath("//a/@href")
    lines = measured.get("value").split("\n")
    assert lines[-1].startswith(("First name", "Prénom"))  # typed right after, as before
    plain_link, measured_link = root.xpath("//a[starts-with(@href, 'mailto:news+subscribe@')]")
    assert plain_link.text_content() == "news+subscribe@jardin.example"
    assert measured_link.text_content() == MEASURE[lang]["button"]  # told apart by their words


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_notice_has_the_measurement_purpose_only_when_asked(lang: str) -> None:
    asked = settings(language=lang, ask_measurement=True)
    text = privacy_notice_text(asked)
    html_root = parse(privacy_notice(asked))
    headings = [h.text_content() for h in html_root.xpath("//h3")]
    assert headings.index(MEASURE[lang]["heading"]) == 2  # right after the purpose
    section = text.split(MEASURE[lang]["heading"] + "\n", 1)[1].split("\n\n", 1)[0]
    assert all(phrase in section for phrase in MEASURE_NOTICE[lang]), section
    assert "rgpd@jardin.example" in section and "6.1.a" in section
    # The contact address in that section is a link, as in the others.
    assert len(html_root.xpath("//a[@href='mailto:rgpd@jardin.example']")) == 2
    for value in (privacy_notice_text(settings(language=lang)), privacy_notice(settings())):
        assert MEASURE[lang]["heading"] not in value


@pytest.mark.parametrize("mode", [{}, MAILTO])
def test_measurement_wording_escapes_hostile_values(mode: dict[str, str]) -> None:
    snippet = signup_form(settings(organisation=HOSTILE, ask_measurement=True, **mode))
    assert "<script>" not in snippet and "<img" not in snippet
    root = parse(snippet)
    assert not root.xpath("//script | //img | //@*[starts-with(name(), 'on')]")
    if mode:
        values = root.xpath("//button/@value")
        assert len(values) == 2 and all(HOSTILE in v for v in values)
    else:
        label = root.xpath("//label[@for='bulletin-measurement']")[0].text_content()
        assert HOSTILE in label


def test_cli_ask_measurement(tmp_path: Path) -> None:
    out = tmp_path / "form.html"
    args = ["signup-form", "--organisation", "Jardin", "--email", "rgpd@jardin.example"]
    assert run([*args, "--action", "https://j.example/s", "--lang", "fr", "--out", str(out)]) == 0
    assert "measurement_consent" not in out.read_text(encoding="utf-8")
    assert (
        run([*args, "--action", "https://j.example/s", "--ask-measurement", "--out", str(out)]) == 0
    )
    root = parse(out.read_text(encoding="utf-8"))
    assert root.xpath("//input[@name='measurement_consent']")
    notice = tmp_path / "notice.txt"
    assert run([*args, "--lang", "en", "--ask-measurement", "--text", "--out", str(notice)]) == 0
    assert MEASURE["en"]["heading"] in notice.read_text(encoding="utf-8")
