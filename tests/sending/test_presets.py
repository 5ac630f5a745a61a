"""Presets: the documented hosts and ports, and limits that keep an account safe."""

from __future__ import annotations

import pytest

from editor.sending.accounts import Account
from editor.sending.presets import PRESETS, SES_REGIONS, preset

EXPECTED = {
    "sendgrid": ("smtp.sendgrid.net", 587, "starttls"),
    "brevo": ("smtp-relay.brevo.com", 587, "starttls"),
    "mailjet": ("in-v3.mailjet.com", 587, "starttls"),
    "ses": ("email-smtp.eu-west-3.amazonaws.com", 587, "starttls"),
    "gmail": ("smtp.gmail.com", 465, "tls"),
    "workspace": ("smtp.gmail.com", 465, "tls"),
    "outlook": ("smtp-mail.outlook.com", 587, "starttls"),
    "microsoft365": ("smtp.office365.com", 587, "starttls"),
    "ovh": ("ssl0.ovh.net", 465, "tls"),
    "orange": ("smtp.orange.fr", 465, "tls"),
    "free": ("smtp.free.fr", 465, "tls"),
    "ionos": ("smtp.ionos.fr", 465, "tls"),
    "infomaniak": ("mail.infomaniak.com", 465, "tls"),
    "gandi": ("mail.gandi.net", 465, "tls"),
}


def blank() -> Account:
    return Account(name="A", host="", port=25, security="none", from_email="me@example.org")


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_preset_connection_settings(key: str) -> None:
    account = preset(key).apply(blank())
    assert (account.host, account.port, account.security) == EXPECTED[key]
    assert account.preset == key
    account.validate()  # every preset makes a valid account
    assert preset(key).note  # each has a short note for the user


def test_every_service_of_the_issue_is_there_and_custom_last() -> None:
    assert set(EXPECTED) | {"custom"} == {p.key for p in PRESETS}
    assert PRESETS[-1].key == "custom"


def test_sendgrid_user_is_apikey() -> None:
    account = preset("sendgrid").apply(blank())
    assert account.username == "apikey"
    assert "apikey" in preset("sendgrid").note


def test_ses_region() -> None:
    assert "eu-west-3" in SES_REGIONS
    assert preset("ses").apply(blank(), region="us-east-1").host == (
        "email-smtp.us-east-1.amazonaws.com"
    )


def test_mailbox_quotas() -> None:
    assert preset("gmail").daily_quota == 500
    assert preset("workspace").daily_quota == 2000
    assert preset("microsoft365").rate_per_minute <= 30
    assert preset("ses").rate_per_minute <= 60  # the sandbox: one per second


def test_applying_keeps_the_sender() -> None:
    account = preset("brevo").apply(blank())
    assert account.from_email == "me@example.org"
    assert account.name == "A"


def test_notes_are_worded_when_read() -> None:
    # The table holds English source strings; .note asks gettext each time it is read.
    gmail = preset("gmail")
    assert gmail.note_text.startswith("Use an app password")
    assert gmail.note == gmail.note_text  # English UI (the tests' language)
    assert gmail.label == "Gmail"
